#!/bin/sh
# The social worker's first days with safeharbor: every slip she is likely
# to make gets a message that says what is wrong and what to do, and `show`
# lines up its labels. (QA: found by using the tool from the README.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

note "first time: no identity yet -> tells her to run keygen"
expect_rc 2 "$SH" --spool "$T/spool" list
expect_grep "no identity" "$T/err"
expect_grep "safeharbor keygen" "$T/err"

note "no spool configured -> names the config file to put it in"
expect_rc 2 "$SH" -i "$T/id.age" --passphrase-file "$T/pass" list
expect_grep "no spool" "$T/err"
expect_grep "--spool DIR" "$T/err"
expect_grep "$HOME/.config/safeharbor/safeharbor.conf" "$T/err"

note "a spool that is not there"
expect_rc 2 shx --spool "$T/nope" list
expect_grep "$T/nope: cannot open the spool: No such file or directory" "$T/err"

note "a folder that is not a spool (e.g. new/ itself, or an empty folder)"
mkdir -p "$T/notspool"
expect_rc 2 shx --spool "$T/notspool" list
expect_grep "not a safeharbor spool" "$T/err"
expect_grep "tmp/, new/ and cur/" "$T/err"
expect_rc 2 shx --spool "$T/spool/new" list
expect_grep "not a safeharbor spool" "$T/err"
: >"$T/afile"
expect_rc 2 shx --spool "$T/afile" list
expect_grep "must be a directory" "$T/err"

note "an empty spool is fine"
expect_rc 0 shx list
expect_grep "No requests" "$T/out"

note "no terminal to ask the passphrase: says to use --passphrase-file"
if command -v setsid >/dev/null 2>&1; then
	expect_rc 2 setsid "$SH" --spool "$T/spool" -i "$T/id.age" list </dev/null
	expect_grep "no terminal to ask for the passphrase" "$T/err"
	expect_grep "--passphrase-file" "$T/err"
	expect_rc 2 setsid env SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/new.age" </dev/null
	expect_grep "keygen: no terminal to ask for a new passphrase" "$T/err"
	[ ! -e "$T/new.age" ] || fail "keygen wrote a key without a passphrase"
fi

note "keygen: a short passphrase is written but warned about; a long one is not"
printf 'abc\n' >"$T/short"
SAFEHARBOR_SCRYPT_LOGN=10 expect_rc 0 "$SH" keygen -i "$T/short.age" --passphrase-file "$T/short"
expect_grep "passphrase of 3 characters is easy to guess" "$T/err"
expect_grep "^age1" "$T/out"
SAFEHARBOR_SCRYPT_LOGN=10 expect_rc 0 "$SH" keygen -i "$T/long.age" --passphrase-file "$T/pass"
expect_nogrep "easy to guess" "$T/err"

note "wrong passphrase, unsafe identity permissions"
printf 'not it\n' >"$T/wrong"
expect_rc 1 "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/wrong" list
expect_grep "wrong passphrase" "$T/err"
chmod 644 "$T/id.age"
expect_rc 2 shx list
expect_grep "fix with: chmod 600 $T/id.age" "$T/err"
chmod 600 "$T/id.age"

note "export into a folder that does not exist: names the file"
mkrec k1 --about self >/dev/null
expect_rc 1 shx export --csv -o "$T/no/such/dir/out.csv"
expect_grep "$T/no/such/dir/out.csv: cannot write there" "$T/err"
[ ! -e "$T/no" ] || fail "export created folders"

note "show: labels line up, message counted in characters"
set -- $(mkrec k1 --about friend --danger yes --field 'Name=Ana' \
	--field 'Contact-Way=Email my school account' --field 'Friend-Name=Зоя Ким' \
	--field 'Friend-Grade=10' --message 'Ça va — 你好')
id=$1
expect_rc 0 shx show "$id"
col() { awk -v l="$1" 'index($0, l ":") == 1 { s = substr($0, length(l) + 2); print length($0) - length(s) + match(s, /[^ ]/) - 1; exit }' "$T/out"; }
want=$(col Id)
[ -n "$want" ] || fail "no Id: line"
for l in Created About Danger Kiosk State 'Reported by' 'Contact way' "Friend's name" "Friend's grade"; do
	got=$(col "$l")
	expect_eq "column of the value after $l:" "$got" "$want"
done
expect_grep "^Contact way: *email the student's school account$" "$T/out"
expect_grep "^Message (10 characters):$" "$T/out"
expect_grep "^Ça va — 你好$" "$T/out"
set -- $(mkrec k1 --about info)
expect_rc 0 shx show "$1"
expect_grep "^Message: *(none)$" "$T/out"
exit 0
