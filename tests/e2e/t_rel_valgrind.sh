#!/bin/sh
# SPEC rules (bad input -> message, never a crash or out-of-bounds read):
# tests/run-valgrind.sh on the built programs, as part of make check.
. "$(dirname "$0")/lib.sh"
sh "$TOP/tests/run-valgrind.sh" "$BUILD" | tee "$T/vg.out"
rc=$?
rc=$(sed -n 's/^valgrind: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$T/vg.out")
runs=$(grep -c '^\(ok\|FAIL\) ' "$T/vg.out")
grep -q '^skipped:' "$T/vg.out" && { echo "REL-RESULT suite=valgrind runs=0 failures=0 skipped"; skip "$(grep '^skipped:' "$T/vg.out")"; }
echo "REL-RESULT suite=valgrind runs=$runs failures=${rc:-1}"
[ "${rc:-1}" = 0 ]
