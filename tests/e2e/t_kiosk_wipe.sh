#!/bin/sh
# Quick exit (Esc and Ctrl-C) from every screen: back at Welcome, and a
# unique marker typed before is in neither the pane nor its scrollback, nor
# the kiosk's memory (/proc/PID/mem), nor anywhere under the spool or /tmp.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
MARK=Qz$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')Mk

s=wipe
kiosk_start $s 80 24
pid=$(kiosk_pid $s)
[ -n "$pid" ] || fail "no kiosk pid"

# reach SESSION: from Welcome to Reach (self, not in danger) with the marker typed
to_reach() {
	press "$1" 1 "Who is this about?"
	press "$1" 1 "In danger right now?"
	press "$1" 2 "How can we find you?"
	type_text "$1" "N$MARK"
	keys "$1" Tab; type_text "$1" "G$MARK"
	expect_text "$1" "G$MARK"
}
to_message() {
	to_reach "$1"
	keys "$1" Enter; keys "$1" Enter; keys "$1" Enter
	press "$1" Enter "Anything else?"
	type_text "$1" "first line $MARK"; keys "$1" Enter; type_text "$1" "M$MARK"
	expect_text "$1" "M$MARK"
}
# back_button SESSION: from the grade box (to_reach) to [Back]; -1 from the name box
back_button() { keys "$1" BTab; [ "${2:-}" = -1 ] || keys "$1" BTab; keys "$1" Enter; }

check_clean() {
	where=$1
	expect_text $s "Talk to someone"
	expect_no_text $s "Who is this about"
	pane_all $s >"$T/pane"
	! grep -qF "$MARK" "$T/pane" || { cat "$T/pane" >&2; fail "$where: marker on the screen or in scrollback"; }
	if mem_has "$pid" "$MARK"; then fail "$where: marker still in the kiosk's memory"; fi
	kill -0 "$pid" || fail "$where: the kiosk died"
}

i=0
quit() {
	i=$((i + 1))
	if [ $((i % 2)) -eq 0 ]; then keys $s C-c; else keys $s Escape; fi
	check_clean "$1"
	note "$1: clean"
}

to_reach $s
# the scanner must see the marker while it is legitimately there
mem_has "$pid" "$MARK" 2>/dev/null || fail "memory scan cannot see typed text: the check below would prove nothing"
quit reach
to_message $s; quit message
to_message $s; keys $s Tab; press $s Enter "Check before you send"; expect_text $s "N$MARK"; quit review
to_message $s; keys $s Tab; press $s Enter "Check before you send"; press $s 1 "Thank you"; quit sent
to_reach $s; back_button $s; expect_text $s "In danger right now?"; quit danger
to_reach $s; back_button $s; press $s 0 "Who is this about?"; quit about
to_reach $s; back_button $s; press $s 0 "Who is this about?"; press $s 0 "Talk to someone"
check_clean "welcome (by back)"
press $s 1 "Who is this about?"; press $s 1 "In danger right now?"; press $s 1 "Get help now"
press $s 1 "How can we find you?"; type_text $s "N$MARK"; expect_text $s "N$MARK"
back_button $s -1; expect_text $s "Get help now"; quit help
press $s 1 "Who is this about?"; press $s 3 "Questions are welcome"; press $s 1 "In danger right now?"
press $s 2 "How can we find you?"; type_text $s "N$MARK"; expect_text $s "N$MARK"
back_button $s -1; press $s 0 "Questions are welcome"; quit info
# Esc on the staff prompt goes back to the student's answers (t_kiosk_student);
# Ctrl-C there is the quick exit
to_message $s; keys $s F12; expect_text $s "Staff only"; type_text $s "$MARK"
i=$((i + 1)); keys $s C-c; check_clean admin; note "admin: clean"
press $s 2 "Habla con alguien"; press $s 2 "¿Sobre quién es?"; press $s 2 "¿En peligro ahora mismo?"; press $s 2 "¿Cómo encontramos a tu amigo o amiga?"
type_text $s "F$MARK"; expect_text $s "F$MARK"; quit "reach (es)"

note "not sent: the spool disappears under the kiosk"
kiosk_conf ns spool="$T/spool2"
mkdir -p "$T/spool2"
s=ns
kiosk_start $s 80 24 "$T/ns.conf"
pid=$(kiosk_pid $s)
rm -rf "$T/spool2"
to_message $s; keys $s Tab; press $s Enter "Check before you send"
press $s 1 "Not sent"
expect_text $s "NOT sent"
quit notsent

note "no trace on disk"
if rm -f "$T/pane"; grep -rlaF -D skip "$MARK" "$T/spool" /tmp /var/tmp /dev/shm 2>/dev/null; then
	fail "marker found on disk"
fi
echo ok
