# Shared by the reliability suites (tests/e2e/t_rel_*.sh, tests/torture/).
# Source after tests/e2e/lib.sh. Every suite ends with rel_done, which
# prints one "REL-RESULT suite=... runs=N failures=M" line that
# tests/torture/run.sh turns into its summary table, then exits 0 or 1.
REL_TOOLS=$BUILD/tests/tools
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
