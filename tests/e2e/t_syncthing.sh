#!/bin/sh
# Syncthing carries two kiosks' new/ into the social worker's spool, the
# documented way (config/sync/syncthing-README.md): each kiosk shares its
# new/ in a folder of its own (own folder ID, send-only), received on the
# worker into incoming/<kiosk>/ (receive-only, Ignore Delete), and
# config/sync/syncthing-collect.sh links each new envelope into the spool's
# new/ once. Three headless instances on loopback only (no discovery,
# relays, NAT, reporting), configured by writing config.xml. While the
# kiosks keep delivering and the worker moves arrivals to cur/, no partial
# envelope is ever visible in new/, every envelope arrives once and
# byte-identical, and envelopes the worker moved away do not come back.
# Then a compromised kiosk (issue 11, class 8) writes another kiosk's
# envelope name and deletes its own: nothing of the other kiosk's, nor of
# the worker's spool, is replaced or lost, and the clash is reported.
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
mkdir -p "$W/incoming/a" "$W/incoming/c"
COLLECT="sh $TOP/config/sync/syncthing-collect.sh $W $T/collected $W/incoming/a $W/incoming/c"

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
python3 - "$T" "$K/new" "$W/incoming" "$K2/new" <<'PY' || fail "writing the Syncthing configs"
import socket, sys, xml.etree.ElementTree as ET
t, kiosk_new, incoming, kiosk2_new = sys.argv[1:5]
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
homes = {"a": t + "/st-a", "b": t + "/st-b", "c": t + "/st-c"}
# one folder per kiosk: (folder id, the kiosk, its path there, the worker's)
folders = [("safeharbor-kiosk-a", "a", kiosk_new, incoming + "/a"),
           ("safeharbor-kiosk-c", "c", kiosk2_new, incoming + "/c")]
# kiosks talk to the worker only; the worker to both kiosks
peers = {"a": ["b"], "c": ["b"], "b": ["a", "c"]}
trees = {h: ET.parse(d + "/config.xml") for h, d in homes.items()}
ids = {h: tr.getroot().find("device").get("id") for h, tr in trees.items()}
listen = {h: port() for h in homes}
gui = {h: port() for h in homes}
for h, tr in trees.items():
    root = tr.getroot()
    g = root.find("gui"); g.find("address").text = "127.0.0.1:%d" % gui[h]
    g.find("apikey").text = "safeharbor-test-" + h
    o = root.find("options")
    def setopt(k, v):
        e = o.find(k)
        if e is None: e = ET.SubElement(o, k)
        e.text = v
    setopt("listenAddress", "tcp://127.0.0.1:%d" % listen[h])
    for k in ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled",
              "startBrowser", "crashReportingEnabled", "announceLANAddresses"):
        setopt(k, "false")
    setopt("urAccepted", "-1")
    setopt("autoUpgradeIntervalH", "0")
    setopt("reconnectionIntervalS", "1")
    for other in peers[h]:
        d = ET.Element("device", id=ids[other], name="peer-" + other, compression="metadata",
                       introducer="false", skipIntroductionRemovals="false", introducedBy="")
        ET.SubElement(d, "address").text = "tcp://127.0.0.1:%d" % listen[other]
        ET.SubElement(d, "autoAcceptFolders").text = "false"
        root.insert(1, d)
    for fid, kiosk, kpath, wpath in folders:
        if h not in (kiosk, "b"):
            continue          # a kiosk is never a member of another's folder
        worker = h == "b"
        f = ET.Element("folder", id=fid, label=fid, path=wpath if worker else kpath,
                       type="receiveonly" if worker else "sendonly",
                       rescanIntervalS="1", fsWatcherEnabled="true", fsWatcherDelayS="1",
                       ignorePerms="false", autoNormalize="true")
        ET.SubElement(f, "filesystemType").text = "basic"
        for dev in (ids[kiosk], ids["b"]):
            e = ET.SubElement(f, "device", id=dev, introducedBy="")
            ET.SubElement(e, "encryptionPassword").text = ""
        ET.SubElement(f, "minDiskFree", unit="%").text = "1"
        ET.SubElement(f, "order").text = "oldestFirst"
        ET.SubElement(f, "ignoreDelete").text = "true" if worker else "false"
        root.insert(0, f)
    tr.write(homes[h] + "/config.xml")
PY

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
	$COLLECT 2>>"$T/collect.err"
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
[ ! -s "$T/collect.err" ] || { cat "$T/collect.err" >&2; fail "the collector complained"; }
note "syncthing: each envelope once, whole, byte-identical; kiosk untouched"

note "a compromised kiosk offers another kiosk's envelope name and deletes its own"
victim=$(head -n 1 "$T/k")
[ -f "$K2/new/$victim" ] || victim=$(ls "$K2/new" | head -n 1)
cp "$W/cur/$victim:2,S" "$T/victim.orig"
printf 'FORGED' >"$K/new/.x" && head -c $((SIZE - 6)) /dev/urandom >>"$K/new/.x" &&
	mv "$K/new/.x" "$K/new/$victim"
for f in $(ls "$K/new" | grep -v "^$victim\$" | head -n 3); do rm -f "$K/new/$f"; done
start=$(date +%s)
until [ -f "$W/incoming/a/$victim" ]; do
	[ $(( $(date +%s) - start )) -lt "$LIMIT" ] || fail "the compromised kiosk's file never arrived"
	sleep 1
done
sleep 3
$COLLECT 2>"$T/collect.err"
expect_grep "$victim: clash: a file of this name was already collected from $W/incoming/c" "$T/collect.err"
cmp -s "$W/cur/$victim:2,S" "$T/victim.orig" || fail "the other kiosk's envelope was replaced"
cmp -s "$W/incoming/c/$victim" "$K2/new/$victim" || fail "the other kiosk's folder was changed"
[ ! -e "$W/new/$victim" ] || fail "the forged file entered the spool"
expect_eq "envelopes in the worker's spool" "$(ls "$W/cur" | wc -l | tr -d ' ')" $((2 * N))
note "the forged name was refused and reported; deletions reached nothing"
