#!/bin/sh
# A full spool: the student is told plainly that the request was NOT sent
# (nothing claims success, nothing is left in new/ or tmp/); once there is
# room, "Try again" delivers it and the tool reads it. Needs a small tmpfs
# (root); the missing-spool case is in t_kiosk_wipe.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
mkdir -p "$T/full"
mount -t tmpfs -o size=128k,mode=0700 tmpfs "$T/full" 2>/dev/null || skip "cannot mount a small tmpfs here (not root?)"
unmount_full() { umount "$T/full" 2>/dev/null; true; }
SH_CLEANUPS="$SH_CLEANUPS unmount_full"   # after the kiosks are gone
mkdir -p "$T/full/spool"
kiosk_conf full spool="$T/full/spool"
"$KIOSK" -c "$T/full.conf" --check >/dev/null 2>&1 || fail "check on the tmpfs spool"
dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null || true
[ "$(df --output=avail -k "$T/full" | tail -n 1)" -lt 16 ] || fail "could not fill the tmpfs"

s=full
kiosk_start $s 80 24 "$T/full.conf"
press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 2 "How can we find you?"
type_text $s "Full Spool"
press $s C-n "Anything else?"
type_text $s "please"
keys $s Tab
press $s Enter "Check before you send"
press $s 1 "Not sent"
expect_text $s "Your request was NOT sent"
expect_text $s "librarian"
expect_text $s "counseling office"
expect_no_text $s "Thank you"
expect_eq "files in new/" "$(ls "$T/full/spool/new" | wc -l)" 0
expect_eq "files in tmp/" "$(ls "$T/full/spool/tmp" | wc -l)" 0

note "room again: Try again delivers"
rm "$T/full/filler"
press $s 1 "Thank you"
expect_eq "files in new/" "$(ls "$T/full/spool/new" | wc -l)" 1
"$SH" list -i "$T/id.age" --passphrase-file "$T/pass" --spool "$T/full/spool" >"$T/list" || fail "list"
expect_eq "records" "$(awk 'NR > 1' "$T/list" | wc -l)" 1
echo ok
