#!/bin/sh
# One command for a newcomer on a fresh Debian machine: install what is
# missing, build, create a demo world under ./demo/ and start the kiosk on
# it. Run it again to reuse the same ./demo/ (delete the folder to start over).
#
#   ./demo.sh            start the kiosk (to stop it: F12, PIN 2468, Enter)
#   ./demo.sh --no-kiosk build and set up only, send one test submission
set -eu
case "${1:-}" in
""|--no-kiosk) ;;
*) echo "usage: ./demo.sh [--no-kiosk]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")"
top=$(pwd)
# The kiosk needs a UTF-8 locale (students' names in any script); a fresh
# machine or an ssh session may have none set.
case "$(locale charmap 2>/dev/null)" in
UTF-8) ;;
*) LANG=C.UTF-8 LC_ALL=C.UTF-8; export LANG LC_ALL ;;
esac
.ci/install-deps
make -s -j2
SH=$top/build/safeharbor
KIOSK=$top/build/safeharbor-kiosk
D=$top/demo

if [ ! -f "$D/kiosk.conf" ]; then
	echo "== creating $D"
	rm -rf "$D"
	mkdir -m 700 "$D"
	# The demo passphrase is written to a file so the commands below can be
	# copied as they are. A real social worker types hers at a prompt.
	printf 'demo passphrase\n' >"$D/passphrase"
	chmod 600 "$D/passphrase"
	"$SH" keygen -i "$D/identity.age" --passphrase-file "$D/passphrase" >"$D/recipients.txt"
	mkdir -m 700 "$D/spool"
	cat >"$D/kiosk.conf" <<EOC
; Demo kiosk config (see config/kiosk.conf for every key). Relative paths
; are resolved against this file's folder.
[kiosk]
spool = spool
recipients = recipients.txt
signing_key = kiosk.key
screens = ../screens
languages = en es
idle_seconds = 90
follow_up = 2 school days
EOC
	# IT enrolls the kiosk and hands its public key to the social worker,
	# who adds it under a name (here both happen at once).
	"$KIOSK" -c "$D/kiosk.conf" --enroll >"$D/kiosk.pub" 2>"$D/enroll.log" ||
		{ cat "$D/enroll.log" >&2; exit 1; }
	"$SH" -i "$D/identity.age" kiosks add demo-library "$(cat "$D/kiosk.pub")"
	echo "== enrolled the demo kiosk as demo-library (key in demo/kiosk.pub)"
	# Demo admin PIN 2468 (the IT guide explains how to choose a real one).
	printf '2468\n' | "$KIOSK" --set-pin >>"$D/kiosk.conf"
fi

# Answers (SPEC §9): on this one machine her replies folder is the kiosk's
# too (no sync needed), and the kiosk trusts her staff key. A demo/ made
# before replies existed gets them here as well.
if ! grep -q '^replies' "$D/kiosk.conf"; then
	mkdir -p -m 700 "$D/replies"
	"$SH" pubkey --staff -i "$D/identity.age" --passphrase-file "$D/passphrase" >"$D/staff-keys.txt"
	printf 'replies = replies\nstaff_keys = staff-keys.txt\n' >>"$D/kiosk.conf"
	"$KIOSK" -c "$D/kiosk.conf" --check
fi

# Social-worker settings for the commands printed below: her tool on PATH,
# the demo spool and identity (the tool reads these variables).
cat >"$D/env" <<EOE
# . demo/env  -- the demo social worker's settings for build/safeharbor
PATH="$top/build:\$PATH"
SAFEHARBOR_SPOOL="$D/spool"
SAFEHARBOR_IDENTITY="$D/identity.age"
SAFEHARBOR_REPLIES="$D/replies"
export PATH SAFEHARBOR_SPOOL SAFEHARBOR_IDENTITY SAFEHARBOR_REPLIES
case "\$(locale charmap 2>/dev/null)" in
UTF-8) ;;
*) LANG=C.UTF-8 LC_ALL=C.UTF-8; export LANG LC_ALL ;;
esac
EOE

how_to_read() {
	cat <<EOM

== read the queue as the social worker (her passphrase: demo passphrase):
   . $D/env
   safeharbor list              # urgent first, then newest
   safeharbor show ID           # ID: the first digits from the list
   echo 'Come to room 12 on Tuesday.' | safeharbor reply ID   # the student reads it
                                # at the kiosk: About 4, the code Sent showed
   safeharbor mark ID handled
   safeharbor inbox             # full screen; ? lists the keys, Q quits
   safeharbor stats
   safeharbor export --csv -o requests.csv    # writes plaintext
   Without the prompt: add --passphrase-file $D/passphrase
   The manual: man -l $top/doc/safeharbor.1
EOM
}

if [ "${1:-}" = "--no-kiosk" ]; then
	"$KIOSK" -c "$D/kiosk.conf" --send-test
	echo "== the queue, as the social worker sees it:"
	"$SH" list -i "$D/identity.age" --passphrase-file "$D/passphrase" --spool "$D/spool"
	how_to_read
	exit 0
fi

cat <<EOM
== starting the kiosk on demo/ (a student's view; terminal at least 80x24).
   Keys are shown at the bottom of every screen. Esc is the quick exit.
   To stop the kiosk: press F12, type the demo admin PIN 2468, then Enter.
EOM
if [ -t 0 ]; then
	# A smaller window shows only a "too small" notice, and F12 waits for a
	# window the kiosk fits in.
	size=$(stty size 2>/dev/null || echo "24 80")
	rows=${size% *} cols=${size#* }
	while [ "$rows" -lt 24 ] || [ "$cols" -lt 80 ]; do
		printf '   This terminal is %sx%s: make it at least 80x24, then press Enter. ' "$cols" "$rows"
		read -r _ || break
		size=$(stty size 2>/dev/null || echo "24 80")
		rows=${size% *} cols=${size#* }
	done
	printf '   Press Enter to start. '
	read -r _ || true
fi
rc=0
"$KIOSK" -c "$D/kiosk.conf" || rc=$?
[ "$rc" -eq 0 ] || echo "== the kiosk stopped with exit status $rc (see the message above)"
how_to_read
