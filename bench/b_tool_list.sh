#!/bin/sh
# safeharbor list --json on 10,000 envelopes: wall time and peak RSS
# (target < 32 MiB: the tool keeps only listing fields per envelope).
# Envelopes come from tests/tools/make_record --fast (library calls, no
# fsync). Figures only; never fails on a slow machine.
build=${SH_BUILD:-build}
n=${SH_BENCH_ENVELOPES:-10000}
SH=$build/safeharbor
MR=$build/tests/tools/make_record
[ -x "$SH" ] && [ -x "$MR" ] || { echo "   b_tool_list: $SH or $MR not built, skipped"; exit 0; }
T=$(mktemp -d /tmp/sh-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
printf 'bench passphrase\n' >"$T/pass"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" >"$T/r.txt" || exit 1
"$MR" --new-key "$T/k.key" >"$T/k.pub" || exit 1
start=$(date +%s)
"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/spool" -n "$n" --fast >/dev/null || exit 1
echo "   generated $n envelopes in about $(( $(date +%s) - start )) s"
"$SH" -i "$T/id.age" --passphrase-file "$T/pass" kiosks add bench "$(cat "$T/k.pub")" || exit 1
run() { "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" "$@"; }
run list --json >/dev/null   # warm the page cache

. "${SH_TOP:-.}/bench/measure.sh"
measure "tool_list_json_${n}" 32768 list --json
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out" 2>/dev/null || echo "?")
echo "   listed $count of $n envelopes"
measure "tool_list_text_${n}" 32768 list
measure "tool_stats_${n}" 32768 stats --json
