#!/bin/sh
# SPEC §2.4, "if the spool cannot be written (full, read-only, gone), the
# student is told plainly and nothing claims success". `--send-test` on a
# full tmpfs (16 KiB, smaller than one envelope: ENOSPC part-way through
# the write), a read-only bind mount, a missing spool, a spool without
# tmp/ and one without new/: each must exit non-zero with a message on
# stderr, print nothing claiming success, leave new/ (and tmp/) empty, and
# succeed once the spool is repaired. The kiosk UI case (the student reads
# the not-sent message and the kiosk keeps running) is in
# t_rel_spool_ui.sh.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=spool-broken
rel_need_programs $SUITE
rel_world
MNT=$T/mnt
mkdir -p "$MNT"
umount_all() { umount "$MNT" 2>/dev/null; umount "$MNT" 2>/dev/null; true; }
SH_CLEANUPS="umount_all"
conf_for() {
	sed "s|^spool = .*|spool = $1|" "$T/kiosk.conf" >"$T/k2.conf"
}
# must_refuse WHAT SPOOL: send-test fails plainly and leaves nothing.
must_refuse() {
	rel_run
	conf_for "$2"
	"$KIOSK" -c "$T/k2.conf" --send-test >"$T/out" 2>"$T/err"
	rc=$?
	note "$1: exit $rc, stderr: $(head -n 3 "$T/err" | tr '\n' ' ')"
	[ "$rc" -ne 0 ] || rel_bad "$1: --send-test exited 0"
	[ -s "$T/err" ] || rel_bad "$1: no message on stderr"
	grep -qiE 'delivered:|success' "$T/out" "$T/err" && rel_bad "$1: output claims success"
	n=$(rel_count "$2/new")
	[ "$n" = 0 ] || rel_bad "$1: $n file(s) left in new/"
	n=$(rel_count "$2/tmp")
	[ "$n" = 0 ] || rel_bad "$1: $n file(s) left in tmp/"
}
must_work() {
	rel_run
	conf_for "$2"
	"$KIOSK" -c "$T/k2.conf" --send-test >"$T/out" 2>"$T/err" ||
		{ cat "$T/err"; rel_bad "$1: --send-test still fails after repair"; return; }
	n=$(rel_count "$2/new")
	[ "$n" = 1 ] || rel_bad "$1: after repair new/ holds $n files, want 1"
}
mkspool() { mkdir -p "$1/tmp" "$1/new" "$1/cur" && chmod 700 "$1" "$1/tmp" "$1/new" "$1/cur"; }

# 1. Full: tmpfs smaller than one envelope, then grown.
if mount -t tmpfs -o size=16k,mode=0700 tmpfs "$MNT" 2>"$T/merr"; then
	mkspool "$MNT/sp"
	must_refuse "full tmpfs (16 KiB)" "$MNT/sp"
	# Full with room for the header but not the payload: a filler leaves
	# only a few KiB free in a 64 KiB tmpfs.
	mount -o remount,size=64k "$MNT"
	head -c $((52 * 1024)) /dev/zero >"$MNT/filler" 2>/dev/null
	must_refuse "nearly full tmpfs (64 KiB with filler)" "$MNT/sp"
	rm -f "$MNT/filler"
	mount -o remount,size=256k "$MNT"
	must_work "tmpfs grown to 256 KiB" "$MNT/sp"
	umount "$MNT"
else
	note "SKIPPED full-disk part: mount -t tmpfs not permitted here ($(cat "$T/merr"))"
	echo "REL-SKIP full-disk: mount not permitted"
fi

# 2. Read-only: a bind mount remounted ro (root ignores mode bits).
mkspool "$T/rosrc"
if mount --bind "$T/rosrc" "$MNT" 2>"$T/merr" && mount -o remount,bind,ro "$MNT" 2>>"$T/merr"; then
	must_refuse "read-only bind mount" "$MNT"
	mount -o remount,bind,rw "$MNT"
	must_work "bind mount back to read-write" "$MNT"
	umount "$MNT"
else
	umount "$MNT" 2>/dev/null
	note "SKIPPED read-only part: bind mount not permitted here ($(cat "$T/merr"))"
	echo "REL-SKIP read-only: mount not permitted"
fi

# 3. Gone: the spool directory does not exist.
must_refuse "spool missing" "$T/gone"
mkspool "$T/gone"
must_work "spool created" "$T/gone"

# 4. No tmp/ (and, separately, no new/). The kiosk may refuse, or give an
# existing spool directory its Maildir folders and deliver; either way it
# must not claim a delivery that is not there (the folders' durability is
# checked under strace in t_rel_powerloss.sh). A tmp/ or new/ that is a
# file cannot be repaired: refused.
for sub in tmp new; do
	d=$T/no$sub
	mkspool "$d"; rmdir "$d/$sub"
	rel_run
	conf_for "$d"
	if "$KIOSK" -c "$T/k2.conf" --send-test >"$T/out" 2>"$T/err"; then
		note "spool without $sub/: the kiosk made the folder and delivered"
		[ "$(rel_count "$d/new")" = 1 ] || rel_bad "spool without $sub/: success claimed, new/ holds $(rel_count "$d/new")"
		SAFEHARBOR_SPOOL=$d "$SH" verify --spool "$d" -i "$T/id.age" --passphrase-file "$T/pass" >"$T/v" 2>&1 ||
			{ cat "$T/v"; rel_bad "spool without $sub/: the delivered envelope does not verify"; }
	else
		note "spool without $sub/: refused: $(head -n 1 "$T/err")"
		[ "$(rel_count "$d/new")" = 0 ] || rel_bad "spool without $sub/: refused but new/ not empty"
		mkdir -p "$d/$sub"
		must_work "$sub/ restored" "$d"
	fi
	d=$T/file$sub
	mkspool "$d"; rmdir "$d/$sub"; : >"$d/$sub"
	must_refuse "$sub/ is a regular file" "$d"
	rm -f "$d/$sub"; mkdir "$d/$sub"
	must_work "$sub/ made a folder again" "$d"
done

# 5. A spool with no cur/ yet (as a kiosk-only share may arrive): the
# worker's first mark creates it and moves the envelope there.
if [ -x "$REL_TOOLS/rel_writer" ]; then
	rel_run
	mkdir -p "$T/nocur/tmp" "$T/nocur/new"
	"$REL_TOOLS/rel_writer" "$T/nocur" "$T/recipients.txt" "$T/kiosk.key" 1 >"$T/w" 2>&1 || rel_bad "writer into a spool without cur/"
	id=$(cut -d' ' -f2 "$T/w")
	SAFEHARBOR_SPOOL=$T/nocur "$SH" mark "$id" handled --spool "$T/nocur" -i "$T/id.age" --passphrase-file "$T/pass" >"$T/o" 2>&1 ||
		{ cat "$T/o"; rel_bad "mark in a spool without cur/ fails"; }
	[ "$(rel_count "$T/nocur/cur")" = 1 ] && [ "$(rel_count "$T/nocur/new")" = 0 ] ||
		rel_bad "mark in a spool without cur/: new/ $(rel_count "$T/nocur/new"), cur/ $(rel_count "$T/nocur/cur")"
fi

# 6. A spool that is a file.
: >"$T/afile"
rel_run
conf_for "$T/afile"
"$KIOSK" -c "$T/k2.conf" --send-test >"$T/out" 2>"$T/err" && rel_bad "spool is a file: exited 0"
rel_done $SUITE
