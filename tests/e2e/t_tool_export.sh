#!/bin/sh
# safeharbor export (JSON, CSV with a hostile name round trip, file
# safety) and stats.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

NAME='Zoë "Z", O'"'"'Neil'
MSG=$(printf 'first, "quoted"\nsecond line\t=tab\n日本語')
A=$(mkrec k1 --about self --danger yes --time 1788000000 --field "Name=$NAME" --message "$MSG")
B=$(mkrec k2 --about friend --danger unsure --time 1790000000 --field 'Friend-Name==cmd()')
C=$(mkrec k1 --about info --danger no --time 1791000000)
D=$(mkrec k1 --about test --danger no --time 1791000000)
head -c 100 "$T/spool/new/${C#* }" >"$T/spool/new/0000000000000000000000000000000f.age"
shx mark "${C% *}" handled >/dev/null || fail "mark"

note "export --json to stdout warns about plaintext"
expect_rc 0 shx export --json
expect_grep "plaintext" "$T/err"
expect_grep "1 envelope could not be opened" "$T/err"
python3 - "$T/out" "${A% *}" "$NAME" "$MSG" <<'PY' || fail "export --json content"
import json, sys
recs = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(recs) == 4, len(recs)
a = recs[0]
assert a["id"] == sys.argv[2] and a["name"] == sys.argv[3], a
assert a["message"] == sys.argv[4], repr(a["message"])
for k in ("grade", "teacher", "best_time", "contact_way", "friend_name", "friend_grade",
          "language", "kiosk", "kiosk_name", "enrolled", "signature_ok", "created", "file"):
    assert k in a, k
assert recs[1]["friend_name"] == "=cmd()"
PY

note "export --csv -o FILE: 0600, header row, round trip"
expect_rc 0 shx export --csv -o "$T/out.csv"
[ "$(stat -c %a "$T/out.csv")" = 600 ] || fail "export file mode $(stat -c %a "$T/out.csv")"
expect_grep "plaintext" "$T/err"
python3 - "$T/out.csv" "${A% *}" "$NAME" "$MSG" <<'PY' || fail "export --csv content"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head = rows[0]
assert head == ["id", "created", "received", "about", "danger", "state", "kiosk", "kiosk_name",
                "enrolled", "signature_ok", "language", "name", "grade", "teacher", "best_time",
                "contact_way", "friend_name", "friend_grade", "message", "file", "outcome",
                "referred", "notes"], head
recs = [dict(zip(head, r)) for r in rows[1:]]
assert len(recs) == 4 and all(len(r) == len(head) for r in rows)
a = recs[0]
assert a["id"] == sys.argv[2] and a["name"] == sys.argv[3], a["name"]
assert a["message"] == sys.argv[4], repr(a["message"])
assert a["danger"] == "yes" and a["enrolled"] == "yes" and a["kiosk_name"] == "library-1"
f = recs[1]
assert f["friend_name"] == "'=cmd()", f["friend_name"]      # formula neutralised
assert f["enrolled"] == "no" and f["kiosk_name"] == ""
assert [r["about"] for r in recs].count("test") == 1
assert [r for r in recs if r["about"] == "info"][0]["state"] == "handled"
PY

note "export refuses to overwrite, --force replaces"
echo old >"$T/out.csv"
chmod 644 "$T/out.csv"
expect_rc 1 shx export --csv -o "$T/out.csv"
expect_grep "already exists" "$T/err"
expect_eq "file untouched" "$(cat "$T/out.csv")" old
expect_rc 0 shx export --json -o "$T/out.csv" --force
[ "$(stat -c %a "$T/out.csv")" = 600 ] || fail "forced export mode"
python3 -m json.tool "$T/out.csv" >/dev/null || fail "forced export not JSON"
note "export refuses the spool, needs one format"
expect_rc 2 shx export --json -o "$T/spool/new/x.json"
expect_grep "spool" "$T/err"
[ ! -e "$T/spool/new/x.json" ] || fail "wrote into the spool"
expect_rc 2 shx export
expect_rc 2 shx export --json --csv
expect_rc 2 shx export --json -o "$T/nodir/x.json" --force --clean-tmp

note "stats: a record from a kiosk that is not enrolled is not counted, but shown apart"
expect_rc 0 shx stats
cat "$T/out"
expect_grep "^Requests: *2" "$T/out"
expect_grep "for a friend: *0" "$T/out"
expect_grep "^Not from an enrolled kiosk: 1 " "$T/out"
expect_grep "(not enrolled) *1 *0  (not counted above)" "$T/out"
expect_rc 0 shx stats --json
python3 - "$T/out" <<'PY' || fail "stats --json untrusted"
import json, sys
s = json.load(open(sys.argv[1]))
assert (s["total"], s["friend"], s["unsure"], s["untrusted"]) == (2, 0, 0, 1), s
m = {x["month"]: x["total"] for x in s["months"]}
assert "2026-09" not in m, m
PY

note "stats once that kiosk is enrolled"
shx kiosks add gym "$(cat "$T/k2.pub")" || fail "kiosks add"
expect_rc 0 shx stats
cat "$T/out"
expect_grep "^Requests: *3" "$T/out"
expect_grep "for themselves: *1" "$T/out"
expect_grep "for a friend: *1" "$T/out"
expect_grep "information only: *1" "$T/out"
expect_grep "^Kiosk tests: *1" "$T/out"
expect_grep "^Urgent (danger now): *1" "$T/out"
expect_grep "^Handled: *1" "$T/out"
expect_grep "Could not be opened: *1" "$T/out"
expect_grep "library-1 *2 *1$" "$T/out"
expect_rc 0 shx stats --json
python3 - "$T/out" <<'PY' || fail "stats --json"
import json, sys
s = json.load(open(sys.argv[1]))
assert (s["total"], s["self"], s["friend"], s["info"], s["test"]) == (3, 1, 1, 1, 1), s
assert (s["urgent"], s["unsure"], s["handled"], s["refused"], s["untrusted"]) == (1, 1, 1, 1, 0), s
assert s["since"] is None
k = {x["kiosk_name"]: (x["total"], x["test"]) for x in s["kiosks"]}
assert k == {"library-1": (2, 1), "gym": (1, 0)}, k
m = {x["month"]: (x["total"], x["test"]) for x in s["months"]}
assert m == {"2026-08": (1, 0), "2026-09": (1, 0), "2026-10": (1, 1)}, m
PY
expect_rc 0 shx stats --json --since 2026-09-01
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["total"]==2 and s["test"]==1 and s["since"]=="2026-09-01" and s["self"]==0, s' \
	"$T/out" || fail "stats --since"
expect_rc 2 shx stats --since 2026-13-01
expect_rc 2 shx stats --since yesterday
exit 0
