#!/bin/sh
# SPEC §5 and §2.5 from the inside: records whose signature is VALID (made
# with the enrolled kiosk's own key by tests/tools/rel_forge, as a
# compromised or buggy kiosk could) but whose content is hostile: terminal
# escape sequences (ESC, C1 CSI), NUL, CR, DEL, bad UTF-8, wrong lengths,
# duplicate / unknown / oversized fields, bad values, CRLF, text after the
# message. Each must be refused by `safeharbor verify` with a reason; the
# well-formed control record must pass; and no output of verify, list,
# show or stats may carry a raw control byte to the social worker's
# terminal (only LF and TAB allowed).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=hostile
rel_need_programs $SUITE
rel_need_tool $SUITE rel_forge
command -v age >/dev/null || rel_skip $SUITE "stock age not installed"
rel_world
S=$T/spool
WORKER=$(grep '^age1' "$T/recipients.txt")
python3 "$TOP/tests/torture/rel_hostile.py" "$(cat "$T/kiosk.pub")" "$T/cases" >"$T/names" || fail "generator"
: >"$T/manifest"
while read -r c; do
	n=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n').age
	"$REL_TOOLS/rel_forge" "$T/kiosk.key" <"$T/cases/$c" | age -r "$WORKER" >"$S/new/$n" || fail "forge $c"
	[ "$c" = good ] && GOOD=$n && continue
	# refused for what is wrong with the record itself, not another reason
	printf '%s\t%s\t%s\n' "$n" "$c" 'malformed \(|unsupported version \(|too large \(' >>"$T/manifest"
done <"$T/names"
note "$(wc -l <"$T/manifest") hostile records (validly signed) and one good one"

# The control passes on its own.
mkdir -p "$T/s1/tmp" "$T/s1/new" "$T/s1/cur"
cp "$S/new/$GOOD" "$T/s1/new/"
rel_run
SAFEHARBOR_SPOOL=$T/s1 "$SH" verify --spool "$T/s1" -i "$T/id.age" --passphrase-file "$T/pass" >"$T/v1" 2>&1 ||
	{ cat "$T/v1"; rel_bad "the forged-but-well-formed control record fails verify: the forge tool is wrong, the test proves nothing"; }

sh_w verify >"$T/verify.out" 2>&1
rc=$?
[ "$rc" = 1 ] || rel_bad "verify exited $rc, want 1"
python3 "$TOP/tests/torture/rel_tamper.py" judge "$T/manifest" "$T/verify.out" "$GOOD" ||
	rel_bad "verify accepted hostile records (see above)"
rel_run "$(wc -l <"$T/manifest")"

# Nothing the tool prints may drive the terminal.
for cmd in "verify" "list" "list --json" "stats" "stats --json"; do
	sh_w $cmd >"$T/o" 2>&1
	rc=$?
	[ "$rc" -lt 128 ] || rel_bad "$cmd crashed (exit $rc)"
	cat "$T/o" >>"$T/all"
done
for id in $(grep -o '[0-9a-f]\{32\}' "$T/verify.out" | sort -u | head -n 60); do
	sh_w show "$id" >>"$T/all" 2>&1
	[ $? -lt 128 ] || rel_bad "show $id crashed"
done
rel_run
python3 - "$T/all" <<'PY' || rel_bad "raw control bytes reached the terminal output"
import sys
d = open(sys.argv[1], 'rb').read()
bad = [i for i, b in enumerate(d) if (b < 0x20 and b not in (9, 10)) or b == 0x7f]
t = d.decode('utf-8', 'replace')
c1 = [i for i, ch in enumerate(t) if 0x80 <= ord(ch) <= 0x9f]
if bad or c1:
    i = (bad or c1)[0]
    print('control byte in output at %d: %r' % (i, d[max(0, i - 40):i + 20]))
    sys.exit(1)
print('%d bytes of tool output, no control bytes' % len(d))
PY
rel_done $SUITE
