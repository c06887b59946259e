#!/bin/sh
# safeharbor purge of 10,000 handled requests (plus 100 open ones that
# stay): wall time and peak RSS of --dry-run and of the real purge.
# Envelopes come from tests/tools/make_record --fast and are marked handled
# by their flags (as if handled before the audit log existed).
# Figures only; never fails on a slow machine.
build=${SH_BUILD:-build}
n=${SH_BENCH_PURGE:-10000}
SH=$build/safeharbor
MR=$build/tests/tools/make_record
[ -x "$SH" ] && [ -x "$MR" ] || { echo "   b_purge: $SH or $MR not built, skipped"; exit 0; }
T=$(mktemp -d /tmp/sh-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
printf 'bench passphrase\n' >"$T/pass"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" >"$T/r.txt" || exit 1
"$MR" --new-key "$T/k.key" >"$T/k.pub" || exit 1
"$SH" -i "$T/id.age" --passphrase-file "$T/pass" kiosks add bench "$(cat "$T/k.pub")" || exit 1
start=$(date +%s)
"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/spool" -n "$n" --fast >/dev/null || exit 1
python3 - "$T/spool" <<'PY'
import os, sys
d = sys.argv[1]
for f in os.listdir(d + "/new"):
    os.rename(d + "/new/" + f, d + "/cur/" + f + ":2,RS")
PY
"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/spool" -n 100 --fast >/dev/null || exit 1
echo "   generated $n handled + 100 open envelopes in about $(( $(date +%s) - start )) s"
tomorrow=$(date -d tomorrow +%F)

measure() {  # NAME ARGS...
	name=$1; shift
	python3 - "$T/out" "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" \
		"$@" >"$T/time" <<'PY'
import resource, subprocess, sys, time
t = time.time()
with open(sys.argv[1], "w") as out:
    rc = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.STDOUT).returncode
print("%.2f %d %d" % (time.time() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc))
PY
	read -r secs kib rc <"$T/time"
	echo "   $name: ${secs} s, peak RSS $(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }') MiB (exit $rc)$( [ "$1" = purge ] && echo ": $(tail -n 1 "$T/out")")"
}
measure "list --json of the same spool (reference)" list --json
measure "purge --dry-run of $n" purge --handled-before "$tomorrow" --dry-run
measure "purge of $n" purge --handled-before "$tomorrow"
left=$(ls "$T/spool/new" "$T/spool/cur" | grep -c '\.age')
echo "   left in the spool: $left envelopes (the 100 open ones)"
