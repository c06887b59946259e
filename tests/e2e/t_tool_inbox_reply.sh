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

command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
. "$(dirname "$0")/tmux_lib.sh"
keys() { tm send-keys -t main "$@"; }
start() { # start EXTRA-ARGS
	tm new-session -d -s main -x 100 -y 30 \
		"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass $1 inbox; echo INBOX-EXIT=\$?; sleep 60"
	wait_for "2 requests"
}

note "no replies folder: r says where to set one"
start ""
keys r
wait_for "no replies folder"
keys Q; wait_for "INBOX-EXIT=0"; tm kill-session -t main

start "--replies $R"
note "Esc on the prompt sends nothing"
keys r; wait_for "Answer (Enter sends"
tm send-keys -t main -l "never sent"; keys Escape
wait_for "nothing sent"
expect_eq "no file" "$(ls "$R" | wc -l | tr -d ' ')" 0
note "the request without a reply key"
keys j; keys r
wait_for "no reply key"
note "r on the urgent request: answered"
keys k; keys r; wait_for "Answer (Enter sends"
tm send-keys -t main -l "Come to room 12, $MARK"; keys Enter
wait_for "answered (answer 1)"
expect_eq "one answer" "$(ls "$R" | wc -l | tr -d ' ')" 1
expect_eq "its size" "$(stat -c %s "$R"/*.age)" 16584
wait_for "answered]"
keys Q; wait_for "INBOX-EXIT=0"
tm capture-pane -p -S - -t main >"$T/after"
! grep -q "$MARK" "$T/after" || fail "the answer is still on the terminal after the inbox"
"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" --replies "$R" show "$A" >"$T/show" || fail "show"
expect_grep "from you: 1" "$T/show"
note "the answer is in the audit log: its request, not its text"
shx log >"$T/log" || fail "log"
expect_eq "one reply entry, for A" "$(grep "reply" "$T/log" | grep -c "${A%"${A#????????}"}")" 1
! grep -q "$MARK" "$T/log" "$T/spool/audit"/* || fail "the answer's text is in the audit log"
echo ok
