#!/bin/sh
# Resizing while a student types keeps the text and redraws at the new
# size; below 80x24 a short polite note shows (and the kiosk keeps running);
# back at 80x24 the screen and the text come back. On a small window the
# note names Esc, and F12 + the staff PIN still stop the kiosk (QA).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
printf '2468\n' | "$KIOSK" --set-pin >>"$T/kiosk.conf" || fail "set-pin"

s=rs
kiosk_start $s 80 24
pid=$(kiosk_pid $s)
press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 2 "How can we find you?"
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
expect_text $s "Press Esc to leave"
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

note "small window: F12 and the staff PIN still work, answers are not typed"
TM resize-window -t $s -x 60 -y 20
expect_text $s "This window is too small"
type_text $s "2468"; keys $s Enter; sleep 0.2
kill -0 "$pid" || fail "typing blind ended the kiosk"
press $s F12 "Staff PIN"
type_text $s "0000"; keys $s Enter
expect_text $s "That PIN is not right"
kill -0 "$pid" || fail "a wrong PIN ended the kiosk"
keys $s Escape
n=0; while pane $s | grep -qF "Staff PIN" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
expect_no_text $s "Staff PIN"
expect_text $s "Press Esc to leave"
TM resize-window -t $s -x 80 -y 24
expect_text $s "Before the resize"     # Esc on the staff prompt: back, answers kept
keys $s C-c
expect_text $s "Talk to someone"
expect_no_text $s "Before the resize"
TM resize-window -t $s -x 60 -y 20
expect_text $s "This window is too small"
press $s F12 "Staff PIN"
sleep 1.2
type_text $s "2468"; keys $s Enter
n=0; while [ ! -e "$T/rc.$s" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
[ -e "$T/rc.$s" ] || { pane $s >&2; fail "F12 + the right PIN did not end the kiosk on a small window"; }
expect_eq "exit status after the PIN" "$(cat "$T/rc.$s")" 0
echo ok
