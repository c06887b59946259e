# Used by t_kiosk_hangup.sh and t_qa_kiosk_hangup.sh: run the kiosk on a
# fresh pty (not its controlling terminal, so closing the master sends no
# SIGHUP, as when a terminal emulator dies under a detached process), type
# KEYS (a Python list of bytes) with WAIT seconds of output drained after
# each, close the master, and require the kiosk to exit within 10 s.
# With STRACE_LOG, the kiosk runs under strace -e trace=read into it.
#   python3 kiosk_hangup.py KIOSK CONF KEYS WAIT [STRACE_LOG]
# Prints "exit N after S s"; exit status 1 if it kept running or, with
# strace, exited non-zero.
import ast, fcntl, os, pty, select, struct, subprocess, sys, termios, time

kiosk, conf, keys, wait = sys.argv[1], sys.argv[2], ast.literal_eval(sys.argv[3]), float(sys.argv[4])
log = sys.argv[5] if len(sys.argv) > 5 else None
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
env = dict(os.environ, TERM='xterm', LANG='C.UTF-8')
cmd = [kiosk, '-c', conf]
if log:
    cmd = ['strace', '-f', '-qq', '-o', log, '-e', 'trace=read'] + cmd
p = subprocess.Popen(cmd, stdin=s, stdout=s, stderr=subprocess.DEVNULL, env=env)
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


drain(2.0 if log else 1.5)
for k in keys:
    os.write(m, k)
    if wait > 0:
        drain(wait)
os.close(m)
t0 = time.time()
while time.time() - t0 < 10 and p.poll() is None:
    time.sleep(0.05)
if p.poll() is None:
    try:
        ticks = open('/proc/%d/stat' % p.pid).read().split()[13]
    except OSError:
        ticks = '?'
    p.kill()
    p.wait()
    print('still running 10 s after the terminal went away (utime %s ticks)' % ticks)
    sys.exit(1)
print('exit %d after %.2f s' % (p.returncode, time.time() - t0))
sys.exit(1 if log and p.returncode != 0 else 0)
