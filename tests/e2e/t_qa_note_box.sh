#!/bin/sh
# The inbox's case-note box (w) at 80x24, opened from the list: the screen
# shows the box and nothing else, not slivers of the request's details
# left beside it (a social worker read "Id", "Cr", "Ki"... down the left
# edge and "--" at both ends of a row).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
mkrec k1 --about self --danger no --field Name=Quetzalli --message "please help" >/dev/null

command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
. "$TOP/tests/e2e/tmux_lib.sh"

tm new-session -d -s main -x 80 -y 24 \
	"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass inbox; echo INBOX-EXIT=\$?; sleep 60"
wait_for "Quetzalli"
tm send-keys -t main w
wait_for "New case note for"
tm send-keys -t main -l "QXNOTE"
wait_for "QXNOTE"
# outside the box (2 columns each side), every row is blank
awk '{ l = substr($0, 1, 2); r = length($0) > 78 ? substr($0, 79) : "";
       if (l r ~ /[^ ]/) { print NR ": " $0; bad = 1 } } END { exit bad }' "$T/screen" ||
	{ cat "$T/screen" >&2; fail "the request shows beside the note box"; }
expect_grep "New case note for" "$T/screen"
tm send-keys -t main Escape
wait_for "note discarded"
wait_for "Quetzalli"
tm send-keys -t main q
wait_for "INBOX-EXIT=0"
echo "t_qa_note_box: ok"
