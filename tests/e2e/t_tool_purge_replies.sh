#!/bin/sh
# Purge and replies (SPEC §9, §11), through the real tool: every answer the
# social worker sends is in the audit log (the request id, never the text);
# purge removes a handled request's answers from the replies folder
# (--dry-run counts them), and a conversation (the request and the trusted
# answers a student wrote back under it) goes as a whole or stays as a
# whole; an untrusted answer naming the request holds nothing back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
R=$T/replies
mkdir -p "$R"
C1="maple-river-stone-otter-lake"
C2="tulip-zebra-harbor-owl-melon"
ID1=$(mkrec k1 --code "$C1" --about self | cut -d' ' -f1)       # answered twice
A1=$(mkrec k1 --code "$C1" --in-reply-to "$ID1" | cut -d' ' -f1) # the student writes back
U1=$(mkrec k2 --code "$C1" --in-reply-to "$ID1" | cut -d' ' -f1) # not an enrolled kiosk
ID2=$(mkrec k1 --code "$C2" --about friend | cut -d' ' -f1)     # answered, stays open
tomorrow=$(date -d tomorrow +%F)
files() { find "$R" -type f | sort; }

note "each answer is an audit entry with the request id, nothing of the text"
printf 'Come to room 12 on Tuesday, ask for Ms. Rivera.\n' >"$T/answer"
expect_rc 0 shx reply "$ID1" --replies "$R" <"$T/answer"
expect_rc 0 shx reply "$A1" --replies "$R" <"$T/answer"
expect_rc 0 shx reply "$ID2" --replies "$R" <"$T/answer"
files >"$T/all.txt"
expect_eq "three answers stored" "$(wc -l <"$T/all.txt")" 3
expect_rc 0 shx log
expect_eq "three reply entries" "$(grep -c "reply" "$T/out")" 3
for id in "$ID1" "$A1" "$ID2"; do
	expect_eq "one for ${id%"${id#????????}"}" "$(grep "reply" "$T/out" | grep -c "${id%"${id#????????}"}")" 1
done
grep -q "Rivera\|room 12" "$T/out" "$T/spool/audit"/* && fail "the answer's text is in the audit log"
# verify's one problem: U1, not from an enrolled kiosk
expect_rc 1 shx verify
expect_grep "audit log: 3 entries checked, 0 problems" "$T/out"

note "an open answer keeps its conversation"
expect_rc 0 shx mark "$ID1" handled
expect_rc 0 shx mark "$U1" handled
expect_rc 0 shx purge --handled-before "$tomorrow" --dry-run --replies "$R"
expect_grep "would remove 1 request handled before $tomorrow (1 envelope file, 1 case items (notes, outcomes, marks), 0 answers in the replies folder)" "$T/out"

note "handled as a whole: --dry-run counts its answers and removes nothing"
expect_rc 0 shx mark "$A1" handled
expect_rc 0 shx purge --handled-before "$tomorrow" --dry-run --replies "$R"
expect_grep "would remove 3 requests handled before $tomorrow (3 envelope files, 3 case items (notes, outcomes, marks), 2 answers in the replies folder)" "$T/out"
files >"$T/now.txt"
cmp -s "$T/all.txt" "$T/now.txt" || fail "--dry-run removed answers"

note "purge removes the conversation and its answers; the open request keeps its own"
expect_rc 0 shx purge --handled-before "$tomorrow" --replies "$R"
expect_grep "removed 3 requests handled before $tomorrow (3 envelope files, 3 case items (notes, outcomes, marks), 2 answers in the replies folder)" "$T/out"
expect_eq "one answer left" "$(files | wc -l)" 1
expect_rc 0 shx reply "$ID2" --replies "$R" <"$T/answer"
expect_grep "answered (answer 2)" "$T/out"
expect_rc 0 shx list
expect_grep "${ID2%"${ID2#????????}"}" "$T/out"
grep -q "${ID1%"${ID1#????????}"}" "$T/out" && fail "ID1 still listed"
expect_rc 0 shx verify
expect_grep "verify: 1 envelope checked, 0 problems" "$T/out"
expect_rc 0 shx log
expect_grep "purge" "$T/out"

note "no replies folder configured: requests go, the folder is not touched"
expect_rc 0 shx mark "$ID2" handled
expect_rc 0 shx purge --handled-before "$tomorrow"
expect_grep "removed 1 request handled before $tomorrow (1 envelope file, 1 case item.*0 answers in the replies folder)" "$T/out"
expect_eq "its answers stay" "$(files | wc -l)" 2
note "answers past reply_days (default 30) go, to requests that stay too"
ID3=$(mkrec k1 --code "$C1" --about self | cut -d' ' -f1)
expect_rc 0 shx reply "$ID3" --replies "$R" <"$T/answer"
files >"$T/before3.txt"
expect_rc 0 shx reply "$ID3" --replies "$R" <"$T/answer"
OLD=$(files | comm -13 "$T/before3.txt" -)
touch -d "@$(($(date +%s) - 31 * 86400 - 7200))" "$OLD"
today=$(date +%F)
expect_rc 0 shx purge --handled-before "$today" --dry-run --replies "$R"
expect_grep "would remove 1 answer older than reply_days to requests that stay" "$T/out"
mkdir -p "$HOME/.config/safeharbor"
echo "reply_days = 40" >"$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 0 shx purge --handled-before "$today" --dry-run --replies "$R"
grep -q "older than reply_days" "$T/out" && fail "reply_days = 40 not taken"
echo "reply_days = soon" >"$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 2 shx purge --handled-before "$today" --dry-run --replies "$R"
expect_grep "reply_days: 'soon' is not a number of days (1 to 365)" "$T/err"
rm "$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 0 shx purge --handled-before "$today" --replies "$R"
expect_grep "removed 1 answer older than reply_days" "$T/out"
[ -e "$OLD" ] && fail "the expired answer is still there"
expect_eq "the fresh one stays" "$(shx --replies "$R" show "$ID3" | grep -c "from you: 1")" 1
expect_rc 0 shx log
expect_grep "1 expired answers" "$T/out"
note "ok"
