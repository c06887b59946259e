#!/bin/sh
# Issue 14 end to end through the real binaries: a request sent in tmux,
# its code read off Sent, `safeharbor reply`, the replies folder synced
# (rsync, as config/sync does), the student reads the answer with the code
# (typed with capitals, spaces and an accent) and writes back, and the
# social worker sees the conversation. A wrong code, an answer signed by a
# key not in staff_keys, and a tampered or truncated file all show the one
# "no answer" screen, and the kiosk lives on. After Esc the answer is in
# neither the pane, its scrollback, nor the kiosk's memory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
command -v rsync >/dev/null || skip "rsync not installed"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
shx() { "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" --replies "$T/worker-replies" "$@"; }
mkdir -p "$T/worker-replies" "$T/replies"
shx pubkey --staff >"$T/staff-keys.txt" || fail "pubkey --staff"
sync_replies() { rsync -a --exclude '.*' "$T/worker-replies/" "$T/replies/" || fail "rsync"; }
MARK=Rp$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')Mk

s=rep
kiosk_start $s 80 24
pid=$(kiosk_pid $s)
[ -n "$pid" ] || fail "no kiosk pid"

note "a request: Sent shows the code on a line of its own"
press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 2 "How can we find you?"
press $s C-n "Anything else?"; press $s Enter "Check before you send"
press $s 1 "Your code:"
expect_text $s "Keep it to yourself"
# she left out her name: Sent says when to come back with the code
pane $s | tr '\n' ' ' | tr -s ' ' | grep -q "If you left out your name, come back after 2 school days" ||
	{ pane $s >&2; fail "Sent does not say when to come back"; }
CODE=$(pane $s | awk '/Your code:/ { print $3 }')
echo "$CODE" | grep -Eq '^[a-z]+(-[a-z]+){4}$' || { pane $s >&2; fail "code '$CODE' is not 5 words"; }
grep -qx "$(echo "$CODE" | cut -d- -f1)" "$TOP/screens/en/words.txt" || fail "word not from the list"
press $s Enter "Talk to someone"
expect_no_text $s "$CODE"

note "the social worker finds it by its code and answers"
shx code "$CODE" >"$T/code.out" 2>&1 || { cat "$T/code.out"; fail "code"; }
ID=$(awk 'NR == 1 { print $1 }' "$T/code.out")
[ -n "$ID" ] || fail "no id from code"
printf 'Hi, thanks for writing. Come to room 12 on Tuesday at lunch. %s\nMs. Rivera\n' "$MARK" |
	shx reply "$ID" >"$T/reply.out" 2>&1 || { cat "$T/reply.out"; fail "reply"; }

note "before sync: no answer yet, the same screen as a wrong code"
press $s 1 "Who is this about?"; press $s 4 "Read an answer"
type_text $s "$CODE"; press $s Enter "No answer to show"
sync_replies

note "the student reads it with her code typed loosely"
press $s 1 "Read an answer"
LOOSE=$(echo "$CODE" | sed 's/-/  /g; s/^./\U&/; s/a/\xc3\xa1/')
type_text $s "$LOOSE"
keys $s Enter
expect_text $s "An answer for you" 10
expect_text $s "$MARK"
expect_text $s "Ms. Rivera"
mem_has "$pid" "$MARK" 2>/dev/null || fail "memory scan cannot see the answer: the check below would prove nothing"

note "she writes back: Danger asked, Write back, Review, Sent with the same code"
press $s 1 "Are you in danger right now?"
press $s 1 "Get help now"
press $s 1 "Write back"
expect_no_text $s "optional"
expect_no_text $s "Anything else?"
note "an empty write-back is not sent: Enter and Next say so"
press $s Enter "Please write something first"
expect_text $s "Write back"
keys $s Tab; press $s Enter "Please write something first"
keys $s BTab
type_text $s "ok, see you Tuesday"
keys $s Tab; press $s Enter "Check before you send"
expect_text $s "My answer to the social worker"
note "Review shows only what was asked"
pane $s | grep -q "In danger now *Yes" || { pane $s >&2; fail "Review does not show danger: yes"; }
expect_no_text $s "Your name"
expect_no_text $s "You left out your name"
pane $s | grep -q "—" && { pane $s >&2; fail "Review shows boxes never asked"; }
press $s 1 "Your code:"
CODE2=$(pane $s | awk '/Your code:/ { print $3 }')
expect_eq "same code after writing back" "$CODE2" "$CODE"
keys $s Escape; expect_text $s "Talk to someone"

note "the social worker sees the conversation"
shx code "$CODE" >"$T/code2.out" 2>&1 || fail "code after write-back"
expect_eq "two requests with the code" "$(grep -c . "$T/code2.out" | tr -d ' ')" 3   # 2 + "answers in"
expect_grep "reply" "$T/code2.out"
RID=$(awk '$4 == "reply" { print $1 }' "$T/code2.out")
shx show "$RID" >"$T/show" 2>&1 || { cat "$T/show"; fail "show reply"; }
expect_grep "ok, see you Tuesday" "$T/show"
grep -Eiq "^Danger: *yes" "$T/show" || { cat "$T/show" >&2; fail "a write-back in danger is not recorded as danger: yes"; }

note "after Esc on the answer: not in the pane, scrollback or memory"
press $s 1 "Who is this about?"; press $s 4 "Read an answer"
type_text $s "$CODE"; keys $s Enter; expect_text $s "$MARK" 10
keys $s Escape
expect_text $s "Talk to someone"
pane_all $s >"$T/pane"
! grep -qF "$MARK" "$T/pane" || fail "answer on the screen or in scrollback after Esc"
if mem_has "$pid" "$MARK"; then fail "answer still in the kiosk's memory after Esc"; fi
! grep -qF "$CODE" "$T/pane" || fail "code on the screen after Esc"
if mem_has "$pid" "$CODE"; then fail "the code still in the kiosk's memory after Esc"; fi

note "a wrong code and a malformed one"
press $s 1 "Who is this about?"; press $s 4 "Read an answer"
type_text $s "${CODE}x"; press $s Enter "No answer to show"
press $s 1 "Read an answer"
type_text $s "hello there"; press $s Enter "A code is a few words"
expect_text $s "Read an answer"

note "an answer signed by a key not in staff_keys is never shown"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/backup.age" --passphrase-file "$T/pass" >"$T/backup.txt" || fail "keygen backup"
cat "$T/backup.txt" >>"$T/recipients.txt"
s2=rep2
kiosk_start $s2 80 24
press $s2 1 "Who is this about?"; press $s2 3 "Questions are welcome"; press $s2 1 "In danger right now?"
press $s2 2 "How can we find you?"; press $s2 C-n "Your question"; press $s2 Enter "Check before you send"
press $s2 1 "Your code:"
CODE3=$(pane $s2 | awk '/Your code:/ { print $3 }')
"$SH" --spool "$T/spool" -i "$T/backup.age" --passphrase-file "$T/pass" code "$CODE3" >"$T/c3" || fail "backup code"
ID3=$(awk 'NR == 1 { print $1 }' "$T/c3")
printf 'from the backup %s\n' "$MARK" | "$SH" --spool "$T/spool" -i "$T/backup.age" --passphrase-file "$T/pass" \
	--replies "$T/worker-replies" reply "$ID3" >/dev/null 2>&1 || fail "backup reply"
sync_replies
press $s2 Enter "Talk to someone"
press $s2 1 "Who is this about?"; press $s2 4 "Read an answer"
type_text $s2 "$CODE3"; press $s2 Enter "No answer to show"
expect_no_text $s2 "$MARK"
note "once the backup's staff key is pinned, it shows"
"$SH" -i "$T/backup.age" --passphrase-file "$T/pass" pubkey --staff >>"$T/staff-keys.txt"
s3=rep3
kiosk_start $s3 80 24
pid=$(kiosk_pid $s3)
press $s3 1 "Who is this about?"; press $s3 4 "Read an answer"
type_text $s3 "$CODE3"; press $s3 Enter "from the backup"

note "tampered and truncated reply files: refused, the kiosk lives on"
for how in flip truncate grow; do
	for f in "$T"/replies/*.age; do
		cp "$f" "$f.keep"
		case $how in
		flip) python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-200]^=1; open(p,"wb").write(b)' "$f" ;;
		truncate) truncate -s -1 "$f" ;;
		grow) printf x >>"$f" ;;
		esac
	done
	keys $s3 Escape; expect_text $s3 "Talk to someone"
	press $s3 1 "Who is this about?"; press $s3 4 "Read an answer"
	type_text $s3 "$CODE"; press $s3 Enter "No answer to show"
	kill -0 "$pid" || fail "$how: the kiosk died"
	for f in "$T"/replies/*.age; do mv "$f.keep" "$f"; done
done
echo ok
