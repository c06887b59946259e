#!/bin/sh
# Sent after an urgent request promises only what is true: a student who
# left out her name cannot be looked for, and on the friend path it is the
# friend, not the student, who needs help. Both paths, English and Spanish,
# with no name given.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
# flat SESSION: the pane as one line (wrapped lines joined)
flat() { pane "$1" | sed 's/^ *//' | tr '\n' ' ' | tr -s ' '; }
sent_says() {
	n=100
	while [ $n -gt 0 ]; do
		flat $s | grep -qF -- "$1" && return 0
		sleep 0.05; n=$((n - 1))
	done
	pane $s >&2; fail "Sent does not say: $1"
}
sent_not() { ! flat $s | grep -qF -- "$1" || { pane $s >&2; fail "Sent says: $1"; }; }

s=urg
kiosk_start $s 80 24
# urgent_en ABOUT DANGER-QUESTION REACH-TITLE: an urgent request, no name
urgent_en() {
	press $s 1 "Who is this about?"; press $s "$1" "$2"
	press $s 1 "Get help now"; press $s 1 "$3"
	press $s C-n "Anything else?"; press $s Enter "Check before you send"
	press $s 1 "Thank you"
}
note "me, in danger, no name (en)"
urgent_en 1 "Are you in danger right now?" "How can we find you?"
sent_says "Please tell an adult here now that someone needs help."
sent_says "If you gave your name, the social worker will look for you today."
sent_not "The social worker will look for you today."
keys $s Enter; expect_text $s "Talk to someone"

note "a friend, in danger, no name (en)"
urgent_en 2 "Is your friend in danger right now?" "How can we find your friend?"
sent_not "that you need help"
sent_says "If you gave your name, the social worker will look for you today."
keys $s Enter; expect_text $s "Talk to someone"

note "me, in danger, no name (es)"
press $s 2 "Quién lo puede leer"; press $s 2 "¿Sobre quién es?"
press $s 1 "¿Estás en peligro ahora mismo?"; press $s 1 "Pide ayuda ya"
press $s 1 "¿Cómo te encontramos?"; press $s C-n "¿Algo más?"
press $s Enter "Revisa antes de enviar"
press $s 1 "Gracias"
sent_says "Dile ahora a un adulto de aquí que alguien necesita ayuda."
sent_says "Si diste tu nombre, la persona de trabajo social te buscará hoy."
sent_not ". La persona de trabajo social te buscará hoy."
echo "t_qa_sent_urgent: ok"
