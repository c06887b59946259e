#!/bin/sh
# A terminal that goes away without a SIGHUP must end the kiosk at once,
# not after a burst of failed reads: the main loop polls the terminal each
# turn (POLLHUP/POLLERR/POLLNVAL). Counted with strace: after the pty
# master is closed, the kiosk may read its dead terminal only a few times
# before it exits 0 (it spun through hundreds of reads before; QA saw a
# kiosk spin at 100% CPU). t_qa_kiosk_hangup.sh covers more states.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
command -v strace >/dev/null 2>&1 || skip "strace not installed"
[ -x "$KIOSK" ] || skip "safeharbor-kiosk not built"
strace -qq -o /dev/null true 2>/dev/null || skip "strace cannot trace here (no ptrace)"
make_world

for case in "[]" "[b'1',b'1',b'2',b'Ana']"; do
	python3 "$TOP/tests/e2e/kiosk_hangup.py" "$KIOSK" "$T/kiosk.conf" "$case" 0.3 "$T/strace" \
		>"$T/out" 2>&1 ||
		{ cat "$T/out" >&2; fail "keys $case: the kiosk did not end cleanly when its terminal went away"; }
	n=$(grep -cE '^[0-9]+ +read\(0, .*= (0|-1 E[A-Z]+)' "$T/strace")
	note "keys $case: $(cat "$T/out"), $n failed reads of the dead terminal"
	# control: where keys were typed, strace must have seen the kiosk read
	# them, or a count of 0 failed reads would prove nothing (0 failed reads
	# of the dead terminal is the best outcome: poll saw the hang-up first)
	total=$(grep -cE '^[0-9]+ +read\(0,' "$T/strace")
	[ "$case" = "[]" ] || [ "$total" -gt 0 ] ||
		{ tail -5 "$T/strace" >&2; fail "strace saw no read of the terminal: this check proves nothing"; }
	[ "$n" -le 5 ] || fail "keys $case: $n reads of a dead terminal before exiting (a spin)"
done
exit 0
