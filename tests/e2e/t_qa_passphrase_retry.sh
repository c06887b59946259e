#!/bin/sh
# A typo at the passphrase prompt is asked again (3 tries in all), as sudo
# and ssh do; the third wrong one fails with exit 1. --passphrase-file is
# never retried.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
tool_world
mkrec k1 --about self >/dev/null

SOCK=sh-qa-pass-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_cleanup() { tm kill-server 2>/dev/null; }
SH_CLEANUPS="$SH_CLEANUPS tm_cleanup"
# count_is N TEXT: wait until TEXT shows N times on the pane
count_is() {
	i=0
	while [ $i -lt 300 ]; do
		tm capture-pane -p -t "$S" >"$T/screen"
		[ "$(grep -c -- "$2" "$T/screen")" -ge "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	cat "$T/screen" >&2
	fail "pane never showed '$2' $1 times"
}
run() {
	S=$1
	tm new-session -d -s "$S" -x 100 -y 30 \
		"env HOME=$HOME LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age list; echo EXIT=\$?; sleep 60"
}

note "two typos, then the right passphrase"
run ok
count_is 1 "Passphrase for your safeharbor key:"
tm send-keys -t ok "typo one" Enter
count_is 1 "wrong passphrase, try again"
count_is 2 "Passphrase for your safeharbor key:"
tm send-keys -t ok "typo two" Enter
count_is 3 "Passphrase for your safeharbor key:"
tm send-keys -t ok "correct horse battery staple" Enter
count_is 1 "EXIT="
expect_grep "EXIT=0" "$T/screen"
expect_grep "self" "$T/screen"

note "three typos: exit 1"
run bad
for n in 1 2 3; do
	count_is $n "Passphrase for your safeharbor key:"
	tm send-keys -t bad "nope $n" Enter
done
count_is 1 "EXIT="
expect_grep "EXIT=1" "$T/screen"
expect_grep "wrong passphrase or not an identity" "$T/screen"
expect_eq "prompts" "$(grep -c 'Passphrase for your safeharbor key:' "$T/screen")" 3

note "--passphrase-file is not retried"
printf 'nope\n' >"$T/wrong"
expect_rc 1 "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/wrong" list
expect_nogrep "try again" "$T/err"
exit 0
