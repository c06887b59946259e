#!/bin/sh
# The inbox's r (issue 14): an answer written in the compose box (the one
# `w` uses: locked memory, Enter a new line, Ctrl-D sends) is signed,
# sealed and stored as `safeharbor reply` stores it, its two lines kept (the
# student's code opens it with stock age); the box counts down the reply's
# 500 characters; Esc sends nothing; Ctrl-D on nothing sends nothing; a
# request without a reply key says so; without a replies folder it says
# where to set one. The answer is not on the terminal after the inbox ends.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
R=$T/replies
mkdir -p "$R"
now=$(date +%s)
CODE="maple-river-stone-otter-lake"
A=$(mkrec k1 --code "$CODE" --danger yes --time $((now - 60)) | cut -d' ' -f1)
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
note "Esc in the compose box sends nothing"
keys r; wait_for "Answer to the student"
wait_for "0/500 characters (500 left)"
tm send-keys -t main -l "never sent"; wait_for "10/500 characters (490 left)"
keys Escape
wait_for "nothing sent"
expect_eq "no file" "$(ls "$R" | wc -l | tr -d ' ')" 0
note "Ctrl-D on an empty answer sends nothing"
keys r; wait_for "Answer to the student"
keys C-d; wait_for "the answer is empty"
keys Escape; wait_for "nothing sent"
expect_eq "still no file" "$(ls "$R" | wc -l | tr -d ' ')" 0
note "the request without a reply key"
keys j; keys r
wait_for "no reply key"
note "r on the urgent request: a two-line answer, Ctrl-D sends it"
keys k; keys r; wait_for "Answer to the student"
tm send-keys -t main -l "Come to room 12, $MARK"; keys Enter
tm send-keys -t main -l "Ms. Rivera"; wait_for "Ms. Rivera"
screen; expect_grep "Come to room 12, $MARK" "$T/screen"
keys C-d
wait_for "answered (answer 1)"
expect_eq "one answer" "$(ls "$R" | wc -l | tr -d ' ')" 1
expect_eq "its size" "$(stat -c %s "$R"/*.age)" 16584
wait_for "answered]"
keys Q; wait_for "INBOX-EXIT=0"
tm capture-pane -p -S - -t main >"$T/after"
! grep -q "$MARK" "$T/after" || fail "the answer is still on the terminal after the inbox"
"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" --replies "$R" show "$A" >"$T/show" || fail "show"
expect_grep "from you: 1" "$T/show"
note "the student's code opens it (stock argon2 + age): both lines, as typed"
command -v argon2 >/dev/null && command -v age >/dev/null || fail "argon2 and age are needed"
HEX=$(printf %s "$CODE" | argon2 safeharbor-rk-v1 -id -t 6 -k 65536 -p 1 -l 32 -r)
python3 "$TOP/tests/tools/age_secret_key.py" "$HEX" >"$T/code.key"
age -d -i "$T/code.key" "$R"/*.age >"$T/reply.txt" || fail "age -d"
expect_grep "In-Reply-To: $A" "$T/reply.txt"
expect_grep "^Come to room 12, $MARK\$" "$T/reply.txt"
expect_grep "^Ms. Rivera\$" "$T/reply.txt"
rm -f "$T/reply.txt" "$T/code.key"
note "the answer is in the audit log: its request, not its text"
shx log >"$T/log" || fail "log"
expect_eq "one reply entry, for A" "$(grep "reply" "$T/log" | grep -c "${A%"${A#????????}"}")" 1
! grep -q "$MARK" "$T/log" "$T/spool/audit"/* || fail "the answer's text is in the audit log"
echo ok
