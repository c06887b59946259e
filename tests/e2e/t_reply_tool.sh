#!/bin/sh
# Issue 14, the social worker's side: pubkey --staff, reply ID, code CODE,
# their bad input, and what the replies folder shows to someone who lists
# it. The reply file is checked with independent tools: the Argon2 CLI
# derives the reply key from the code, stock age opens the file with it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
CODE="maple-river-stone-otter-lake"
R=$T/replies
mkdir -p "$R"

ID0=$(mkrec k1 | cut -d' ' -f1)                       # no reply key
ID1=$(mkrec k1 --code "$CODE" --about friend | cut -d' ' -f1)
ID2=$(mkrec k2 --code "$CODE" | cut -d' ' -f1)        # kiosk not enrolled
ID3=$(mkrec k1 --code "tulip-zebra-harbor-owl-melon" | cut -d' ' -f1)

note "pubkey --staff: one shstaff1 key, the same every time"
expect_rc 0 shx pubkey --staff
S=$(cat "$T/out")
expect_eq "staff key length" "${#S}" 66
case $S in shstaff1*) ;; *) fail "not a staff key: $S" ;; esac
expect_rc 0 shx pubkey --staff
expect_eq "stable" "$(cat "$T/out")" "$S"
expect_rc 2 shx list --staff

note "no replies folder: usage error naming the three ways"
printf 'hello\n' >"$T/answer"
expect_rc 2 shx reply "$ID1" <"$T/answer"
expect_grep "SAFEHARBOR_REPLIES" "$T/err"
expect_rc 2 shx reply "$ID1" --replies "$T/nope" <"$T/answer"
expect_grep "cannot open the replies folder" "$T/err"

note "bad answers: nothing written"
: >"$T/empty"
expect_rc 1 shx reply "$ID1" --replies "$R" <"$T/empty"
expect_grep "empty" "$T/err"
printf '\n  \n\n' >"$T/blank"
expect_rc 1 shx reply "$ID1" --replies "$R" <"$T/blank"
python3 -c 'print("a" * 2001)' >"$T/huge"
expect_rc 1 shx reply "$ID1" --replies "$R" <"$T/huge"
expect_grep "too long" "$T/err"
note "an answer the kiosk cannot show whole (80x24) is refused, with figures"
python3 -c 'print("\n".join("line %d" % i for i in range(30)))' >"$T/tall"
expect_rc 1 shx reply "$ID1" --replies "$R" <"$T/tall"
expect_grep "too long for one kiosk screen: 30 lines, at most 13" "$T/err"
printf 'see \033[2J me\n' >"$T/ctl"
expect_rc 1 shx reply "$ID1" --replies "$R" <"$T/ctl"
expect_grep "control characters" "$T/err"
expect_rc 1 shx reply "$ID0" --replies "$R" <"$T/answer"
expect_grep "no reply key" "$T/err"
expect_rc 1 shx reply "$ID2" --replies "$R" <"$T/answer"
expect_grep "not from an enrolled kiosk" "$T/err"
expect_eq "nothing written" "$(find "$R" -type f | wc -l)" 0

note "reply: one file, fixed size, a name that is not the request's"
printf 'Hi, I got your note. Come to room 12 on Tuesday at lunch.\r\nMs. Rivera\n\n' >"$T/answer"
expect_rc 0 shx reply "$ID1" --replies "$R" <"$T/answer"
expect_grep "answered (answer 1)" "$T/out"
F=$(find "$R" -maxdepth 1 -type f)
expect_eq "one file" "$(echo "$F" | wc -l)" 1
expect_eq "nothing else in the folder" "$(ls -A "$R" | wc -l)" 1
N=$(basename "$F")
echo "$N" | grep -Eq '^[0-9a-f]{32}\.age$' || fail "name $N"
case $N in *"${ID1%????????????????????????}"*) fail "name holds the request id" ;; esac
SIZE=$(stat -c %s "$F")
expect_eq "file time to the hour" "$(( $(stat -c %Y "$F") % 3600 ))" 0

note "stock age opens it with the key the Argon2 CLI derives from the code"
if command -v argon2 >/dev/null; then
	HEX=$(printf %s "$CODE" | argon2 safeharbor-rk-v1 -id -t 6 -k 65536 -p 1 -l 32 -r)
	python3 "$TOP/tests/tools/age_secret_key.py" "$HEX" >"$T/code.key"
	age -d -i "$T/code.key" "$F" >"$T/reply.txt" || fail "age -d"
	head -c 64 "$T/reply.txt" | grep -q "^SAFEHARBOR-REPLY 1" || fail "not a reply record"
	expect_grep "In-Reply-To: $ID1" "$T/reply.txt"
	expect_grep "Staff: $S" "$T/reply.txt"
	expect_grep "^Ms. Rivera$" "$T/reply.txt"
	expect_grep "Created: ....-..-..T..:00Z" "$T/reply.txt"
	expect_eq "plaintext size" "$(stat -c %s "$T/reply.txt")" 16384
else
	fail "argon2 (Debian package argon2) is needed: the independent derivation check"
fi

note "more answers, and -f for a request from an unknown kiosk: same size, unrelated names"
printf 'A second note.\n' | shx reply "$ID1" --replies "$R" >"$T/out" || fail "second reply"
expect_grep "answer 2" "$T/out"
printf 'For the other one.\n' | SAFEHARBOR_REPLIES=$R shx reply "$ID3" >/dev/null || fail "env"
printf 'Forced.\n' | shx reply "$ID2" -f --replies "$R" >/dev/null || fail "-f"
expect_eq "four files" "$(find "$R" -maxdepth 1 -type f | wc -l)" 4
expect_eq "one size" "$(find "$R" -maxdepth 1 -type f -printf '%s\n' | sort -u)" "$SIZE"
# two answers to one request share no name prefix a listing could group by
find "$R" -maxdepth 1 -type f -printf '%f\n' | cut -c1-4 | sort | uniq -d >"$T/dup"
expect_eq "no shared prefixes" "$(cat "$T/dup")" ""

note "config 'replies' works too"
mkdir -p "$HOME/.config/safeharbor"
printf 'replies = %s\n' "$R" >"$HOME/.config/safeharbor/safeharbor.conf"
printf 'Third.\n' | shx reply "$ID1" >/dev/null || fail "config replies"
rm "$HOME/.config/safeharbor/safeharbor.conf"

note "code CODE: the requests made with it, however it is typed"
expect_rc 0 shx code "Maple River" "STONE-otter  lake"
expect_grep "^${ID1%????????????????????????}" "$T/out"
expect_grep "^${ID2%????????????????????????}" "$T/out"
expect_nogrep "^${ID0%????????????????????????}" "$T/out"
expect_nogrep "^${ID3%????????????????????????}" "$T/out"
expect_rc 0 shx code "m$(printf '\303\241')ple-river-stone-otter-lake"
expect_rc 1 shx code "maple-river-stone-otter-lakes"
expect_grep "no request" "$T/err"
expect_rc 2 shx code "maple river"
expect_grep "not a code" "$T/err"
expect_rc 2 shx code "maple-river-st0ne-otter-lake"

note "code CODE says when in local time, as show does (two time zones)"
for tz in UTC0 EST5; do
	export TZ=$tz
	expect_rc 0 shx code "$CODE"
	cp "$T/out" "$T/code.$tz"
	expect_rc 0 shx show "$ID1"
	WHEN=$(awk '/^Created/ { print $2, $3; exit }' "$T/out")
	echo "$WHEN" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$' || { cat "$T/out"; fail "show Created '$WHEN'"; }
	expect_grep "^${ID1%????????????????????????}  $WHEN  " "$T/code.$tz"
	expect_nogrep "T[0-9][0-9]:[0-9][0-9]Z" "$T/code.$tz"
done
unset TZ
! cmp -s "$T/code.UTC0" "$T/code.EST5" || fail "code prints the same times in UTC and EST5"

note "a student's answer (About: reply) sits with its request"
ID4=$(mkrec k1 --code "$CODE" --in-reply-to "$ID1" --message "thank you" | cut -d' ' -f1)
expect_rc 0 shx code "$CODE"
expect_grep "^${ID4%????????????????????????}.*reply" "$T/out"
expect_rc 0 shx list --replies "$R"
S1=${ID1%????????????????????????}
awk -v a="$S1" 'found { print; exit } index($0, a) == 1 { found = 1 }' "$T/out" >"$T/next"
expect_grep "^${ID4%????????????????????????}.*reply.*\[answer to $S1\]" "$T/next"
expect_grep "^$S1.*friend.*\[new answer\]" "$T/out"
expect_grep "^${ID3%????????????????????????}.*\[answered\]" "$T/out"
expect_nogrep "^${ID0%????????????????????????}.*\[" "$T/out"
expect_rc 0 shx show "$ID1" --replies "$R"
expect_grep "^Answers: *from you: 4, from the student: 1 (new)" "$T/out"
expect_rc 0 shx show "$ID4" --replies "$R"
expect_grep "^In reply to: *$S1" "$T/out"
expect_grep "thank you" "$T/out"
expect_rc 0 shx list --replies "$R"
expect_grep "^$S1.*\[answered\]" "$T/out"     # her answer seen now: no longer new
expect_rc 0 shx list --json --replies "$R"
python3 - "$T/out" "$ID1" "$ID4" "$ID0" <<'PY' || fail "list --json conversation fields"
import json, sys
items = {i["id"]: i for i in json.load(open(sys.argv[1]))}
r, a, old = items[sys.argv[2]], items[sys.argv[3]], items[sys.argv[4]]
assert r["reply_key"] is True and r["answers"] == 4 and r["in_reply_to"] is None, r
assert a["about"] == "reply" and a["in_reply_to"] == sys.argv[2], a
assert old["reply_key"] is False and old["answers"] is None, old
PY
echo "ok"
