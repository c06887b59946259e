# Sourced by the tool's tmux tests after lib.sh: one private tmux server
# (socket sh-NAME-PID, killed on exit) and the helpers that drive it.
#   tm ARGS...        tmux on that server
#   screen            capture the pane "main" into $T/screen
#   wait_for TEXT     poll the pane up to ~30 s, fail showing it if TEXT never comes
#   keys KEYS...      send keys to "main", then let it draw
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
SOCK=sh-${TMUX_TEST:-tool}-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_cleanup() { tm kill-server 2>/dev/null; }
SH_CLEANUPS="$SH_CLEANUPS tm_cleanup"
screen() { tm capture-pane -p -t main >"$T/screen"; }
wait_for() {
	i=0
	while [ $i -lt 300 ]; do
		screen
		grep -q -- "$1" "$T/screen" && return 0
		sleep 0.1; i=$((i + 1))
	done
	cat "$T/screen" >&2
	fail "screen never showed '$1'"
}
keys() { tm send-keys -t main "$@"; sleep 0.3; }
