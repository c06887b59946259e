#!/bin/sh
# Terminals the kiosk cannot work on (QA): TERM=dumb (no cursor
# addressing) and an entry without F12 (the staff key) are refused before
# curses starts, with a message for IT and exit 2; screen, tmux, xterm and
# linux start. --check only warns about the current TERM (it is often run
# over ssh) and still exits 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
command -v tic >/dev/null 2>&1 || skip "tic not installed"
command -v infocmp >/dev/null 2>&1 || skip "infocmp not installed"

# an xterm without kf12, in a private terminfo directory
infocmp -x xterm >"$T/x.src" 2>/dev/null || skip "no xterm terminfo entry"
sed -i -e 's/^xterm|[^,]*,/xterm-nof12|xterm without F12,/' -e 's/kf12=[^,]*,//' "$T/x.src"
mkdir -p "$T/terminfo"
tic -x -o "$T/terminfo" "$T/x.src" 2>/dev/null || fail "tic"
TERMINFO="$T/terminfo" infocmp xterm-nof12 >/dev/null 2>&1 || fail "the test entry did not compile"
! TERMINFO="$T/terminfo" infocmp xterm-nof12 | grep -q 'kf12=' || fail "the test entry still has kf12"

# refused TERM WHAT: the kiosk on a real pty with TERM set ends at once with exit 2
refused() {
	s=r$(echo "$1" | tr -cd 'a-z0-9')
	rm -f "$T/rc.$s"
	TM new-session -d -s "$s" -x 80 -y 24 \
		"TERM='$1' TERMINFO='$T/terminfo' '$KIOSK' -c '$T/kiosk.conf' 2>'$T/err.$s'; echo \$? >'$T/rc.$s'; sleep 600" \
		|| fail "tmux new-session $s"
	n=0; while [ ! -e "$T/rc.$s" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
	[ -e "$T/rc.$s" ] || { pane $s >&2; fail "TERM=$1: the kiosk started"; }
	expect_eq "TERM=$1 exit status" "$(cat "$T/rc.$s")" 2
	grep -qF "TERM=$1: this terminal cannot run the kiosk: $2" "$T/err.$s" ||
		{ cat "$T/err.$s" >&2; fail "TERM=$1: no clear message"; }
	expect_no_text $s "Talk to someone"
}
refused dumb "it cannot move the cursor"
refused xterm-nof12 "it has no F12 key"
refused no-such-term "no terminfo entry"

note "terminals that work"
for term in screen tmux-256color xterm linux; do
	infocmp "$term" >/dev/null 2>&1 || { note "no $term entry here"; continue; }
	s=ok$(echo "$term" | tr -cd 'a-z0-9')
	TM new-session -d -s "$s" -x 80 -y 24 \
		"TERM=$term '$KIOSK' -c '$T/kiosk.conf' 2>'$T/err.$s'; echo \$? >'$T/rc.$s'; sleep 600" \
		|| fail "tmux new-session $s"
	wait_text "$s" "Talk to someone" || { cat "$T/err.$s" >&2; fail "TERM=$term: the kiosk did not start"; }
done

note "--check warns about the current TERM, and still passes"
TERM=dumb "$KIOSK" -c "$T/kiosk.conf" --check >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; fail "--check failed on TERM=dumb"; }
expect_grep "ok:" "$T/out"
expect_grep "warning: TERM=dumb: the kiosk would not start on this terminal" "$T/err"
TERM=xterm-nof12 TERMINFO="$T/terminfo" "$KIOSK" -c "$T/kiosk.conf" --check >"$T/out" 2>"$T/err" || fail "--check failed"
expect_grep "no F12 key" "$T/err"
TERM=xterm "$KIOSK" -c "$T/kiosk.conf" --check >"$T/out" 2>"$T/err" || fail "--check failed on xterm"
expect_nogrep "TERM=" "$T/err"
echo ok
