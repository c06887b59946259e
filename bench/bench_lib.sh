# Sourced by the tool's bench/b_*.sh scripts.
#   bench_world NAME: $SH, $MR (make_record), a scratch $T removed on exit,
#     a social worker's key ($T/id.age, passphrase $T/pass, recipient
#     $T/r.txt) and an enrolled kiosk key ($T/k.key); $n requests
#     ($SH_BENCH_ENVELOPES, default 10,000) in $T/spool, their "ID FILE"
#     lines in $T/ids. Exits 0 (skipped) when the tools are not built.
#   measure NAME TARGET_KIB ARGS...: runs safeharbor (--spool $T/spool
#     -i $T/id.age --passphrase-file $T/pass) and prints its wall time and
#     peak RSS against the target; its output in $T/out. Uses
#     /usr/bin/time, else Python's getrusage (an upper bound).
bench_world() {
	build=${SH_BUILD:-build}
	n=${SH_BENCH_ENVELOPES:-10000}
	SH=$build/safeharbor
	MR=$build/tests/tools/make_record
	[ -x "$SH" ] && [ -x "$MR" ] || { echo "   $1: $SH or $MR not built, skipped"; exit 0; }
	T=$(mktemp -d /tmp/sh-bench.XXXXXX)
	trap 'rm -rf "$T"' EXIT
	printf 'bench passphrase\n' >"$T/pass"
	SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" >"$T/r.txt" || exit 1
	"$MR" --new-key "$T/k.key" >"$T/k.pub" || exit 1
	start=$(date +%s)
	"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/spool" -n "$n" --fast >"$T/ids" || exit 1
	echo "   generated $n envelopes in about $(( $(date +%s) - start )) s"
	"$SH" -i "$T/id.age" --passphrase-file "$T/pass" kiosks add bench "$(cat "$T/k.pub")" || exit 1
}

measure() {
	name=$1 target=$2; shift 2
	if [ -x /usr/bin/time ] && [ -z "${SH_BENCH_NO_TIME:-}" ]; then
		/usr/bin/time -f '%e %M' -o "$T/time" "$SH" --spool "$T/spool" -i "$T/id.age" \
			--passphrase-file "$T/pass" "$@" >"$T/out" 2>/dev/null
		read -r secs kib <"$T/time"
	else
		python3 - "$T/out" "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" \
			"$@" >"$T/time" <<'PY'
import resource, subprocess, sys, time
t = time.time()
with open(sys.argv[1], "w") as out:
    subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
print("%.2f %d" % (time.time() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
PY
		read -r secs kib <"$T/time"
	fi
	mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
	ok=$(awk -v k="$kib" -v t="$target" 'BEGIN { print (k < t) ? "yes" : "NO" }')
	echo "$name: $secs s, peak RSS $mib MiB  (target: < $((target / 1024)) MiB, met: $ok)"
}
[ -x /usr/bin/time ] || [ -n "${SH_BENCH_NO_TIME:-}" ] || echo "   (/usr/bin/time missing: install the Debian package 'time'; using Python's getrusage, an upper bound)"
