#!/bin/sh
# After a key rotation the new and the old key have different passphrases:
# both open from one --passphrase-file (one passphrase per line, any
# order), and at a terminal the passphrase of the OLD key typed at the
# first prompt opens it, then the new key is asked for by name.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
tool_world
printf 'old secret\n' >"$T/oldpass"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/old.age" --passphrase-file "$T/oldpass" \
	>"$T/old.txt" || fail "keygen old"
mkrec k1 --field Name=NewKeyStudent >/dev/null
"$MR" -k "$T/k1.key" -R "$T/old.txt" -s "$T/spool" --field Name=OldKeyStudent >/dev/null ||
	fail "record to the old key"
both() { "$SH" --spool "$T/spool" -i "$T/id.age" -i "$T/old.age" "$@"; }

note "--passphrase-file with one passphrase per line, either order"
printf 'correct horse battery staple\nold secret\n' >"$T/two"
expect_rc 0 both --passphrase-file "$T/two" list
expect_nogrep "CANNOT OPEN" "$T/out"
expect_eq "requests" "$(grep -c library-1 "$T/out")" 2
printf '\nold secret\r\ncorrect horse battery staple\n' >"$T/two"
expect_rc 0 both --passphrase-file "$T/two" list
expect_eq "requests" "$(grep -c library-1 "$T/out")" 2

note "--passphrase-file missing one key's passphrase: exit 1, names the key"
printf 'correct horse battery staple\n' >"$T/one"
expect_rc 1 both --passphrase-file "$T/one" list
expect_grep "old.age" "$T/err"
expect_grep "none of the passphrases in" "$T/err"

note "at a terminal: the old key's passphrase first, then the new key by name"
SOCK=sh-rot-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
tm_cleanup() { tm kill-server 2>/dev/null; }
SH_CLEANUPS="$SH_CLEANUPS tm_cleanup"
wait_pane() {
	i=0; until tm capture-pane -p -t p | grep -q -- "$1"; do
		i=$((i + 1)); [ $i -lt 300 ] || { tm capture-pane -p -t p; fail "never showed '$1'"; }
		sleep 0.05; done
}
tm new-session -d -s p -x 150 -y 20 \
	"env HOME=$HOME $SH --spool $T/spool -i $T/id.age -i $T/old.age list >$T/list.out; echo LIST-EXIT=\$?; sleep 30"
wait_pane "Passphrase for your"
tm send-keys -t p "old secret" Enter
wait_pane "Passphrase for $T/id.age"
tm send-keys -t p "correct horse battery staple" Enter
wait_pane "LIST-EXIT=0"
expect_eq "prompts" "$(tm capture-pane -p -t p | grep -c 'Passphrase')" 2
expect_eq "requests" "$(grep -c library-1 "$T/list.out")" 2
exit 0
