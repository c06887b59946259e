#!/bin/sh
# Review's message line (QA): a message of only spaces and line breaks
# shows as not given and is not sent; one character reads "1 of 2000
# characters" (no "1 characters"), in English and Spanish. On Message the
# help bar names what Enter does where the focus is (new line or button).
# A long message is wrapped between words, as the editor shows it, and
# ends in "…" where the rest does not fit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world

s=rev
kiosk_start $s 80 24
press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 2 "How can we find you?"
press $s C-n "Anything else?"
keys $s Space; keys $s Enter; keys $s Space; keys $s Enter; keys $s Enter
expect_text $s "5 of 2000 characters"
expect_text $s "Enter  New line"
note "help bar on Message follows the focus (QA: [Next] focused, bar said New line)"
keys $s Tab
expect_text $s "Enter  Press the button"
expect_no_text $s "New line"
keys $s Tab
expect_text $s "Enter  Press the button"
keys $s BTab
press $s Enter "Check before you send"
pane $s | grep -qE "^  Message +— *$" || { pane $s >&2; fail "a blank message is not shown as not given"; }
expect_no_text $s "characters"
press $s 1 "Thank you"
queue_show
grep -q "^Id:" "$T/shown" || { cat "$T/shown" >&2; fail "the record was not delivered"; }
grep -qE "^Message: +\(none\)$" "$T/shown" || { cat "$T/shown" >&2; fail "a blank message was sent"; }

note "one character: singular-safe wording, both languages"
keys $s Enter; expect_text $s "Talk to someone"
press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 2 "How can we find you?"
press $s C-n "Anything else?"
type_text $s "x"; keys $s Tab
press $s Enter "Check before you send"
expect_text $s "1 of 2000 characters"
keys $s Escape; expect_text $s "Talk to someone"
press $s 2 "Habla con alguien"; press $s 2 "¿Sobre quién es?"; press $s 1 "¿En peligro ahora mismo?"; press $s 2 "¿Cómo te encontramos?"
keys $s C-n; sleep 0.2
type_text $s "x"; keys $s Tab; keys $s Enter
expect_text $s "1 de 2000 caracteres"
expect_no_text $s "1 caracteres"

note "a long message: wrapped between words, cut off with …"
keys $s Escape; expect_text $s "Talk to someone"
press $s 1 "Who is this about?"; press $s 2 "In danger right now?"; press $s 2 "How can we find your friend?"
type_text $s "Dana"; keys $s Tab; type_text $s "9"; keys $s Tab; type_text $s "Sam"
keys $s Tab; type_text $s "10"; keys $s Tab; type_text $s "Ms. Lee"; keys $s Tab
type_text $s "after lunch"; keys $s Tab; keys $s Right; keys $s Tab
press $s Enter "Anything else?"
type_text $s "My friend has an older boyfriend who says he can get her a modeling job."
keys $s Enter; type_text $s "She seems scared."; keys $s Tab
press $s Enter "Check before you send"
pane $s >"$T/review"
grep -q "^ *My friend has an older boyfriend who says he$" "$T/review" ||
	{ cat "$T/review" >&2; fail "first message line not wrapped between words"; }
grep -q "^ *can get her a modeling job\. …$" "$T/review" ||
	{ cat "$T/review" >&2; fail "second line not whole or not marked as cut off"; }
expect_no_text $s "She seems scared."
keys $s Escape; expect_text $s "Talk to someone"
echo ok
