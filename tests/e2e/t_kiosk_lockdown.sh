#!/bin/sh
# Escape attempts: Ctrl-Z, Ctrl-\, Ctrl-D, Ctrl-S, function keys, unknown
# escape sequences and SIGINT/SIGQUIT/SIGTSTP leave the kiosk running on the
# same screen with the typed text intact; Alt keys (Esc then a key) are a
# quick exit at most. F12 asks for the
# staff PIN: a wrong PIN is refused with a growing delay, the right one ends
# the kiosk with status 0. SIGTERM and SIGHUP end it cleanly (status 0).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
printf '2468\n' | "$KIOSK" --set-pin >>"$T/kiosk.conf" || fail "set-pin"

s=lock
kiosk_start $s 80 24
pid=$(kiosk_pid $s)
press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 2 "How can we find you?"
type_text $s "Keep Me"
expect_text $s "Keep Me"

same() {
	sleep 0.15
	kill -0 "$pid" 2>/dev/null || fail "$1 ended the kiosk"
	[ ! -e "$T/rc.$s" ] || fail "$1 ended the kiosk (status $(cat "$T/rc.$s"))"
	pane $s | grep -qF "How can we find you?" || { pane $s >&2; fail "$1 left the screen"; }
	pane $s | grep -qF "Keep Me" || { pane $s >&2; fail "$1 changed the typed text"; }
	pane $s | grep -qE "Keep Me[^ ]" && { pane $s >&2; fail "$1 typed something"; }
	true
}
for k in C-z 'C-\' C-d C-s C-q C-o C-v C-g C-l C-r C-w C-y F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F11 \
	PageUp PageDown Insert IC; do
	keys $s "$k"
	same "$k"
done
for seq in '\033[99~' '\033[200~' '\033]0;title\007' '\033[?1049l' '\033OZ' '\033[1;5Q'; do
	TM send-keys -t $s -l "$(printf "$seq")"
	same "escape sequence $seq"
done
for sig in INT QUIT TSTP TTIN TTOU WINCH USR2; do
	[ $sig = USR2 ] && continue
	kill -s $sig "$pid"
	same "SIG$sig"
done
note "every lockdown key left the kiosk at Reach with the text intact"

# Alt-x arrives as Esc then x: a quick exit (always safe), never a way out
for k in M-x M-q M-Enter M-Escape M-F4; do
	keys $s "$k"
	sleep 0.2
	kill -0 "$pid" 2>/dev/null || fail "$k ended the kiosk"
	[ ! -e "$T/rc.$s" ] || fail "$k ended the kiosk"
	pane $s | grep -qF "Esc  Leave now" || { pane $s >&2; fail "$k left the flow"; }
	keys $s Escape
	expect_text $s "Talk to someone"
	sleep 0.1
	press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 2 "How can we find you?"
	type_text $s "Keep Me"; expect_text $s "Keep Me"
done
note "Alt keys: quick exit at most"

note "F12: wrong PIN refused with a delay, then the right PIN exits 0"
press $s F12 "Staff only"
type_text $s "0000"; keys $s Enter
expect_text $s "That PIN is not right"
type_text $s "2468"; keys $s Enter
sleep 0.2
kill -0 "$pid" 2>/dev/null || fail "a PIN typed during the delay was accepted"
pane $s | grep -qE "Please wait|not right" || fail "no delay shown"
note "once the wait is over the note drops its seconds (QA: \"Try again in 0 s.\")"
expect_text $s "That PIN is not right. Try again." 5
expect_no_text $s " 0 s"
expect_no_text $s "Try again in"
type_text $s "2468"; keys $s Enter
n=0; while [ ! -e "$T/rc.$s" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
[ -e "$T/rc.$s" ] || fail "the right PIN did not end the kiosk"
expect_eq "exit status after the PIN" "$(cat "$T/rc.$s")" 0

note "SIGTSTP, SIGTTIN and SIGTTOU are ignored, not caught (ncurses' own handler stops the process)"
kiosk_start sigs 80 24
pid=$(kiosk_pid sigs)
ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$pid/status)
for g in TSTP:20 TTIN:21 TTOU:22; do
	python3 -c 'import sys; sys.exit(0 if (int(sys.argv[1], 16) >> (int(sys.argv[2]) - 1)) & 1 else 1)' \
		"$ign" "${g#*:}" || fail "SIG${g%:*} is not in SigIgn ($ign): the kiosk could be stopped"
done
note "SigIgn $ign"

note "from an interactive job-control shell, kill -TSTP does not stop the kiosk"
# (kiosks started by tmux itself sit in an orphaned process group, where
# stop signals are dropped; a shell with job control is the real case)
if command -v bash >/dev/null 2>&1; then
	TM new-session -d -s jc -x 80 -y 24 \
		"env -i PATH='$PATH' HOME='$T' HISTFILE=/dev/null TERM=screen LANG=C.UTF-8 PS1='jc-prompt\\$ ' bash --norc --noprofile -i"
	expect_text jc "jc-prompt"
	type_text jc "'$KIOSK' -c '$T/kiosk.conf'"; keys jc Enter
	expect_text jc "Talk to someone"
	shpid=$(TM display-message -p -t jc '#{pane_pid}')
	kpid=$(pgrep -P "$shpid" -f safeharbor-kiosk | head -n 1)
	[ -n "$kpid" ] || fail "no kiosk under the interactive shell"
	[ "$(awk '{ print $5 }' /proc/$kpid/stat)" = "$kpid" ] || fail "the kiosk is not a job of its own (job control off?)"
	kill -s TSTP "$kpid"; sleep 0.5
	kill -s TTIN "$kpid"; kill -s TTOU "$kpid"; sleep 0.3
	st=$(sed 's/^.*) \(.\).*/\1/' /proc/$kpid/stat)
	[ "$st" != T ] || { kill -s CONT "$kpid"; fail "kill -TSTP stopped the kiosk (state T)"; }
	expect_no_text jc "Stopped"
	expect_no_text jc "jc-prompt"
	press jc 1 "Who is this about?"
	kill -s TERM "$kpid"
	expect_text jc "jc-prompt"
else
	note "(no bash: the job-control check is skipped)"
fi

note "SIGTERM and SIGHUP end it cleanly"
for sig in TERM HUP; do
	s=sig$sig
	kiosk_start $s 80 24
	pid=$(kiosk_pid $s)
	press $s 1 "Who is this about?"
	kill -s $sig "$pid"
	n=0; while [ ! -e "$T/rc.$s" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	[ -e "$T/rc.$s" ] || fail "SIG$sig did not end the kiosk"
	expect_eq "exit status after SIG$sig" "$(cat "$T/rc.$s")" 0
	expect_no_text $s "Who is this about?"
done
echo ok
