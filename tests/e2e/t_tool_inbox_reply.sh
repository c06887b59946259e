#!/bin/sh
# The inbox's r (issue 14): an answer typed on the bottom line is signed,
# sealed and stored as `safeharbor reply` stores it; Esc sends nothing; a
# request without a reply key says so; without a replies folder it says
# where to set one. The answer is not on the terminal after the inbox ends.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
R=$T/replies
mkdir -p "$R"
now=$(date +%s)
A=$(mkrec k1 --code "maple-river-stone-otter-lake" --danger yes --time $((now - 60)) | cut -d' ' -f1)
B=$(mkrec k1 --time $((now - 6000)) | cut -d' ' -f1)
MARK=Ib$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')Mk

. "$(dirname "$0")/kiosk_lib.sh"      # the private tmux server and its helpers
s=main
start() { # start EXTRA-ARGS
	TM new-session -d -s main -x 100 -y 30 \
		"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass $1 inbox; echo INBOX-EXIT=\$?; sleep 60"
	expect_text $s "2 requests"
}

note "no replies folder: r says where to set one"
start ""
keys $s r
expect_text $s "no replies folder"
keys $s Q; expect_text $s "INBOX-EXIT=0"; TM kill-session -t main

start "--replies $R"
note "Esc on the prompt sends nothing"
keys $s r; sleep 0.2; expect_text $s "Answer (Enter sends"
type_text $s "never sent"; keys $s Escape
expect_text $s "nothing sent"
expect_eq "no file" "$(ls "$R" | wc -l | tr -d ' ')" 0
note "the request without a reply key"
keys $s j; sleep 0.2; keys $s r
expect_text $s "no reply key"
note "r on the urgent request: answered"
keys $s k; sleep 0.2; keys $s r; sleep 0.2; expect_text $s "Answer (Enter sends"
type_text $s "Come to room 12, $MARK"; keys $s Enter
expect_text $s "answered (answer 1)"
expect_eq "one answer" "$(ls "$R" | wc -l | tr -d ' ')" 1
expect_eq "its size" "$(stat -c %s "$R"/*.age)" 16584
keys $s Q; expect_text $s "INBOX-EXIT=0"
pane_all $s >"$T/after"
! grep -q "$MARK" "$T/after" || fail "the answer is still on the terminal after the inbox"
"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" --replies "$R" show "$A" >"$T/show" || fail "show"
expect_grep "from you: 1" "$T/show"
echo ok
