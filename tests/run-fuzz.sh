#!/bin/sh
# Run each libFuzzer harness in $1 for $2 seconds on its corpus in
# tests/fuzz/corpus/<name>/ (new inputs go to a scratch dir, so the kept
# corpus changes only by hand). Crashes fail the run.
build=${1:-build-fuzz}
secs=${2:-10}
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0
for f in "$build"/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	corpus="$top/tests/fuzz/corpus/$name"
	scratch=$(mktemp -d)
	mkdir -p "$corpus"
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$scratch/" "$scratch" "$corpus" >"$scratch/log" 2>&1; then
		pass=$((pass + 1))
		printf 'ok   %s: %s\n' "$name" "$(grep -a 'Done' "$scratch/log" | tail -n 1)"
	else
		fail=$((fail + 1))
		printf 'FAIL %s\n' "$name"; tail -n 30 "$scratch/log" | sed 's/^/    /'
		ls "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* 2>/dev/null
	fi
	rm -rf "$scratch"
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
