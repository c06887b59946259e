#!/bin/sh
# The inbox title counts requests, not files: an envelope that cannot be
# opened is counted apart as unreadable (not as an open request), and a
# search that finds nothing says when handled requests are hidden; the key
# bar says what q does where you are.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
tool_world
mkrec k1 --about self --danger yes >/dev/null
set -- $(mkrec k1 --about friend --field Friend-Name=Bartholomew)
shx mark "$1" handled >/dev/null || fail "mark handled"
head -c 16584 /dev/urandom >"$T/spool/new/0123456789abcdef0123456789abcdef.age"

SOCK=sh-qa-inbox-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_cleanup() { tm kill-server 2>/dev/null; }
SH_CLEANUPS="$SH_CLEANUPS tm_cleanup"
wait_for() {
	i=0
	while [ $i -lt 300 ]; do
		tm capture-pane -p -t main >"$T/screen"
		grep -q -- "$1" "$T/screen" && return 0
		sleep 0.1; i=$((i + 1))
	done
	cat "$T/screen" >&2
	fail "screen never showed '$1'"
}
tm new-session -d -s main -x 100 -y 30 \
	"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass inbox; sleep 60"
wait_for "safeharbor: "
head -n 1 "$T/screen" >"$T/title"
expect_grep "safeharbor: 2 requests, 1 open, 1 urgent open, 1 unreadable" "$T/title"
expect_grep "(a: show handled)" "$T/title"
tm send-keys -t main / ; sleep 0.2
tm send-keys -t main -l Bartholomew; tm send-keys -t main Enter
wait_for "not found among open requests (a shows the handled ones too)"
tm send-keys -t main a; sleep 0.2
tm send-keys -t main n
wait_for "Friend.s name: *Bartholomew"
tail -n 1 "$T/screen" >"$T/bar"
expect_grep "Enter read  q/Esc quit" "$T/bar"

note "in a request the key bar says q goes back, and no longer offers Enter"
tm send-keys -t main Enter
wait_for "q/Esc back"
tail -n 1 "$T/screen" >"$T/bar"
expect_nogrep "Enter read" "$T/bar"
expect_nogrep "quit" "$T/bar"
tm send-keys -t main Q
exit 0
