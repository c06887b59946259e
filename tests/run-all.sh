#!/bin/sh
# make check: unit suites (plain and ASan+UBSan), end-to-end tests, and a
# short fuzz run. Ends with one line adding up every suite, script and
# harness: "check: N passed, N failed, N skipped".
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pass=0 fail=0 skip=0 broken=0
part() {
	echo "== $1"
	shift
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	# the runner's closing line: "...: N passed, N failed[, N skipped]"
	counts=$(grep -aE '^[a-z].*: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | sed 's/.*: //')
	p=$(echo "$counts" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
	f=$(echo "$counts" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	s=$(echo "$counts" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0})) skip=$((skip + ${s:-0}))
	# a runner that failed without counting a failure (a build error) counts once
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then fail=$((fail + 1)); fi
	[ "$rc" -eq 0 ] || broken=1
}
part "unit suites" tests/run-unit.sh build
part "unit suites under ASan+UBSan" env ASAN_OPTIONS=detect_leaks=1 tests/run-unit.sh build-asan
part "end-to-end" tests/run-e2e.sh build
if command -v clang >/dev/null 2>&1; then
	part "fuzz (short)" sh -c "MAKEFLAGS= make -s -j2 fuzz-build >/dev/null && tests/run-fuzz.sh build-fuzz ${FUZZ_SECONDS:-5}"
else
	echo "== fuzz skipped: clang not installed"
	skip=$((skip + 1))
fi
echo "check: $pass passed, $fail failed, $skip skipped"
[ "$broken" -eq 0 ] && [ "$fail" -eq 0 ]
