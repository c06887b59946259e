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


for case in "[] 0" "[b'1',b'1',b'2',b'Ana'] 0.2" "[b'1',b'1',b'2',b'Ana',b'\x1b'] 0" \
	"[b'1',b'1',b'2',b'Ana',b'\x1b'] 0.2" "[b'1',b'\xe6\x97'] 0" "[b'\x1b[1;5'] 0"; do
	keys=${case% *} wait=${case##* }
	python3 "$TOP/tests/e2e/kiosk_hangup.py" "$KIOSK" "$T/kiosk.conf" "$keys" "$wait" >"$T/out" 2>&1 ||
		{ cat "$T/out" >&2; fail "keys $keys: kiosk did not end when its terminal went away"; }
	note "keys $keys: $(cat "$T/out")"
done
exit 0
