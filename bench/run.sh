#!/bin/sh
# make bench: every bench/bench_* program and bench/b_*.sh script prints its
# own figures ("name: value unit  (peer: value, ratio: x, target: y)").
# Figures only; nothing here fails on a slow machine.
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
SH_BUILD=$(cd "$build" && pwd); export SH_BUILD SH_TOP="$top"
echo "safeharbor benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
for b in "$build"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || echo "   (exited $?)"
done
for s in "$top"/bench/b_*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s" .sh)"
	sh "$s" || echo "   (exited $?)"
done
