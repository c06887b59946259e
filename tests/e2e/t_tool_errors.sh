#!/bin/sh
# safeharbor on bad input and configuration: exit codes and messages.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

note "usage, help, version"
expect_rc 2 "$SH"
expect_grep "usage: safeharbor" "$T/err"
expect_rc 0 "$SH" --help
expect_grep "export --json|--csv" "$T/out"
expect_rc 0 "$SH" --version
expect_grep "^safeharbor [0-9]" "$T/out"
expect_rc 0 "$SH" list --help
expect_grep "usage: safeharbor list" "$T/out"
expect_rc 2 "$SH" frobnicate
expect_grep "unknown command" "$T/err"
expect_rc 2 "$SH" list --frob
expect_rc 2 "$SH" list --csv
expect_rc 2 "$SH" show
expect_rc 2 "$SH" list extra
expect_rc 2 "$SH" --spool

note "empty spool"
expect_rc 0 shx list
expect_grep "No requests" "$T/out"
expect_rc 0 shx list --json
expect_eq "empty JSON list" "$(tr -d ' \n' <"$T/out")" "[]"
expect_rc 0 shx verify
expect_rc 0 shx stats --json
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["total"]==0' "$T/out" || fail "stats empty"

note "missing spool, or none configured"
expect_rc 2 "$SH" --spool "$T/nope" -i "$T/id.age" --passphrase-file "$T/pass" list
expect_grep "nope" "$T/err"
expect_rc 2 "$SH" -i "$T/id.age" --passphrase-file "$T/pass" list
expect_grep "no spool" "$T/err"

A=$(mkrec k1 --about self)
note "global options after the command, environment variables"
expect_rc 0 "$SH" list --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass"
expect_grep "^$(echo "$A" | cut -c1-8)" "$T/out"
SAFEHARBOR_SPOOL=$T/spool SAFEHARBOR_IDENTITY=$T/id.age expect_rc 0 "$SH" --passphrase-file "$T/pass" list
expect_grep "^$(echo "$A" | cut -c1-8)" "$T/out"

note "wrong passphrase: exit 1"
printf 'not it\n' >"$T/wrong"
expect_rc 1 "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/wrong" list
expect_grep "wrong passphrase or not an identity" "$T/err"
expect_rc 2 "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/missing" list
note "no terminal and no passphrase file: clear error"
expect_rc 2 setsid "$SH" --spool "$T/spool" -i "$T/id.age" list </dev/null
expect_grep "passphrase" "$T/err"

note "identity readable by others: refused"
cp "$T/id.age" "$T/id644.age"
chmod 644 "$T/id644.age"
expect_rc 2 "$SH" --spool "$T/spool" -i "$T/id644.age" --passphrase-file "$T/pass" list
expect_grep "chmod 600" "$T/err"
expect_rc 2 "$SH" --spool "$T/spool" -i "$T/nothere.age" --passphrase-file "$T/pass" list
note "default identity missing: says how to make one"
expect_rc 2 "$SH" --spool "$T/spool" list
expect_grep "safeharbor keygen" "$T/err"

note "plain age-keygen identity accepted with a warning; old + new keys (rotation)"
age-keygen -o "$T/plain.key" 2>/dev/null || fail "age-keygen"
chmod 600 "$T/plain.key"
age-keygen -y "$T/plain.key" >"$T/plain.txt"
P=$("$MR" -k "$T/k1.key" -R "$T/plain.txt" -s "$T/spool") || fail "record to plain key"
expect_rc 0 "$SH" --spool "$T/spool" -i "$T/plain.key" list
expect_grep "not passphrase-protected" "$T/err"
expect_grep "^$(echo "$P" | cut -c1-8)" "$T/out"
expect_grep "not for these keys" "$T/out"
expect_rc 0 "$SH" --spool "$T/spool" -i "$T/plain.key" -i "$T/id.age" --passphrase-file "$T/pass" list --json
python3 -c 'import json,sys; it=json.load(open(sys.argv[1])); assert len(it)==2 and all(i["status"]=="ok" for i in it), it' \
	"$T/out" || fail "two identities open both"
note "two passphrase-protected identities, one passphrase asked once"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id2.age" --passphrase-file "$T/pass" >"$T/r2.txt" || fail "keygen 2"
Q=$("$MR" -k "$T/k1.key" -R "$T/r2.txt" -s "$T/spool") || fail "record to key 2"
expect_rc 0 "$SH" --spool "$T/spool" -i "$T/id.age" -i "$T/id2.age" --passphrase-file "$T/pass" list --json
python3 -c 'import json,sys; it=json.load(open(sys.argv[1])); assert sorted(i["status"] for i in it)==["ok","ok","refused"], it' \
	"$T/out" || fail "rotation"

note "config file: spool and repeatable identity"
mkdir -p "$HOME/.config/safeharbor"
cat >"$HOME/.config/safeharbor/safeharbor.conf" <<EOC
# safeharbor settings
spool = $T/spool
identity = $T/id.age
identity = $T/id2.age
EOC
expect_rc 0 "$SH" --passphrase-file "$T/pass" list --json
python3 -c 'import json,sys; it=json.load(open(sys.argv[1])); assert len([i for i in it if i["status"]=="ok"])==2, it' \
	"$T/out" || fail "config identities"
echo 'nonsense line' >>"$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 2 "$SH" --passphrase-file "$T/pass" list
expect_grep "safeharbor.conf" "$T/err"
rm -f "$HOME/.config/safeharbor/safeharbor.conf"

note "ambiguous and unknown ids"
"$MR" -k "$T/k1.key" -R "$T/recipients.txt" -s "$T/spool" -n 17 >"$T/many" || fail "17 records"
digit=$(cut -c1 "$T/many" | sort | uniq -d | head -n 1)
[ -n "$digit" ] || fail "no shared first digit among 17 ids"
expect_rc 1 shx show "$digit"
expect_grep "ambiguous" "$T/err"
n=$(grep -c "^  $digit" "$T/err")
[ "$n" -ge 2 ] || fail "candidates not listed"
expect_rc 1 shx mark "$digit" handled
expect_rc 1 shx show ffffffffffffffffffffffffffffffff
expect_grep "no such request" "$T/err"

note "unreadable envelope: listed with the reason, not fatal"
if [ "$(id -u)" = 0 ]; then
	note "running as root: permissions do not stop reads, part skipped"
else
	f=$(ls "$T/spool/new" | head -n 1)
	chmod 000 "$T/spool/new/$f"
	expect_rc 0 shx list
	expect_grep "Permission denied" "$T/out"
	expect_rc 1 shx verify
	chmod 600 "$T/spool/new/$f"
fi

note "kiosks file writable by others: refused"
chmod 666 "$HOME/.config/safeharbor/kiosks" 2>/dev/null || chmod 666 "$T/kiosks"
expect_rc 2 shx list
expect_grep "kiosks" "$T/err"
exit 0
