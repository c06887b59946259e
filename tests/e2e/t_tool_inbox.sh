#!/bin/sh
# safeharbor inbox driven in tmux: the passphrase is asked once on the
# terminal (two identity files) before the screen starts; it lists, moves,
# reads, marks handled, searches, shows help, quits, and leaves no record
# text on the terminal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
tool_world
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id2.age" --passphrase-file "$T/pass" >"$T/r2.txt" || fail "keygen 2"

now=$(date +%s)
U=$(mkrec k1 --about self --danger yes --time $((now - 600)) --field Name=Quetzalli --message "SECRETWORDS here")
O=$(mkrec k1 --about friend --danger no --time $((now - 60)) --field Friend-Name=Bartholomew)
R=$("$MR" -k "$T/k2.key" -R "$T/r2.txt" -s "$T/spool" --about info --time $((now - 30000))) || fail "record to key 2"

. "$(dirname "$0")/tmux_lib.sh"
keys() { tm send-keys -t main "$@"; sleep 0.3; }

tm new-session -d -s main -x 100 -y 30 \
	"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age -i $T/id2.age inbox; echo INBOX-EXIT=\$?; sleep 60"
wait_for "Passphrase"
expect_eq "prompts before the passphrase" "$(grep -c Passphrase "$T/screen")" 1
tm send-keys -t main "correct horse battery staple" Enter
wait_for "3 requests"
expect_grep "URGENT" "$T/screen"
sed -n 2p "$T/screen" | grep -q "^> $(echo "$U" | cut -c1-8).*URGENT" || { cat "$T/screen"; fail "urgent request not first and selected"; }
expect_grep "Quetzalli" "$T/screen"
expect_grep "library-1" "$T/screen"
expect_grep "not from an enrolled kiosk" "$T/screen"
expect_nogrep "CANNOT OPEN" "$T/screen"

note "move down, read, back"
keys j
sed -n 3p "$T/screen" >/dev/null
screen
grep -q "^> $(echo "$O" | cut -c1-8)" "$T/screen" || { cat "$T/screen"; fail "j did not move"; }
expect_grep "Bartholomew" "$T/screen"
keys Enter
wait_for "q: back to the list"
expect_grep "Friend.s name: *Bartholomew" "$T/screen"
ls "$T/spool/cur" | grep -q "^${O#* }:2,S$" || fail "reading did not mark seen"
keys q
wait_for "3 requests"

note "help lists the keys from the one table"
keys '?'
wait_for "safeharbor inbox: keys"
expect_grep "mark handled" "$T/screen"
expect_grep "search" "$T/screen"
keys x
wait_for "3 requests"

note "mark handled: it leaves the list (handled hidden)"
keys k h
wait_for "marked handled"
ls "$T/spool/cur" | grep -q "^${U#* }:2,RS$" || { ls "$T/spool/new" "$T/spool/cur"; fail "h did not mark handled"; }
keys j
screen
expect_nogrep "Quetzalli" "$T/screen"
keys a
wait_for "showing handled"
expect_grep "handled" "$T/screen"

note "search"
keys / S E C R E T Enter
wait_for "SECRETWORDS"

note "resize"
tm resize-window -t main -x 80 -y 24 2>/dev/null || tm resize-pane -t main -x 80 -y 24 2>/dev/null
sleep 0.5
wait_for "requests"

note "quit leaves nothing on the terminal"
keys q
wait_for "INBOX-EXIT=0"
for w in Quetzalli Bartholomew SECRETWORDS library-1 URGENT; do
	grep -q "$w" "$T/screen" && { cat "$T/screen"; fail "'$w' still on the terminal after quit"; }
done
tm send-keys -t main C-c

note "an older key under another passphrase: asked for that file only"
printf 'old secret\n' >"$T/oldpass"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/old.age" --passphrase-file "$T/oldpass" >/dev/null || fail "keygen old"
tm new-session -d -s p -x 100 -y 20 \
	"env HOME=$HOME $SH -i $T/id.age -i $T/old.age pubkey >$T/pub.out; echo PUB-EXIT=\$?; sleep 30"
i=0; until tm capture-pane -p -t p | grep -q "Passphrase for your"; do
	i=$((i + 1)); [ $i -lt 300 ] || fail "no first prompt"; sleep 0.1; done
tm send-keys -t p "correct horse battery staple" Enter
i=0; until tm capture-pane -p -t p | grep -q "Passphrase for $T/old.age"; do
	i=$((i + 1)); [ $i -lt 300 ] || { tm capture-pane -p -t p; fail "no prompt for the old key"; }; sleep 0.1; done
tm send-keys -t p "old secret" Enter
i=0; until tm capture-pane -p -t p | grep -q "PUB-EXIT=0"; do
	i=$((i + 1)); [ $i -lt 300 ] || { tm capture-pane -p -t p; fail "pubkey with two passphrases"; }; sleep 0.1; done
expect_eq "two recipients" "$(wc -l <"$T/pub.out" | tr -d ' ')" 2
exit 0
