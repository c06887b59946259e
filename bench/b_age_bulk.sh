#!/bin/sh
# Bulk decryption: a 256 MiB age file (X25519, written by `age -r`) through
# age_decrypt_fd into a discarding sink (tests/tools/age_tool decrypt-null)
# vs `age -d -o /dev/null` on the same file. Best of 3 interleaved runs,
# page cache warm. The file lives in a mktemp dir under /tmp, removed on exit.
build=${SH_BUILD:-build}
AT=$build/tests/tools/age_tool
MIB=${AGE_BENCH_MIB:-256}
if ! command -v age >/dev/null 2>&1 || ! command -v age-keygen >/dev/null 2>&1; then
	echo "age_bulk_decrypt: skipped (age not installed)"; exit 0
fi
[ -x "$AT" ] || { echo "age_bulk_decrypt: $AT not built"; exit 1; }
T=$(mktemp -d /tmp/sh-bench-age.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
"$AT" keygen >"$T/id" || exit 1
R=$(age-keygen -y "$T/id") || exit 1
head -c $((MIB * 1048576)) /dev/urandom | tee "$T/pt" | age -r "$R" -o "$T/f.age" || exit 1
want=$(sha256sum <"$T/pt" | cut -d' ' -f1)
rm -f "$T/pt"
got=$("$AT" decrypt -i "$T/id" <"$T/f.age" | sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || { echo "age_bulk_decrypt: WRONG OUTPUT"; exit 1; }
cat "$T/f.age" >/dev/null

now() { date +%s%N; }
best_sh= best_age=
for i in 1 2 3; do
	t0=$(now); "$AT" decrypt-null -i "$T/id" <"$T/f.age" || exit 1; t1=$(now)
	age -d -i "$T/id" -o /dev/null "$T/f.age" || exit 1; t2=$(now)
	s=$((t1 - t0)) a=$((t2 - t1))
	[ -z "$best_sh" ] || [ "$s" -lt "$best_sh" ] && best_sh=$s
	[ -z "$best_age" ] || [ "$a" -lt "$best_age" ] && best_age=$a
done
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
awk -v s="$best_sh" -v a="$best_age" -v m="$MIB" -v l="${load:-?}" -v c="$(nproc)" 'BEGIN {
	printf "age_bulk_decrypt: %.3f s for %d MiB (%.0f MiB/s)  (peer: age -d %.3f s, ratio: %.2fx, target: >= 1.5x) [load %s on %s cores; the reader uses 2 threads]\n",
		s / 1e9, m, m / (s / 1e9), a / 1e9, a / s, l, c }'
