#!/bin/sh
# safeharbor verify: with keys (every problem, one line each, exit 1),
# without keys (headers and sizes), stale tmp/ files and --clean-tmp.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

A=$(mkrec k1 --about self --danger no)
note "a sound spool verifies"
expect_rc 0 shx verify
expect_grep "verify: 1 envelope checked, 0 problems" "$T/out"

B=$(mkrec k2 --about friend)
F=$(mkrec k1 --bad-signature)
cp "$T/spool/new/${A#* }" "$T/spool/new/0000000000000000000000000000000d.age"
python3 - "$T/spool/new/${A#* }" "$T/spool/new/0000000000000000000000000000000e.age" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[60] ^= 1   # inside the header
open(sys.argv[2], 'wb').write(d)
PY
head -c 9000 "$T/spool/new/${A#* }" >"$T/spool/new/0000000000000000000000000000000f.age"
printf 'not an envelope\n' >"$T/spool/new/0000000000000000000000000000000c.age"
age-keygen -o "$T/other.key" 2>/dev/null
age-keygen -y "$T/other.key" >"$T/o.txt"
O=$("$MR" -k "$T/k1.key" -R "$T/o.txt" -s "$T/spool") || fail "foreign record"
stale=5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e.age
printf 'partial' >"$T/spool/tmp/$stale"
touch -d '3 hours ago' "$T/spool/tmp/$stale"
printf 'partial' >"$T/spool/tmp/fresh1"

note "verify with keys"
expect_rc 1 shx verify
cat "$T/out"
expect_grep "^new/${B#* }: record ${B% *}: not from an enrolled kiosk (signed by shkiosk1" "$T/out"
expect_grep "^new/${F#* }: record ${F% *}: not from an enrolled kiosk (bad signature" "$T/out"
expect_grep "^new/0000000000000000000000000000000e.age: " "$T/out"
expect_grep "^new/0000000000000000000000000000000f.age: truncated" "$T/out"
expect_grep "^new/0000000000000000000000000000000c.age: " "$T/out"
expect_grep "^new/${O#* }: not for these keys" "$T/out"
expect_grep "^tmp/$stale: stale temporary file" "$T/out"
expect_grep "verify --clean-tmp" "$T/out"
expect_nogrep "fresh1" "$T/out"
expect_grep "note: a copy of record ${A% *}" "$T/out"
expect_grep "verify: 8 envelopes checked, 7 problems" "$T/out"

note "verify without an identity: headers and sizes only, says so"
expect_rc 1 "$SH" --spool "$T/spool" verify
cat "$T/out"
expect_grep "no identity" "$T/out"
expect_grep "headers and sizes only" "$T/out"
expect_grep "^new/0000000000000000000000000000000f.age: size 9000 bytes" "$T/out"
expect_grep "^new/0000000000000000000000000000000c.age: " "$T/out"
expect_grep "^tmp/$stale" "$T/out"
expect_nogrep "^new/${B#* }" "$T/out"

note "--clean-tmp removes only stale tmp files"
rm -f "$T/spool/new/0000000000000000000000000000000"[cef].age "$T/spool/new/${F#* }" \
	"$T/spool/new/${O#* }"
shx kiosks add gym "$(cat "$T/k2.pub")" || fail "kiosks add"
expect_rc 0 shx verify --clean-tmp
cat "$T/out"
expect_grep "tmp/$stale: removed" "$T/out"
[ ! -e "$T/spool/tmp/$stale" ] || fail "stale tmp file kept"
[ -e "$T/spool/tmp/fresh1" ] || fail "fresh tmp file removed"
expect_rc 0 shx verify

note "--clean-tmp removes only names a kiosk writes"
printf 'mine' >"$T/spool/tmp/notes.txt"
touch -d '3 hours ago' "$T/spool/tmp/notes.txt"
expect_rc 1 shx verify --clean-tmp
expect_grep "tmp/notes.txt: not removed: not a name a kiosk writes" "$T/out"
[ -e "$T/spool/tmp/notes.txt" ] || fail "a file not named by a kiosk was removed"
rm -f "$T/spool/tmp/notes.txt"
expect_rc 0 shx verify
expect_rc 2 shx verify --json
exit 0
