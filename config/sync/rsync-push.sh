#!/bin/sh
# rsync-push.sh — push a kiosk's sealed envelopes into the social worker's
# spool (its new/ directory), over SSH or to a local/mounted path.
#
# Design:
# - Only complete envelopes are sent: the kiosk renames a file into new/
#   only after it is fully written and fsync'd, and we send only names in
#   new/ that end in .age (never tmp/, never dot files).
# - Nothing is ever overwritten, and nothing is deleted on the receiver:
#   no --delete, no --remove-source-files, --ignore-existing there.
# - The kiosk keeps its own copy only a while: SAFEHARBOR_SYNC_KEEP_DAYS
#   days after a push that rsync confirmed (exit 0), the envelope is
#   removed from the kiosk's new/, so a stolen kiosk holds as little as
#   possible. Never one that was not confirmed. (Not for Syncthing: there a
#   deletion on the kiosk would travel to the social worker.)
# - The receiver never sees a half-copied envelope under its real name:
#   rsync writes to a hidden ".NAME.XXXXXX" temp file in the destination
#   directory and renames it when complete (no --inplace, no --partial);
#   safeharbor and Maildir readers skip dot files.
# - Each envelope is sent once: after a successful run the names sent are
#   added to a state file and not offered again, so envelopes the social
#   worker has already moved to cur/ do not come back into new/.
#
# Settings (environment; the systemd unit reads /etc/safeharbor/sync.env):
#   SAFEHARBOR_SYNC_DEST        required: user@host:  (rrsync on the server
#                               points at the spool's new/), or a path
#   SAFEHARBOR_SPOOL            kiosk spool (default /var/spool/safeharbor)
#   SAFEHARBOR_SYNC_STATE       names already sent, with when (default
#                               /var/lib/safeharbor-sync/sent)
#   SAFEHARBOR_SYNC_KEEP_DAYS   days a sent envelope stays on the kiosk
#                               (default 7; 0: removed once confirmed;
#                               "forever": never removed)
#   SAFEHARBOR_SYNC_SSH_KEY     default /etc/safeharbor/sync_ed25519
#   SAFEHARBOR_SYNC_KNOWN_HOSTS default /etc/safeharbor/sync_known_hosts
#   SAFEHARBOR_SYNC_RSYNC       rsync program (default rsync)
#   SAFEHARBOR_SYNC_SSH         ssh program (default ssh; tests use a stand-in)
# Exit status: 0 sent (or nothing to send), 1 transfer failed, 2 bad setup.
set -u

prog=safeharbor-sync
spool=${SAFEHARBOR_SPOOL:-/var/spool/safeharbor}
dest=${SAFEHARBOR_SYNC_DEST:-}
state=${SAFEHARBOR_SYNC_STATE:-/var/lib/safeharbor-sync/sent}
key=${SAFEHARBOR_SYNC_SSH_KEY:-/etc/safeharbor/sync_ed25519}
known=${SAFEHARBOR_SYNC_KNOWN_HOSTS:-/etc/safeharbor/sync_known_hosts}
rsync=${SAFEHARBOR_SYNC_RSYNC:-rsync}
ssh=${SAFEHARBOR_SYNC_SSH:-ssh}
keep=${SAFEHARBOR_SYNC_KEEP_DAYS:-7}

die() { echo "$prog: $2" >&2; exit "$1"; }

[ -n "$dest" ] || die 2 "SAFEHARBOR_SYNC_DEST is not set"
case $keep in
forever) ;;
''|*[!0-9]*) die 2 "SAFEHARBOR_SYNC_KEEP_DAYS=$keep: give whole days, or forever" ;;
esac
[ -d "$spool/new" ] || die 2 "$spool/new: not a spool directory"
case $dest in
*/) ;;
*:) ;;
*) dest=$dest/ ;;
esac

set --
case $dest in
/*|./*|../*) ;;
*:*)
	[ -r "$key" ] || die 2 "$key: cannot read the SSH key"
	[ -r "$known" ] || die 2 "$known: cannot read the known hosts file"
	set -- -e "$ssh -i $key -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$known -o ConnectTimeout=30"
	;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX") || die 2 "cannot make a scratch directory"
trap 'rm -rf "$work"' EXIT
touch "$state" 2>/dev/null || die 2 "$state: cannot write the state file"

now=$(date +%s)
# The state file: "NAME EPOCH" per confirmed envelope (a bare NAME, from an
# older version of this script, counts as confirmed now).
awk -v now="$now" 'NF == 1 { print $1, now; next } NF == 2 { print }' "$state" |
	LC_ALL=C sort -u -k1,1 >"$work/state" || die 2 "$state: cannot read"
cmp -s "$work/state" "$state" ||
	{ cat "$work/state" >"$state.tmp" && mv "$state.tmp" "$state"; } ||
	die 2 "$state: cannot write the state file"
cut -d' ' -f1 "$work/state" >"$work/sent"

# Kiosk copies confirmed more than keep days ago go; the state keeps the
# names still in new/ (a removed name is random and never comes back).
expire() {
	[ "$keep" = forever ] && return 0
	limit=$((now - keep * 86400))
	removed=0
	: >"$work/state.keep"
	while read -r name when; do
		if [ "$when" -le "$limit" ]; then
			if [ -f "$spool/new/$name" ]; then
				rm -f "$spool/new/$name" || { echo "$name $when" >>"$work/state.keep"; continue; }
				removed=$((removed + 1))
			fi
			continue
		fi
		echo "$name $when" >>"$work/state.keep"
	done <"$work/state"
	if [ "$removed" -gt 0 ]; then
		cat "$work/state.keep" >"$state.tmp" && mv "$state.tmp" "$state" ||
			die 1 "$state: cannot record what was removed"
		echo "$prog: removed $removed envelope(s) from this kiosk, confirmed on the other side at least $keep day(s) ago"
	fi
	return 0
}

# Names ready to go: complete envelopes only, not yet sent.
( cd "$spool/new" && for f in *.age; do [ -f "$f" ] && echo "$f"; done ) |
	LC_ALL=C sort >"$work/all"
LC_ALL=C comm -23 "$work/all" "$work/sent" >"$work/todo"
n=$(wc -l <"$work/todo")
if [ "$n" -eq 0 ]; then
	expire
	exit 0
fi

"$rsync" "$@" --times --perms --chmod=F0600 --ignore-existing \
	--files-from="$work/todo" --timeout=120 \
	"$spool/new/" "$dest"
rc=$?
# 24: a listed file vanished (cannot happen with a kiosk; tolerate it).
if [ "$rc" -ne 0 ] && [ "$rc" -ne 24 ]; then
	die 1 "rsync failed (exit $rc); will retry the same $n envelope(s) next time"
fi
sed "s/\$/ $now/" "$work/todo" >>"$work/state" &&
	LC_ALL=C sort -u -k1,1 "$work/state" >"$work/state.new" &&
	cat "$work/state.new" >"$state.tmp" && mv "$state.tmp" "$state" &&
	cp "$work/state.new" "$work/state" ||
	die 1 "$state: cannot record what was sent"
echo "$prog: sent $n envelope(s)"
expire
exit 0
