#!/bin/sh
# rsync-replies.sh — bring the social worker's answers (her replies folder)
# to this kiosk's replies folder, over SSH or from a local/mounted path.
# The other way round from rsync-push.sh, and still started by the kiosk:
# a kiosk runs no SSH server, so it fetches with its own key from an
# account whose authorized_keys allows only a read-only rrsync of the
# replies folder (config/sync/authorized_keys.example).
#
# Design:
# - Only reply files are taken: top-level names of 32 hex digits + .age,
#   exactly one reply file's size (16584 bytes); dot files (a writer's
#   temporary), other names, links, folders and any other size are skipped.
# - The receiver never sees a half-copied file under its real name: rsync
#   writes a hidden temp file and renames it (no --inplace, no --partial);
#   the kiosk opens only exact reply names.
# - The folder mirrors hers: an answer she purged disappears here too
#   (--delete, limited by the same filter to reply names). The kiosk itself
#   only reads the folder.
#
# Settings (environment; the systemd unit reads /etc/safeharbor/sync.env):
#   SAFEHARBOR_REPLIES_SRC      required: user@host:  (rrsync -ro on the
#                               server points at her replies folder), or a path
#   SAFEHARBOR_REPLIES          this kiosk's folder (default
#                               /var/lib/safeharbor/replies)
#   SAFEHARBOR_REPLIES_SSH_KEY  default /etc/safeharbor/replies_ed25519 (a
#                               second key: an authorized_keys line forces
#                               one command, and this one is read-only)
#   SAFEHARBOR_SYNC_KNOWN_HOSTS default /etc/safeharbor/sync_known_hosts
#   SAFEHARBOR_SYNC_RSYNC       rsync program (default rsync)
#   SAFEHARBOR_SYNC_SSH         ssh program (default ssh; tests use a stand-in)
# Exit status: 0 done (or nothing new), 1 transfer failed, 2 bad setup.
set -u

prog=safeharbor-replies
src=${SAFEHARBOR_REPLIES_SRC:-}
dst=${SAFEHARBOR_REPLIES:-/var/lib/safeharbor/replies}
key=${SAFEHARBOR_REPLIES_SSH_KEY:-/etc/safeharbor/replies_ed25519}
known=${SAFEHARBOR_SYNC_KNOWN_HOSTS:-/etc/safeharbor/sync_known_hosts}
rsync=${SAFEHARBOR_SYNC_RSYNC:-rsync}
ssh=${SAFEHARBOR_SYNC_SSH:-ssh}
size=16584     # age_encrypted_size(1, SH_REPLY_SIZE): every reply file

. "$(dirname "$0")/sync-lib.sh"

[ -n "$src" ] || die 2 "SAFEHARBOR_REPLIES_SRC is not set"
[ -d "$dst" ] || die 2 "$dst: the replies folder does not exist"
src=$(sync_slash "$src")
sync_remote "$src" "$key" "$known"
set --
[ -z "$SYNC_E_ARG" ] || set -- -e "$SYNC_E_ARG"

# -r -t without -l: links are skipped, never followed or made.
"$rsync" "$@" --recursive --times --chmod=D0700,F0600 --delete \
	--min-size=$size --max-size=$size --timeout=120 \
	--exclude='*/' --include='/[0-9a-f]*.age' --exclude='*' \
	"$src" "$dst/"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 24 ]; then
	die 1 "rsync failed (exit $rc); the answers already here stay"
fi
exit 0
