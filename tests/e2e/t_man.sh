#!/bin/sh
# Every man page in doc/ is clean under mandoc -T lint -W warning and under
# groff -ww (no warnings at all), has the sections STYLE asks for, and the
# pages the IT guide names exist.
. "$(dirname "$0")/lib.sh"

command -v mandoc >/dev/null || skip "mandoc not installed"
command -v groff >/dev/null || skip "groff not installed (Debian: groff-base)"

for p in safeharbor.1 safeharbor-kiosk.1 safeharbor-kiosk.conf.5 safeharbor-spool.5; do
	[ -f "$TOP/doc/$p" ] || fail "doc/$p missing"
done
n=0
for page in "$TOP"/doc/*.[1-8]; do
	name=${page##*/}
	mandoc -T lint -W warning "$page" >"$T/lint" 2>&1 || true
	[ ! -s "$T/lint" ] || { cat "$T/lint" >&2; fail "mandoc lint: $name"; }
	groff -ww -z -mandoc "$page" >"$T/groff" 2>&1 || { cat "$T/groff" >&2; fail "groff: $name"; }
	[ ! -s "$T/groff" ] || { cat "$T/groff" >&2; fail "groff warnings: $name"; }
	for sec in NAME SYNOPSIS DESCRIPTION FILES 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
		grep -q "^\.Sh $sec\$" "$page" || fail "$name: no $sec section"
	done
	n=$((n + 1))
done
note "$n pages clean"

# The tool's page documents every subcommand and option of SPEC 6 and the
# additions (kiosks remove, export -o/--force, stats --since, verify --clean-tmp).
for w in keygen pubkey list show inbox mark export stats verify 'kiosks add' 'kiosks list' \
	'kiosks remove' '\\-spool' '\\-passphrase\\-file' '\\-json' '\\-csv' '\\-force' \
	'\\-since' '\\-clean\\-tmp' SAFEHARBOR_SPOOL SAFEHARBOR_IDENTITY SAFEHARBOR_SCRYPT_LOGN \
	safeharbor.conf 'Key rotation'; do
	grep -q -- "$w" "$TOP/doc/safeharbor.1" || fail "safeharbor.1 does not mention $w"
done
for k in spool recipients signing_key screens languages idle_seconds sent_seconds follow_up \
	admin_pin_hash readers; do
	grep -q "^\.It Cm $k " "$TOP/doc/safeharbor-kiosk.conf.5" || fail "kiosk.conf.5 lacks key $k"
done
for o in '\\-check' '\\-enroll' '\\-send\\-test' '\\-set\\-pin'; do
	grep -q -- "$o" "$TOP/doc/safeharbor-kiosk.1" || fail "safeharbor-kiosk.1 lacks $o"
done
# The documented envelope size matches what stock age writes.
if command -v age >/dev/null && command -v age-keygen >/dev/null; then
	age-keygen -o "$T/k" 2>/dev/null
	head -c 16384 /dev/zero | age -r "$(age-keygen -y "$T/k")" >"$T/e" || fail "age"
	expect_eq "16 KiB envelope, 1 recipient" "$(wc -c <"$T/e" | tr -d ' ')" 16584
	grep -q '16584 bytes for one recipient' "$TOP/doc/safeharbor-spool.5" ||
		fail "safeharbor-spool.5 does not give the size age produces"
fi
note "man pages ok"
