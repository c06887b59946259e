#!/bin/sh
# Syncthing carries two kiosks' new/ (one folder ID, send-only on each
# kiosk) into the social worker's spool new/ (receive-only, Ignore Delete):
# three headless instances on
# loopback only (no discovery, relays, NAT, reporting), configured by
# writing config.xml. While the kiosk keeps delivering and the worker moves
# arrivals to cur/, no partial envelope is ever visible in new/ (Syncthing
# writes ".syncthing.NAME.tmp" and renames), every envelope arrives once and
# byte-identical, and envelopes the worker moved away do not come back.
. "$(dirname "$0")/lib.sh"

command -v syncthing >/dev/null || skip "syncthing not installed (Debian: syncthing); see config/sync/syncthing-README.md"
command -v age >/dev/null && command -v age-keygen >/dev/null || skip "age not installed"
command -v python3 >/dev/null || skip "python3 not installed"
N=${SH_SYNCTHING_ENVELOPES:-12}
LIMIT=${SH_SYNCTHING_TIMEOUT:-100}

age-keygen -o "$T/plain.key" 2>/dev/null || fail "age-keygen"
age-keygen -y "$T/plain.key" >"$T/recipients.txt"
SIZE=16584
K=$T/kiosk
K2=$T/kiosk2
W=$T/worker
for d in "$K" "$K2" "$W"; do mkdir -p "$d/tmp" "$d/new" "$d/cur"; done

deliver() { # deliver SPOOL
	name=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	{ printf 'SAFEHARBOR-TEST %s\n' "$name"; head -c 16384 /dev/zero; } | head -c 16384 |
		age -R "$T/recipients.txt" -o "$1/tmp/$name.age" || return 1
	mv "$1/tmp/$name.age" "$1/new/$name.age"
}

for h in a b c; do
	syncthing generate --home="$T/st-$h" --no-default-folder --skip-port-probing \
		>"$T/gen-$h.log" 2>&1 || { cat "$T/gen-$h.log" >&2; fail "syncthing generate"; }
done
# kiosks talk to the worker only; the worker to both kiosks
python3 "$(dirname "$0")/syncthing_conf.py" safeharbor-spool \
	a="$T/st-a,$K/new,sendonly,false,b" b="$T/st-b,$W/new,receiveonly,true,a+c" \
	c="$T/st-c,$K2/new,sendonly,false,b" || fail "writing the Syncthing configs"

export STNOUPGRADE=1 STNORESTART=1
for h in a b c; do
	syncthing serve --home="$T/st-$h" --no-browser --no-restart --no-upgrade \
		--logfile="$T/st-$h.log" >/dev/null 2>&1 &
	eval "st_$h=\$!"
done
stop_syncthing() { kill "$st_a" "$st_b" "$st_c" 2>/dev/null; wait "$st_a" "$st_b" "$st_c" 2>/dev/null; }
SH_CLEANUPS="stop_syncthing $SH_CLEANUPS"

: >"$T/torn"; : >"$T/again"
( i=0; while [ $i -lt "$N" ]; do deliver "$K" || echo "deliver $i" >>"$T/deliver.err"; i=$((i + 1)); sleep 0.3; done ) &
pk=$!
( i=0; while [ $i -lt "$N" ]; do deliver "$K2" || echo "deliver2 $i" >>"$T/deliver.err"; i=$((i + 1)); sleep 0.3; done ) &
pk2=$!
( while [ ! -e "$T/stop" ]; do
	for f in "$W"/new/*.age; do
		[ -f "$f" ] || continue
		s=$(stat -c %s "$f" 2>/dev/null) || continue
		[ "$s" = "$SIZE" ] || { echo "$f: $s bytes" >>"$T/torn"; continue; }
		# The worker reads it: into cur/, as the tool does.
		[ ! -e "$W/cur/${f##*/}:2,S" ] || echo "${f##*/}" >>"$T/again"
		mv -n "$f" "$W/cur/${f##*/}:2,S" 2>/dev/null
	done
	sleep 0.2
done ) &
pw=$!
wait $pk $pk2
[ ! -s "$T/deliver.err" ] || fail "the kiosk failed to deliver"

start=$(date +%s)
while :; do
	got=$(ls "$W/cur" | wc -l)
	[ "$got" -ge $((2 * N)) ] && break
	if [ $(( $(date +%s) - start )) -ge "$LIMIT" ]; then
		touch "$T/stop"
		tail -n 20 "$T/st-a.log" "$T/st-b.log" >&2
		fail "only $got of $((2 * N)) envelopes arrived within ${LIMIT}s"
	fi
	sleep 1
done
note "$((2 * N)) envelopes from two kiosks arrived in $(( $(date +%s) - start ))s after the last send"
sleep 3   # would anything come back into new/ once moved?
touch "$T/stop"
wait $pw
[ ! -s "$T/torn" ] || { sort -u "$T/torn" | head -n 5 >&2; fail "a partial envelope was visible in new/"; }
[ ! -s "$T/again" ] || fail "an envelope the worker had read came back"
left=$(ls "$W/new" | grep -v '^\.' || true)
[ -z "$left" ] || fail "envelopes came back into new/ after being read: $left"

( cd "$K/new" && ls; cd "$K2/new" && ls ) | sort >"$T/k"
ls "$W/cur" | sed 's/:2,.*//' | sort >"$T/w"
expect_eq "kiosk envelopes" "$(wc -l <"$T/k" | tr -d ' ')" $((2 * N))
cmp -s "$T/k" "$T/w" || { diff "$T/k" "$T/w" >&2; fail "worker spool != kiosk envelopes"; }
for n in $(cat "$T/k"); do
	src=$K/new/$n; [ -f "$src" ] || src=$K2/new/$n
	cmp -s "$src" "$W/cur/$n:2,S" || fail "$n differs"
	age -d -i "$T/plain.key" "$W/cur/$n:2,S" >/dev/null 2>&1 || fail "age -d $n"
done
for d in "$K" "$K2"; do
	[ -z "$(ls -A "$d/tmp")" ] && [ -z "$(ls -A "$d/cur")" ] || fail "$d: tmp/ or cur/ touched"
	# send-only: a kiosk never receives the other kiosk's envelopes
	[ "$(ls "$d/new" | wc -l)" -eq "$N" ] || fail "$d/new changed: $(ls "$d/new" | wc -l) files"
done
note "syncthing: each envelope once, whole, byte-identical; kiosk untouched"
