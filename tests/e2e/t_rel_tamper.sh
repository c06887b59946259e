#!/bin/sh
# SPEC §2.5 and §5, tampering: for one valid envelope, a single-byte flip
# at every REL_FLIP_STEP-th offset (97 here, 1 in torture) and a truncation
# at every REL_TRUNC_STEP-th length (64), all in ONE spool with the
# original; `safeharbor verify` runs once and must name every variant on a
# problem line with the reason its case must give (not just any refusal),
# exit 1 (not a crash), and the original alone must pass. Crafted cases in the same run: swapped stanzas (2 recipients),
# duplicated chunk, appended data, valid age files whose plaintext is not a
# record, a forged record (changed after signing, re-encrypted with stock
# age), an envelope for someone else. Then: a record signed by a kiosk that
# is not enrolled is shown as not from an enrolled kiosk, a replayed
# duplicate is listed once, and at reader level (tests/tools/rel_ageopen)
# reordered, duplicated and dropped chunks of a multi-chunk file written by
# stock age are refused.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=tamper
FLIP=${REL_FLIP_STEP:-97}
TRUNC=${REL_TRUNC_STEP:-64}
rel_need_programs $SUITE
command -v age >/dev/null || rel_skip $SUITE "stock age not installed"
rel_world
S=$T/spool
P="python3 $TOP/tests/torture/rel_tamper.py"

# A plain backup key, so stock age can open what the kiosk seals.
age-keygen -o "$T/backup.key" 2>/dev/null
BACKUP=$(age-keygen -y "$T/backup.key")
WORKER=$(grep '^age1' "$T/recipients.txt")
{ cat "$T/recipients.txt"; echo "$BACKUP"; } >"$T/recipients2.txt"
sed "s|^recipients = .*|recipients = $T/recipients2.txt|; s|^spool = .*|spool = $T/s2|" \
	"$T/kiosk.conf" >"$T/k2.conf"
mkdir -p "$T/s2/tmp" "$T/s2/new" "$T/s2/cur"
expect_rc 0 "$KIOSK" -c "$T/k2.conf" --send-test
TWO=$(ls "$T/s2/new"/*)

expect_rc 0 rel_sendtest
ORIG=$(ls "$S/new")
MAN=$T/manifest
: >"$MAN"
$P variants "$S/new/$ORIG" "$S/new" "$FLIP" "$TRUNC" "$MAN" || fail "variants"
add() { # add WHAT REASON FILE: REASON is what verify must say (a regex)
	n=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n').age
	cp "$3" "$S/new/$n"
	printf '%s\t%s\t%s\n' "$n" "$1" "$2" >>"$MAN"
}
PAYLOAD='tampered \(payload does not authenticate\)'
BADSIG='not from an enrolled kiosk \(bad signature'
$P craft swap-stanzas "$TWO" "$T/c" && add "two stanzas swapped" 'header MAC does not verify' "$T/c"
$P craft dup-chunk "$S/new/$ORIG" "$T/c" && add "last chunk duplicated" "$PAYLOAD" "$T/c"
$P craft append "$S/new/$ORIG" "$T/c" && add "one NUL byte appended" "$PAYLOAD" "$T/c"
$P craft append-text "$S/new/$ORIG" "$T/c" && add "a line appended" "$PAYLOAD" "$T/c"
printf 'hello, not a record\n' | age -r "$WORKER" >"$T/c" &&
	add "age file, plaintext not a record" 'malformed \(not a safeharbor record\)' "$T/c"
head -c 16384 /dev/zero | age -r "$WORKER" >"$T/c" &&
	add "age file, 16 KiB of NUL" 'malformed \(not a safeharbor record\)' "$T/c"
age -d -i "$T/backup.key" "$TWO" >"$T/rec" || fail "stock age cannot open a kiosk envelope"
head -n 1 "$T/rec" | grep -q '^SAFEHARBOR-RECORD 1' || fail "kiosk plaintext is not a record"
sed 's/^About: test$/About: self/' "$T/rec" >"$T/forged"
cmp -s "$T/rec" "$T/forged" && fail "could not forge (no 'About: test' line)"
age -r "$WORKER" <"$T/forged" >"$T/c" && add "record changed after signing" "$BADSIG" "$T/c"
# Signature line damaged, body intact.
python3 - "$T/rec" "$T/forged2" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.index(b'\nSignature: ') + 12
d[i + 5] = ord('A') if d[i + 5] != ord('A') else ord('B')
open(sys.argv[2], 'wb').write(d)
PY
age -r "$WORKER" <"$T/forged2" >"$T/c" && add "record signature altered" "$BADSIG" "$T/c"
# Non-NUL padding.
python3 - "$T/rec" "$T/forged3" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[-1] = ord('x')
open(sys.argv[2], 'wb').write(d)
PY
age -r "$WORKER" <"$T/forged3" >"$T/c" &&
	add "record padding not NUL" 'malformed \(padding is not all NUL bytes\)' "$T/c"
age -r "$BACKUP" <"$T/rec" >"$T/c" && add "envelope for another recipient" 'not for these keys' "$T/c"
# A MAC character '/' with its high bit set (libsodium 1.0.18's
# base64 decoder reads it unchanged): send until a MAC holds one.
mkdir -p "$T/s5/tmp" "$T/s5/new" "$T/s5/cur"
sed "s|^spool = .*|spool = $T/s5|" "$T/kiosk.conf" >"$T/k5.conf"
j=0
while [ "$j" -lt 20 ]; do
	j=$((j + 1))
	"$KIOSK" -c "$T/k5.conf" --send-test >/dev/null 2>&1 || fail "send-test"
	f=$(ls "$T/s5/new"/* | head -n 1)
	if $P craft mac-highbit "$f" "$T/c" 2>/dev/null; then
		add "MAC line: '/' with the high bit set" 'malformed|header MAC does not verify' "$T/c"
		break
	fi
	rm -f "$f"
done
# Same trick on the record's Signature line.
python3 - "$T/rec" "$T/forged4" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.index(b'\nSignature: ') + 12
j = d.index(b'\n', i)
k = next((k for k in range(i, j) if d[k] == ord('/')), None)
if k is None:
    sys.exit(3)
d[k] |= 0x80
open(sys.argv[2], 'wb').write(d)
PY
[ $? = 0 ] && age -r "$WORKER" <"$T/forged4" >"$T/c" &&
	add "Signature: '/' with the high bit set" 'malformed \(Signature is not (canonical )?base64' "$T/c"
nvar=$(wc -l <"$MAN")
note "$nvar tampered files next to the original $ORIG"

sh_w verify >"$T/verify.out" 2>&1
rc=$?
note "verify exit $rc, $(wc -l <"$T/verify.out") output lines"
head -n 5 "$T/verify.out"
[ "$rc" -eq 1 ] || rel_bad "verify over tampered spool exited $rc, want 1"
$P judge "$MAN" "$T/verify.out" "$ORIG" || rel_bad "verify missed tampered files (see above)"
rel_run "$nvar"

# The original alone passes.
mkdir -p "$T/s3/tmp" "$T/s3/new" "$T/s3/cur"
cp "$S/new/$ORIG" "$T/s3/new/"
SAFEHARBOR_SPOOL=$T/s3 "$SH" verify --spool "$T/s3" -i "$T/id.age" --passphrase-file "$T/pass" >"$T/v3" 2>&1 ||
	{ cat "$T/v3"; rel_bad "the original envelope alone fails verify"; }
# list and show survive the tampered spool without crashing.
sh_w list >"$T/list.out" 2>&1; rc=$?
[ "$rc" -lt 128 ] || rel_bad "list crashed on the tampered spool (exit $rc)"
rel_run

# A kiosk that is not enrolled: valid signature, shown as not enrolled.
sed "s|^signing_key = .*|signing_key = $T/kiosk2.key|; s|^spool = .*|spool = $T/s3|" \
	"$T/kiosk.conf" >"$T/k3.conf"
expect_rc 0 "$KIOSK" -c "$T/k3.conf" --enroll
expect_rc 0 "$KIOSK" -c "$T/k3.conf" --send-test
SAFEHARBOR_SPOOL=$T/s3 "$SH" list --spool "$T/s3" -i "$T/id.age" --passphrase-file "$T/pass" >"$T/l3" 2>&1
SAFEHARBOR_SPOOL=$T/s3 "$SH" verify --spool "$T/s3" -i "$T/id.age" --passphrase-file "$T/pass" >>"$T/l3" 2>&1
grep -qi 'not from an enrolled kiosk' "$T/l3" ||
	{ cat "$T/l3"; rel_bad "a record from an unenrolled kiosk is not shown as such"; }
rel_run

# A replayed duplicate is listed once.
mkdir -p "$T/s4/tmp" "$T/s4/new" "$T/s4/cur"
cp "$S/new/$ORIG" "$T/s4/new/"
cp "$S/new/$ORIG" "$T/s4/new/$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n').age"
SAFEHARBOR_SPOOL=$T/s4 "$SH" list --json --spool "$T/s4" -i "$T/id.age" --passphrase-file "$T/pass" \
	>"$T/l4" 2>"$T/l4.err" || { cat "$T/l4.err"; rel_bad "list --json on a spool with a duplicate"; }
n=$(rel_json_count "$T/l4" 2>/dev/null)
[ "$n" = 1 ] || rel_bad "a replayed duplicate is listed $n times, want once"
rel_run

# Reader level, multi-chunk (4.5 chunks) written by stock age.
if [ -x "$REL_TOOLS/rel_ageopen" ]; then
	head -c 300000 /dev/urandom >"$T/big"
	age -r "$BACKUP" -o "$T/big.age" "$T/big"
	"$REL_TOOLS/rel_ageopen" "$T/backup.key" <"$T/big.age" >"$T/big.out" 2>"$T/err" ||
		{ cat "$T/err"; rel_bad "rel_ageopen cannot open a multi-chunk file from age"; }
	cmp -s "$T/big" "$T/big.out" || rel_bad "multi-chunk plaintext differs"
	for k in reorder dup-middle drop-last drop-middle dup-chunk append; do
		$P craft $k "$T/big.age" "$T/big.$k"
		"$REL_TOOLS/rel_ageopen" "$T/backup.key" <"$T/big.$k" >/dev/null 2>"$T/err"
		rc=$?
		note "chunks $k: exit $rc, $(tail -n 1 "$T/err")"
		[ "$rc" = 1 ] || rel_bad "chunks $k: reader exit $rc, want 1"
		rel_run
	done
else
	note "SKIPPED reader-level chunk cases: tests/tools/rel_ageopen not built"
fi
rel_done $SUITE
