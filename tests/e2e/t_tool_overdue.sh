#!/bin/sh
# Overdue requests (SPEC §11) through the real tool: list --json "overdue",
# the OVERDUE mark in list, the count in stats; follow_up_days and the
# holidays file from safeharbor.conf, and a bad config refused clearly.
# (The school-day rule itself, with a fixed clock across a weekend and a
# holiday, is tests/unit/test_schooldays.c.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

now=$(date +%s)
OLD=$(mkrec k1 --about self --danger no --time $((now - 30 * 86400)))
NEW=$(mkrec k1 --about friend --danger no --time "$now")
URG=$(mkrec k1 --about self --danger yes --time $((now - 3 * 3600)))
FRESHURG=$(mkrec k1 --about self --danger yes --time $((now + 3600)))
HAND=$(mkrec k1 --about info --danger no --time $((now - 40 * 86400)))
FORGED=$(mkrec k2 --about self --danger no --time $((now - 30 * 86400)))
expect_rc 0 shx mark "${HAND% *}" handled

overdue_of() { python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["id"] == sys.argv[2]:
        print("yes" if r["overdue"] else "no")' "$T/list.json" "$1"; }

expect_rc 0 shx list --json
cp "$T/out" "$T/list.json"
expect_eq "month-old open request" "$(overdue_of "${OLD% *}")" yes
expect_eq "request made now" "$(overdue_of "${NEW% *}")" no
expect_eq "urgent, three hours old" "$(overdue_of "${URG% *}")" yes
expect_eq "urgent, made this hour" "$(overdue_of "${FRESHURG% *}")" no
expect_eq "handled long ago" "$(overdue_of "${HAND% *}")" no
expect_eq "forged but open (still listed as overdue)" "$(overdue_of "${FORGED% *}")" yes

expect_rc 0 shx list
cat "$T/out"
expect_eq "OVERDUE rows" "$(grep -c '  OVERDUE' "$T/out")" 3
expect_grep "3 open requests are OVERDUE" "$T/out"
grep "^$(echo "${OLD% *}" | cut -c1-8) .*OVERDUE" "$T/out" >/dev/null || fail "old request not marked"

note "stats counts trusted overdue requests only"
expect_rc 0 shx stats --json
expect_eq "stats overdue" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["overdue"])' "$T/out")" 2
expect_rc 0 shx stats
expect_grep "overdue: *2" "$T/out"

if command -v tmux >/dev/null 2>&1; then
	note "the inbox marks the same rows"
	. "$(dirname "$0")/tmux_lib.sh"
	tm new-session -d -s main -x 120 -y 30 \
		"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass inbox; sleep 60"
	wait_for "$(echo "${NEW% *}" | cut -c1-8)"
	for r in "$OLD" "$URG" "$FORGED"; do
		grep -q "$(echo "${r% *}" | cut -c1-8).*OVERDUE" "$T/screen" ||
			{ cat "$T/screen"; fail "inbox: ${r% *} not marked OVERDUE"; }
	done
	for r in "$NEW" "$FRESHURG"; do
		grep -q "$(echo "${r% *}" | cut -c1-8).*OVERDUE" "$T/screen" &&
			{ cat "$T/screen"; fail "inbox: ${r% *} marked OVERDUE"; }
	done
	tm send-keys -t main q
	tm kill-server 2>/dev/null
else
	note "tmux not installed: the inbox rows not checked"
fi

note "follow_up_days and holidays from safeharbor.conf"
mkdir -p "$HOME/.config/safeharbor"
conf=$HOME/.config/safeharbor/safeharbor.conf
# a holiday range over the whole of the last five weeks: nothing is late
from=$(date -d "@$((now - 45 * 86400))" +%F); to=$(date -d "@$((now + 30 * 86400))" +%F)
printf '# school closed\n%s..%s\n' "$from" "$to" >"$HOME/.config/safeharbor/holidays.txt"
printf 'follow_up_days = 2\nholidays = holidays.txt\n' >"$conf"
expect_rc 0 shx list --json
cp "$T/out" "$T/list.json"
expect_eq "old request during the break" "$(overdue_of "${OLD% *}")" no
expect_eq "urgent ignores holidays" "$(overdue_of "${URG% *}")" yes

note "bad config: clear message, exit 2"
printf 'follow_up_days = soon\n' >"$conf"
expect_rc 2 shx list
expect_grep "follow_up_days: 'soon' is not a number of school days" "$T/err"
printf 'holidays = holidays.txt\n' >"$conf"
printf '2026-12-07\nthe 8th\n' >"$HOME/.config/safeharbor/holidays.txt"
expect_rc 2 shx list
expect_grep "holidays.txt:2: not a date" "$T/err"
printf 'holidays = missing.txt\n' >"$conf"
expect_rc 2 shx list
expect_grep "missing.txt" "$T/err"
note "ok"
