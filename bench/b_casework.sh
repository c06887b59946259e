#!/bin/sh
# Issue 15: stats and report on 10,000 requests with their case work (a
# note each, an outcome for 7 in 8, a referral for 1 in 10: about 19,750
# sealed case items): wall time and peak RSS (target < 64 MiB: case items
# are indexed without their text). Figures only; never fails on a slow
# machine.
. "${SH_TOP:-.}/bench/bench_lib.sh"
bench_world b_casework
MC=$build/tests/tools/make_case
[ -x "$MC" ] || { echo "   b_casework: $MC not built, skipped"; exit 0; }
start=$(date +%s)
"$MC" -i "$T/id.age" -p "$T/pass" -R "$T/r.txt" -s "$T/spool" --fast <"$T/ids" >/dev/null || exit 1
echo "   sealed $(ls "$T/spool/case/new" | wc -l) case items in about $(( $(date +%s) - start )) s"
"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" stats >/dev/null 2>&1 # warm the cache
measure "casework_stats_json_${n}" 65536 stats --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("   counted %d requests, %d identified, %d referred" % (s["came_forward"], s["identified"], s["referred"]))' "$T/out" 2>/dev/null
measure "casework_stats_text_${n}" 65536 stats
measure "casework_report_${n}" 65536 report -o "$T/r.html" --force --exact
measure "casework_list_json_${n}" 65536 list --json
