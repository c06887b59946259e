#!/bin/sh
# Resizing while a student types keeps the text and redraws at the new
# size; below 80x24 a short polite note shows (and the kiosk keeps running);
# back at 80x24 the screen and the text come back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world

s=rs
kiosk_start $s 80 24
pid=$(kiosk_pid $s)
press $s 1 "Who is this about?"; press $s 1 "Safe right now?"; press $s 2 "How can we find you?"
press $s C-n "Anything else?"
type_text $s "Before the resize, 李 wide."
expect_text $s "Before the resize, 李 wide."

TM resize-window -t $s -x 120 -y 40
expect_text $s "Anything else?"
n=0; while [ "$(pane $s | wc -l)" -lt 40 ] && [ $n -lt 40 ]; do sleep 0.05; n=$((n + 1)); done
pane $s | grep -qE '─{100}' || { pane $s >&2; fail "the message box did not widen to 120 columns"; }
expect_text $s "Before the resize, 李 wide."
type_text $s " After."
expect_text $s "Before the resize, 李 wide. After."

TM resize-window -t $s -x 60 -y 20
expect_text $s "This window is too small"
expect_no_text $s "Before the resize"
kill -0 "$pid" || fail "the kiosk ended on a small window"
pane $s | awk 'length($0) > 60 { exit 1 }' || fail "drew past the right edge"
type_text $s "blind"
sleep 0.2

TM resize-window -t $s -x 80 -y 24
expect_text $s "Anything else?"
expect_text $s "Before the resize, 李 wide. After."
expect_no_text $s "blind"
expect_text $s "Esc  Leave now"
kill -0 "$pid" || fail "the kiosk ended"
echo ok
