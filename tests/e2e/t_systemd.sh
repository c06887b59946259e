#!/bin/sh
# The systemd units: after the install-time substitution they pass
# `systemd-analyze verify`, the kiosk unit scores SAFE/OK under
# `systemd-analyze security --offline` (exposure <= 2.0 for the kiosk,
# <= 4.9 for the sync job), and they carry the settings the security model
# relies on. Works without systemd as PID 1.
. "$(dirname "$0")/lib.sh"

command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed (Debian: systemd)"

U=$T/units
mkdir -p "$U" "$T/bin" "$T/share/safeharbor/sync"
for f in "$TOP"/config/systemd/*; do
	sed -e "s|@BINDIR@|$T/bin|g" -e "s|@SYSCONFDIR@|/etc|g" -e "s|@DATADIR@|$T/share|g" \
		"$f" >"$U/${f##*/}"
done
# verify wants the ExecStart programs to exist.
if [ -x "$KIOSK" ]; then cp "$KIOSK" "$T/bin/"; else printf '#!/bin/sh\n' >"$T/bin/safeharbor-kiosk"; fi
cp "$TOP/config/sync/rsync-push.sh" "$TOP/config/sync/rsync-replies.sh" "$T/share/safeharbor/sync/"
chmod 0755 "$T/bin/safeharbor-kiosk" "$T/share/safeharbor/sync/rsync-push.sh" \
	"$T/share/safeharbor/sync/rsync-replies.sh"
cp "$U/safeharbor-kiosk@.service" "$U/safeharbor-kiosk@tty1.service"

K=$U/safeharbor-kiosk@tty1.service
S=$U/safeharbor-sync.service
systemd-analyze verify --man=no "$K" "$S" "$U/safeharbor-sync.timer" \
	"$U/safeharbor-replies.service" "$U/safeharbor-replies.timer" >"$T/verify" 2>&1 ||
	{ cat "$T/verify" >&2; fail "systemd-analyze verify"; }
[ ! -s "$T/verify" ] || { cat "$T/verify" >&2; fail "systemd-analyze verify printed warnings"; }
note "verify: clean"

# Settings the threat model depends on (THREATS.md).
for s in 'User=safeharbor-kiosk' 'TTYPath=/dev/%I' 'StandardInput=tty' 'Restart=always' \
	'Conflicts=getty@%i.service' 'ProtectSystem=strict' 'ReadWritePaths=/var/spool/safeharbor' \
	'PrivateNetwork=yes' 'IPAddressDeny=any' 'NoNewPrivileges=yes' 'LimitCORE=0' 'UMask=0077' \
	'CapabilityBoundingSet=$' 'MemoryDenyWriteExecute=yes' 'DevicePolicy=closed' \
	'DeviceAllow=/dev/%I rw' 'SystemCallFilter=@system-service' 'Environment=LANG=C.UTF-8'; do
	grep -q "^$s" "$TOP/config/systemd/safeharbor-kiosk@.service" || fail "kiosk unit lacks $s"
done
# The kiosk's own sandbox needs these through the unit's allow-list
# (sandbox_enter falls back to prctl for seccomp, but Landlock has no
# fallback: refused, it would silently not apply).
grep -q '^SystemCallFilter=landlock_create_ruleset landlock_add_rule landlock_restrict_self seccomp$' \
	"$TOP/config/systemd/safeharbor-kiosk@.service" || fail "kiosk unit does not allow Landlock and seccomp(2)"
for s in 'InaccessiblePaths=-@SYSCONFDIR@/safeharbor/kiosk.key' 'ProtectSystem=strict' \
	'NoNewPrivileges=yes' 'Type=oneshot'; do
	grep -q "^$s" "$TOP/config/systemd/safeharbor-sync.service" || fail "sync unit lacks $s"
done
for s in 'InaccessiblePaths=-@SYSCONFDIR@/safeharbor/kiosk.key' 'ProtectSystem=strict' \
	'ReadWritePaths=/var/lib/safeharbor/replies' 'NoNewPrivileges=yes' 'Type=oneshot'; do
	grep -q "^$s" "$TOP/config/systemd/safeharbor-replies.service" || fail "replies unit lacks $s"
done
grep -q -- '^[^#]*\(--delete\|--remove-source-files\|--inplace\|--partial\)' \
	"$TOP/config/sync/rsync-push.sh" && fail "rsync-push.sh uses a destructive or partial option"

# score UNIT MAX: overall exposure must be <= MAX.
score() {
	systemd-analyze security --offline=true "$1" >"$T/sec" 2>&1 ||
		{ cat "$T/sec" >&2; fail "systemd-analyze security ${1##*/}"; }
	line=$(grep 'Overall exposure level' "$T/sec")
	[ -n "$line" ] || { cat "$T/sec" >&2; fail "no exposure level for ${1##*/}"; }
	val=$(echo "$line" | sed 's/.*: *\([0-9.]*\) .*/\1/')
	note "${1##*/}: exposure $val ($(echo "$line" | awk '{print $(NF-1)}'))"
	awk -v v="$val" -v m="$2" 'BEGIN { exit !(v <= m) }' ||
		{ grep '✗' "$T/sec" >&2; fail "${1##*/}: exposure $val > $2"; }
}
if systemd-analyze security --help 2>&1 | grep -q -- '--offline'; then
	score "$K" 2.0
	score "$S" 4.9
	score "$U/safeharbor-replies.service" 4.9
else
	note "this systemd has no 'security --offline'; score not checked"
fi
note "systemd units ok"
