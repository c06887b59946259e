#!/bin/sh
# safeharbor list / show / mark on a spool with good, forged, foreign,
# tampered, truncated and duplicated envelopes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

now=$(date +%s)
A=$(mkrec k1 --about self --danger yes --time $((now - 3600)) \
	--field 'Name=Ana "Q", Lopez' --field Grade=9 --message "$(printf 'line one\nline two')")
B=$(mkrec k2 --about friend --danger no --time $((now - 60)) --field Friend-Name=Sam)
C=$(mkrec k1 --about info --danger no --time $((now - 86400)))
D=$(mkrec k1 --about self --danger unsure --time $((now - 7200)))
F=$(mkrec k1 --about self --danger no --time $((now - 120)) --bad-signature)
idA=${A% *}; fA=${A#* }; idB=${B% *}; idC=${C% *}; idD=${D% *}; idF=${F% *}
# a duplicate of A (as a second sync would bring), a tampered and a
# truncated copy of C, and an envelope for somebody else
cp "$T/spool/new/$fA" "$T/spool/cur/00000000000000000000000000000001.age:2,S"
python3 - "$T/spool/new/${C#* }" "$T/spool/new/0000000000000000000000000000000e.age" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[-200] ^= 0x40
open(sys.argv[2], 'wb').write(d)
PY
head -c 4000 "$T/spool/new/${C#* }" >"$T/spool/new/0000000000000000000000000000000f.age"
age-keygen -o "$T/other.key" 2>/dev/null || fail "age-keygen"
age-keygen -y "$T/other.key" >"$T/other.txt"
"$MR" -k "$T/k1.key" -R "$T/other.txt" -s "$T/spool" >/dev/null || fail "foreign record"
sendtest=0
kiosk_send_test && sendtest=1

note "list (text)"
expect_rc 0 shx list
cp "$T/out" "$T/list.txt"
cat "$T/list.txt"
head -n 1 "$T/list.txt" | grep -q '^ID  *RECEIVED  *ABOUT  *DANGER  *STATE  *KIOSK' || fail "list header"
first=$(sed -n 2p "$T/list.txt")
case $first in ${idA%????????????????????????}*URGENT*) ;; *) fail "urgent record not first: $first" ;; esac
expect_eq "A listed once (duplicate folded)" "$(grep -c "^${idA%????????????????????????}" "$T/list.txt")" 1
expect_grep "1 duplicate copy" "$T/list.txt"
expect_grep "library-1" "$T/list.txt"
grep "^${idB%????????????????????????}" "$T/list.txt" | grep -q "not from an enrolled kiosk" \
	|| fail "record from a non-enrolled kiosk not flagged"
grep "^${idF%????????????????????????}" "$T/list.txt" | grep -q "not from an enrolled kiosk (bad signature)" \
	|| fail "forged record not flagged"
expect_grep "CANNOT OPEN new/0000000000000000000000000000000e.age: tampered" "$T/list.txt"
expect_grep "CANNOT OPEN new/0000000000000000000000000000000f.age: truncated (shorter than a safeharbor envelope)" "$T/list.txt"
expect_grep "not for these keys" "$T/list.txt"
expect_grep "3 envelopes could not be opened" "$T/err"
expect_nogrep "Lopez" "$T/list.txt"
expect_nogrep "line one" "$T/list.txt"

note "list --json"
expect_rc 0 shx list --json
cp "$T/out" "$T/list.json"
python3 - "$T/list.json" "$idA" "$idB" "$idC" "$idD" "$idF" "$sendtest" <<'PY' || fail "list --json"
import json, sys
items = json.load(open(sys.argv[1]))
idA, idB, idC, idD, idF, sendtest = sys.argv[2:8]
fields = {"id", "short_id", "file", "received", "state", "status", "error", "created",
          "about", "danger", "urgent", "kiosk", "kiosk_name", "signature_ok", "enrolled",
          "duplicates", "id_conflict", "outcome", "referred", "notes",
          "overdue"}
for it in items:
    assert set(it) == fields, set(it) ^ fields
ok = [i for i in items if i["status"] == "ok"]
bad = [i for i in items if i["status"] == "refused"]
assert len(ok) == 5 + int(sendtest), len(ok)
assert len(bad) == 3, bad
ids = [i["id"] for i in ok]
assert ids[0] == idA and ids[1] == idD, ids          # urgent, then not sure
assert ids.index(idB) < ids.index(idC)               # newest first
assert len(set(ids)) == len(ids)
a = ok[0]
assert a["urgent"] is True and a["danger"] == "yes" and a["about"] == "self"
assert a["kiosk_name"] == "library-1" and a["enrolled"] and a["signature_ok"]
assert a["duplicates"] == 1 and len(a["short_id"]) >= 8 and idA.startswith(a["short_id"])
b = next(i for i in ok if i["id"] == idB)
assert b["kiosk_name"] is None and not b["enrolled"] and b["signature_ok"]
f = next(i for i in ok if i["id"] == idF)
assert not f["signature_ok"] and not f["enrolled"]
reasons = sorted(i["error"] for i in bad)
assert any(r.startswith("tampered") for r in reasons), reasons
assert "truncated (shorter than a safeharbor envelope)" in reasons and "not for these keys" in reasons, reasons
assert all(i["id"] is None and i["file"].startswith("new/") for i in bad)
if sendtest == "1":
    t = next(i for i in ok if i["about"] == "test")
    assert t["kiosk_name"] == "front-desk" and t["enrolled"], t
PY

note "show"
short=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["short_id"])' "$T/list.json")
expect_rc 0 shx show "$short"
cp "$T/out" "$T/show.txt"
expect_grep "^Id: *$idA" "$T/show.txt"
expect_grep 'Name: *Ana "Q", Lopez' "$T/show.txt"
expect_grep "^Grade: *9" "$T/show.txt"
expect_grep "^line one" "$T/show.txt"
expect_grep "^line two" "$T/show.txt"
expect_grep "library-1" "$T/show.txt"
expect_grep "Envelope: .*\.age" "$T/show.txt"
expect_grep "URGENT" "$T/show.txt"
note "show marked it seen (Maildir flag S in cur/)"
ls "$T/spool/cur" | grep -q "^${fA}:2,S$" || { ls -R "$T/spool"; fail "not moved to cur/ with :2,S"; }
expect_rc 0 shx show "$idB" --json
python3 - "$T/out" "$idB" <<'PY' || fail "show --json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["id"] == sys.argv[2] and r["friend_name"] == "Sam" and r["about"] == "friend"
assert r["message"] == "" and r["name"] == "" and r["state"] == "seen"
assert not r["enrolled"] and r["language"] == "en"
PY
expect_rc 0 shx show "$idF"
expect_grep "WARNING: not from an enrolled kiosk" "$T/out"
note "show of an envelope that cannot be opened: exit 1, says why"
expect_rc 1 shx show 0000000000000000000000000000000e.age
expect_grep "tampered" "$T/err"

note "mark"
expect_rc 0 shx mark "$short" handled
ls "$T/spool/cur" | grep -q "^${fA}:2,RS$" || { ls -R "$T/spool"; fail "handled flag"; }
ls "$T/spool/cur" | grep -q "^00000000000000000000000000000001.age:2,RS$" || fail "duplicate copy not marked too"
expect_rc 0 shx list --json
python3 -c 'import json,sys; it=json.load(open(sys.argv[1])); a=[i for i in it if i["id"]==sys.argv[2]][0]; assert a["state"]=="handled"' \
	"$T/out" "$idA" || fail "state after mark"
expect_rc 0 shx mark "$short" open
ls "$T/spool/cur" | grep -q "^${fA}:2,S$" || fail "open flag"
expect_rc 2 shx mark "$short" done
expect_rc 2 shx mark "$short"

note "ids: unknown, invalid"
expect_rc 1 shx show 0123456789abcdef0123456789abcdef
expect_grep "no such request" "$T/err"
expect_rc 2 shx show not-an-id
exit 0
