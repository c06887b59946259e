#!/bin/sh
# Idle timeout from every screen, in parallel kiosks to keep it short: after
# idle_seconds a countdown of at least 20 s shows, any key cancels it (and
# keeps the answers), and when it runs out the kiosk is back at Welcome with
# the typed marker gone from the screen and from memory. While the
# countdown shows, nothing of the answers is on screen. (Sent: t_kiosk_sent.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
MARK=Tq$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')Mk
kiosk_conf idle idle_seconds=10
mkdir -p "$T/spool2"
kiosk_conf idle2 idle_seconds=10 spool="$T/spool2"

screens="about info danger help reach message review admin notsent cancel"
for s in $screens; do
	if [ $s = notsent ]; then kiosk_start $s 80 24 "$T/idle2.conf"; else kiosk_start $s 80 24 "$T/idle.conf"; fi
done
rm -rf "$T/spool2"

to_message() {
	press $1 1 "Who is this about?"; press $1 1 "In danger right now?"; press $1 2 "How can we find you?"
	type_text $1 "N$MARK"; expect_text $1 "N$MARK"
	keys $1 Enter; keys $1 Enter; keys $1 Enter; keys $1 Enter
	press $1 Enter "Anything else?"
	type_text $1 "M$MARK"; expect_text $1 "M$MARK"
}
press about 1 "Who is this about?"
press info 1 "Who is this about?"; press info 3 "Questions are welcome"
press danger 1 "Who is this about?"; press danger 2 "In danger right now?"
press help 1 "Who is this about?"; press help 1 "In danger right now?"; press help 1 "Get help now"
press reach 1 "Who is this about?"; press reach 1 "In danger right now?"; press reach 2 "How can we find you?"
type_text reach "N$MARK"; expect_text reach "N$MARK"
to_message message
to_message review; keys review Tab; press review Enter "Check before you send"
keys admin F12; expect_text admin "Staff only"; type_text admin "1234"
to_message notsent; keys notsent Tab; press notsent Enter "Check before you send"; press notsent 1 "NOT sent"
to_message cancel

note "the countdown shows on every screen"
for s in $screens; do
	expect_text $s "Are you still there?" 15
done
pane about | grep -qE "(^| )(20|19|18) seconds" || { pane about >&2; fail "countdown does not start at 20 s"; }

note "the countdown hides everything but itself and how to keep going"
for s in reach message review; do
	pane $s | grep -qF "$MARK" && { pane $s >&2; fail "$s: answers readable beside the countdown"; }
	expect_text $s "Press any key to keep going."
	pane $s | grep -qE "Leave now|Your name|Check before" && { pane $s >&2; fail "$s: more than the countdown shows"; }
done

note "any key cancels it and keeps the answers"
keys cancel Right
wait_text cancel "Anything else?" || fail "cancel: left the message"
sleep 0.3
expect_no_text cancel "Are you still there?"
expect_text cancel "M$MARK"

note "when it runs out: Welcome, nothing left"
for s in $screens; do
	[ $s = cancel ] && continue
	expect_text $s "Talk to someone" 25
	expect_no_text $s "Are you still there?"
	pane_all $s | grep -qF "$MARK" && fail "$s: marker still on screen"
	pid=$(kiosk_pid $s)
	if mem_has "$pid" "$MARK"; then fail "$s: marker still in memory after the timeout"; fi
	note "$s: timed out clean"
done
if grep -rlaF -D skip "$MARK" "$T/spool" "$T/spool2" /tmp /var/tmp /dev/shm 2>/dev/null; then
	fail "marker found on disk"
fi
echo ok
