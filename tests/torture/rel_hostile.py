#!/usr/bin/env python3
"""Write hostile record texts (unsigned; tests/tools/rel_forge signs them).

usage: rel_hostile.py KIOSK_TOKEN OUTDIR
Writes OUTDIR/good (a valid record, the control) and OUTDIR/bad-* files,
one per way a signed record can still be wrong. Prints the names.
"""
import os
import secrets
import sys

kiosk, out = sys.argv[1], sys.argv[2]


def rec(fields=None, msg=b'hello', mlen=None, head=None, tail=b''):
    f = [
        (b'Id', secrets.token_hex(16).encode()),
        (b'Created', b'2026-11-29T08:15Z'),
        (b'Kiosk', kiosk.encode()),
        (b'About', b'self'),
        (b'Danger', b'no'),
        (b'Language', b'en'),
        (b'Name', b'Alex'),
    ]
    if fields:
        d = dict(f)
        for k, v in fields:
            if v is None:
                d.pop(k, None)
            else:
                d[k] = v
        f = list(d.items())
        for k, v in fields:
            if k.startswith(b'+'):
                f.append((k[1:], v))
        f = [(k, v) for k, v in f if not k.startswith(b'+')]
    body = (head if head is not None else b'SAFEHARBOR-RECORD 1\n')
    body += b''.join(k + b': ' + v + b'\n' for k, v in f)
    body += b'Message-Length: %d\n\n' % (len(msg) if mlen is None else mlen)
    return body + msg + b'\n' + tail


cases = {
    'good': rec(),
    'bad-esc-in-name': rec([(b'Name', b'\x1b]0;owned\x07Alex')]),
    'bad-csi-in-name': rec([(b'Name', b'\x1b[2J\x1b[31mAlex')]),
    'bad-c1-csi-in-name': rec([(b'Name', 'Al\u009b31mex'.encode())]),
    'bad-esc-in-message': rec(msg=b'hi \x1b[2J\x1b[H there'),
    'bad-c1-in-message': rec(msg='hi \u0090 there'.encode()),
    'bad-nul-in-message': rec(msg=b'hi\x00there'),
    'bad-cr-in-message': rec(msg=b'hi\rthere'),
    'bad-bell-in-teacher': rec([(b'+Teacher', b'Ms\x07 Lee')]),
    'bad-del-in-name': rec([(b'Name', b'Al\x7fex')]),
    'bad-overlong-utf8': rec([(b'Name', b'Al\xc0\xafex')]),
    'bad-surrogate-utf8': rec([(b'Name', b'Al\xed\xa0\x80ex')]),
    'bad-invalid-utf8': rec(msg=b'caf\xe9'),
    'bad-length-too-big': rec(msg=b'hello', mlen=6),
    'bad-length-too-small': rec(msg=b'hello', mlen=4),
    'bad-length-leading-zero': rec(msg=b'hello', mlen=None).replace(b'Message-Length: 5', b'Message-Length: 05'),
    'bad-length-negative': rec(msg=b'hello').replace(b'Message-Length: 5', b'Message-Length: -5'),
    'bad-length-huge': rec(msg=b'hello').replace(b'Message-Length: 5', b'Message-Length: 99999999999999999999'),
    'bad-duplicate-name': rec([(b'+Name', b'Bob')]),
    'bad-unknown-field': rec([(b'+Evil', b'x')]),
    'bad-field-too-long': rec([(b'Name', b'A' * 61)]),
    'bad-message-too-long': rec(msg=b'x' * 2001),
    'bad-id-not-hex': rec([(b'Id', b'z' * 32)]),
    'bad-id-short': rec([(b'Id', b'ab' * 15)]),
    'bad-about': rec([(b'About', b'everyone')]),
    'bad-danger': rec([(b'Danger', b'maybe')]),
    'bad-created': rec([(b'Created', b'2026-13-45T99:99Z')]),
    'bad-no-about': rec([(b'About', None)]),
    'bad-version': rec(head=b'SAFEHARBOR-RECORD 2\n'),
    'bad-crlf': rec().replace(b'\n', b'\r\n'),
    'bad-no-blank-line': rec().replace(b'\n\nhello', b'\nhello'),
    'bad-kiosk-other': rec([(b'Kiosk', b'shkiosk1' + b'q' * 58)]),
    'bad-text-after-message': rec(tail=b'Extra: line\n'),
}
os.makedirs(out, exist_ok=True)
for name, text in cases.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(text)
    print(name)
