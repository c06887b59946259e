#!/bin/sh
# SPEC §2.4, crash during delivery: SIGKILL the writer at random instants
# (REL_CRASH_RUNS times, 100 here, >= 1000 in `make torture`), alternating
# the real `safeharbor-kiosk --send-test` with tests/tools/rel_writer (the
# same library path in a loop, printing each name after spool_deliver
# returns). Afterwards: every claimed delivery is in new/, new/ grew by at
# most one file beyond the claims in each run, every file in new/ has the
# envelope size, verifies and lists; stale tmp/ files are reported by
# `safeharbor verify` and removed by `safeharbor verify --clean-tmp`. Then
# the worker side: `mark` / `show` killed at random instants never lose or
# duplicate an envelope across new/ and cur/.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=crash
RUNS=${REL_CRASH_RUNS:-100}
MAXMS=${REL_CRASH_MAX_MS:-60}
rel_need_programs $SUITE
rel_world
have_writer=0
[ -x "$REL_TOOLS/rel_writer" ] && have_writer=1
[ "$have_writer" = 1 ] || note "rel_writer not built: kiosk --send-test only"
S=$T/spool
expect_rc 0 rel_sendtest
ref=$(ls "$S/new")
size=$(stat -c %s "$S/new/$ref")
note "envelope size $size bytes"
# Kill instants for the kiosk are drawn over its own run time (start-up,
# seal, deliver): measure it; the writer loops, so any instant will do.
t0=$(date +%s%N)
for j in 1 2 3 4 5; do rel_sendtest >/dev/null 2>&1; done
KUS=$(( ($(date +%s%N) - t0) / 5000 ))
note "one send-test takes about ${KUS} us; kiosk kills drawn in [0, $((KUS * 3 / 2))] us"
rm -f "$S"/new/*
rel_sendtest >/dev/null 2>&1
ref=$(ls "$S/new")
: >"$T/claimed"
i=0 kiosk_ok=0 kiosk_killed=0 writer_lines=0
while [ "$i" -lt "$RUNS" ]; do
	i=$((i + 1))
	before=$(rel_count "$S/new")
	if [ "$have_writer" = 1 ] && [ $((i % 2)) -eq 0 ]; then
		ms=$(rel_rand "$MAXMS")
		d=$(printf '0.%03d' "$ms")
		"$REL_TOOLS/rel_writer" "$S" "$T/recipients.txt" "$T/kiosk.key" 0 >"$T/run.out" 2>"$T/run.err" &
		pid=$!
		sleep "$d"
		kill -KILL "$pid" 2>/dev/null
		{ wait "$pid"; } 2>/dev/null
		# Only whole lines are claims; a torn last line is not one.
		lines=$(grep -c '^[0-9a-f]\{32\}\.age [0-9a-f]\{32\}$' "$T/run.out")
		grep '^[0-9a-f]\{32\}\.age [0-9a-f]\{32\}$' "$T/run.out" | cut -d' ' -f1 >>"$T/claimed"
		writer_lines=$((writer_lines + lines))
		after=$(rel_count "$S/new")
		grown=$((after - before))
		[ "$grown" -ge "$lines" ] && [ "$grown" -le $((lines + 1)) ] ||
			rel_bad "writer run $i (killed after ${ms}ms): claimed $lines, new/ grew by $grown"
	else
		us=$(rel_rand $((KUS * 3 / 2 + 1)))
		d=$(printf '0.%06d' "$us")
		ms=$((us / 1000))
		"$KIOSK" -c "$T/kiosk.conf" --send-test >"$T/run.out" 2>"$T/run.err" &
		pid=$!
		sleep "$d"
		kill -KILL "$pid" 2>/dev/null
		{ wait "$pid"; } 2>/dev/null
		rc=$?
		after=$(rel_count "$S/new")
		grown=$((after - before))
		if [ "$rc" -eq 0 ]; then
			kiosk_ok=$((kiosk_ok + 1))
			[ "$grown" -eq 1 ] || rel_bad "send-test run $i reported success, new/ grew by $grown"
			n=$(sed -n 's|.*/new/\([0-9a-f]*\.age\).*|\1|p' "$T/run.err" "$T/run.out" | head -n 1)
			[ -n "$n" ] && echo "$n" >>"$T/claimed"
		else
			kiosk_killed=$((kiosk_killed + 1))
			[ "$grown" -le 1 ] || rel_bad "killed send-test run $i: new/ grew by $grown"
		fi
	fi
	rel_run
done
note "$RUNS kills: send-test finished $kiosk_ok, killed $kiosk_killed; writer claimed $writer_lines"
total=$(rel_count "$S/new")
note "new/ holds $total envelopes, tmp/ holds $(rel_count "$S/tmp")"

# Every claim is present.
missing=0
while read -r n; do
	[ -f "$S/new/$n" ] || { missing=$((missing + 1)); rel_bad "claimed $n missing from new/"; }
done <"$T/claimed"
# Nothing torn: one size, nothing else in new/.
for f in "$S"/new/*; do
	case $(basename "$f") in
	*.age) ;;
	*) rel_bad "unexpected name in new/: $(basename "$f")" ;;
	esac
	[ "$(stat -c %s "$f")" = "$size" ] || rel_bad "torn envelope $(basename "$f"): $(stat -c %s "$f") bytes"
done
# The real tool opens every one of them.
sh_w list --json >"$T/list.json" 2>"$T/list.err" || rel_bad "list --json failed: $(cat "$T/list.err")"
listed=$(rel_json_count "$T/list.json" 2>/dev/null || echo error)
[ "$listed" = "$total" ] || rel_bad "list shows $listed entries, new/ holds $total"

# A crash between open and rename leaves a tmp/ file: make sure there is at
# least one (a planted partial envelope) and age them all, as after a crash
# long ago; verify must report them and --clean-tmp remove them.
head -c 5000 "$S/new/$ref" >"$S/tmp/0123456789abcdef0123456789abcdef.age"
ntmp=$(rel_count "$S/tmp")
touch -d '3 days ago' "$S"/tmp/*
sh_w verify >"$T/verify.out" 2>&1
vrc=$?
grep -v '^new/' "$T/verify.out"
[ "$vrc" = 1 ] || rel_bad "verify with stale tmp/ files exited $vrc, want 1"
for f in "$S"/tmp/*; do
	grep -q "$(basename "$f")" "$T/verify.out" || rel_bad "verify does not report stale tmp/$(basename "$f")"
done
# Problems are "new/NAME: why" lines; "note:" lines are not problems.
grep '^new/' "$T/verify.out" | grep -v ': note: ' >"$T/vprob"
[ -s "$T/vprob" ] && { head -n 5 "$T/vprob"; rel_bad "verify reports $(wc -l <"$T/vprob") problems in new/"; }
note "verify with $ntmp stale tmp files exited $vrc"
sh_w verify --clean-tmp >"$T/clean.out" 2>&1 || { cat "$T/clean.out"; rel_bad "verify --clean-tmp exited non-zero"; }
left=$(rel_count "$S/tmp")
[ "$left" = 0 ] || rel_bad "verify --clean-tmp left $left files in tmp/"
[ -d "$S/tmp" ] || rel_bad "verify --clean-tmp removed tmp/ itself"
sh_w verify >"$T/verify2.out" 2>&1 || { cat "$T/verify2.out"; rel_bad "verify after --clean-tmp exited non-zero"; }
[ "$(rel_count "$S/new")" = "$total" ] || rel_bad "--clean-tmp changed new/"

# The worker's side: `mark` and `show` move envelopes new/ -> cur/ and
# rename them for flags. Killed at random instants, they must never lose or
# duplicate an envelope: every base name exactly once across new/ and cur/.
MRUNS=${REL_CRASH_MARK_RUNS:-30}
ls -A "$S/new" "$S/cur" | grep -v -e ':$' -e '^$' | sed 's/:2,.*//' | sort >"$T/before-mark"
sh_w list --json 2>/dev/null | grep -o '"id": *"[0-9a-f]\{32\}"' | grep -o '[0-9a-f]\{32\}' | sort -u >"$T/ids"
nids=$(wc -l <"$T/ids")
t0=$(date +%s%N)
sh_w mark "$(head -n 1 "$T/ids")" handled >/dev/null 2>&1
MUS=$(( ($(date +%s%N) - t0) / 1000 ))
note "one mark takes about ${MUS} us; $MRUNS killed mark/show runs over $nids ids"
i=0
while [ "$i" -lt "$MRUNS" ]; do
	i=$((i + 1))
	id=$(sed -n "$(( $(rel_rand "$nids") + 1 ))p" "$T/ids")
	case $((i % 3)) in
	0) set -- show "$id" ;; 1) set -- mark "$id" handled ;; 2) set -- mark "$id" open ;;
	esac
	# "$SH" itself in the background (not the sh_w function, whose
	# subshell would take the SIGKILL while the tool ran on).
	SAFEHARBOR_SPOOL=$S "$SH" "$@" --spool "$S" -i "$T/id.age" --passphrase-file "$T/pass" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%06d' "$(rel_rand $((MUS * 3 / 2 + 1)))")"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	rel_run
done
n_new=$(rel_count "$S/new"); n_cur=$(rel_count "$S/cur")
[ $((n_new + n_cur)) = "$total" ] || {
	ls -A "$S/new" "$S/cur" | grep -v -e ':$' -e '^$' | sed 's/:2,.*//' | sort | diff "$T/before-mark" - | head -n 10
	ls -la "$S/new" "$S/cur" | grep -v '[0-9a-f]\{32\}\.age' | head
	rel_bad "after killed mark/show runs: new/ $n_new + cur/ $n_cur != $total"
}
ls "$S/new" "$S/cur" | grep '\.age' | sed 's/:2,.*//' | sort | uniq -d >"$T/dups"
[ -s "$T/dups" ] && rel_bad "envelopes present twice: $(head -n 3 "$T/dups" | tr '\n' ' ')"
sh_w verify >"$T/verify3.out" 2>&1 || { tail -n 5 "$T/verify3.out"; rel_bad "verify after killed mark/show runs"; }
note "after $MRUNS killed mark/show runs: new/ $n_new, cur/ $n_cur, verify clean"
rel_done $SUITE
