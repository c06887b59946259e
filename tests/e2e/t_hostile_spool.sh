#!/bin/sh
# The attacker of SPEC §2.8: someone who can write into the spool (a stolen
# kiosk, a share, a sync peer) with only what a user has, against the real
# binaries. Each part plays one class of issue 11 and checks the property,
# not a stand-in:
#   1 trust shown comes from the bytes shown (a file swapped after the
#     inbox listed it is refused, never shown under the first one's kiosk)
#   2 a planted same-named file never replaces a request already read
#   3 links out of the spool are never followed (clean-tmp, show, mark)
#   4 no control byte from a name reaches the terminal
#   5 stats counts only trusted records
#   6 an interrupted export leaves no plaintext
#   7 Created says only the hour
#   8 Syncthing conflict copies are listed, not hidden
#   9 memory locking: the tool and the kiosk say when they cannot
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

# forge KEY SPOOLDIR ARGS: a record into another spool (prints "ID FILE")
forge() {
	k=$1 d=$2; shift 2
	mkdir -p "$d/tmp" "$d/new" "$d/cur"
	"$MR" -k "$T/$k.key" -R "$T/recipients.txt" -s "$d" "$@" || fail "make_record $*"
}
cur_of() { ls "$T/spool/cur" | grep "^$1" ; }
# part N TEXT: run part N unless SH_HOSTILE_PARTS (e.g. "2 5") leaves it out
part() {
	case " ${SH_HOSTILE_PARTS:-1 2 3 4 5 6 7 8 9} " in
	*" $1 "*) note "$2"; return 0 ;;
	esac
	return 1
}

if part 1 "1: a file swapped after the inbox listed it is refused, never shown as the first"; then
if command -v tmux >/dev/null 2>&1; then
	now=$(date +%s)
	G1=$(mkrec k1 --about self --danger yes --time $((now - 60)) --field Name=Genuine-One)
	G2=$(mkrec k1 --about friend --danger no --time $((now - 7200)) --field Friend-Name=Genuine-Two)
	X=$(forge k2 "$T/evil" --about self --danger yes --field Name=FORGED-NAME)
	. "$(dirname "$0")/tmux_lib.sh"
	tm new-session -d -s main -x 110 -y 30 \
		"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass inbox; sleep 60"
	wait_for "2 requests"
	wait_for "Genuine-One"
	# the second request is listed (library-1, enrolled); now swap its file
	cp "$T/evil/new/${X#* }" "$T/spool/new/${G2#* }.swap"
	mv "$T/spool/new/${G2#* }.swap" "$T/spool/new/${G2#* }"
	tm send-keys -t main j
	sleep 0.5
	wait_for "changed since listed"
	expect_nogrep "FORGED-NAME" "$T/screen"
	tm send-keys -t main q
	sleep 0.3
	tm_cleanup
	# the file stays as the attacker left it (nothing moved or deleted) and
	# a fresh listing shows it for what it is
	[ -f "$T/spool/new/${G2#* }" ] || fail "swapped file moved"
	expect_rc 0 shx list
	expect_grep "not from an enrolled kiosk" "$T/out"
	rm -f "$T/spool/new/${G2#* }" "$T/spool/new/${G1#* }" "$T/spool/cur/${G1#* }"*
else
	note "tmux not installed: part 1 skipped"
fi

fi
if part 2 "2: a planted same-named file never replaces a request already read"; then
G=$(mkrec k1 --about self --danger no --field Name=Read-Already)
expect_rc 0 shx show "${G% *}"
C=$(cur_of "${G#* }")
[ -n "$C" ] || fail "show did not move the request to cur/"
cp "$T/spool/cur/$C" "$T/genuine.copy"
X=$(forge k2 "$T/evil2" --about info --danger no)
cp "$T/evil2/new/${X#* }" "$T/spool/new/${G#* }"
"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" show "${X% *}" >"$T/out" 2>"$T/err"
cmp -s "$T/spool/cur/$C" "$T/genuine.copy" || fail "showing the planted file replaced the request already read"
expect_grep "cannot mark as seen" "$T/err"
"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" mark "${X% *}" handled >"$T/out" 2>&1
cmp -s "$T/spool/cur/$C" "$T/genuine.copy" || fail "mark replaced the request already read"
[ "$(ls "$T/spool/new" "$T/spool/cur" | grep -c "^${G#* }")" -ge 2 ] || fail "a file was lost"
expect_rc 0 shx list
expect_grep "name clash" "$T/out"
expect_rc 1 shx verify
expect_grep "name clash" "$T/out"
rm -f "$T/spool/new/"* "$T/spool/cur/"*

fi
if part 3 "3: links out of the spool are never followed"; then
mkdir -p "$T/victim" "$T/outside"
stale=0123456789abcdef0123456789abcdef.age
printf 'the social worker own file\n' >"$T/victim/$stale"
touch -d '3 hours ago' "$T/victim/$stale"
mv "$T/spool/tmp" "$T/spool/tmp.real"
ln -s "$T/victim" "$T/spool/tmp"
expect_rc 1 shx verify --clean-tmp
expect_grep "tmp/ is a symbolic link" "$T/err"
[ -f "$T/victim/$stale" ] || fail "verify --clean-tmp deleted a file outside the spool"
rm "$T/spool/tmp"; mv "$T/spool/tmp.real" "$T/spool/tmp"
G=$(mkrec k1 --about self --danger no)
rmdir "$T/spool/cur"
ln -s "$T/outside" "$T/spool/cur"
expect_rc 1 shx show "${G% *}"
expect_grep "cur/ is a symbolic link" "$T/err"
expect_rc 1 shx mark "${G% *}" handled
[ -z "$(ls "$T/outside")" ] || fail "an envelope was moved out of the spool"
[ -f "$T/spool/new/${G#* }" ] || fail "the envelope left new/"
rm "$T/spool/cur"; mkdir "$T/spool/cur"
ln -s "$T/spool" "$T/spool-link"
expect_rc 1 "$SH" --spool "$T/spool-link" -i "$T/id.age" --passphrase-file "$T/pass" list
expect_grep "the spool is a symbolic link" "$T/err"
rm -f "$T/spool/new/"*

fi
if part 4 "4: no control byte from a name reaches the terminal"; then
esc=$(printf '\033')
bad=$(printf 'x\033]0;owned\007\033[2J\nverify: 0 envelopes checked, 0 problems')
printf 'junk' >"$T/spool/tmp/$bad"
touch -d '3 hours ago' "$T/spool/tmp/$bad"
printf 'junk' >"$T/spool/tmp/$(printf 'y\342\200\256gpj.age')"
touch -d '3 hours ago' "$T/spool/tmp/$(printf 'y\342\200\256gpj.age')"
for args in "verify" "verify --clean-tmp"; do
	shx $args >"$T/out" 2>&1
	if grep -q "$esc" "$T/out" || grep -q "$(printf '\342\200\256')" "$T/out"; then
		fail "$args: a control byte from a file name reached the output"
	fi
	[ "$(grep -c '^verify: ' "$T/out")" = 1 ] || { cat "$T/out"; fail "$args: a fake summary line"; }
	expect_grep 'tmp/x\\x1b]0;owned\\x07\\x1b\[2J\\x0averify' "$T/out"
	expect_grep 'y\\u202egpj.age' "$T/out"
done
[ -e "$T/spool/tmp/$bad" ] || fail "--clean-tmp removed a name a kiosk never writes"
rm -f "$T/spool/tmp/"*

fi
if part 5 "5: stats counts only trusted records"; then
mkrec k1 --about self --danger yes --time 1788000000 >/dev/null
mkrec k1 --about friend --danger no --time 1788000000 >/dev/null
for i in 1 2 3; do mkrec k2 --about self --danger yes --time 1788000000 >/dev/null; done
mkrec k1 --about self --danger yes --time 1788000000 --bad-signature >/dev/null
expect_rc 0 shx stats
cat "$T/out"
expect_grep "^Requests: *2$" "$T/out"
expect_grep "^Urgent (danger now): *1$" "$T/out"
expect_grep "^Not from an enrolled kiosk: 4 " "$T/out"
expect_grep "^  2026-08 *2 *1 *1 *0 *0 *1$" "$T/out"
expect_rc 0 shx stats --json
python3 - "$T/out" <<'PY' || fail "stats --json counts forgeries"
import json, sys
s = json.load(open(sys.argv[1]))
assert (s["total"], s["urgent"], s["self"], s["untrusted"]) == (2, 1, 1, 4), s
assert [m["total"] for m in s["months"]] == [2], s["months"]
PY

fi
if part 6 "6: an interrupted export leaves no plaintext"; then
"$MR" -k "$T/k1.key" -R "$T/recipients.txt" -s "$T/spool" -n 600 --fast >/dev/null || fail "bulk records"
mkdir -p "$T/exp"
for sig in TERM INT; do
	python3 - "$SH" "$T" "$sig" <<'PY' || fail "export under SIG$sig"
import os, signal, subprocess, sys, time
sh, t, sig = sys.argv[1:4]
out = os.path.join(t, "exp", "out.json")
p = subprocess.Popen([sh, "--spool", t + "/spool", "-i", t + "/id.age", "--passphrase-file",
                      t + "/pass", "export", "--json", "-o", out],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# wait until the export is writing (a file open in the output folder, named
# or not), then interrupt it
deadline = time.time() + 30
writing = False
while time.time() < deadline and p.poll() is None:
    try:
        for fd in os.listdir("/proc/%d/fd" % p.pid):
            if os.readlink("/proc/%d/fd/%s" % (p.pid, fd)).startswith(os.path.join(t, "exp") + "/"):
                writing = True
    except OSError:
        pass
    if writing:
        break
    time.sleep(0.0005)
if not writing:
    p.kill(); p.wait()
    sys.exit("never saw the export writing (finished too fast?)")
p.send_signal(getattr(signal, "SIG" + sig))
rc = p.wait()
left = os.listdir(os.path.join(t, "exp"))
if left:
    sys.exit("SIG%s left %s (exit %d)" % (sig, left, rc))
PY
done
rm -f "$T/spool/new/"*

fi
if part 7 "7: Created says only the hour"; then
G=$(mkrec k1 --about self --danger no --time 1788003437)
expect_rc 0 shx show --json "${G% *}"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["created"]; assert c.endswith(":00Z"), c' \
	"$T/out" || fail "Created finer than the hour"
rm -f "$T/spool/new/"* "$T/spool/cur/"*

fi
if part 8 "8: a Syncthing conflict copy is listed, not hidden"; then
G=$(mkrec k1 --about self --danger no)
X=$(forge k2 "$T/evil3" --about self --danger yes)
base=${G#* }
cp "$T/evil3/new/${X#* }" "$T/spool/new/${base%.age}.sync-conflict-20261203-101010-ABCDEFG.age"
expect_rc 0 shx list
expect_grep "Syncthing conflict copy" "$T/out"
expect_grep "not from an enrolled kiosk" "$T/out"
expect_rc 1 shx verify
expect_grep "sync-conflict-20261203-101010-ABCDEFG.age: Syncthing conflict copy" "$T/out"
rm -f "$T/spool/new/"*

fi
if part 9 "9: the tool and the kiosk say when memory cannot be locked"; then
if command -v setpriv >/dev/null 2>&1; then
	nolock() { (ulimit -l 64 && setpriv --bounding-set=-ipc_lock --inh-caps=-ipc_lock "$@"); }
	nolock "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" verify >"$T/out" 2>&1
	expect_grep "note: memory not locked: the memory lock limit" "$T/out"
	(ulimit -l unlimited 2>/dev/null) && {
		(ulimit -l unlimited && "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" verify) \
			>"$T/out" 2>&1
		expect_nogrep "memory not locked" "$T/out"
	}
	if [ -x "$KIOSK" ]; then
		write_kiosk_conf "$T/kiosk.conf"
		"$KIOSK" -c "$T/kiosk.conf" --enroll >/dev/null || fail "kiosk --enroll"
		nolock "$KIOSK" -c "$T/kiosk.conf" --check >"$T/out" 2>&1
		expect_grep "warning: the kiosk cannot lock its memory" "$T/out"
	fi
else
	note "setpriv not installed: part 9 skipped"
fi
fi
exit 0
