#!/bin/sh
# make check: unit suites (plain and ASan+UBSan), end-to-end tests, and a
# short fuzz run. Ends with one "N passed, N failed" line over the parts.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
pass=0 fail=0
part() {
	echo "== $1"
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}
part "unit suites" tests/run-unit.sh build
part "unit suites under ASan+UBSan" env ASAN_OPTIONS=detect_leaks=1 tests/run-unit.sh build-asan
part "end-to-end" tests/run-e2e.sh build
if command -v clang >/dev/null 2>&1; then
	part "fuzz (short)" sh -c "MAKEFLAGS= make -s -j2 fuzz-build >/dev/null && tests/run-fuzz.sh build-fuzz ${FUZZ_SECONDS:-5}"
else
	echo "== fuzz skipped: clang not installed"
fi
echo "check parts: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
