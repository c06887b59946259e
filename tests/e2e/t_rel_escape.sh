#!/bin/sh
# SPEC §2.7, systematically: one kiosk per screen (in one private tmux
# server, 80x24), and every key a student can press plus every signal a
# terminal can raise, sent to all of them: Ctrl-C, Ctrl-Z, Ctrl-\, Ctrl-D
# and other control keys, Esc, Alt keys, F1..F11 (F12 is the staff key),
# unknown and hostile escape sequences, resizes, and SIGINT / SIGQUIT /
# SIGTSTP / SIGTTIN / SIGTTOU / SIGWINCH to the pid. After each: every
# kiosk is running (not exited, not stopped) and still answers keys; Esc
# and Ctrl-C show Welcome (quick exit). REL_ESCAPE_ROUNDS repeats the whole
# key list; REL_ESCAPE_TIMEOUT=1 (torture) adds the idle-countdown screen.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=escape
ROUNDS=${REL_ESCAPE_ROUNDS:-1}
rel_need_programs $SUITE
command -v tmux >/dev/null || rel_skip $SUITE "tmux not installed"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
rel_world
cfg() { # cfg NAME KEY=VALUE...: a copy of the world config with keys set
	n=$1; shift
	cp "$T/kiosk.conf" "$T/$n.conf"
	for kv in "$@"; do
		grep -v "^${kv%%=*} *=" "$T/$n.conf" >"$T/$n.tmp"
		echo "${kv%%=*} = ${kv#*=}" >>"$T/$n.tmp"
		mv "$T/$n.tmp" "$T/$n.conf"
	done
}
cfg main sent_seconds=300 idle_seconds=3600
mkdir -p "$T/broken/tmp" "$T/broken/new" "$T/broken/cur"
cfg broken sent_seconds=300 idle_seconds=3600 spool="$T/broken"
cfg idle sent_seconds=300 idle_seconds=10

WELCOME="Talk to someone"
SCREENS="welcome about danger help info reach message review sent notsent admin"
[ "${REL_ESCAPE_TIMEOUT:-0}" = 1 ] && SCREENS="$SCREENS timeout"
title() {
	case $1 in
	welcome) echo "$WELCOME" ;; about) echo "Who is this about" ;;
	danger) echo "In danger right now" ;; help) echo "Get help now" ;;
	info) echo "Questions are welcome" ;; reach) echo "How can we find you" ;;
	message) echo "Anything else" ;; review) echo "Check before you send" ;;
	sent) echo "Thank you" ;; notsent) echo "NOT sent" ;; admin) echo "Staff only" ;;
	timeout) echo "Are you still there" ;;
	esac
}
X() { tmux -L "$REL_TMUX" -f /dev/null "$@"; }
SH_CLEANUPS="$SH_CLEANUPS tm_kill"
sk() { s=$1; shift; X send-keys -t "$s" "$@"; }
txt() { X capture-pane -p -t "$1"; }
waitfor() { # waitfor SESSION TEXT [SECONDS]
	n=$(( ${3:-5} * 20 ))
	while [ "$n" -gt 0 ]; do
		txt "$1" | grep -qF -- "$2" && return 0
		sleep 0.05; n=$((n - 1))
	done
	return 1
}
step() { sk "$1" "$2"; waitfor "$1" "$3"; }
# nav SESSION: from Welcome to the session's screen.
nav() {
	s=$1
	case $s in
	welcome) return 0 ;;
	admin) step $s F12 "Staff only"; return ;;
	info) step $s 1 "Who is this about" && step $s 3 "Questions are welcome"; return ;;
	esac
	step $s 1 "Who is this about" || return 1
	[ $s = about ] && return 0
	if [ $s = help ]; then step $s 1 "In danger right now" && step $s 1 "Get help now"; return; fi
	step $s 1 "In danger right now" || return 1
	[ $s = danger ] && return 0
	step $s 2 "How can we find you" || return 1
	sk $s -l "Keep Me"; waitfor $s "Keep Me" || return 1
	[ $s = reach ] && return 0
	step $s C-n "Anything else" || return 1
	[ $s = message ] && return 0
	sk $s Tab; step $s Enter "Check before you send" || return 1
	[ $s = review ] && return 0
	if [ $s = notsent ]; then
		rmdir "$T/broken/tmp" 2>/dev/null
		step $s 1 "NOT sent"; return
	fi
	[ $s = sent ] && { step $s 1 "Thank you"; return; }
	[ $s = timeout ] && { waitfor $s "Are you still there" 15; return; }
}
pid_of() { X display-message -p -t "$1" '#{pane_pid}'; }
home() { # home SESSION: quick exit (Ctrl-C: an Esc could merge with the
	# next key into an Alt sequence), then back to its screen
	sk "$1" C-c
	waitfor "$1" "$WELCOME" 5 || return 1
	sleep 0.1
	nav "$1"
}

for s in $SCREENS; do
	c=main
	[ $s = notsent ] && c=broken
	[ $s = timeout ] && c=idle
	if [ $s = welcome ]; then
		X new-session -d -s $s -x 80 -y 24 "$KIOSK" -c "$T/$c.conf" \; set-option -g remain-on-exit on
	else
		X new-session -d -s $s -x 80 -y 24 "$KIOSK" -c "$T/$c.conf"
	fi
done
for s in $SCREENS; do
	waitfor $s "$WELCOME" 10 || { txt $s; fail "$s: kiosk did not start"; }
	eval "PID_$s=$(pid_of $s)"
	nav $s || { txt $s; fail "$s: could not reach the screen"; }
done
note "kiosks on: $SCREENS"

# tmux resumes a stopped pane by itself (SIGCONT), so a kiosk that let
# SIGTSTP stop it would look alive here while frozen on a real tty. Check
# the dispositions instead: each terminal signal must be ignored. Caught is
# not enough: ncurses installs its own SIGTSTP handler, which restores the
# terminal and stops the process (t_kiosk_lockdown tries it from a shell).
sigmask() { python3 -c 'import sys; print(1 if (int(sys.argv[1], 16) >> (int(sys.argv[2]) - 1)) & 1 else 0)' "$@"; }
for s in $SCREENS; do
	eval "p=\$PID_$s"
	ign=$(sed -n 's/^SigIgn:\t//p' /proc/$p/status)
	cgt=$(sed -n 's/^SigCgt:\t//p' /proc/$p/status)
	for g in INT:2 QUIT:3 TSTP:20 TTIN:21 TTOU:22; do
		rel_run
		[ "$(sigmask "$ign" "${g#*:}")" = 1 ] ||
			rel_bad "$s: SIG${g%:*} is not ignored (default or caught: would stop or end the kiosk)"
	done
	[ $s = welcome ] && note "signal dispositions: ignored $ign, caught $cgt"
done

# The keys SPEC §2.7 names; REL_ESCAPE_ALLKEYS=1 (torture) adds the rest
# of the keyboard's control, Alt and editing keys.
KEYS="C-c C-z C-\\ C-d Escape F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F11 M-x M-Escape"
[ "${REL_ESCAPE_ALLKEYS:-0}" = 1 ] && KEYS="$KEYS C-s C-q C-o C-v C-g C-l C-r C-w C-y C-u C-k \
C-a C-e C-t C-b C-f C-j C-m C-_ C-@ M-q M-c M-Enter M-F4 S-F1 C-F1 \
PageUp PageDown Home End Insert Delete BSpace BTab Up Down Left Right"
SEQS='\033[99~ \033[200~ \033[201~ \033]0;title\007 \033[?1049l \033OZ \033[1;5Q \033[M\040\041\041 \033P1;2q\033\\ \033[6n \033[999;999R \033\033\033 \033[ \033O \033c'
SIGS="INT QUIT TSTP TTIN TTOU WINCH"
# Overrides, to try the suite quickly on a few inputs.
KEYS=${REL_ESCAPE_KEYS:-$KEYS}
SEQS=${REL_ESCAPE_SEQS:-$SEQS}
RESIZES="60x20 200x60 20x5 80x24"   # under 80x24 the kiosk shows a too-small note

check_all() { # check_all WHAT [quick|small]
	sleep 0.2
	for s in $SCREENS; do
		rel_run
		eval "p=\$PID_$s"
		set -- "$1" "${2:-}" $(X display-message -p -t $s '#{pane_dead} #{pane_dead_status}')
		if [ "$3" = 1 ]; then
			rel_bad "$1 on $s: the kiosk exited (status ${4:-?})"
			X respawn-pane -t $s "$KIOSK" -c "$T/main.conf"
			waitfor $s "$WELCOME" 10; eval "PID_$s=$(pid_of $s)"; nav $s
			continue
		fi
		rel_alive "$p" || { rel_bad "$1 on $s: the kiosk is stopped (state $(sed 's/^.*) \(.\).*/\1/' /proc/$p/stat))"; kill -CONT "$p"; }
		scr=$(txt $s)
		if [ "$2" = small ]; then
			echo "$scr" | grep -qE "too small|$(title $s)" ||
				{ echo "$scr" | sed 's/^/    | /'; rel_bad "$1 on $s: neither the screen nor the too-small note"; }
			continue
		fi
		if [ "$2" = quick ] && ! echo "$scr" | grep -qF "$WELCOME"; then
			if [ $s != timeout ] && ! waitfor $s "$WELCOME" 3; then
				txt $s | sed 's/^/    | /'; rel_bad "$1 on $s: no quick exit to Welcome"
			fi
			scr=$(txt $s)
		fi
		if ! echo "$scr" | grep -qF "$(title $s)"; then
			home $s || { txt $s | sed 's/^/    | /'; rel_bad "$1 on $s: the kiosk no longer answers (Ctrl-C + path)"; }
		elif [ $s = reach ] && ! echo "$scr" | grep -qF "Keep Me"; then
			home $s
		fi
	done
}

r=0
while [ "$r" -lt "$ROUNDS" ]; do
	r=$((r + 1))
	for k in $KEYS; do
		for s in $SCREENS; do sk $s "$k"; done
		case $k in C-c|Escape) check_all "key $k" quick ;; *) check_all "key $k" ;; esac
	done
	for q in $SEQS; do
		for s in $SCREENS; do sk $s -l "$(printf "$q")"; done
		check_all "sequence $q"
	done
	for g in $SIGS; do
		for s in $SCREENS; do eval "kill -s $g \$PID_$s"; done
		check_all "SIG$g"
	done
	for z in $RESIZES; do
		for s in $SCREENS; do X resize-window -t $s -x "${z%x*}" -y "${z#*x}"; done
		case $z in 80x24|200x60) check_all "resize to $z" ;; *) check_all "resize to $z" small ;; esac
	done
	# A burst: everything at once, then the checks.
	for s in $SCREENS; do
		for k in C-c C-z C-\\ C-d Escape F1 F5 F11; do sk $s "$k"; done
		eval "kill -s TSTP \$PID_$s; kill -s INT \$PID_$s; kill -s QUIT \$PID_$s"
	done
	check_all "burst"
done
note "$ROUNDS round(s): $(echo $KEYS | wc -w) keys, $(echo $SEQS | wc -w) sequences, $(echo $SIGS | wc -w) signals, $(echo $RESIZES | wc -w) sizes on $(echo $SCREENS | wc -w) screens"
rel_done $SUITE
