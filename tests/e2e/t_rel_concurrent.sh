#!/bin/sh
# SPEC §4, many kiosks, one spool: REL_WRITERS (8) concurrent writers each
# deliver REL_PER_WRITER envelopes (50 here, 1000 in torture) into one
# spool while `safeharbor list --json` runs in a loop. All writers succeed,
# every name is distinct, new/ holds exactly what was claimed, the final
# list shows every record, verify passes, and no list run ever failed on a
# file being written. Writers: tests/tools/rel_writer (the library path the
# kiosk uses), or `safeharbor-kiosk --send-test` when it is not built.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=concurrent
W=${REL_WRITERS:-8}
N=${REL_PER_WRITER:-50}
PAUSE=${REL_PAUSE_US:-20000}
rel_need_programs $SUITE
rel_world
S=$T/spool
writer() { # writer I
	if [ -x "$REL_TOOLS/rel_writer" ]; then
		"$REL_TOOLS/rel_writer" "$S" "$T/recipients.txt" "$T/kiosk.key" "$N" "$PAUSE" >"$T/w$1.out" 2>"$T/w$1.err"
	else
		j=0
		while [ "$j" -lt "$N" ]; do
			"$KIOSK" -c "$T/kiosk.conf" --send-test >>"$T/w$1.out" 2>>"$T/w$1.err" || return 1
			echo "ok" >>"$T/w$1.claims"
			j=$((j + 1))
		done
	fi
}
[ -x "$REL_TOOLS/rel_writer" ] && note "writers: rel_writer" || note "writers: kiosk --send-test"
: >"$T/listfail"
(
	k=0
	while [ ! -e "$T/stop" ]; do
		k=$((k + 1))
		sh_w list --json >"$T/l.out" 2>"$T/l.err"
		rc=$?
		if [ "$rc" -ne 0 ] || [ -s "$T/l.err" ]; then
			echo "list run $k exited $rc: $(head -c 300 "$T/l.err")" >>"$T/listfail"
		elif ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/l.out" 2>/dev/null; then
			echo "list run $k printed invalid JSON" >>"$T/listfail"
		fi
		echo "$k" >"$T/listruns"
	done
) &
lister=$!
start=$(date +%s)
pids=
i=0
while [ "$i" -lt "$W" ]; do
	i=$((i + 1))
	writer "$i" &
	pids="$pids $!"
done
wfail=0
for p in $pids; do wait "$p" || wfail=$((wfail + 1)); done
touch "$T/stop"
wait "$lister"
secs=$(( $(date +%s) - start ))
total=$((W * N))
note "$W writers x $N envelopes in ${secs}s; list ran $(cat "$T/listruns" 2>/dev/null || echo 0) times meanwhile"
rel_run "$total"
lr=$(cat "$T/listruns" 2>/dev/null || echo 0)
[ "$lr" -ge 1 ] || rel_bad "list never ran during delivery: no overlap, the test proves nothing"
[ "$wfail" = 0 ] || { cat "$T"/w*.err | head; rel_bad "$wfail writers failed"; }
if [ -x "$REL_TOOLS/rel_writer" ]; then
	cat "$T"/w*.out | cut -d' ' -f1 | sort >"$T/names"
	cat "$T"/w*.out | cut -d' ' -f2 | sort -u >"$T/ids"
	claimed=$(wc -l <"$T/names" | tr -d ' ')
	[ "$claimed" = "$total" ] || rel_bad "writers claimed $claimed deliveries, want $total"
	[ "$(sort -u "$T/names" | wc -l | tr -d ' ')" = "$claimed" ] || rel_bad "name collision"
	[ "$(wc -l <"$T/ids" | tr -d ' ')" = "$claimed" ] || rel_bad "record id collision"
	while read -r n; do [ -f "$S/new/$n" ] || rel_bad "claimed $n missing"; done <"$T/names"
fi
have=$(rel_count "$S/new")
[ "$have" = "$total" ] || rel_bad "new/ holds $have files, want $total"
[ "$(rel_count "$S/tmp")" = 0 ] || rel_bad "tmp/ not empty after clean deliveries"
[ -s "$T/listfail" ] && { head -n 5 "$T/listfail"; rel_bad "$(wc -l <"$T/listfail") list runs failed during delivery"; }
sh_w list --json >"$T/final.json" 2>"$T/final.err" || rel_bad "final list failed: $(cat "$T/final.err")"
n=$(rel_json_count "$T/final.json" 2>/dev/null)
[ "$n" = "$total" ] || rel_bad "final list shows $n records, want $total"
sh_w verify >"$T/v.out" 2>&1 || { tail -n 5 "$T/v.out"; rel_bad "verify after concurrent delivery failed"; }
rel_done $SUITE
