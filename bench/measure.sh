# Sourced by bench/b_*.sh: measure NAME TARGET_KIB ARGS... runs
# safeharbor (--spool $T/spool -i $T/id.age --passphrase-file $T/pass) and
# prints its wall time and peak RSS against the target; output in $T/out.
# Uses /usr/bin/time, else Python's getrusage (an upper bound).
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
[ -x /usr/bin/time ] || echo "   (/usr/bin/time missing: install the Debian package 'time'; using Python's getrusage, an upper bound)"
