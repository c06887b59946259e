#!/bin/sh
# make torture: the long versions of the reliability suites (issue 7).
# Each suite is the make-check script with larger numbers, plus the long
# fuzz runs and the 100,000-envelope scale run. Ends with a table: suite,
# runs, failures (or why it was skipped). Knobs (environment):
#   TORTURE_CRASH_RUNS (1000)  TORTURE_PER_WRITER (1000)  TORTURE_FLIP_STEP (1)
#   TORTURE_TRUNC_STEP (64)    TORTURE_FUZZ_SECONDS (600 per harness)
#   TORTURE_SCALE (100000)     TORTURE_ONLY ("crash tamper ..." to pick suites)
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "$build" && pwd) || exit 2
export SH_BUILD="$B" SH_TOP="$top"
LOGS=$B/torture
mkdir -p "$LOGS"
rows=
any_fail=0
want() { [ -z "${TORTURE_ONLY:-}" ] || echo " $TORTURE_ONLY " | grep -q " $1 "; }
# suite NAME SCRIPT [VAR=VALUE...]: run one e2e script with settings.
suite() {
	name=$1 script=$2; shift 2
	want "$name" || return 0
	echo "== $name ($(basename "$script") $*)"
	start=$(date +%s)
	env "$@" sh "$script" >"$LOGS/$name.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	res=$(grep '^REL-RESULT' "$LOGS/$name.log" | tail -n 1)
	runs=$(echo "$res" | sed -n 's/.*runs=\([0-9]*\).*/\1/p')
	fails=$(echo "$res" | sed -n 's/.*failures=\([0-9]*\).*/\1/p')
	grep -E '^(-- |FAIL|REL-SKIP)' "$LOGS/$name.log" | head -n 40 | sed 's/^/   /'
	case $rc in
	0) status=pass ;;
	77) status="skipped: $(tail -n 1 "$LOGS/$name.log")" ;;
	*) status=FAIL; any_fail=1; [ -n "$fails" ] && [ "$fails" != 0 ] || fails=1
	   tail -n 20 "$LOGS/$name.log" | sed 's/^/   /' ;;
	esac
	rows="$rows$(printf '%-14s %8s %9s %6ss  %s' "$name" "${runs:-0}" "${fails:-0}" "$secs" "$status")
"
}
E=$top/tests/e2e
suite crash "$E/t_rel_crash.sh" REL_CRASH_RUNS="${TORTURE_CRASH_RUNS:-1000}" REL_CRASH_MARK_RUNS=300
suite powerloss "$E/t_rel_powerloss.sh" REL_POWERLOSS_RUNS=20
suite spool-broken "$E/t_rel_spool_broken.sh"
suite spool-ui "$E/t_rel_spool_ui.sh"
suite hostile "$E/t_rel_hostile.sh"
suite tamper "$E/t_rel_tamper.sh" REL_FLIP_STEP="${TORTURE_FLIP_STEP:-1}" REL_TRUNC_STEP="${TORTURE_TRUNC_STEP:-64}"
suite concurrent "$E/t_rel_concurrent.sh" REL_WRITERS=8 REL_PER_WRITER="${TORTURE_PER_WRITER:-1000}" REL_PAUSE_US=1000
suite escape "$E/t_rel_escape.sh" REL_ESCAPE_ROUNDS=2 REL_ESCAPE_ALLKEYS=1 REL_ESCAPE_TIMEOUT=1
suite residue "$E/t_rel_residue.sh"
suite keys "$E/t_rel_keys.sh"
suite fuzz-inventory "$E/t_rel_fuzz_inventory.sh"
suite valgrind "$E/t_rel_valgrind.sh"
suite scale "$top/tests/torture/scale.sh" REL_SCALE="${TORTURE_SCALE:-100000}"

if want fuzz; then
	secs=${TORTURE_FUZZ_SECONDS:-600}
	echo "== fuzz ($secs s per harness)"
	start=$(date +%s)
	if [ -d "$top/build-fuzz" ] && ls "$top"/build-fuzz/fuzz_* >/dev/null 2>&1; then
		(cd "$top" && tests/run-fuzz.sh build-fuzz "$secs") >"$LOGS/fuzz.log" 2>&1
		rc=$?
		runs=$(grep -c '^\(ok\|FAIL\) ' "$LOGS/fuzz.log")
		fails=$(grep -c '^FAIL ' "$LOGS/fuzz.log")
		sed 's/^/   /' "$LOGS/fuzz.log" | grep -E '^   (ok|FAIL)'
		[ "$rc" = 0 ] && status=pass || { status=FAIL; any_fail=1; }
	else
		runs=0 fails=0 status="skipped: no harnesses in build-fuzz (make fuzz-build)"
	fi
	rows="$rows$(printf '%-14s %8s %9s %6ss  %s' fuzz "$runs" "$fails" "$(( $(date +%s) - start ))" "$status")
"
fi
echo
printf '%-14s %8s %9s %7s  %s\n' suite runs failures time status
printf '%s' "$rows"
echo "logs: $LOGS/"
exit "$any_fail"
