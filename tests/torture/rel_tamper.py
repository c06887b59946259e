#!/usr/bin/env python3
"""Build tampered age envelopes and judge `safeharbor verify` output.

  rel_tamper.py variants ENVELOPE SPOOLNEW FLIPSTEP TRUNCSTEP MANIFEST
      one file per single-byte flip at every FLIPSTEP-th offset and per
      truncation at every TRUNCSTEP-th length (plus size-1), each under a
      fresh random spool name; MANIFEST gets "name<TAB>what" lines.
  rel_tamper.py craft KIND IN OUT        swap-stanzas | dup-chunk | append
                                         | reorder | dup-middle | drop-last
  rel_tamper.py judge MANIFEST VERIFYOUT GOODNAME...
      every manifest name must be on at least one problem line of the
      verify output giving the reason its case must give (the manifest's
      third column, a regular expression; variants get theirs from where
      the change falls), not just any refusal: a file refused for another
      reason (e.g. "another envelope carries the same id") has not been
      judged on its own fault. No GOODNAME may be on a problem line.
"""
import os
import re
import secrets
import sys

CHUNK = 65536 + 16


def split_age(data):
    i = data.index(b'\n---')
    j = data.index(b'\n', i + 1)
    return data[:j + 1], data[j + 1:]


def stanzas(header):
    lines = header.split(b'\n')
    first, mac = lines[0], lines[-2]
    body, cur = [], None
    for ln in lines[1:-2]:
        if ln.startswith(b'-> '):
            cur = [ln]
            body.append(cur)
        else:
            cur.append(ln)
    return first, body, mac


def join_header(first, body, mac):
    out = [first]
    for st in body:
        out.extend(st)
    out.append(mac)
    return b'\n'.join(out) + b'\n'


def craft(kind, data):
    header, payload = split_age(data)
    nonce, chunks = payload[:16], payload[16:]
    chunk_list = [chunks[i:i + CHUNK] for i in range(0, len(chunks), CHUNK)]
    if kind == 'swap-stanzas':
        first, body, mac = stanzas(header)
        if len(body) < 2:
            raise SystemExit('swap-stanzas needs two recipients, file has %d' % len(body))
        body[0], body[1] = body[1], body[0]
        return join_header(first, body, mac) + payload
    if kind == 'mac-highbit':
        # libsodium 1.0.18 decodes any byte >= 0x80 like '/', so a
        # reader relying on it alone accepts an altered MAC line.
        i = header.rindex(b'\n---', 0, len(header) - 1) + 5
        for k in range(i, len(header) - 1):
            if header[k] == ord('/'):
                h = bytearray(header)
                h[k] |= 0x80
                return bytes(h) + payload
        raise SystemExit(3)
    if kind == 'dup-chunk':
        return header + nonce + chunks + chunk_list[-1]
    if kind == 'append':
        return data + b'\0'
    if kind == 'append-text':
        return data + b'more\n'
    if len(chunk_list) < 3:
        raise SystemExit('%s needs a file of at least 3 chunks' % kind)
    if kind == 'reorder':
        chunk_list[0], chunk_list[1] = chunk_list[1], chunk_list[0]
    elif kind == 'dup-middle':
        chunk_list.insert(1, chunk_list[1])
    elif kind == 'drop-last':
        chunk_list.pop()
    elif kind == 'drop-middle':
        chunk_list.pop(1)
    else:
        raise SystemExit('unknown kind ' + kind)
    return header + nonce + b''.join(chunk_list)


def fresh_name():
    return secrets.token_hex(16) + '.age'


def variants(env, outdir, flipstep, truncstep, manifest):
    data = open(env, 'rb').read()
    header, _ = split_age(data)
    rows = []

    def put(buf, what, reason):
        n = fresh_name()
        with open(os.path.join(outdir, n), 'wb') as f:
            f.write(buf)
        rows.append('%s\t%s\t%s' % (n, what, reason))

    for off in range(0, len(data), flipstep):
        b = bytearray(data)
        b[off] ^= (1 << (off % 8)) if off % 3 else 0xff
        where = 'header' if off < len(header) else 'payload'
        put(bytes(b), 'flip byte %d (%s)' % (off, where),
            HEADER_REASONS if where == 'header' else PAYLOAD_REASON)
    lengths = list(range(0, len(data), truncstep))
    if len(data) - 1 not in lengths:
        lengths.append(len(data) - 1)
    for ln in lengths:
        put(data[:ln], 'truncated to %d bytes' % ln,
            HEADER_REASONS if ln <= len(header) + 16 else TRUNC_PAYLOAD_REASON)
    with open(manifest, 'a') as f:
        f.write('\n'.join(rows) + '\n')
    print('%d variants of a %d-byte envelope (%d-byte header)' % (len(rows), len(data), len(header)))


# What a change at each place must be reported as.
HEADER_REASONS = (r'malformed|unsupported version|header MAC does not verify|'
                  r'not for these keys|truncated')
PAYLOAD_REASON = r'payload does not authenticate'
TRUNC_PAYLOAD_REASON = r'truncated \(shorter than a safeharbor envelope\)'


PROBLEM_OK = re.compile(r'(^|[^a-z])(ok|valid|good|passed)([^a-z]|$)', re.I)


def judge(manifest, verifyout, goods):
    text = open(verifyout, encoding='utf-8', errors='replace').read().splitlines()
    want = {}
    for row in open(manifest):
        row = row.rstrip('\n')
        if row:
            n, what, reason = row.split('\t', 2)
            want[n[:-4]] = (what, re.compile(reason))
    hits = {}
    for ln in text:
        for m in re.finditer(r'[0-9a-f]{32}', ln):
            hits.setdefault(m.group(0), []).append(ln)
    missed, bare, wrong = [], [], []
    for base, (what, reason) in want.items():
        lines = [l for l in hits.get(base, []) if not PROBLEM_OK.search(l.replace(base, ''))
                 and ': note: ' not in l]
        if not lines:
            missed.append('%s (%s)' % (base, what))
        elif all(len(l.replace(base, '').strip(' :./-\t')) < 6 for l in lines):
            bare.append('%s (%s)' % (base, what))
        elif not any(reason.search(l) for l in lines):
            wrong.append('%s (%s): want /%s/, said: %s' % (base, what, reason.pattern,
                                                          ' | '.join(lines)))
    badgood = []
    for g in goods:
        base = g[:-4] if g.endswith('.age') else g
        for l in hits.get(base, []):
            if not PROBLEM_OK.search(l.replace(base, '')) and ': note: ' not in l:
                badgood.append(l)
    print('%d tampered files, %d reported with their reason, %d not reported, '
          '%d without a reason, %d with another reason'
          % (len(want), len(want) - len(missed) - len(bare) - len(wrong), len(missed),
             len(bare), len(wrong)))
    for m in missed[:20]:
        print('  not reported: ' + m)
    for m in bare[:20]:
        print('  no reason given: ' + m)
    for m in wrong[:20]:
        print('  wrong reason: ' + m)
    for l in badgood[:5]:
        print('  valid envelope reported as a problem: ' + l)
    return 0 if not missed and not bare and not wrong and not badgood else 1


def main():
    cmd = sys.argv[1]
    if cmd == 'variants':
        variants(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
        return 0
    if cmd == 'craft':
        data = open(sys.argv[3], 'rb').read()
        with open(sys.argv[4], 'wb') as f:
            f.write(craft(sys.argv[2], data))
        return 0
    if cmd == 'judge':
        return judge(sys.argv[2], sys.argv[3], sys.argv[4:])
    raise SystemExit(__doc__)


if __name__ == '__main__':
    sys.exit(main())
