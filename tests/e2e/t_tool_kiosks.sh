#!/bin/sh
# safeharbor kiosks add/list/remove and their effect on list and verify.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world          # enrolls k1 as library-1 in $T/kiosks (beside -i $T/id.age)

expect_eq "kiosks file mode" "$(stat -c %a "$T/kiosks")" 600
expect_rc 0 shx kiosks list
expect_eq "list" "$(cat "$T/out")" "library-1 $(cat "$T/k1.pub")"

B=$(mkrec k2 --about friend)
expect_rc 0 shx list
expect_grep "not from an enrolled kiosk" "$T/out"
expect_rc 1 shx verify

note "add: name and key validated, duplicates refused"
expect_rc 2 shx kiosks add "bad name" "$(cat "$T/k2.pub")"
expect_rc 2 shx kiosks add gym shkiosk1notakey
expect_rc 2 shx kiosks add gym "$(cat "$T/recipients.txt")"
expect_rc 1 shx kiosks add library-1 "$(cat "$T/k2.pub")"
expect_grep "already enrolled" "$T/err"
expect_rc 1 shx kiosks add other "$(cat "$T/k1.pub")"
expect_rc 2 shx kiosks add gym
expect_rc 2 shx kiosks frob
expect_rc 0 shx kiosks add gym "$(cat "$T/k2.pub")"
expect_rc 0 shx list
expect_grep "gym" "$T/out"
expect_nogrep "not from an enrolled kiosk" "$T/out"
expect_rc 0 shx verify

note "remove"
expect_rc 0 shx kiosks remove gym
expect_rc 1 shx kiosks remove gym
expect_rc 0 shx kiosks list
expect_nogrep "gym" "$T/out"
expect_rc 1 shx verify

note "a hand-edited file with a typo is refused with its line"
printf '# mine\nlibrary-1 %s\ntypo shkiosk1qqqq\n' "$(cat "$T/k1.pub")" >"$T/kiosks"
expect_rc 2 shx list
expect_grep "kiosks:3:" "$T/err"

note "default location is beside the default identity"
mkdir -p "$HOME/.config/safeharbor"
cp "$T/id.age" "$HOME/.config/safeharbor/identity.age"
expect_rc 0 "$SH" kiosks add hall "$(cat "$T/k2.pub")"
[ -f "$HOME/.config/safeharbor/kiosks" ] || fail "not in ~/.config/safeharbor/kiosks"
exit 0
