#!/bin/sh
# `--check` as the kiosk user (nobody here) names each deployment mistake on
# one line and exits non-zero: a spool or new/ writable by anyone, a spool
# not owned by the kiosk user, a recipients file the kiosk user may change,
# a signing key readable by others, a read-only spool, a missing spool, a
# malformed recipient, a PIN hash that is not Argon2id; an unknown key and
# a missing PIN are warnings that do not fail.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to run --check as another user"
command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
make_world
chmod 755 "$T"
chmod 644 "$T/recipients.txt"
chown nobody:nogroup "$T/kiosk.key" "$T/spool"
"$KIOSK" -c "$T/kiosk.conf" --check >/dev/null 2>&1   # creates tmp/ new/ cur/
chown -R nobody:nogroup "$T/spool"
chmod 700 "$T/spool" "$T/spool/tmp" "$T/spool/new" "$T/spool/cur"
chmod 644 "$T/kiosk.conf"
asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

# check WANT_RC PATTERN [CONF]: --check as nobody exits WANT_RC and says PATTERN
check() {
	asnobody "$KIOSK" -c "${3:-$T/kiosk.conf}" --check >"$T/out" 2>"$T/err"; rc=$?
	[ "$rc" = "$1" ] || { cat "$T/out" "$T/err" >&2; fail "--check exited $rc, want $1 ($2)"; }
	[ -z "$2" ] || expect_grep "$2" "$T/err"
}

note "a good deployment passes, with a warning for the missing PIN"
check 0 "warning: no admin_pin_hash"
expect_grep "ok:" "$T/out"
expect_nogrep "note: running as root" "$T/err"

note "new/ writable by anyone"
chmod 777 "$T/spool/new"; check 1 "spool/new: writable by anyone"; chmod 700 "$T/spool/new"

note "spool not owned by the kiosk user (group-writable so nobody can still write)"
chown root:nogroup "$T/spool"; chmod 770 "$T/spool"
check 1 "spool: not owned by the kiosk user"
expect_grep "spool: warning: writable by its group" "$T/err"
chown nobody:nogroup "$T/spool"; chmod 700 "$T/spool"

note "recipients file the kiosk user can change"
chown nobody "$T/recipients.txt"; check 1 "recipients.txt: the kiosk user can change who reads"
chown root "$T/recipients.txt"

note "signing key readable by others"
chmod 604 "$T/kiosk.key"; check 1 "kiosk.key: readable by group or others"; chmod 600 "$T/kiosk.key"

note "missing spool"
kiosk_conf_copy() { sed "s|^$1 *=.*|$1 = $2|" "$T/kiosk.conf" >"$T/$3.conf"; chmod 644 "$T/$3.conf"; }
kiosk_conf_copy spool "$T/nowhere" missing; check 1 "nowhere" "$T/missing.conf"

note "malformed recipient"
printf 'age1notakey\n' >"$T/bad-recipients.txt"; chmod 644 "$T/bad-recipients.txt"
kiosk_conf_copy recipients "$T/bad-recipients.txt" badr; check 2 "bad-recipients.txt" "$T/badr.conf"

note "admin PIN hash that is not Argon2id"
cp "$T/kiosk.conf" "$T/pin.conf"; printf 'admin_pin_hash = $2b$10$abcdefghijklmnopqrstuv\n' >>"$T/pin.conf"; chmod 644 "$T/pin.conf"
check 2 "admin_pin_hash" "$T/pin.conf"

note "unknown key is a warning naming it"
cp "$T/kiosk.conf" "$T/unk.conf"; printf 'idle_secnds = 30\n' >>"$T/unk.conf"; chmod 644 "$T/unk.conf"
check 0 "warning: .*idle_secnds" "$T/unk.conf"

note "spool on a read-only mount"
if mount --bind "$T/spool" "$T/spool" 2>/dev/null && mount -o remount,bind,ro "$T/spool" 2>/dev/null; then
	check 1 "spool is not writable"
	umount "$T/spool"
else
	note "read-only bind mount not permitted here: that case skipped"
fi
echo "deploy check ok"
