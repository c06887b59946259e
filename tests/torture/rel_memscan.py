#!/usr/bin/env python3
"""Search a live process's memory for a marker (SPEC §2.2 residue test).

usage: rel_memscan.py PID MARKER

Reads every mapping listed in /proc/PID/maps through /proc/PID/mem (root
reads PROT_NONE guard and sodium_mprotect'd pages too) and looks for the
ASCII marker as bytes laid out with any stride from 1 to 64: stride 1 is
UTF-8/ASCII, 2 is UTF-16, 4 is wchar_t/UTF-32 or chtype, 28 is ncursesw's
cchar_t, and so on, so copies in curses cell arrays, key FIFOs (int) and
wide strings are found as well as plain strings. Prints one line per hit
(mapping, offset, stride) and exits 0 if found, 1 if not, 2 on error.
"""
import re
import sys


def regions(pid):
    with open('/proc/%d/maps' % pid) as f:
        for line in f:
            parts = line.split()
            lo, hi = (int(x, 16) for x in parts[0].split('-'))
            name = parts[5] if len(parts) > 5 else '[anon]'
            if name in ('[vvar]', '[vsyscall]', '[vvar_vclock]'):
                continue
            yield lo, hi, parts[1], name


def main():
    pid, marker = int(sys.argv[1]), sys.argv[2].encode('ascii')
    pats = []
    for stride in range(1, 65):
        gap = b'.{%d}' % (stride - 1) if stride > 1 else b''
        pats.append((stride, re.compile(gap.join(re.escape(bytes([c])) for c in marker), re.S)))
    found = 0
    scanned = 0
    try:
        mem = open('/proc/%d/mem' % pid, 'rb', 0)
    except OSError as e:
        print('cannot open memory of %d: %s' % (pid, e))
        return 2
    with mem:
        for lo, hi, perms, name in regions(pid):
            buf = bytearray()
            pos = lo
            while pos < hi:
                n = min(hi - pos, 1 << 20)
                try:
                    mem.seek(pos)
                    chunk = mem.read(n)
                except (OSError, ValueError, OverflowError):
                    chunk = None
                buf += chunk if chunk else b'\0' * n
                pos += n
            scanned += len(buf)
            for stride, p in pats:
                for m in p.finditer(buf):
                    found += 1
                    if found <= 20:
                        print('found at %#x (%s %s +%#x), stride %d'
                              % (lo + m.start(), perms, name, m.start(), stride))
    print('scanned %d KiB of pid %d: %d hits' % (scanned // 1024, pid, found))
    return 0 if found else 1


if __name__ == '__main__':
    sys.exit(main())
