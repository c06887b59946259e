#!/bin/sh
# Run every Criterion suite in $1/tests. Prints one line per suite and a
# closing "unit: N passed, N failed" line; exits non-zero if any failed.
build=${1:-build}
pass=0 fail=0 failed=
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	if "$t" --jobs 2 >"$t.log" 2>&1; then
		pass=$((pass + 1))
		printf 'ok   %s: %s\n' "$t" "$(grep -a 'Synthesis' "$t.log" | tail -n 1 | sed 's/^\[====\] //')"
	else
		fail=$((fail + 1)); failed="$failed $t"
		printf 'FAIL %s\n' "$t"
		sed 's/^/    /' "$t.log" | grep -av '^\s*$' | tail -n 40
	fi
done
echo "unit ($build): $pass passed, $fail failed"
[ $((pass + fail)) -gt 0 ] || { echo "no unit suites built in $build"; exit 1; }
[ "$fail" -eq 0 ]
