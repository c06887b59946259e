#!/bin/sh
# The passphrase prompt turns echo off before it shows, so an answer typed
# the instant the prompt appears is never echoed nor flushed away: checked
# in the system-call order (strace: the TCSETSF ioctl comes before the
# prompt's write), then by answering 20 prompts through a pty at once.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
export LANG=C.UTF-8
printf 'quick brown fox 42\n' >"$T/pass"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" >"$T/r" || fail keygen

# answer.py CMD...: run CMD on a pty, answer its passphrase prompt at once;
# fails if the answer is echoed or never taken.
cat >"$T/answer.py" <<'PY'
import os, pty, select, sys, time
secret = b"quick brown fox 42"
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out, sent, deadline = b"", False, time.time() + 20
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if not r:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not sent and b"Passphrase" in out:
        os.write(fd, secret + b"\n")
        sent = True
else:
    os.kill(pid, 9)
    sys.exit("no answer within 20 s (answer lost?): %r" % out)
_, status = os.waitpid(pid, 0)
if secret in out:
    sys.exit("passphrase echoed: %r" % out)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
PY

if command -v strace >/dev/null; then
	python3 "$T/answer.py" strace -o "$T/trace" -e trace=ioctl,write "$SH" pubkey -i "$T/id.age" >"$T/out" ||
		{ cat "$T/out"; fail "pubkey under strace"; }
	grep 'TCSETSF\|write(.*Passphrase' "$T/trace" >"$T/order"
	case $(head -n 1 "$T/order") in
	*TCSETSF*) ;;
	*) cat "$T/order" >&2; fail "the prompt is written before echo is turned off" ;;
	esac
	expect_grep 'write(.*Passphrase' "$T/order"
else
	note "strace not installed: order not checked"
fi

i=0
while [ $i -lt 20 ]; do
	python3 "$T/answer.py" "$SH" pubkey -i "$T/id.age" >"$T/out" || fail "try $i"
	expect_grep "$(cat "$T/r")" "$T/out"
	i=$((i + 1))
done
echo "prompt: echo off before the prompt; 20 instant answers taken, none echoed"
