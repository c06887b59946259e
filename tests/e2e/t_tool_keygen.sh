#!/bin/sh
# safeharbor keygen and pubkey: age-compatible identity, 0600, refuses to
# overwrite, prints the recipient and nothing else; the passphrase is asked
# twice on a terminal.
. "$(dirname "$0")/lib.sh"
MR=$BUILD/tests/tools/make_record
[ -x "$SH" ] || skip "safeharbor not built"
unset XDG_CONFIG_HOME SAFEHARBOR_SPOOL SAFEHARBOR_IDENTITY
HOME=$T/home; export HOME
mkdir -p "$HOME"
printf 'pass phrase\n' >"$T/pass"

note "default path, parent directories created 0700"
SAFEHARBOR_SCRYPT_LOGN=10 expect_rc 0 "$SH" keygen --passphrase-file "$T/pass"
id=$HOME/.config/safeharbor/identity.age
[ -f "$id" ] || fail "no identity at the default path"
expect_eq "identity mode" "$(stat -c %a "$id")" 600
expect_eq "dir mode" "$(stat -c %a "$HOME/.config/safeharbor")" 700
expect_eq "stdout lines" "$(wc -l <"$T/out" | tr -d ' ')" 1
grep -q '^age1[0-9a-z]\{58\}$' "$T/out" || fail "not an age1 recipient: $(cat "$T/out")"
cp "$T/out" "$T/recipient"
head -c 21 "$id" | grep -q '^age-encryption.org/v1' || fail "identity is not an age (scrypt) file"
grep -q 'AGE-SECRET-KEY' "$id" && fail "secret key in clear"
grep -q '^-> scrypt [A-Za-z0-9+/]* 10$' "$id" || fail "scrypt stanza with logN 10 expected"

note "pubkey prints the same recipient"
expect_rc 0 "$SH" pubkey --passphrase-file "$T/pass"
expect_eq "pubkey" "$(cat "$T/out")" "$(cat "$T/recipient")"

note "refuses to overwrite"
before=$(sha256sum "$id")
SAFEHARBOR_SCRYPT_LOGN=10 expect_rc 1 "$SH" keygen --passphrase-file "$T/pass"
expect_grep "already exists" "$T/err"
expect_eq "identity unchanged" "$(sha256sum "$id")" "$before"

note "bad SAFEHARBOR_SCRYPT_LOGN"
SAFEHARBOR_SCRYPT_LOGN=9 expect_rc 2 "$SH" keygen -i "$T/x.age" --passphrase-file "$T/pass"
SAFEHARBOR_SCRYPT_LOGN=abc expect_rc 2 "$SH" keygen -i "$T/x.age" --passphrase-file "$T/pass"
[ ! -e "$T/x.age" ] || fail "identity written despite bad logN"
note "empty passphrase refused"
: >"$T/empty"
SAFEHARBOR_SCRYPT_LOGN=10 expect_rc 2 "$SH" keygen -i "$T/x.age" --passphrase-file "$T/empty"
[ ! -e "$T/x.age" ] || fail "identity written with an empty passphrase"
expect_rc 2 "$SH" keygen -i "$T/a.age" -i "$T/b.age" --passphrase-file "$T/pass"

note "stock age opens an envelope sealed to the keygen recipient (plain identity path)"
if [ -x "$MR" ] && command -v age >/dev/null 2>&1; then
	"$MR" --new-key "$T/k.key" >/dev/null || fail "kiosk key"
	age-keygen -o "$T/plain.key" 2>/dev/null
	age-keygen -y "$T/plain.key" >"$T/r.txt"
	cat "$T/recipient" >>"$T/r.txt"
	R=$("$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/spool" --about info) || fail "record"
	age -d -i "$T/plain.key" "$T/spool/new/${R#* }" | head -c 19 >"$T/pt"
	expect_eq "age -d" "$(cat "$T/pt")" "SAFEHARBOR-RECORD 1"
	expect_rc 0 "$SH" --spool "$T/spool" --passphrase-file "$T/pass" show "${R%% *}" --json
	python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["about"]=="info"' "$T/out" \
		|| fail "tool cannot read a record sealed to two recipients"
	note "envelopes written by stock age: a record opens, other text is malformed"
	mkdir -p "$T/spool2/new" "$T/spool2/cur" "$T/spool2/tmp"
	age -d -i "$T/plain.key" "$T/spool/cur/${R#* }:2,S" >"$T/record.bin" || fail "age -d (after show, in cur/)"
	age -e -r "$(cat "$T/recipient")" -o "$T/spool2/new/11111111111111111111111111111111.age" "$T/record.bin" \
		|| fail "age -e"
	rm -f "$T/record.bin"
	echo "just some text" | age -e -r "$(cat "$T/recipient")" \
		-o "$T/spool2/new/22222222222222222222222222222222.age" || fail "age -e text"
	expect_rc 0 "$SH" --spool "$T/spool2" --passphrase-file "$T/pass" list --json
	python3 - "$T/out" "${R%% *}" <<'PY' || fail "stock age envelopes"
import json, sys
it = {i["file"]: i for i in json.load(open(sys.argv[1]))}
a = it["new/11111111111111111111111111111111.age"]
assert a["status"] == "ok" and a["id"] == sys.argv[2] and a["about"] == "info", a
b = it["new/22222222222222222222222222222222.age"]
assert b["status"] == "refused" and b["error"].startswith("malformed"), b
PY
fi

note "on a terminal the passphrase is asked twice"
if command -v tmux >/dev/null 2>&1; then
	SOCK=sh-keygen-$$
	tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
	tm_cleanup() { tm kill-server 2>/dev/null; }
	SH_CLEANUPS="$SH_CLEANUPS tm_cleanup"
	tm new-session -d -s k -x 100 -y 20 \
		"env HOME=$HOME SAFEHARBOR_SCRYPT_LOGN=10 $SH keygen -i $T/tty.age >$T/tty.out; echo KEYGEN-EXIT=\$?; sleep 30"
	i=0; until tm capture-pane -p -t k | grep -q "New passphrase"; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "no passphrase prompt"; sleep 0.1; done
	tm send-keys -t k "tty secret" Enter
	i=0; until tm capture-pane -p -t k | grep -q "Repeat passphrase"; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "no repeat prompt"; sleep 0.1; done
	tm send-keys -t k "tty secret" Enter
	i=0; until tm capture-pane -p -t k | grep -q "KEYGEN-EXIT=0"; do
		i=$((i + 1)); [ $i -lt 300 ] || { tm capture-pane -p -t k; fail "keygen on a tty"; }; sleep 0.1; done
	tm capture-pane -p -t k | grep -q "tty secret" && fail "passphrase echoed"
	grep -q '^age1' "$T/tty.out" || fail "no recipient from tty keygen"
	printf 'tty secret\n' >"$T/ttypass"
	expect_rc 0 "$SH" -i "$T/tty.age" --passphrase-file "$T/ttypass" pubkey
	expect_eq "tty keygen pubkey" "$(cat "$T/out")" "$(cat "$T/tty.out")"

	note "Ctrl-C at the passphrase prompt restores echo"
	tm new-session -d -s c -x 100 -y 20 "sh"
	tm send-keys -t c "$SH -i $T/tty.age pubkey; echo RC=\$?; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo" Enter
	i=0; until tm capture-pane -p -t c | grep -q "Passphrase"; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "no prompt"; sleep 0.1; done
	tm send-keys -t c C-c
	i=0; until tm capture-pane -p -t c | grep -q "^RC="; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "no exit after Ctrl-C"; sleep 0.1; done
	sleep 0.3
	tm capture-pane -p -t c >"$T/pane"
	expect_grep "^RC=130" "$T/pane"
	expect_grep "^echo$" "$T/pane"
fi
exit 0
