# Sourced by the tests that drive a full-screen program in tmux (after
# lib.sh): a private tmux server, killed at exit, and the pane "main".
#   tm ARGS...         tmux on this test's own socket
#   screen             the pane's text into $T/screen
#   wait_for TEXT [N]  poll the pane every 0.05 s, N times (default 300)
SOCK=sh-tmux-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_cleanup() { tm kill-server 2>/dev/null; }
SH_CLEANUPS="$SH_CLEANUPS tm_cleanup"
screen() { tm capture-pane -p -t main >"$T/screen"; }
wait_for() {
	i=0
	while [ $i -lt "${2:-300}" ]; do
		screen
		grep -q -- "$1" "$T/screen" && return 0
		sleep 0.05; i=$((i + 1))
	done
	cat "$T/screen" >&2
	fail "screen never showed '$1'"
}
