#!/bin/sh
# Run every end-to-end script in tests/e2e against the binaries in $1.
# A script exits 0 (pass), 77 (skipped: it prints why) or anything else.
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
SH_BUILD=$(cd "$build" && pwd); export SH_BUILD SH_TOP="$top"
pass=0 fail=0 skip=0
for t in "$top"/tests/e2e/t_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	log="$SH_BUILD/e2e-$name.log"
	start=$(date +%s)
	sh "$t" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); printf 'ok   %s (%ss)\n' "$name" "$secs" ;;
	77) skip=$((skip + 1)); printf 'skip %s: %s\n' "$name" "$(tail -n 1 "$log")" ;;
	*) fail=$((fail + 1)); printf 'FAIL %s (exit %s)\n' "$name" "$rc"; tail -n 40 "$log" | sed 's/^/    /' ;;
	esac
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
