#!/bin/sh
# safeharbor watch (SPEC §11) through the real tool: --on-urgent fires
# within 2 s of an urgent delivery from an enrolled kiosk and never for a
# forged or unenrolled one; commands get counts only (no id, name, message
# or file name in their environment or arguments); a failing or hanging
# command is reported (and killed) and watch goes on; the spool folder
# going away and coming back is said and survived; SIGTERM stops it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
command -v python3 >/dev/null || skip "python3 missing"

cat >"$T/hook.sh" <<'H'
#!/bin/sh
# one file per run: the event, the counts, the arguments and the whole environment
out=$HOOKDIR/$SAFEHARBOR_EVENT.$(date +%s%N)
{ echo "event=$SAFEHARBOR_EVENT new=$SAFEHARBOR_NEW urgent=$SAFEHARBOR_URGENT waiting=$SAFEHARBOR_WAITING argc=$#"
  echo "args=$*"; env; } >"$out.tmp" && mv "$out.tmp" "$out"
H
chmod +x "$T/hook.sh"
HOOKDIR=$T/hooks; export HOOKDIR
mkdir -p "$HOOKDIR"
WPID=
# start_watch ARGS...: the tool itself in the background (its pid in WPID)
start_watch() {
	: >"$T/watch.err"
	"$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" watch "$@" \
		2>"$T/watch.err" &
	WPID=$!
	wait_log "watching"
}
stop_watch() { [ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID"; WPID=; }
SH_CLEANUPS="stop_watch"

# wait_for FILE-GLOB-COUNT: until $HOOKDIR holds N files for EVENT (max 5 s)
count() { ls "$HOOKDIR" | grep -c "^$1\.[0-9]*$"; }
wait_count() {
	i=0
	while [ "$(count "$1")" -lt "$2" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ "$(count "$1")" -ge "$2" ]
}
wait_log() {
	i=0
	while ! grep -q -- "$1" "$T/watch.err" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	grep -q -- "$1" "$T/watch.err" || { cat "$T/watch.err"; fail "watch never said '$1'"; }
}

start_watch --on-new "$T/hook.sh" --on-urgent "$T/hook.sh" --command-timeout 1
wait_log "watching $T/spool (0 waiting); urgent requests are checked with your key"

note "an urgent request from an enrolled kiosk"
t0=$(date +%s%N)
U=$(mkrec k1 --about self --danger yes --field Name=Zoe-Private --message 'help me now')
wait_count urgent 1 || fail "--on-urgent did not run within 5 s"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
note "delivery to --on-urgent command: about $ms ms (including make_record)"
[ "$ms" -lt 2000 ] || fail "--on-urgent took $ms ms (more than 2 s)"
wait_count new 1 || fail "--on-new did not run"
f=$(ls "$HOOKDIR"/urgent.* | head -n 1)
expect_grep "event=urgent new=1 urgent=1 waiting=1 argc=0" "$f"
expect_grep "^args=$" "$f"
for s in "${U% *}" "$(echo "${U% *}" | cut -c1-8)" "${U#* }" Zoe-Private 'help me now' self; do
	grep -q -- "$s" "$HOOKDIR"/* && fail "'$s' reached a command"
done

note "forged and unenrolled urgent requests: --on-new only"
mkrec k2 --about self --danger yes >/dev/null
sleep 0.1
mkrec k1 --about self --danger yes --bad-signature >/dev/null
wait_count new 2 || fail "--on-new did not run for the forged ones"
wait_count new 3 || true
sleep 1
expect_eq "--on-urgent runs" "$(count urgent)" 1
grep -h '^event=new' "$HOOKDIR"/new.* | grep -q 'urgent=0' || fail "forged ones counted as urgent"

note "a not-urgent request: --on-new only"
n=$(count new)
mkrec k1 --about friend --danger no >/dev/null
wait_count new $((n + 1)) || fail "--on-new did not run"
sleep 0.5
expect_eq "--on-urgent runs" "$(count urgent)" 1

note "a failing and a hanging command are reported; watch goes on"
stop_watch
start_watch --on-new 'exit 3' --on-urgent 'sleep 30' --command-timeout 1
mkrec k1 --about self --danger yes >/dev/null
wait_log "--on-new command failed (exit status 3)"
wait_log "--on-urgent command still running after 1 s: stopped"
sleep 0.3
pgrep -f "^sleep 30$" >/dev/null && fail "the hanging command was not killed"
kill -0 "$WPID" || fail "watch died"

note "the spool folder goes away and comes back"
mv "$T/spool" "$T/spool.away"
wait_log "is gone (unmounted or moved?); waiting for it to come back"
sleep 0.3
mv "$T/spool.away" "$T/spool"
wait_log "is back; watching again"
stop_watch
rm -f "$HOOKDIR"/*
start_watch --on-urgent "$T/hook.sh"
rm -rf "$T/spool.keep"; mv "$T/spool" "$T/spool.keep"
wait_log "is gone"
mkdir -p "$T/spool/new" "$T/spool/cur" "$T/spool/tmp"
mkrec k1 --about self --danger yes >/dev/null   # delivered while "remounting"
wait_log "is back"
wait_count urgent 1 || fail "the request delivered while the spool was away did not fire"

note "the shipped notify-send example (a stand-in notify-send records its arguments)"
stop_watch
mkdir -p "$T/bin"
# one write per call: the two commands of one arrival run at the same time
printf '#!/bin/sh\nline=$(printf "%%s|" "$@")\necho "$line" >>"%s/notified"\n' "$T" >"$T/bin/notify-send"
chmod +x "$T/bin/notify-send"
PATH=$T/bin:$PATH start_watch --on-new "$TOP/config/watch/notify-send.sh" \
	--on-urgent "$TOP/config/watch/notify-send.sh"
U=$(mkrec k1 --about self --danger yes --field Name=Zoe-Private)
i=0; while [ "$(cat "$T/notified" 2>/dev/null | wc -l)" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
cat "$T/notified"
expect_grep "^--urgency=critical|--app-name=safeharbor|safeharbor: urgent|1 request says it is urgent. Open the inbox now.|$" "$T/notified"
expect_grep "^--app-name=safeharbor|safeharbor|1 new request (2 waiting).|$" "$T/notified"
expect_nogrep "Zoe" "$T/notified"
expect_nogrep "$(echo "${U% *}" | cut -c1-8)" "$T/notified"

note "SIGTERM stops it cleanly"
kill "$WPID"; wait "$WPID"; rc=$?; WPID=
expect_eq "watch exit status after SIGTERM" "$rc" 0
expect_grep "watch: stopped" "$T/watch.err"

note "bad input"
expect_rc 2 shx watch --command-timeout 0
expect_grep "give whole seconds" "$T/err"
expect_rc 2 shx watch --on-new
expect_grep "needs a value" "$T/err"
note "ok"
