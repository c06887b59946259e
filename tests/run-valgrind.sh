#!/bin/sh
# Memory safety (issue 7, suite 8): run the programs in $1 under valgrind
# (memcheck, definite leaks are errors) on a throw-away world: keygen,
# kiosk --enroll / --check / --send-test, then list, show, stats, verify
# and verify on a tampered envelope. One line per run; exit 0 when every
# run is clean, 1 when any is not, 77 when valgrind or a program is missing.
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "$build" 2>/dev/null && pwd) || { echo "valgrind: no build dir $build"; exit 77; }
SH=$B/safeharbor
KIOSK=$B/safeharbor-kiosk
command -v valgrind >/dev/null || { echo "skipped: valgrind not installed"; exit 77; }
[ -x "$SH" ] && [ -x "$KIOSK" ] || { echo "skipped: $SH or $KIOSK not built"; exit 77; }
T=$(mktemp -d /tmp/sh-vg.XXXXXX)
trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config SAFEHARBOR_SCRYPT_LOGN=10
mkdir -p "$HOME" "$T/spool/tmp" "$T/spool/new" "$T/spool/cur"
pass=0 fail=0
VG="valgrind -q --leak-check=full --error-exitcode=99 --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no"
# vg NAME WANT_EXIT CMD...: clean under valgrind and the expected exit code.
vg() {
	name=$1 want=$2; shift 2
	$VG --log-file="$T/vg.$name.log" "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
	rc=$?
	if [ "$rc" = "$want" ] && ! grep -q '^==[0-9]*== [A-Z]' "$T/vg.$name.log"; then
		pass=$((pass + 1)); echo "ok   valgrind $name"
	else
		fail=$((fail + 1)); echo "FAIL valgrind $name (exit $rc, want $want)"
		sed 's/^/    /' "$T/vg.$name.log" | head -n 40
		sed 's/^/    err: /' "$T/$name.err" | head -n 5
	fi
}
# Positive control: the harness must catch an invalid read and a leak.
CTL=$B/tests/tools/rel_vgcontrol
if [ -x "$CTL" ]; then
	vg control-clean 0 "$CTL"
	$VG --log-file="$T/vg.ctl.log" "$CTL" bad >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 99 ] && grep -q 'Invalid read' "$T/vg.ctl.log" && grep -q 'definitely lost' "$T/vg.ctl.log"; then
		pass=$((pass + 1)); echo "ok   valgrind control: an invalid read and a leak are caught"
	else
		fail=$((fail + 1)); echo "FAIL valgrind control: a planted error was not caught (exit $rc)"
	fi
fi
printf 'correct horse battery staple\n' >"$T/pass"
vg keygen 0 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass"
cp "$T/keygen.out" "$T/recipients.txt"
. "$top/tests/kiosk_conf.sh"
kiosk_conf_write "$T/kiosk.conf" "$T" "$top/screens" 90
vg enroll 0 "$KIOSK" -c "$T/kiosk.conf" --enroll
vg check 0 "$KIOSK" -c "$T/kiosk.conf" --check
vg send-test 0 "$KIOSK" -c "$T/kiosk.conf" --send-test
vg kiosk-usage 2 "$KIOSK" -c "$T/kiosk.conf" --this-option-does-not-exist
W="--spool $T/spool -i $T/id.age --passphrase-file $T/pass"
"$SH" kiosks add main "$(cat "$T/enroll.out")" $W >/dev/null 2>&1
vg list 0 "$SH" list $W
vg list-json 0 "$SH" list --json $W
id=$(python3 -c 'import json,sys,re; t=open(sys.argv[1]).read(); print(re.findall(r"[0-9a-f]{32}", t)[0])' "$T/list-json.out" 2>/dev/null)
vg show 0 "$SH" show "${id:-0}" $W
grep -q 'About' "$T/show.out" || { fail=$((fail + 1)); echo "FAIL show printed no record"; }
vg stats 0 "$SH" stats $W
vg list-grep 0 "$SH" list --grep 'TÉST' --open --since 2020-01-01 $W
vg list-bad-date 2 "$SH" list --until 2026-02-30 $W
vg verify 0 "$SH" verify $W
vg init 0 "$SH" init --spool "$T/spool2"
vg rekey 0 "$SH" rekey -R "$T/recipients.txt" $W
f=$(ls "$T"/spool/new/* "$T"/spool/cur/* 2>/dev/null | head -n 1)
[ -n "$f" ] && python3 -c 'import sys; p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[-100]^=1; open(p,"wb").write(d)' "$f"
vg verify-tampered 1 "$SH" verify $W
echo wrong >"$T/wrong"
vg wrong-passphrase 1 "$SH" list --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/wrong"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
