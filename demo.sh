#!/bin/sh
# One command for a newcomer on a fresh Debian machine: install what is
# missing, build, create a demo world under ./demo/ and start the kiosk on
# it. Run it again to reuse the same ./demo/ (delete the folder to start over).
#
#   ./demo.sh            start the kiosk (admin exit: see below)
#   ./demo.sh --no-kiosk build and set up only, send one test submission
set -eu
cd "$(dirname "$0")"
top=$(pwd)
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
	"$KIOSK" -c "$D/kiosk.conf" --enroll >"$D/kiosk.pub"
	"$SH" -i "$D/identity.age" kiosks add demo-library "$(cat "$D/kiosk.pub")"
	# Demo admin PIN 2468 (the IT guide explains how to choose a real one).
	printf '2468\n' | "$KIOSK" --set-pin >>"$D/kiosk.conf"
	"$KIOSK" -c "$D/kiosk.conf" --check
fi

read_queue="$SH list -i demo/identity.age --passphrase-file demo/passphrase --spool demo/spool"
if [ "${1:-}" = "--no-kiosk" ]; then
	"$KIOSK" -c "$D/kiosk.conf" --send-test
	echo "== the queue, as the social worker sees it:"
	$read_queue
	exit 0
fi

cat <<EOM
== starting the kiosk on demo/ (a student's view).
   Keys are shown at the bottom of every screen. Esc is the quick exit.
   To stop the kiosk: press F12, then type the demo admin PIN 2468 and Enter.
EOM
sleep 2
"$KIOSK" -c "$D/kiosk.conf" || true
cat <<EOM

== read what was sent, as the social worker:
   $read_queue
   build/safeharbor show ID -i demo/identity.age --passphrase-file demo/passphrase --spool demo/spool
   build/safeharbor inbox -i demo/identity.age --passphrase-file demo/passphrase --spool demo/spool
EOM
