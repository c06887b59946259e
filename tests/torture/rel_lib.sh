# Shared by the reliability suites (tests/e2e/t_rel_*.sh, tests/torture/).
# Source after tests/e2e/lib.sh. Every suite ends with rel_done, which
# prints one "REL-RESULT suite=... runs=N failures=M" line that
# tests/torture/run.sh turns into its summary table, then exits 0 or 1.
REL_TOOLS=$BUILD/tests/tools
# A suite stopped by a signal (a timeout, Ctrl-C) still unmounts and ends
# its tmux server and kiosks: exit from the trap runs lib.sh's EXIT trap.
trap 'exit 143' TERM HUP
trap 'exit 130' INT
# The tool keeps enrolled kiosks under the home directory: never root's.
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config"
mkdir -p "$HOME"
REL_RUNS=0
REL_FAILS=0
REL_FAILMSG=

# rel_bad MESSAGE: record one failure but keep going (a suite reports every
# broken promise it sees, not only the first).
rel_bad() {
	REL_FAILS=$((REL_FAILS + 1))
	echo "FAIL: $*" >&2
	REL_FAILMSG="$*"
}
rel_run() { REL_RUNS=$((REL_RUNS + ${1:-1})); }
rel_done() {
	echo "REL-RESULT suite=$1 runs=$REL_RUNS failures=$REL_FAILS"
	[ "$REL_FAILS" -eq 0 ] || { echo "last failure: $REL_FAILMSG" >&2; exit 1; }
	exit 0
}
rel_skip() {
	echo "REL-RESULT suite=$1 runs=0 failures=0 skipped"
	skip "$2"
}

# Both programs must exist; until a module lands the suite skips, saying so.
rel_need_programs() {
	[ -x "$SH" ] || rel_skip "$1" "tool $SH not built yet"
	[ -x "$KIOSK" ] || rel_skip "$1" "kiosk $KIOSK not built yet"
}
rel_need_tool() {
	[ -x "$REL_TOOLS/$2" ] || rel_skip "$1" "test tool $REL_TOOLS/$2 not built"
}

# make_world (lib.sh), then enroll its kiosk with the worker's tool.
rel_world() {
	make_world 2>"$T/world.err" || { cat "$T/world.err"; fail "make_world"; }
	sh_w kiosks add main "$(cat "$T/kiosk.pub")" >/dev/null 2>"$T/err" || { cat "$T/err"; fail "kiosks add"; }
	mkdir -p "$T/spool/tmp" "$T/spool/new" "$T/spool/cur"
}

# The worker's tool with the world's identity and spool.
sh_w() {
	cmd=$1; shift
	SAFEHARBOR_SPOOL=$T/spool SAFEHARBOR_IDENTITY=$T/id.age \
		"$SH" "$cmd" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" "$@"
}

# rel_rand N: a random integer in [0, N).
rel_rand() {
	echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 ))
}

# rel_count DIR: number of entries in DIR (0 if missing).
rel_count() {
	if [ -d "$1" ]; then ls -A "$1" | wc -l | tr -d ' '; else echo 0; fi
}

# rel_sendtest [CONF]: one real kiosk test send.
rel_sendtest() {
	"$KIOSK" -c "${1:-$T/kiosk.conf}" --send-test
}

# rel_json_count FILE: entries in a `list --json` output, which may be a
# JSON array, an object holding one array, or one JSON object per line.
rel_json_count() {
	python3 - "$1" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    doc = json.loads(text)
except ValueError:
    doc = [json.loads(l) for l in text.splitlines() if l.strip()]
if isinstance(doc, dict):
    arrays = [v for v in doc.values() if isinstance(v, list)]
    doc = arrays[0] if len(arrays) == 1 else [doc]
print(len(doc))
PY
}

# ---- tmux: a private server per suite (tmux -L), 80x24 unless told.
REL_TMUX=rel$$
tm() { tmux -L "$REL_TMUX" -f /dev/null "$@"; }
# tm_kill: end the server and wait until it is gone (a new-session racing a
# dying server fails with "server exited unexpectedly").
tm_kill() {
	tm kill-server 2>/dev/null
	n=40
	while [ "$n" -gt 0 ] && tm list-sessions >/dev/null 2>&1; do sleep 0.05; n=$((n - 1)); done
	sleep 0.1
	true
}
# tm_start CMD...: run CMD as the only pane; the pane stays (dead) if CMD
# exits, so a test can tell "exited" from "running".
tm_start() {
	tm new-session -d -s k -x "${REL_COLS:-80}" -y "${REL_ROWS:-24}" "$@" \; \
		set-option -g remain-on-exit on \; set-option -g history-limit 5000
	SH_CLEANUPS="$SH_CLEANUPS tm_kill"
}
tm_keys() { tm send-keys -t k "$@"; }
tm_text() { tm capture-pane -p -t k; }
tm_history() { tm capture-pane -p -t k -S - -E -; }
tm_pid() { tm display-message -p -t k '#{pane_pid}'; }
tm_dead() { [ "$(tm display-message -p -t k '#{pane_dead}')" = 1 ]; }
# tm_wait REGEX [SECONDS]: until the pane shows REGEX (grep -E); 1 if not.
tm_wait() {
	n=$(( ${2:-5} * 10 ))
	while [ "$n" -gt 0 ]; do
		tm_text | grep -qE -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
# tm_settle: wait until the pane stops changing (at most ~2 s).
tm_settle() {
	prev= n=20
	while [ "$n" -gt 0 ]; do
		cur=$(tm_text | cksum)
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
		sleep 0.1
		n=$((n - 1))
	done
}
# rel_alive PID: running and not stopped (SIGTSTP must not freeze it).
rel_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat")
	[ "$st" != T ] && [ "$st" != t ] && [ "$st" != Z ]
}
