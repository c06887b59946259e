#!/bin/sh
# Syncthing carries the social worker's replies folder (send-only on her
# machine) to a kiosk's (receive-only), two headless instances on loopback
# only, configured by writing config.xml as t_syncthing.sh does. While she
# keeps answering with `safeharbor reply`, no reply file is ever visible at
# the kiosk partly written (Syncthing writes ".syncthing.NAME.tmp" and
# renames); every answer arrives byte-identical; an answer she removes goes
# from the kiosk too; a file changed at the kiosk is never sent back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
command -v syncthing >/dev/null || skip "syncthing not installed (Debian: syncthing)"
N=${SH_SYNCTHING_REPLIES:-6}
LIMIT=${SH_SYNCTHING_TIMEOUT:-100}
tool_world
W=$T/worker-replies
K=$T/kiosk-replies
mkdir -p "$W" "$K"
ID1=$(mkrec k1 --code "maple-river-stone-otter-lake" | cut -d' ' -f1)
SIZE=16584

for h in w k; do
	syncthing generate --home="$T/st-$h" --no-default-folder --skip-port-probing \
		>"$T/gen-$h.log" 2>&1 || { cat "$T/gen-$h.log" >&2; fail "syncthing generate"; }
done
python3 "$(dirname "$0")/syncthing_conf.py" safeharbor-replies \
	w="$T/st-w,$W,sendonly,false,k" k="$T/st-k,$K,receiveonly,false,w" ||
	fail "writing the Syncthing configs"
export STNOUPGRADE=1 STNORESTART=1
for h in w k; do
	syncthing serve --home="$T/st-$h" --no-browser --no-restart --no-upgrade \
		--logfile="$T/st-$h.log" >/dev/null 2>&1 &
	eval "st_$h=\$!"
done
stop_syncthing() { kill "$st_w" "$st_k" 2>/dev/null; wait "$st_w" "$st_k" 2>/dev/null; }
SH_CLEANUPS="stop_syncthing $SH_CLEANUPS"

watch_sizes "$K" $SIZE "$T/torn"
i=0
while [ $i -lt "$N" ]; do
	printf 'Answer %s.\n' "$i" | shx reply "$ID1" --replies "$W" >/dev/null 2>>"$T/reply.err" || fail "reply $i"
	i=$((i + 1)); sleep 0.3
done
wait_for() { # wait_for COUNT WHAT
	start=$(date +%s)
	while [ "$(ls "$K" | grep -c '\.age$')" != "$1" ]; do
		[ $(( $(date +%s) - start )) -lt "$LIMIT" ] || { tail -n 20 "$T/st-k.log" >&2; fail "$2: $(ls "$K" | wc -l) of $1 within ${LIMIT}s"; }
		sleep 1
	done
	note "$2 in $(( $(date +%s) - start ))s"
}
wait_for "$N" "$N answers at the kiosk"
for n in $(ls "$W"); do cmp -s "$W/$n" "$K/$n" || fail "$n differs"; done

note "an answer she removes goes from the kiosk too"
gone=$(ls "$W" | head -n 1)
rm "$W/$gone"
wait_for $((N - 1)) "the removal at the kiosk"

note "a file changed at the kiosk never goes back to her"
victim=$(ls "$K" | head -n 1)
cp "$W/$victim" "$T/victim.orig"
printf 'x' | dd of="$K/$victim" bs=1 seek=100 conv=notrunc 2>/dev/null
printf 'x' >"$K/planted"
sleep 5
cmp -s "$W/$victim" "$T/victim.orig" || fail "a change at the kiosk reached her folder"
[ ! -e "$W/planted" ] || fail "a file made at the kiosk reached her folder"
touch "$T/stop"; wait $WATCH_PID
[ ! -s "$T/torn" ] || { sort -u "$T/torn" | head -n 5 >&2; fail "a partial reply was visible at the kiosk"; }
echo ok
