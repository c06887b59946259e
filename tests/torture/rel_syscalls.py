#!/usr/bin/env python3
"""Check the Maildir delivery order in an `strace -f -y` log (SPEC §2.4).

usage: rel_syscalls.py SPOOL LOG [--self-test]

Required, in this order, for exactly one delivery:
  1. openat(... SPOOL/tmp/NAME, O_CREAT|O_EXCL ...) = FD   (mode 0600)
  2. write/pwrite64/writev on FD (the whole envelope), then the coarse
     time set on FD (futimens: utimensat(FD, NULL, ...)) after the last
     write, so the fsync below makes data and time durable together
  3. fsync or fdatasync on FD, after the last write and the time
  4. rename/renameat/renameat2 of SPOOL/tmp/NAME to SPOOL/new/NAME
  5. fsync/fdatasync of a descriptor open on SPOOL/new, after the rename
Exit 0 with a summary if all hold, 1 naming the first missing step.
With --self-test, also feeds mutated copies of the log (each step removed,
fsync moved after the rename) and fails unless every mutant is rejected.
"""
import os
import re
import sys

CALL = re.compile(r'^(?:\[pid\s+)?(\d+)?\]?\s*([a-z0-9_]+)\((.*)\)\s+=\s+(-?\d+)(<[^>]*>)?')
FDARG = re.compile(r'^(-?\d+|AT_FDCWD)(?:<([^>]*)>)?$')


def split_args(s):
    args, depth, cur, quote, esc = [], 0, '', False, False
    for ch in s:
        if quote:
            cur += ch
            if esc:
                esc = False
            elif ch == '\\':
                esc = True
            elif ch == '"':
                quote = False
            continue
        if ch == '"':
            quote = True
            cur += ch
        elif ch in '([{':
            depth += 1
            cur += ch
        elif ch in ')]}':
            depth -= 1
            cur += ch
        elif ch == ',' and depth == 0:
            args.append(cur.strip())
            cur = ''
        else:
            cur += ch
    if cur.strip():
        args.append(cur.strip())
    return args


def unquote(s):
    s = s.strip()
    if s.endswith('...'):
        s = s[:-3]
    if s.startswith('"') and s.endswith('"'):
        return bytes(s[1:-1], 'utf-8').decode('unicode_escape')
    return s


def fdpath(arg):
    m = FDARG.match(arg.strip())
    if not m:
        return None, None
    return m.group(1), m.group(2)


def resolve(dirarg, path):
    if path.startswith('/'):
        return os.path.normpath(path)
    _, d = fdpath(dirarg)
    if d is None:
        d = os.getcwd()
    return os.path.normpath(os.path.join(d, path))


def parse(lines):
    calls = []
    for n, line in enumerate(lines):
        m = CALL.match(line.strip())
        if not m:
            continue
        calls.append((m.group(2), split_args(m.group(3)), int(m.group(4)), n))
    return calls


def check(spool, lines):
    spool = os.path.normpath(spool)
    tmpd, newd = spool + '/tmp', spool + '/new'
    calls = parse(lines)
    opened = []
    for i, (name, args, ret, ann) in enumerate(calls):
        if name in ('openat', 'open') and ret >= 0:
            if name == 'openat':
                path = resolve(args[0], unquote(args[1]))
                flags = args[2] if len(args) > 2 else ''
                mode = args[3] if len(args) > 3 else ''
            else:
                path = resolve('AT_FDCWD', unquote(args[0]))
                flags = args[1] if len(args) > 1 else ''
                mode = args[2] if len(args) > 2 else ''
            if os.path.dirname(path) == tmpd and 'O_CREAT' in flags:
                opened.append((i, ret, path, flags, mode))
    if len(opened) != 1:
        return False, None, 'step 1: want exactly one file created in tmp/, saw %d' % len(opened)
    oi, fd, tpath, flags, mode = opened[0]
    if 'O_EXCL' not in flags:
        return False, None, 'step 1: tmp file opened without O_EXCL (%s)' % flags
    if mode not in ('0600', '0400'):
        return False, None, 'step 1: tmp file mode %s, want 0600' % mode
    name = os.path.basename(tpath)
    npath = newd + '/' + name
    writes, timed, synced, renamed, dirsync = [], None, None, None, None
    closed = False
    nbytes = 0
    for i in range(oi + 1, len(calls)):
        cname, args, ret, ann = calls[i]
        if not args:
            continue
        afd, apath = fdpath(args[0])
        on_file = afd == str(fd) and not closed
        if cname == 'close' and on_file:
            closed = True
        elif cname in ('write', 'pwrite64', 'writev', 'pwritev', 'pwritev2') and on_file:
            if ret < 0:
                return False, None, 'step 2: write failed'
            writes.append(i)
            nbytes += ret
        elif cname == 'utimensat' and on_file and len(args) > 1 and args[1] == 'NULL' and ret == 0:
            timed = i
        elif cname in ('fsync', 'fdatasync') and on_file and renamed is None:
            synced = i
        elif cname in ('rename', 'renameat', 'renameat2') and ret == 0:
            if cname == 'rename':
                src, dst = resolve('AT_FDCWD', unquote(args[0])), resolve('AT_FDCWD', unquote(args[1]))
            else:
                src, dst = resolve(args[0], unquote(args[1])), resolve(args[2], unquote(args[3]))
            if src == tpath:
                if dst != npath:
                    return False, None, 'step 4: renamed to %s, want %s' % (dst, npath)
                renamed = i
        elif cname in ('fsync', 'fdatasync') and renamed is not None and ret == 0:
            if apath is not None and os.path.normpath(apath) == newd:
                dirsync = i
                break
    if not writes:
        return False, None, 'step 2: nothing written to the tmp file'
    if timed is None or timed < writes[-1]:
        return False, None, 'step 2: the coarse time is not set on the tmp file after its last write'
    if synced is None or synced < writes[-1]:
        return False, None, 'step 3: no fsync of the tmp file after its last write and before the rename'
    if synced < timed:
        return False, None, 'step 3: the coarse time is set after the fsync (not made durable with it)'
    if renamed is None:
        return False, None, 'step 4: tmp/%s never renamed into new/' % name
    if renamed < synced:
        return False, None, 'step 4: rename before fsync'
    if dirsync is None:
        return False, None, 'step 5: no fsync of the new/ directory after the rename'
    steps = {'open': calls[oi][3], 'time': calls[timed][3], 'fsync': calls[synced][3],
             'rename': calls[renamed][3], 'dirsync': calls[dirsync][3]}
    return True, steps, ('open O_EXCL %s (mode %s), %d writes (%d bytes), coarse time, fsync, '
                         'rename to new/, fsync new/' % (name, mode, len(writes), nbytes))


def check_mkdir(spool, lines):
    """Folders made during the run: each mkdir under SPOOL must be followed
    by an fsync of its parent, or a power cut can lose the folder and the
    "sent" envelope in it."""
    spool = os.path.normpath(spool)
    calls = parse(lines)
    made = []
    for i, (name, args, ret, n) in enumerate(calls):
        if name in ('mkdir', 'mkdirat') and ret == 0:
            path = (resolve('AT_FDCWD', unquote(args[0])) if name == 'mkdir'
                    else resolve(args[0], unquote(args[1])))
            if path == spool or path.startswith(spool + '/'):
                made.append((i, path))
    for i, path in made:
        parent = os.path.dirname(path)
        synced = any(c[0] in ('fsync', 'fdatasync') and c[2] == 0 and c[1] and
                     fdpath(c[1][0])[1] is not None and
                     os.path.normpath(fdpath(c[1][0])[1]) == parent
                     for c in calls[i + 1:])
        if not synced:
            return False, 'mkdir %s: its parent %s is never fsynced afterwards' % (path, parent)
    return True, '%d folder(s) created, each parent fsynced' % len(made)


def main():
    if sys.argv[1] == '--mkdir':
        ok, why = check_mkdir(sys.argv[2], open(sys.argv[3], errors='replace').readlines())
        print(('ok: ' if ok else 'FAIL: ') + why)
        return 0 if ok else 1
    spool, log = sys.argv[1], sys.argv[2]
    with open(log, encoding='utf-8', errors='replace') as f:
        lines = f.readlines()
    ok, steps, why = check(spool, lines)
    print(('ok: ' if ok else 'FAIL: ') + why)
    if not ok:
        return 1
    if '--self-test' in sys.argv:
        def drop(j):
            return lines[:j] + lines[j + 1:]
        o, tm, fs, rn, ds = (steps['open'], steps['time'], steps['fsync'], steps['rename'],
                             steps['dirsync'])
        mutants = {
            'no O_EXCL': lines[:o] + [lines[o].replace('|O_EXCL', '').replace('O_EXCL|', '')] + lines[o + 1:],
            'no fsync of the file': drop(fs),
            'no coarse time': drop(tm),
            'time set after the fsync': lines[:tm] + lines[tm + 1:fs + 1] + [lines[tm]] + lines[fs + 1:],
            'no rename': drop(rn),
            'no fsync of new/': drop(ds),
            'fsync after rename': lines[:fs] + lines[fs + 1:rn + 1] + [lines[fs]] + lines[rn + 1:],
            'directory fsync before rename': lines[:rn] + [lines[ds]] + lines[rn:ds] + lines[ds + 1:],
        }
        accepted = [m for m, ls in mutants.items() if check(spool, ls)[0]]
        if accepted:
            print('FAIL: self-test: the checker accepted: %s' % ', '.join(accepted))
            return 1
        print('ok: self-test: the checker rejects every mutated log (%s)' % ', '.join(mutants))
    return 0


if __name__ == '__main__':
    sys.exit(main())
