#!/bin/sh
# When the kiosk's terminal goes away it must end, not spin: the pty master
# is closed with the kiosk not in that terminal's session (so no SIGHUP is
# delivered, as when a terminal emulator dies under a detached process),
# in several states: idle, typing a name, just after a quick exit (the
# scrub reads pending input), and with a key still unread. The kiosk must
# exit within 10 s. (QA: a kiosk was seen spinning at
# 100% CPU inside ncurses' get_wch after its pty was deleted.)
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
[ -x "$KIOSK" ] || skip "safeharbor-kiosk not built"
make_world

cat >"$T/hangup.py" <<'PY'
import os, pty, select, subprocess, sys, time, fcntl, termios, struct
kiosk, conf, keys, wait = sys.argv[1], sys.argv[2], eval(sys.argv[3]), float(sys.argv[4])
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
env = dict(os.environ, TERM='xterm', LANG='C.UTF-8')
p = subprocess.Popen([kiosk, '-c', conf], stdin=s, stdout=s, stderr=subprocess.DEVNULL, env=env)
os.close(s)
def drain(t):
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([m], [], [], 0.05)
        if r:
            try:
                os.read(m, 65536)
            except OSError:
                return
drain(1.5)
for k in keys:
    os.write(m, k)
    if wait > 0:
        drain(wait)
os.close(m)
t0 = time.time()
while time.time() - t0 < 10:
    if p.poll() is not None:
        break
    time.sleep(0.05)
if p.poll() is None:
    st = open('/proc/%d/stat' % p.pid).read().split()
    p.kill()
    p.wait()
    print('still running 10 s after the terminal went away (utime %s ticks)' % st[13])
    sys.exit(1)
print('exit %d after %.2f s' % (p.returncode, time.time() - t0))
PY

for case in "[] 0" "[b'1',b'1',b'2',b'Ana'] 0.2" "[b'1',b'1',b'2',b'Ana',b'\x1b'] 0" \
	"[b'1',b'1',b'2',b'Ana',b'\x1b'] 0.2" "[b'1',b'\xe6\x97'] 0" "[b'\x1b[1;5'] 0"; do
	keys=${case% *} wait=${case##* }
	python3 "$T/hangup.py" "$KIOSK" "$T/kiosk.conf" "$keys" "$wait" >"$T/out" 2>&1 ||
		{ cat "$T/out" >&2; fail "keys $keys: kiosk did not end when its terminal went away"; }
	note "keys $keys: $(cat "$T/out")"
done
exit 0
