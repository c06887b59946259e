#!/bin/sh
# SPEC §2.1 and §2.6.
# §2.1: the kiosk holds public keys only: after enrolling and sending, no
#   age secret key is anywhere in its config, key, recipients or spool;
#   nothing it holds opens an envelope; a recipients file holding a secret
#   key by mistake is refused by --check and --send-test without echoing it.
# §2.6: the worker's identity is refused when group or world can read or
#   write it; decrypted content (a unique marker in a message) is shown by
#   `show` but written to no file by list, show, stats, verify or mark.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=keys
rel_need_programs $SUITE
command -v age >/dev/null || rel_skip $SUITE "stock age not installed"
rel_world
: >"$T/start"
sleep 1
S=$T/spool
expect_rc 0 rel_sendtest

# §2.1
rel_run
for f in "$T/kiosk.conf" "$T/kiosk.key" "$T/recipients.txt" "$S"/new/* "$T/kiosk.pub"; do
	grep -qi 'AGE-SECRET-KEY' "$f" && rel_bad "kiosk-side file $f holds an age secret key"
done
rel_run
env=$(ls "$S"/new/* | head -n 1)
age -d -i "$T/kiosk.key" "$env" >/dev/null 2>&1 && rel_bad "the kiosk's signing key opens an envelope"
rel_run
age-keygen -o "$T/oops.key" 2>/dev/null
{ cat "$T/recipients.txt"; grep '^AGE-SECRET-KEY' "$T/oops.key"; } >"$T/bad-recipients.txt"
sed "s|^recipients = .*|recipients = $T/bad-recipients.txt|" "$T/kiosk.conf" >"$T/bad.conf"
secret=$(grep '^AGE-SECRET-KEY' "$T/oops.key")
"$KIOSK" -c "$T/bad.conf" --check >"$T/o" 2>&1 && rel_bad "--check accepts a recipients file holding a secret key"
grep -qF "$secret" "$T/o" && rel_bad "--check echoes the secret key"
n0=$(rel_count "$S/new")
"$KIOSK" -c "$T/bad.conf" --send-test >"$T/o" 2>&1 && rel_bad "--send-test uses a recipients file holding a secret key"
grep -qF "$secret" "$T/o" && rel_bad "--send-test echoes the secret key"
[ "$(rel_count "$S/new")" = "$n0" ] || rel_bad "--send-test delivered with a bad recipients file"
note "recipients file with a secret key: refused ($(head -n 1 "$T/o" | cut -c1-120))"

# §2.6: permissions
for mode in 640 604 660 606 644; do
	rel_run
	cp "$T/id.age" "$T/id-$mode.age"; chmod "$mode" "$T/id-$mode.age"
	"$SH" list --spool "$S" -i "$T/id-$mode.age" --passphrase-file "$T/pass" >"$T/o" 2>"$T/e"
	rc=$?
	[ "$rc" -ne 0 ] || rel_bad "identity with mode $mode accepted"
	[ -s "$T/o" ] && grep -q '[0-9a-f]\{8\}' "$T/o" && rel_bad "identity with mode $mode: requests listed"
	[ -s "$T/e" ] || rel_bad "identity with mode $mode: no message"
done
note "identity modes 640 604 660 606 644 refused: $(head -n 1 "$T/e")"
rel_run
[ "$(stat -c %a "$T/id.age")" = 600 ] || rel_bad "keygen identity mode $(stat -c %a "$T/id.age")"

# §2.6: plaintext on screen only. A record with a marker, sealed by the
# real kiosk path (rel_forge + age, as the kiosk would sign it).
if [ -x "$REL_TOOLS/rel_forge" ]; then
	MARK=Pq$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')Zx
	id=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	msg="please $MARK"
	printf 'SAFEHARBOR-RECORD 1\nId: %s\nCreated: 2026-11-29T08:15Z\nKiosk: %s\nAbout: self\nDanger: no\nLanguage: en\nName: %s\nMessage-Length: %d\n\n%s\n' \
		"$id" "$(cat "$T/kiosk.pub")" "N$MARK" "${#msg}" "$msg" |
		"$REL_TOOLS/rel_forge" "$T/kiosk.key" | age -r "$(grep '^age1' "$T/recipients.txt")" \
		>"$S/new/$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n').age"
	rel_run
	shown=$(sh_w show "$id" 2>&1)
	echo "$shown" | grep -qF "$MARK" || { echo "$shown"; rel_bad "show does not display the message (control)"; }
	for c in "list" "list --json" "stats" "stats --json" "verify"; do sh_w $c >/dev/null 2>&1; done
	sh_w mark "$id" handled >/dev/null 2>&1
	sh_w show "$id" >/dev/null 2>&1
	rel_run
	: >"$T/leaks"
	for d in "$T" /tmp /var/tmp "$HOME"; do
		find "$d" -xdev -type f -newer "$T/start" -size -64M 2>/dev/null |
			xargs -r grep -lF "$MARK" 2>/dev/null >>"$T/leaks"
	done
	[ -s "$T/leaks" ] && rel_bad "plaintext written to disk: $(sort -u "$T/leaks" | head -n 3 | tr '\n' ' ')"
	note "show displayed the marker; no file written since the start holds it"
else
	note "SKIPPED plaintext-on-disk check: tests/tools/rel_forge not built"
fi
rel_done $SUITE
