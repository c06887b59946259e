#!/bin/sh
# Issue 15: stats and report on 10,000 requests with their case work (a
# note each, an outcome for 7 in 8, a referral for 1 in 10: about 19,750
# sealed case items): wall time and peak RSS (target < 64 MiB: case items
# are indexed without their text). Figures only; never fails on a slow
# machine.
build=${SH_BUILD:-build}
n=${SH_BENCH_ENVELOPES:-10000}
SH=$build/safeharbor
MR=$build/tests/tools/make_record
MC=$build/tests/tools/make_case
[ -x "$SH" ] && [ -x "$MR" ] && [ -x "$MC" ] || { echo "   b_casework: tools not built, skipped"; exit 0; }
T=$(mktemp -d /tmp/sh-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
printf 'bench passphrase\n' >"$T/pass"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" >"$T/r.txt" || exit 1
"$MR" --new-key "$T/k.key" >"$T/k.pub" || exit 1
start=$(date +%s)
"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/spool" -n "$n" --fast >"$T/ids" || exit 1
"$MC" -i "$T/id.age" -p "$T/pass" -R "$T/r.txt" -s "$T/spool" --fast <"$T/ids" >/dev/null || exit 1
echo "   generated $n requests and $(ls "$T/spool/case/new" | wc -l) case items in about $(( $(date +%s) - start )) s"
"$SH" -i "$T/id.age" --passphrase-file "$T/pass" kiosks add bench "$(cat "$T/k.pub")" || exit 1
. "${SH_TOP:-.}/bench/measure.sh"
"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" stats >/dev/null 2>&1 # warm the cache
measure "casework_stats_json_${n}" 65536 stats --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("   counted %d requests, %d identified, %d referred" % (s["came_forward"], s["identified"], s["referred"]))' "$T/out" 2>/dev/null
measure "casework_stats_text_${n}" 65536 stats
measure "casework_report_${n}" 65536 report --year "$(date +%Y)" -o "$T/r.html" --force --exact
measure "casework_list_json_${n}" 65536 list --json
