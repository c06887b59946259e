#!/bin/sh
# make static: both programs link fully statically (static-pie) against
# Debian's .a libraries, need no shared library, and the static kiosk runs
# --help, --enroll, --check and --send-test (an envelope stock age opens).
# Terminfo is still read at run time: a terminal type that exists only in a
# bundled directory works through TERMINFO, the fallback DEPLOY.md gives.
. "$(dirname "$0")/lib.sh"

[ -x "$KIOSK" ] && [ -x "$SH" ] || skip "binaries not built in $BUILD"
for a in libsodium.a libncursesw.a libtinfo.a libinih.a libseccomp.a; do
	[ -n "$(find /usr/lib /usr/lib64 -name "$a" 2>/dev/null | head -n 1)" ] ||
		skip "$a not installed: no static build possible (see DEPLOY.md §13)"
done
command -v age-keygen >/dev/null || skip "age not installed"

SB=$TOP/build-static
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP" static >"$T/make.out" 2>&1 || { tail -n 30 "$T/make.out" >&2; fail "make static"; }
K=$SB/safeharbor-kiosk
for b in "$K" "$SB/safeharbor"; do
	[ -x "$b" ] || fail "$b not built"
	readelf -l "$b" | grep -q 'INTERP' && fail "${b##*/} asks for a dynamic loader"
	readelf -d "$b" 2>/dev/null | grep -q 'NEEDED' && fail "${b##*/} needs shared libraries"
	"$b" --help >"$T/help" 2>&1 || fail "${b##*/} --help"
	[ -s "$T/help" ] || fail "${b##*/} --help printed nothing"
done
note "static-pie, no NEEDED entries; --help runs"

age-keygen -o "$T/id.txt" 2>/dev/null
age-keygen -y "$T/id.txt" >"$T/recipients.txt"
mkdir -p "$T/spool/tmp" "$T/spool/new" "$T/spool/cur"
cat >"$T/kiosk.conf" <<EOC
[kiosk]
spool = $T/spool
recipients = $T/recipients.txt
signing_key = $T/kiosk.key
screens = $TOP/screens
languages = en es
EOC
"$K" -c "$T/kiosk.conf" --enroll >"$T/pub" 2>"$T/err" || { cat "$T/err" >&2; fail "static --enroll"; }
expect_grep '^shkiosk1' "$T/pub"
"$K" -c "$T/kiosk.conf" --check >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "static --check"; }
"$K" -c "$T/kiosk.conf" --send-test >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "static --send-test"; }
f=$(ls "$T/spool/new")
[ -n "$f" ] || fail "no envelope delivered"
age -d -i "$T/id.txt" "$T/spool/new/$f" | tr -d '\000' >"$T/rec" || fail "age -d"
expect_grep '^About: test$' "$T/rec"
note "static --enroll, --check, --send-test ok; stock age opens the envelope"

# TERMINFO fallback: a type only the bundled directory has.
if command -v tmux >/dev/null && command -v tic >/dev/null && command -v infocmp >/dev/null; then
	infocmp linux | sed '/^linux|/s/^linux|/shbundled|/' >"$T/ti.src"
	tic -x -o "$T/terminfo" "$T/ti.src" 2>/dev/null || fail "tic"
	sock=sh-static-$$
	stop_tmux() {
		tmux -L "$sock" kill-server 2>/dev/null
		sleep 0.2
		[ -z "${kp:-}" ] || kill -9 "$kp" 2>/dev/null
		sleep 0.1
	}
	SH_CLEANUPS="stop_tmux $SH_CLEANUPS"
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"TERM=shbundled TERMINFO=$T/terminfo LANG=C.UTF-8 $K -c $T/kiosk.conf 2>$T/kerr; echo EXITED >$T/exited; sleep 30"
	i=0
	while [ $i -lt 300 ]; do
		tmux -L "$sock" capture-pane -p >"$T/screen" 2>/dev/null
		grep -q '[1]' "$T/screen" && break
		sleep 0.1; i=$((i + 1))
	done
	kp=$(pgrep -f "^$K -c $T/kiosk.conf" | head -n 1)
	[ ! -e "$T/exited" ] || { cat "$T/kerr" >&2; fail "static kiosk exited with TERMINFO bundle"; }
	grep -q '\[1\]' "$T/screen" || { cat "$T/screen" "$T/kerr" >&2; fail "no Welcome screen"; }
	note "static kiosk draws Welcome with TERM from a bundled TERMINFO directory"
else
	note "tmux/tic not installed: TERMINFO fallback not exercised"
fi
note "static build ok"
