#!/bin/sh
# SPEC §2.4 through the real kiosk UI (tmux, 80x24): the spool breaks while
# the kiosk runs (remounted read-only; tmp/ removed; the whole spool
# removed). The student reads the plain "NOT sent" screen, never "Thank
# you"; the kiosk keeps running; nothing is left in new/; after the repair
# "Try again" (1) delivers and the tool reads it (for a spool removed and
# made again, a running kiosk may keep refusing until restarted: Landlock
# grants the directory it saw at start; it must stay honest meanwhile). Keys per SPEC §3 and the
# kiosk's screens (see t_kiosk_spool.sh for the full-disk case).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=spool-ui
rel_need_programs $SUITE
command -v tmux >/dev/null || rel_skip $SUITE "tmux not installed"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
rel_world
MNT=$T/mnt
mkdir -p "$MNT"
umount_all() { umount "$MNT" 2>/dev/null; true; }
SH_CLEANUPS="umount_all"

# to_review: Welcome -> Review, anonymous, with a short message.
to_review() {
	tm_keys 1; tm_wait "Who is this about" || return 1
	tm_keys 1; tm_wait "In danger right now" || return 1
	tm_keys 2; tm_wait "How can we find you" || return 1
	tm_keys C-n; tm_wait "Anything else" || return 1
	tm_keys -l "please"; tm_keys Tab; tm_keys Enter
	tm_wait "Check before you send"
}
# case_ui NAME SPOOL BREAK REPAIR [restart]: run one break/repair cycle.
# With "restart", a retry that still fails after the repair is accepted
# only if it is again an honest NOT sent, and a restarted kiosk delivers.
case_ui() {
	name=$1 sp=$2 brk=$3 rep=$4 restart=${5:-}
	rel_run
	sed "s|^spool = .*|spool = $sp|" "$T/kiosk.conf" >"$T/ui.conf"
	tm_kill
	tm_start "$KIOSK" -c "$T/ui.conf"
	tm_wait "Talk to someone" 10 || { tm_text; rel_bad "$name: no Welcome"; return; }
	pid=$(tm_pid)
	to_review || { tm_text; rel_bad "$name: could not reach Review"; return; }
	$brk
	tm_keys 1
	if ! tm_wait "NOT sent" 10; then
		tm_text; rel_bad "$name: the student is not told NOT sent"; $rep; return
	fi
	tm_text | grep -q "Thank you" && rel_bad "$name: 'Thank you' next to NOT sent"
	sleep 0.3
	rel_alive "$pid" || rel_bad "$name: the kiosk is not running after the failure"
	tm_dead && rel_bad "$name: the kiosk exited"
	[ "$(rel_count "$sp/new")" = 0 ] || rel_bad "$name: new/ not empty after NOT sent"
	note "$name: NOT sent shown, kiosk running"
	$rep
	tm_keys 1
	if tm_wait "Thank you" 10; then
		[ "$(rel_count "$sp/new")" = 1 ] || rel_bad "$name: Thank you, but new/ holds $(rel_count "$sp/new")"
		SAFEHARBOR_SPOOL=$sp "$SH" list --spool "$sp" -i "$T/id.age" --passphrase-file "$T/pass" >"$T/l" 2>&1 ||
			{ cat "$T/l"; rel_bad "$name: the tool cannot read the retried envelope"; }
		note "$name: after the repair, Try again delivered"
	elif [ -n "$restart" ] && tm_text | grep -q "NOT sent" && [ "$(rel_count "$sp/new")" = 0 ]; then
		note "$name: after the repair the running kiosk still says NOT sent (honest; its Landlock rule holds the old directory): restart needed"
		tm respawn-pane -k -t k "$KIOSK" -c "$T/ui.conf"
		tm_wait "Talk to someone" 10 && to_review && tm_keys 1 && tm_wait "Thank you" 10 ||
			{ tm_text; rel_bad "$name: a restarted kiosk does not deliver either"; }
		[ "$(rel_count "$sp/new")" = 1 ] || rel_bad "$name: after restart new/ holds $(rel_count "$sp/new")"
		note "$name: a restarted kiosk delivered"
	else
		tm_text | sed 's/^/    | /'
		rel_bad "$name: Try again after the repair did not deliver"
	fi
	tm_kill
}
mkspool() { mkdir -p "$1/tmp" "$1/new" "$1/cur" && chmod 700 "$1" "$1/tmp" "$1/new" "$1/cur"; }

if mount --bind "$T/spool" "$MNT" 2>/dev/null; then
	ro() { mount -o remount,bind,ro "$MNT"; }
	rw() { mount -o remount,bind,rw "$MNT"; }
	case_ui "spool remounted read-only" "$MNT" ro rw
	umount "$MNT"
else
	note "SKIPPED read-only case: bind mount not permitted"
fi
mkspool "$T/sp2"
notmp() { rmdir "$T/sp2/tmp"; }
retmp() { mkdir -p "$T/sp2/tmp"; }
case_ui "tmp/ removed" "$T/sp2" notmp retmp
mkspool "$T/sp3"
gone() { rm -rf "$T/sp3"; }
back() { mkspool "$T/sp3"; }
case_ui "spool removed" "$T/sp3" gone back restart
rel_done $SUITE
