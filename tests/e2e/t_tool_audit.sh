#!/bin/sh
# The audit log (SPEC §11) through the real tool: show / mark / export
# append sealed, chained entries; two social workers sharing a spool (two
# recipients) each read who did what; `verify` and `log` report an entry
# removed, swapped, edited or forged; a corrupt entry loses nothing; no
# action, id or name is in clear on disk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
command -v age >/dev/null || skip "age not installed (the forged-entry case needs it)"

# a second social worker: her own key; both keys are the spool's recipients
printf 'another good passphrase\n' >"$T/pass2"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id2.age" --passphrase-file "$T/pass2" \
	>"$T/rec2.txt" || fail "keygen 2"
cat "$T/recipients.txt" "$T/rec2.txt" >"$T/both.txt"
mkdir -p "$HOME/.config/safeharbor"
printf 'recipients = %s\n' "$T/both.txt" >"$HOME/.config/safeharbor/safeharbor.conf"
sh2() { "$SH" --spool "$T/spool" -i "$T/id2.age" --passphrase-file "$T/pass2" "$@"; }

mkrec2() { "$MR" -k "$T/k1.key" -R "$T/both.txt" -s "$T/spool" "$@" || fail "make_record"; }
A=$(mkrec2 --about self --danger yes --field Name=Zoe-Private --message 'secret words')
B=$(mkrec2 --about friend --danger no)
idA=${A% *}; idB=${B% *}

note "state changes append entries"
expect_rc 0 shx show "$idA"
expect_rc 0 shx mark "$idA" handled
expect_rc 0 sh2 mark "$idB" handled
expect_rc 0 sh2 mark "$idB" open
expect_rc 0 shx export --json -o "$T/export.json"
rm -f "$T/export.json"
expect_eq "entries on disk" "$(ls "$T/spool/audit" | grep -c '^[0-9]\{10\}\.age$')" 5

note "each of the two reads who did what"
for who in shx sh2; do
	expect_rc 0 $who log --json
	python3 - "$T/out" "$(cat "$T/recipients.txt")" "$(cat "$T/rec2.txt")" "$idA" "$idB" <<'PY' || fail "$who log --json"
import json, sys
log = json.load(open(sys.argv[1]))
me, her, a, b = sys.argv[2:6]
got = [(e["seq"], e["by"], e["action"], e["id"]) for e in log]
want = [(0, me, "seen", a), (1, me, "handled", a), (2, her, "handled", b),
        (3, her, "open", b), (4, me, "export", None)]
assert got == want, got
assert log[4]["detail"] == "2 requests as JSON", log[4]
PY
done
note "local time"
TZ=Asia/Tokyo expect_rc 0 shx log --json
expect_grep '"local_time": "20[0-9-]*T[0-9:]*+0900"' "$T/out"
utc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["time"])' "$T/out")
tokyo=$(TZ=Asia/Tokyo date -d "$utc" '+%Y-%m-%d %H:%M:%S')
TZ=Asia/Tokyo expect_rc 0 shx log
expect_grep "^$tokyo " "$T/out"
expect_rc 0 sh2 log
expect_grep "handled *$(echo "$idA" | cut -c1-8)" "$T/out"
expect_eq "text log lines" "$(grep -c '^20[0-9][0-9]-' "$T/out")" 5
expect_rc 0 shx verify
expect_grep "audit log: 5 entries checked, 0 problems" "$T/out"

note "nothing in clear on disk"
for s in "$idA" "$idB" handled export Zoe-Private secret "$(id -un)"; do
	grep -rqa -- "$s" "$T/spool" && fail "'$s' in clear under the spool"
done
expect_eq "entry sizes all equal" "$(wc -c "$T/spool/audit/"*.age | grep -v total | awk '{print $1}' | sort -u | wc -l)" 1

a=$T/spool/audit
cp -a "$a" "$T/audit.good"
restore() { rm -rf "$a"; cp -a "$T/audit.good" "$a"; }

note "a deleted entry"
rm "$a/0000000002.age"
expect_rc 1 shx verify
expect_grep "entry 2 is missing" "$T/out"
expect_rc 1 shx log
expect_grep "entry 2 is missing" "$T/err"
expect_eq "log still shows the others" "$(grep -c '^20[0-9][0-9]-' "$T/out")" 4
restore

note "two entries swapped"
mv "$a/0000000001.age" "$T/x"; mv "$a/0000000003.age" "$a/0000000001.age"; mv "$T/x" "$a/0000000003.age"
expect_rc 1 shx verify
expect_grep "0000000001.age holds entry 3: entries were moved or swapped" "$T/out"
expect_grep "0000000003.age holds entry 1" "$T/out"
restore

note "an edited entry"
python3 - "$a/0000000001.age" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[-40] ^= 1
open(sys.argv[1], 'wb').write(d)
PY
expect_rc 1 shx verify
expect_grep "0000000001.age cannot be opened.*(altered or damaged)" "$T/out"
restore

note "a forged entry (sealed to the real recipients by someone without a key)"
python3 - "$(cat "$T/recipients.txt")" "$idB" >"$T/forged.txt" <<'PY'
import sys, os
t = ("SAFEHARBOR-AUDIT 1\nSeq: 3\nTime: 2026-12-01T10:00:00Z\nBy: %s\nUser: mallory\n"
     "Action: open\nId: %s\nDetail: -\nNonce: %s\nPrev: %s\n") % (sys.argv[1], sys.argv[2],
     os.urandom(16).hex(), os.urandom(32).hex())
sys.stdout.write(t + "\0" * (512 - len(t)))
PY
age -R "$T/both.txt" -o "$a/0000000003.age" "$T/forged.txt" || fail "age"
expect_rc 1 shx verify
expect_grep "entry 3 does not follow the entry before it" "$T/out"
expect_grep "entry 4 does not follow the entry before it" "$T/out"
restore

note "a corrupt last entry: the next action is still recorded, and the break shown"
printf 'garbage' >"$a/0000000004.age"
expect_rc 0 shx mark "$idA" open
expect_grep "audit log: entry 4 cannot be opened" "$T/err"
expect_rc 1 shx log --json
expect_eq "entries that open" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out")" 5
expect_grep "0000000004.age cannot be opened" "$T/err"
restore
expect_rc 0 shx verify

note "a worker whose config lacked the shared recipients: the next link is by the file's bytes, said"
rm -f "$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 0 shx mark "$idA" open          # entry 5: sealed to the first worker only
printf 'recipients = %s\n' "$T/both.txt" >"$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 0 sh2 mark "$idB" handled       # entry 6: she cannot open entry 5
expect_grep "entry 5 is sealed to keys you do not hold.*links to its file's bytes" "$T/err"
expect_rc 0 shx verify
expect_grep "note: entry 6 links to entry 5 by its file's bytes" "$T/out"
expect_grep "audit log: 7 entries checked, 0 problems" "$T/out"
expect_rc 1 sh2 verify
expect_grep "0000000005.age is sealed to keys you do not hold" "$T/out"
mv "$a/0000000005.age" "$T/e5"
expect_rc 1 shx verify
expect_grep "entry 5 is missing" "$T/out"
mv "$T/e5" "$a/0000000005.age"

note "ok"
