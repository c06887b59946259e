#!/bin/sh
# Issue 15: case notes, outcomes and referrals. Round trip through show,
# list --json and export; history kept when an outcome changes; local
# times; nothing of them in clear anywhere under the spool or the home
# folder, and case files that look like any envelope; bad input (unknown
# names, too long, empty, control bytes) changes nothing; unreadable or
# foreign case files are reported, never counted; the recipients setting.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/tool_world.sh"
tool_world
MARK=Zq7NOTEMARKER
A=$(mkrec k1 --about self --danger yes --field Name=Ana --message "help" | cut -d' ' -f1)
B=$(mkrec k1 --about friend --field Name=Ben | cut -d' ' -f1)
ncase() { ls "$T/spool/case/new" 2>/dev/null | wc -l; }

note "a note from standard input, outcomes changed, referrals"
printf 'First talk with %s: safe at home tonight.\nCall back Friday.\n' "$MARK" | shx note "$A" \
	>"$T/o1" || fail "note"
expect_grep "note saved" "$T/o1"
printf 'Second: %s met her aunt.' "$MARK" | shx note "${A%????????????????????????}" >/dev/null ||
	fail "note by short id"
expect_rc 0 shx mark "$A" outcome no-concern
expect_grep "outcome no-concern" "$T/out"
expect_rc 0 shx mark "$A" outcome grooming
expect_rc 0 shx mark "$A" referred police
expect_rc 0 shx mark "$A" referred services
expect_rc 0 shx mark "$A" handled
expect_eq "case files" "$(ncase)" 7

note "show: under the request, oldest first, local time"
TZ=Asia/Kolkata; export TZ
before=$(date +"%Y-%m-%d %H:")
expect_rc 0 shx show "$A"
after=$(date +"%Y-%m-%d %H:")
unset TZ
cp "$T/out" "$T/show.txt"
expect_grep "^Outcome:      grooming$" "$T/show.txt"
expect_grep "^Referred to:  police, services$" "$T/show.txt"
expect_grep "^    First talk with $MARK: safe at home tonight.$" "$T/show.txt"
expect_grep "^    Call back Friday.$" "$T/show.txt"
sed -n '/^Case history/,$p' "$T/show.txt" | sed -n 's/^  \([0-9-]* [0-9]*:[0-9]*\)  \(.*\)/\2/p' >"$T/hist"
expect_eq "history" "$(tr '\n' '|' <"$T/hist")" \
	"note|note|outcome no-concern|outcome grooming|referred to police|referred to services|marked handled|"
grep -q "^  \($before\|$after\)[0-9][0-9]  note" "$T/show.txt" || {
	cat "$T/show.txt"; fail "note time is not local (Asia/Kolkata: $before)"; }
expect_rc 0 shx show "$B"
expect_nogrep "Case history" "$T/out"

note "list --json and show --json"
expect_rc 0 shx list --json
python3 - "$T/out" "$A" "$B" <<'PY' || fail "list --json"
import json, sys
items = {i["id"]: i for i in json.load(open(sys.argv[1]))}
a, b = items[sys.argv[2]], items[sys.argv[3]]
assert (a["outcome"], a["referred"], a["notes"]) == ("grooming", ["police", "services"], 2), a
assert (b["outcome"], b["referred"], b["notes"]) == (None, [], 0), b
PY
expect_rc 0 shx show --json "$A"
python3 - "$T/out" "$MARK" <<'PY' || fail "show --json"
import json, sys
r = json.load(open(sys.argv[1]))
kinds = [(c["kind"], c["value"]) for c in r["case"]]
assert kinds == [("note", None), ("note", None), ("outcome", "no-concern"), ("outcome", "grooming"),
                 ("referred", "police"), ("referred", "services"), ("state", "handled")], kinds
assert r["case"][0]["text"].startswith("First talk with " + sys.argv[2]), r["case"][0]
assert all(c["verified"] for c in r["case"])
PY

note "export --json and --csv carry them"
expect_rc 0 shx export --json
python3 - "$T/out" "$A" "$MARK" <<'PY' || fail "export --json"
import json, sys
a = [r for r in json.load(open(sys.argv[1])) if r["id"] == sys.argv[2]][0]
assert a["outcome"] == "grooming" and len(a["case"]) == 7
assert sys.argv[3] in a["case"][1]["text"]
PY
expect_rc 0 shx export --csv
python3 - "$T/out" "$A" "$MARK" <<'PY' || fail "export --csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
a = [r for r in rows if r["id"] == sys.argv[2]][0]
assert a["outcome"] == "grooming" and a["referred"] == "police services", a
assert a["notes"].count(sys.argv[3]) == 2 and "Call back Friday." in a["notes"]
assert a["notes"].index("First talk") < a["notes"].index("Second:")
PY

note "nothing in clear on disk; case files look like any envelope"
rm -f "$T/out" "$T/err" "$T/o1" "$T/show.txt" "$T/hist"
for word in "$MARK" grooming no-concern police services "Call back"; do
	if grep -rlaF -- "$word" "$T"; then fail "'$word' in clear on disk"; fi
done
req=$(find "$T/spool/new" "$T/spool/cur" -type f -exec stat -c %s {} + | sort -u)
sizes=$(stat -c %s "$T"/spool/case/new/* | sort -u)
expect_eq "case file size" "$sizes" "$req"
ls "$T/spool/case/new" | grep -vqE '^[0-9a-f]{32}\.age$' && fail "a case file name is not random hex"
ls "$T/spool/case/tmp" | grep -q . && fail "left in case/tmp"
[ "$(stat -c %a "$T/spool/case/new")" = 700 ] || fail "case/new mode"

note "bad input changes nothing"
n0=$(ncase)
expect_rc 2 shx mark "$A" outcome rescued
expect_grep "met, information, assault, grooming, trafficking, no-concern, not-found" "$T/err"
expect_rc 2 shx mark "$A" outcome
expect_rc 2 shx mark "$A" referred fbi
expect_grep "cps, police, services" "$T/err"
expect_rc 2 shx mark "$A" handled now
expect_rc 2 shx mark "$A" closed
python3 -c 'print("x" * 3001, end="")' >"$T/long"
expect_rc 1 sh -c '"$0" --spool "$1/spool" -i "$1/id.age" --passphrase-file "$1/pass" note "$2" <"$1/long"' "$SH" "$T" "$A"
expect_grep "too long: a note holds at most 3000 characters" "$T/err"
expect_rc 1 sh -c 'printf "\n\n" | "$0" --spool "$1/spool" -i "$1/id.age" --passphrase-file "$1/pass" note "$2"' "$SH" "$T" "$A"
expect_grep "empty" "$T/err"
expect_rc 1 sh -c 'printf "bell\a" | "$0" --spool "$1/spool" -i "$1/id.age" --passphrase-file "$1/pass" note "$2"' "$SH" "$T" "$A"
expect_grep "control characters" "$T/err"
expect_rc 1 sh -c 'echo hi | "$0" --spool "$1/spool" -i "$1/id.age" --passphrase-file "$1/pass" note ffffffff' "$SH" "$T"
expect_grep "no such request" "$T/err"
expect_eq "no case file added" "$(ncase)" "$n0"

note "unreadable case files are named, the request still shows, nothing counts"
one=$(ls "$T/spool/case/new" | head -n 1)
head -c 9000 "$T/spool/case/new/$one" >"$T/spool/case/new/00000000000000000000000000000001.age"
echo garbage >"$T/spool/case/new/00000000000000000000000000000002.age"
ln -s /etc/passwd "$T/spool/case/new/00000000000000000000000000000003.age"
mkdir "$T/spool/case/new/00000000000000000000000000000004.age"
expect_rc 0 shx show "$A"
# the link and the folder are not listed, so never followed or read
expect_grep "2 case items (notes, outcomes) in .*could not be opened" "$T/err"
expect_grep "00000000000000000000000000000001.age: tampered" "$T/err"
expect_grep "00000000000000000000000000000002.age: malformed" "$T/err"
expect_grep "^Outcome:      grooming$" "$T/out"
expect_rc 0 shx stats --json
expect_grep "could not be opened" "$T/err"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["outcomes"]["grooming"]==1 and s["identified"]==1, s' "$T/out" || fail "stats with bad case files"
expect_rc 1 shx verify
expect_grep "^case/new/00000000000000000000000000000001.age: case item: tampered" "$T/out"
expect_grep "^case/new/00000000000000000000000000000002.age: case item: malformed" "$T/out"
rm -r "$T"/spool/case/new/0000000000000000000000000000000?.age
expect_rc 0 shx verify
# a case file she may not read (as root every file is readable: the
# world is copied for an unprivileged user)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && getent passwd nobody >/dev/null; then
	U=$(mktemp -d /tmp/sh-e2e-nobody.XXXXXX)
	u_cleanup() { rm -rf "$U"; }
	SH_CLEANUPS="$SH_CLEANUPS u_cleanup"
	chmod 755 "$U"
	cp -a "$T/spool" "$T/id.age" "$T/pass" "$T/kiosks" "$U/"
	chown -R 65534:65534 "$U"
	chmod 000 "$U/spool/case/new/$one"
	asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$U" "$SH" \
		--spool "$U/spool" -i "$U/id.age" --passphrase-file "$U/pass" "$@"; }
	expect_rc 0 asnobody show "$A"
	expect_grep "$one: cannot read: Permission denied" "$T/err"
	expect_grep "^Outcome:" "$T/out"
	expect_rc 1 asnobody verify
	expect_grep "^case/new/$one: case item: cannot read: Permission denied" "$T/out"
else
	note "not root or no setpriv: an unreadable case file is not tried"
fi

note "an outcome written with another key is shown as such and never counted"
printf 'other horse\n' >"$T/pass2"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id2.age" --passphrase-file "$T/pass2" >"$T/r2.txt" || fail keygen2
cat "$T/recipients.txt" "$T/r2.txt" >"$T/both.txt"
C=$("$MR" -k "$T/k1.key" -R "$T/both.txt" -s "$T/spool" --about self | cut -d' ' -f1)
mkdir -p "$T/h2/.config/safeharbor"
printf 'recipients = %s\n' "$T/both.txt" >"$T/h2/.config/safeharbor/safeharbor.conf"
sh2() { HOME=$T/h2 "$SH" --spool "$T/spool" -i "$T/id2.age" --passphrase-file "$T/pass2" "$@"; }
sh2 mark "$C" outcome trafficking >/dev/null || fail "mark as the second key"
expect_rc 0 shx show "$C"
expect_grep "outcome trafficking  (WARNING: written with another key, not counted)" "$T/out"
expect_grep "^Outcome:      (none yet)$" "$T/out"
expect_rc 0 shx stats --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["outcomes"]["trafficking"]==0, s' "$T/out" || fail "a foreign outcome counted"
expect_rc 0 shx verify
expect_grep "^case/new/.*: note: a case item written with a key you do not hold" "$T/out"

note "recipients: a backup reader opens her notes; a file without her key is refused"
mkdir -p "$HOME/.config/safeharbor"
printf 'recipients = %s\n' "$T/both.txt" >"$HOME/.config/safeharbor/safeharbor.conf"
printf 'for the backup %s\n' "$MARK" | shx note "$C" >/dev/null || fail "note to both"
expect_rc 0 sh2 show "$C"
expect_grep "^    for the backup $MARK$" "$T/out"
printf 'recipients = %s\n' "$T/r2.txt" >"$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 2 sh -c 'echo x | "$0" --spool "$1/spool" -i "$1/id.age" --passphrase-file "$1/pass" note "$2"' "$SH" "$T" "$A"
expect_grep "none of these recipients is your identity" "$T/err"
note "rekey carries her case items to the new key; the old one can go"
rm -f "$HOME/.config/safeharbor/safeharbor.conf"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/new.age" --passphrase-file "$T/pass" >"$T/new.txt" || fail keygen3
before=$(ls "$T/spool/case/new" | sort)
expect_rc 0 "$SH" --spool "$T/spool" -i "$T/id.age" -i "$T/new.age" --passphrase-file "$T/pass" rekey -R "$T/new.txt"
expect_grep "case items (notes, outcomes) re-sealed, 0 failed, 1 written with a key not yours left as they are" "$T/out"
expect_eq "case file names kept" "$(ls "$T/spool/case/new" | sort)" "$before"
cp "$T/kiosks" "$T/kiosks.keep"
mv "$T/id.age" "$T/id.old"
cp "$T/kiosks.keep" "$T/kiosks"
expect_rc 0 "$SH" --spool "$T/spool" -i "$T/new.age" --passphrase-file "$T/pass" show "$A"
# only the item the second key wrote (sealed to the old key and to it)
expect_grep "^safeharbor: warning: 1 case item (notes, outcomes) in .* could not be opened" "$T/err"
expect_grep "^Outcome:      grooming$" "$T/out"
expect_grep "^    First talk with $MARK: safe at home tonight.$" "$T/out"
expect_nogrep "WARNING: written with another key" "$T/out"
mv "$T/id.old" "$T/id.age"

note "a link planted as case/ is never followed"
rm -f "$HOME/.config/safeharbor/safeharbor.conf"
mv "$T/spool/case" "$T/case.real"
mkdir "$T/elsewhere"
ln -s "$T/elsewhere" "$T/spool/case"
expect_rc 1 sh -c 'echo x | "$0" --spool "$1/spool" -i "$1/new.age" --passphrase-file "$1/pass" note "$2"' "$SH" "$T" "$A"
expect_grep "case: cannot read the case notes: .*symbolic link (not followed)" "$T/err"
[ -z "$(ls -A "$T/elsewhere")" ] || fail "something written through the link"
echo "t_case_notes: ok"
