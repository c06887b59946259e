#!/bin/sh
# The kiosk keeps a sent envelope only SAFEHARBOR_SYNC_KEEP_DAYS after the
# social worker's side confirmed it (config/sync/rsync-push.sh): removed
# once confirmed long enough ago, never before, never when the push failed,
# never one that was not sent; the worker's copies are untouched; a state
# file from the older script (bare names) still works; bad settings exit 2.
. "$(dirname "$0")/lib.sh"
command -v rsync >/dev/null || skip "rsync not installed"
PUSH=$TOP/config/sync/rsync-push.sh
K=$T/kiosk; W=$T/worker
mkdir -p "$K/new" "$K/tmp" "$W/new"
env_push() {
	SAFEHARBOR_SPOOL=$K SAFEHARBOR_SYNC_DEST=$W/new SAFEHARBOR_SYNC_STATE=$T/sent "$@"
}
mkfiles() { for i in $(seq "$1"); do head -c 100 /dev/urandom >"$K/new/$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n').age"; done; }
count() { ls "$1" | grep -c '\.age$'; }

mkfiles 3
note "pushed, kept (7 days by default)"
env_push sh "$PUSH" >"$T/out" 2>&1 || { cat "$T/out"; fail "push"; }
expect_eq "worker" "$(count "$W/new")" 3
expect_eq "kiosk keeps them" "$(count "$K/new")" 3
expect_eq "state lines" "$(wc -l <"$T/sent")" 3
awk 'NF != 2 { exit 1 }' "$T/sent" || fail "state not NAME EPOCH"

note "confirmed 8 days ago: removed from the kiosk only"
old=$(($(date +%s) - 8 * 86400))
awk -v t="$old" '{ print $1, t }' "$T/sent" >"$T/sent.new" && mv "$T/sent.new" "$T/sent"
mkfiles 2      # new ones, not sent yet: must stay
env_push sh "$PUSH" >"$T/out" 2>&1 || { cat "$T/out"; fail "push 2"; }
expect_grep "removed 3 envelope(s) from this kiosk" "$T/out"
expect_eq "kiosk keeps only the recent ones" "$(count "$K/new")" 2
expect_eq "worker has all" "$(count "$W/new")" 5
expect_eq "state: the two still on the kiosk" "$(wc -l <"$T/sent")" 2

note "KEEP_DAYS=0: removed once confirmed; a failed push removes nothing"
mkfiles 2
SAFEHARBOR_SYNC_KEEP_DAYS=0 SAFEHARBOR_SYNC_RSYNC=false env_push sh "$PUSH" >"$T/out" 2>&1 &&
	fail "a failed rsync reported success"
expect_grep "rsync failed" "$T/out"
expect_eq "nothing removed after a failed push" "$(count "$K/new")" 4
SAFEHARBOR_SYNC_KEEP_DAYS=0 env_push sh "$PUSH" >"$T/out" 2>&1 || { cat "$T/out"; fail "push 3"; }
expect_eq "kiosk empty" "$(count "$K/new")" 0
expect_eq "worker has all" "$(count "$W/new")" 7
expect_eq "state empty" "$(wc -l <"$T/sent")" 0

note "an old state file of bare names; forever keeps everything"
mkfiles 2
ls "$K/new" >"$T/sent"
SAFEHARBOR_SYNC_KEEP_DAYS=forever env_push sh "$PUSH" >"$T/out" 2>&1 || { cat "$T/out"; fail "push 4"; }
expect_eq "not sent again (already in the state)" "$(count "$W/new")" 7
expect_eq "kept" "$(count "$K/new")" 2
awk 'NF != 2 { exit 1 }' "$T/sent" || fail "bare names not given a time"

note "bad setting"
SAFEHARBOR_SYNC_KEEP_DAYS=week env_push sh "$PUSH" >"$T/out" 2>&1; rc=$?
expect_eq "exit status" "$rc" 2
expect_grep "give whole days, or forever" "$T/out"
note "ok"
