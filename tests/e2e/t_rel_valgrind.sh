#!/bin/sh
# SPEC rules (bad input -> message, never a crash or out-of-bounds read):
# tests/run-valgrind.sh on the built programs, as part of make check.
. "$(dirname "$0")/lib.sh"
sh "$TOP/tests/run-valgrind.sh" "$BUILD"
rc=$?
[ "$rc" = 77 ] && skip "valgrind run skipped (see above)"
exit "$rc"
