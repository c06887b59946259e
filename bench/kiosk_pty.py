"""The kiosk on a pseudo-terminal (80x24), for the bench scripts that time
it from outside (b_kiosk.sh, b_replies.sh): start it, read until a text is
drawn, stop it."""
import fcntl, os, pty, select, signal, struct, termios, time

def spawn(kiosk, conf):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(kiosk, [kiosk, '-c', conf])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    return pid, fd

def read_until(fd, needle, timeout=5.0):
    buf, end = b'', time.monotonic() + timeout
    while needle not in buf:
        r, _, _ = select.select([fd], [], [], max(0, end - time.monotonic()))
        if not r:
            raise SystemExit(f'   timeout waiting for {needle!r}')
        buf += os.read(fd, 65536)
    return buf

def drain(fd, wait=0.02):
    while select.select([fd], [], [], wait)[0]:
        os.read(fd, 65536)

def stop(pid, fd):
    os.kill(pid, signal.SIGTERM)
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
