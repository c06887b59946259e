#!/bin/sh
# Scale (issue 7, suite 9): `safeharbor list` and `stats` on REL_SCALE
# (100,000) envelopes must complete; time and peak RSS are reported next
# to the same figures at 10,000. The spool lives on a tmpfs when mounting
# is allowed (fsync is then free, so filling it takes seconds, not an hour
# of disk syncs); otherwise on disk.
. "$(dirname "$0")/../e2e/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=scale
N=${REL_SCALE:-100000}
SMALL=$((N / 10))
rel_need_programs $SUITE
rel_need_tool $SUITE rel_writer
[ -x /usr/bin/time ] || rel_skip $SUITE "/usr/bin/time not installed"
make_world
mkdir -p "$T/mnt"
if mount -t tmpfs -o size=$((N / 40 + 64))m tmpfs "$T/mnt" 2>/dev/null; then
	SH_CLEANUPS="scale_umount"
	scale_umount() { umount "$T/mnt"; }
	note "spool on tmpfs"
	mkdir -p "$T/mnt/tmp" "$T/mnt/new" "$T/mnt/cur"
	S=$T/mnt
else
	note "spool on disk (tmpfs mount not permitted)"
	S=$T/spool
fi
fill() { # fill COUNT: two writers in parallel
	half=$(( $1 / 2 ))
	"$REL_TOOLS/rel_writer" "$S" "$T/recipients.txt" "$T/kiosk.key" "$half" >/dev/null &
	p=$!
	"$REL_TOOLS/rel_writer" "$S" "$T/recipients.txt" "$T/kiosk.key" $(( $1 - half )) >/dev/null || rel_bad "writer"
	wait "$p" || rel_bad "writer"
}
measure() { # measure LABEL: list, list --json and stats, time + peak RSS
	have=$(rel_count "$S/new")
	for cmd in list stats; do
		/usr/bin/time -f '%e %M' -o "$T/time" sh -c '"$@" >"'"$T"'/m.out" 2>"'"$T"'/m.err"' x \
			"$SH" "$cmd" --spool "$S" -i "$T/id.age" --passphrase-file "$T/pass"
		set -- $(tail -n 1 "$T/time")
		if grep -q 'exited with non-zero' "$T/time"; then
			rel_bad "$cmd on $have envelopes failed: $(head -c 300 "$T/m.err")"
		fi
		note "$(printf 'SCALE %-6s %7s envelopes: %8s s, peak RSS %8s KiB' "$cmd" "$have" "$1" "$2")"
		rel_run
		if [ "$cmd" = list ]; then
			lines=$(grep -c '[0-9a-f]\{8\}' "$T/m.out")
			[ "$lines" -ge "$have" ] || rel_bad "list on $have envelopes printed $lines entries"
		fi
	done
}
start=$(date +%s)
fill "$SMALL"
note "wrote $SMALL envelopes in $(( $(date +%s) - start ))s"
measure small
start=$(date +%s)
fill $((N - SMALL))
note "wrote $((N - SMALL)) more in $(( $(date +%s) - start ))s"
measure large
rel_done $SUITE
