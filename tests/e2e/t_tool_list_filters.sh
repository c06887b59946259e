#!/bin/sh
# list --open --urgent --since --until --kiosk --grep; bad dates and
# unknown kiosks (exit 2); the same day boundaries and times under three
# time zones (local time everywhere); init; help inbox; kiosks add of a key
# already enrolled names its entry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world
"$MR" --new-key "$T/k3.key" >"$T/k3.pub" || fail "new kiosk key"
shx kiosks add gym "$(cat "$T/k3.pub")" || fail "kiosks add gym"

# 2026-11-29T08:00Z created; received 2026-11-29T05:00Z (the 28th in
# Honolulu, the 29th in UTC and Kolkata)
set -- $(mkrec k1 --about self --danger yes --time 1795939200 --field 'Name=José Núñez')
A=$1; touch -d @1795928400 "$T/spool/new/$2"
set -- $(mkrec k3 --about friend --danger no --time 1795939200 --field 'Name=Ana Reporter' \
	--field 'Friend-Name=Zoë' --field 'Contact-Way=Pueden llamar a mi casa')
B=$1; touch -d @1796014800 "$T/spool/new/$2"      # 2026-11-30T05:00Z
set -- $(mkrec k1 --about info --danger unsure --time 1795939200)
C=$1; touch -d @1795842000 "$T/spool/new/$2"      # 2026-11-28T05:00Z
expect_rc 0 shx mark "$C" handled
has() { grep -q "^$(echo "$1" | cut -c1-8)" "$T/out"; }
only() {
	for x in A B C; do
		eval "id=\$$x"
		case " $* " in
		*" $x "*) has "$id" || { cat "$T/out"; fail "$x missing"; } ;;
		*) ! has "$id" || { cat "$T/out"; fail "$x should be filtered out"; } ;;
		esac
	done
}

note "filters"
expect_rc 0 shx list;                      only A B C
expect_rc 0 shx list --open;               only A B
expect_rc 0 shx list --urgent;             only A
expect_rc 0 shx list --kiosk gym;          only B
expect_rc 0 shx list --kiosk library-1 --open; only A
expect_rc 0 shx list --urgent --kiosk gym
expect_grep "No requests match (urgent, kiosk gym)" "$T/out"
expect_rc 0 shx list --json --urgent
expect_eq "json urgent" "$(grep -o '"id":' "$T/out" | wc -l)" 1

note "--grep: case- and accent-blind, fields and words"
expect_rc 0 shx list --grep 'jose nunez';  only A
expect_rc 0 shx list --grep 'ZOE';         only B
expect_rc 0 shx list --grep 'calling home'; only B
expect_rc 0 shx list --grep 'zzqx no such words'; only

note "bad input: exit 2, clear message"
expect_rc 2 shx list --since 2026-02-30
expect_grep "not a date" "$T/err"
expect_rc 2 shx list --until yesterday
expect_grep "YYYY-MM-DD" "$T/err"
expect_rc 2 shx list --since 2026-12-01 --until 2026-11-01
expect_grep "after --until" "$T/err"
expect_rc 2 shx list --kiosk nowhere
expect_grep "no enrolled kiosk has this name" "$T/err"
expect_rc 2 shx list --overdue-ish
expect_rc 2 shx show "$A" --urgent
expect_rc 2 shx inbox --grep nunez
expect_grep "press / to search" "$T/err"
expect_rc 2 shx inbox --since 2026-13-01
expect_grep "not a date" "$T/err"

note "local time everywhere: UTC, Pacific/Honolulu, Asia/Kolkata"
# in_tz ZONE A's-DAY CREATED RECEIVED: list dates, day filters, show times
in_tz() {
	TZ=$1; export TZ
	expect_rc 0 shx list;   expect_grep "^$(echo "$A" | cut -c1-8).* $2 " "$T/out"
	expect_rc 0 shx list --since "$2" --until "$2"; only A
	expect_rc 0 shx show "$A"
	expect_grep "^Created: *$3$" "$T/out"
	expect_grep "^Received: *$4$" "$T/out"
}
in_tz UTC 2026-11-29 "2026-11-29 08:00" "2026-11-29 05:00"
in_tz Pacific/Honolulu 2026-11-28 "2026-11-28 22:00" "2026-11-28 19:00"
expect_rc 0 shx list --since 2026-11-29 --until 2026-11-29; only B
in_tz Asia/Kolkata 2026-11-29 "2026-11-29 13:30" "2026-11-29 10:30"
expect_rc 0 shx list --until 2026-11-28;   only C
note "stats --since is a local day too"
TZ=UTC expect_rc 0 shx stats --since 2026-11-29
expect_grep "^Requests: *3$" "$T/out"
TZ=Pacific/Honolulu expect_rc 0 shx stats --since 2026-11-29
expect_grep "^Requests: *0$" "$T/out"
expect_rc 2 shx stats --since 2026-02-30
# stats by month, local too: made 2026-12-01T02:00Z is December in UTC,
# November in Honolulu
mkrec k1 --about self --time 1796090400 >/dev/null
TZ=UTC expect_rc 0 shx stats
expect_grep "^  2026-12 .* 1 " "$T/out"
TZ=Pacific/Honolulu expect_rc 0 shx stats
expect_nogrep "^  2026-12 " "$T/out"
unset TZ

note "show: friend requests, contact way in the social worker's words"
expect_rc 0 shx show "$B"
expect_grep "^Reported by: *Ana Reporter$" "$T/out"
expect_grep "^Friend's name: *Zoë$" "$T/out"
expect_grep "^Contact way: *calling home is OK$" "$T/out"
expect_nogrep "^Name:" "$T/out"
expect_rc 0 shx show "$C"
expect_grep "^Danger: *not sure$" "$T/out"

note "stats: a long unenrolled key keeps the kiosk table's columns"
mkrec k2 --about self >/dev/null
expect_rc 0 shx stats
sed -n '/^By kiosk:/,/^$/p' "$T/out" | sed 1d | grep . >"$T/kt"
expect_eq "kiosk rows" "$(wc -l <"$T/kt")" 3
expect_eq "one column for the counts" "$(awk '{ print index($0, "  (not counted") ? length(substr($0, 1, index($0, "  (not counted") - 1)) : length($0) }' "$T/kt" | sort -u | wc -l)" 1

note "kiosks add of an enrolled key names its entry"
expect_rc 1 shx kiosks add gym2 "$(cat "$T/k3.pub")"
expect_grep "already enrolled as 'gym'" "$T/err"

note "help inbox lists the keys"
expect_rc 0 "$SH" help inbox
expect_grep "keys in the inbox" "$T/out"
expect_grep "N  *previous search match" "$T/out"
expect_grep "f  *filters" "$T/out"

note "init: the spool 0700 and a commented config; list then finds the spool"
H=$T/fresh; mkdir -p "$H"
expect_rc 0 env HOME="$H" "$SH" init
for d in "" /tmp /new /cur; do
	expect_eq "mode of spool$d" "$(stat -c %a "$H/safeharbor/spool$d")" 700
done
expect_grep "^spool = $H/safeharbor/spool$" "$H/.config/safeharbor/safeharbor.conf"
expect_grep "^# identity = " "$H/.config/safeharbor/safeharbor.conf"
echo "# mine" >>"$H/.config/safeharbor/safeharbor.conf"
expect_rc 0 env HOME="$H" "$SH" init
expect_grep "left as it is" "$T/out"
expect_grep "^# mine$" "$H/.config/safeharbor/safeharbor.conf"
cp "$T/id.age" "$H/.config/safeharbor/identity.age"
expect_rc 0 env HOME="$H" "$SH" --passphrase-file "$T/pass" list
expect_grep "No requests in $H/safeharbor/spool" "$T/out"
expect_rc 0 env HOME="$H" "$SH" init --spool "$T/other"
expect_eq "mode of --spool" "$(stat -c %a "$T/other/new")" 700
exit 0
