#!/bin/sh
# --check covers the replies keys (issue 14): staff_keys with junk is a
# configuration error with its line (exit 2); a missing staff_keys file or
# replies folder is a warning only (requests still get a code); reply_days
# out of range and a word list that breaks its rules are errors.
. "$(dirname "$0")/lib.sh"
[ -x "$KIOSK" ] && [ -x "$SH" ] || skip "kiosk or tool not built"
export HOME="$T"
make_world
"$SH" -i "$T/id.age" --passphrase-file "$T/pass" pubkey --staff >"$T/staff.tok" || fail "pubkey --staff"
mkdir -p "$T/replies"

note "all there: clean"
cp "$T/staff.tok" "$T/staff-keys.txt"
expect_rc 0 "$KIOSK" -c "$T/kiosk.conf" --check
expect_nogrep "staff" "$T/err"

note "missing staff_keys and replies folder: warnings, exit 0"
rm "$T/staff-keys.txt"; rmdir "$T/replies"
expect_rc 0 "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "staff-keys.txt: warning: no staff keys" "$T/err"
expect_grep "replies: warning: no replies folder yet" "$T/err"
mkdir -p "$T/replies"

note "junk in staff_keys: the line, exit 2"
{ echo "# staff keys"; cat "$T/staff.tok"; echo "$(cat "$T/recipients.txt")"; } >"$T/staff-keys.txt"
expect_rc 2 "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "staff-keys.txt:3: not a staff key" "$T/err"
printf '\001\002garbage\n' >"$T/staff-keys.txt"
expect_rc 2 "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "staff-keys.txt:1: not a staff key" "$T/err"
cp "$T/staff.tok" "$T/staff-keys.txt"

note "reply_days out of range"
printf 'reply_days = 0\n' >>"$T/kiosk.conf"
expect_rc 2 "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "reply_days" "$T/err"
sed -i '/^reply_days/d' "$T/kiosk.conf"

note "a word list that breaks its rules"
cp -R "$TOP/screens" "$T/screens"
sed "s|^screens = .*|screens = $T/screens|" "$T/kiosk.conf" >"$T/w.conf"
sed -i '10s/.*/Maple/' "$T/screens/en/words.txt"
expect_rc 2 "$KIOSK" -c "$T/w.conf" --check
expect_grep "screens/en/words.txt:10: a word may only have the letters a to z" "$T/err"
head -n 100 "$TOP/screens/es/words.txt" >"$T/screens/es/words.txt"
expect_rc 2 "$KIOSK" -c "$T/w.conf" --check
expect_grep "screens/es/words.txt: too few words" "$T/err"
rm "$T/screens/es/words.txt"
expect_rc 2 "$KIOSK" -c "$T/w.conf" --check
expect_grep "screens/es/words.txt: cannot read the word list" "$T/err"
echo ok
