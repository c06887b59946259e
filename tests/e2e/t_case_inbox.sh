#!/bin/sh
# Issue 15 in the inbox (tmux): a request's outcome, referrals and notes
# show under it, oldest first; `w` opens a compose box whose words exist
# only in locked memory (nothing in a file, nothing in clear on disk after
# saving); Ctrl-D seals the note and it appears at once; Esc discards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
A=$(mkrec k1 --about self --danger yes --field Name=Quetzalli --message "please help" | cut -d' ' -f1)
printf 'First note: QX1FIRST\n' | shx note "$A" >/dev/null || fail note
shx mark "$A" outcome information >/dev/null || fail outcome
shx mark "$A" referred services >/dev/null || fail referred
n0=$(ls "$T/spool/case/new" | wc -l)

command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
. "$TOP/tests/e2e/tmux_lib.sh"
keys() { tm send-keys -t main "$@"; sleep 0.3; }

tm new-session -d -s main -x 100 -y 40 \
	"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass inbox; echo INBOX-EXIT=\$?; sleep 60"
wait_for "1 request"
keys Enter
wait_for "Case history"
expect_grep "^Outcome: *information" "$T/screen"
expect_grep "^Referred to: *services" "$T/screen"
expect_grep "note" "$T/screen"
expect_grep "First note: QX1FIRST" "$T/screen"

note "w, then Esc: nothing kept"
keys w
wait_for "New case note for"
keys -l "DISCARDME"
wait_for "DISCARDME"
keys Escape
wait_for "note discarded"
expect_eq "no case file for a discarded note" "$(ls "$T/spool/case/new" | wc -l)" "$n0"

note "w, two lines, Ctrl-D: sealed and shown"
keys w
wait_for "New case note for"
keys -l "Met her mother QX2SECOND"
keys Enter
keys -l "line two ñandú"
wait_for "line two"
expect_grep "/3000 characters" "$T/screen"
# while she types: in no file (but the test's own screen captures)
if grep -rlaF --exclude=screen QX2SECOND "$T"; then fail "compose text in a file"; fi
keys C-d
wait_for "note saved"
expect_eq "one case file added" "$(ls "$T/spool/case/new" | wc -l)" $((n0 + 1))
wait_for "QX2SECOND"
expect_grep "line two ñandú" "$T/screen"
# oldest first: the first note above the new one
first=$(grep -n QX1FIRST "$T/screen" | cut -d: -f1)
second=$(grep -n QX2SECOND "$T/screen" | cut -d: -f1)
[ "$first" -lt "$second" ] || { cat "$T/screen"; fail "notes not oldest first"; }
keys q
keys q
wait_for "INBOX-EXIT=0"
if grep -rlaF QX2SECOND "$T/spool" "$HOME"; then fail "the note in clear on disk"; fi
expect_rc 0 shx show "$A"
expect_grep "^    Met her mother QX2SECOND$" "$T/out"
expect_grep "^    line two ñandú$" "$T/out"
echo "t_case_inbox: ok"
