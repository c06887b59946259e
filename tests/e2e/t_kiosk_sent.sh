#!/bin/sh
# Sent stays long enough to read (WCAG 2.2.1, issue 13): sent_seconds
# (default 30) with no key, any key but Esc and Enter gives that long
# again, Enter starts over at once. Two kiosks side by side, so the whole
# check takes about one sent_seconds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
grep -q '^sent_seconds' "$T/kiosk.conf" && fail "the test config sets sent_seconds: this test is about the default"

to_sent() {
	for k in 1 1 2 C-n Enter; do keys $1 $k; sleep 0.1; done
	expect_text $1 "Check before you send"
	press $1 1 "Thank you"
}
kiosk_start plain 80 24
kiosk_start more 80 24
kiosk_start enter 80 24
to_sent plain
t0=$(date +%s)
to_sent more
to_sent enter
expect_text plain "This screen clears after 30 seconds."
expect_text plain "Enter  Start over"

note "Enter starts over at once"
press enter Enter "Talk to someone"

note "no key: still there at 25 s"
while [ $(( $(date +%s) - t0 )) -lt 25 ]; do sleep 0.5; done
expect_text plain "Thank you"
expect_text more "Thank you"
keys more x; keys more Down      # more time (not typed anywhere)

note "gone by itself after 30 s; the other one still there after a key"
expect_text plain "Talk to someone" 10
el=$(( $(date +%s) - t0 ))
[ $el -ge 29 ] || fail "Sent went away after $el s"
note "Sent cleared by itself after about $el s"
while [ $(( $(date +%s) - t0 )) -lt 40 ]; do sleep 0.5; done
expect_text more "Thank you"
expect_no_text more "Talk to someone"
press more Enter "Talk to someone"

note "sent_seconds below 30 is refused"
kiosk_conf short sent_seconds=10
"$KIOSK" -c "$T/short.conf" --check >"$T/check.out" 2>&1 && fail "--check accepted sent_seconds = 10"
grep -q "short.conf:[0-9]*: sent_seconds" "$T/check.out" || { cat "$T/check.out" >&2; fail "--check did not name the line"; }
echo ok
