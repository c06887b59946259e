#!/bin/sh
# safeharbor list --json on 10,000 envelopes: wall time and peak RSS
# (target < 32 MiB: the tool keeps only listing fields per envelope).
# Envelopes come from tests/tools/make_record --fast (library calls, no
# fsync). Figures only; never fails on a slow machine.
. "${SH_TOP:-.}/bench/bench_lib.sh"
bench_world b_tool_list
run() { "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" "$@"; }
run list --json >/dev/null   # warm the page cache

measure "tool_list_json_${n}" 32768 list --json
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out" 2>/dev/null || echo "?")
echo "   listed $count of $n envelopes"
measure "tool_list_text_${n}" 32768 list
measure "tool_stats_${n}" 32768 stats --json
