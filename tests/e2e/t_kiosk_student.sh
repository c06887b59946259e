#!/bin/sh
# Issue 13, walked as a student at 80x24, in English and Spanish: the
# Spanish Welcome (its privacy words) shows before any question; the danger
# question asks what its answers answer; "I don't know" shows the help
# numbers without marking urgent; Sent tells an urgent request what to do
# now; F12 then Esc goes back with the answers kept, an empty PIN is no
# try; the config's readers are named on Welcome and Review; Reach has a
# visible "Leave out my name", a "do not contact my family" choice and a
# help bar naming its keys; Review's Change asks what and Cancel confirms;
# a question can be written and sent; the shortest request is six keys;
# the kiosk's own message field refuses character 2,001.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
kiosk_conf rd readers="the school social worker and the district backup" \
	readers_es="la persona de trabajo social y el respaldo del distrito"
printf '2468\n' | "$KIOSK" --set-pin >>"$T/rd.conf" || fail "set-pin"

clear_queue() { rm -f "$T"/spool/new/* "$T"/spool/cur/*; }
has() { grep -qE -- "$1" "$T/shown" || { cat "$T/shown" >&2; fail "'$1' not in the record"; }; }
hasnt() { ! grep -qE -- "$1" "$T/shown" || { cat "$T/shown" >&2; fail "'$1' unexpectedly in the record"; }; }
nrecords() { awk 'NR > 1' "$T/list" | wc -l; }
home() { keys $s Escape; expect_text $s "Talk to someone"; sleep 0.1; }
# expect_flat SESSION TEXT: TEXT on screen, even across a wrapped line
expect_flat() {
	n=100
	while [ $n -gt 0 ]; do
		pane "$1" | sed 's/^ *//' | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$2" && return 0
		sleep 0.05; n=$((n - 1))
	done
	pane "$1" >&2; fail "'$2' never showed in $1"
}

s=st
kiosk_start $s 80 24 "$T/rd.conf"
pid=$(kiosk_pid $s)

note "Welcome names the readers; 2 shows the Spanish Welcome first"
expect_flat $s "Who can read it: the school social worker and the district backup."
expect_no_text $s "Nothing stays"
press $s 2 "Quién lo puede leer"
expect_flat $s "Quién lo puede leer: la persona de trabajo social y el respaldo del distrito."
expect_text $s "Habla con alguien"
expect_text $s "Para seguir en español, oprime 2."
expect_no_text $s "¿Sobre quién es?"
press $s 1 "Talk to someone"                 # back to English, still Welcome
press $s 2 "Quién lo puede leer"
TM resize-window -t $s -x 60 -y 20
expect_text $s "Esta ventana es muy pequeña"  # the note in the language shown
TM resize-window -t $s -x 80 -y 24
expect_text $s "Habla con alguien"; sleep 0.2
press $s 2 "¿Sobre quién es?"

note "danger: the question of the path, answered by its options (es, me)"
press $s 1 "¿En peligro ahora mismo?"
expect_text $s "¿Estás en peligro ahora mismo?"
expect_text $s "[1] Sí, en peligro ahora"
expect_no_text $s "amig"
press $s 0 "¿Sobre quién es?"
press $s 2 "¿Tu amigo o amiga está en peligro ahora mismo?"

note "friend path: the friend is not told who asked"
press $s 2 "¿Cómo encontramos a tu amigo o amiga?"
expect_flat $s "No le vamos a decir a tu amigo o amiga quién preguntó."
home
press $s 1 "Who is this about?"; press $s 2 "Is your friend in danger right now?"
press $s 2 "How can we find your friend?"
expect_text $s "We will not tell your friend who asked."
home

note "me path in English: no friend in the question; I don't know shows help, not urgent"
clear_queue
press $s 1 "Who is this about?"; press $s 1 "Are you in danger right now?"
expect_no_text $s "friend"
expect_text $s "[1] Yes, in danger now"
expect_text $s "[2] No, not in danger now"
press $s 3 "Get help now"
expect_flat $s "You are not sure. That is OK."
expect_text $s "1-888-373-7888"; expect_text $s "988"
expect_no_text $s "urgent"
press $s 1 "How can we find you?"

note "Reach: keys named, the family choice, [ Leave out my name ]"
expect_text $s "[ Leave out my name ]"
expect_text $s "Enter  Next box"
type_text $s "Robin"
keys $s Enter; keys $s Enter; keys $s Enter; keys $s Enter
expect_text $s "Pick a way"
keys $s Right; keys $s Right; keys $s Right; keys $s Right
expect_text $s "< Do not contact my family >"
press $s Enter "Anything else?"
keys $s Tab; keys $s Tab; press $s Enter "How can we find you?"   # [Back]
keys $s BTab; keys $s BTab                                        # [Leave out my name]
expect_text $s ">[ Leave out my name ]"
press $s Enter "Anything else?"
expect_text $s "Enter  Next"
press $s Enter "Check before you send"                           # empty: goes on
expect_flat $s "Who can read it: the school social worker and the district backup."
expect_flat $s "You left out your name. You can get an answer with the code shown next."
expect_no_text $s "Robin"
press $s 1 "Thank you"
expect_flat $s "in the next 2 school days"
queue_show
expect_eq "records" "$(nrecords)" 1
has '^Danger: +not sure$'; hasnt '^Name:'; hasnt 'Robin'; hasnt '^Contact way:'
grep -q URGENT "$T/list" && fail "a not-sure request is marked urgent"
keys $s Enter; expect_text $s "Talk to someone"

note "urgent: Sent says tell an adult now, today (en, es)"
clear_queue
press $s 1 "Who is this about?"; press $s 1 "Are you in danger right now?"
press $s 1 "Get help now"
expect_flat $s "We will mark your request as urgent."
press $s 1 "How can we find you?"; press $s C-n "Anything else?"
press $s Enter "Check before you send"
press $s 1 "Thank you"
expect_flat $s "Please tell an adult here now that someone needs help."
expect_flat $s "If you gave your name, the social worker will look for you today."
expect_no_text $s "2 school days"
keys $s Enter; expect_text $s "Talk to someone"
press $s 2 "Quién lo puede leer"; press $s 2 "¿Sobre quién es?"
press $s 1 "¿Estás en peligro ahora mismo?"; press $s 1 "Pide ayuda ya"
press $s 1 "¿Cómo te encontramos?"; press $s C-n "¿Algo más?"
press $s Enter "Revisa antes de enviar"
expect_flat $s "Quién lo puede leer: la persona de trabajo social y el respaldo del distrito."
press $s 1 "Gracias"
expect_flat $s "Dile ahora a un adulto de aquí que alguien necesita ayuda."
expect_flat $s "te buscará hoy"
keys $s Enter; expect_text $s "Talk to someone"
press $s 2 "Quién lo puede leer"; press $s 2 "¿Sobre quién es?"
press $s 1 "¿Estás en peligro ahora mismo?"; press $s 2 "¿Cómo te encontramos?"
press $s C-n "¿Algo más?"; press $s Enter "Revisa antes de enviar"
press $s 1 "Gracias"
expect_flat $s "en los próximos 2 días de clase"
keys $s Enter; expect_text $s "Talk to someone"
queue_show
expect_eq "records" "$(nrecords)" 3
expect_eq "urgent records" "$(grep -c URGENT "$T/list")" 2

note "the shortest request: 1 1 2 Ctrl-N Enter 1"
clear_queue
for k in 1 1 2 C-n Enter 1; do keys $s $k; sleep 0.15; done
expect_text $s "Thank you"
queue_show
expect_eq "records after six keys" "$(nrecords)" 1
has '^About: +self$'; has '^Danger: +no$'; hasnt '^Name:'
keys $s Enter; expect_text $s "Talk to someone"

note "Review: Change asks what; Cancel asks, then says nothing was sent"
clear_queue
press $s 1 "Who is this about?"; press $s 1 "Are you in danger right now?"; press $s 2 "How can we find you?"
type_text $s "Kai"; press $s C-n "Anything else?"   # Ctrl-N: the name is left out
type_text $s "first words"; keys $s Tab; press $s Enter "Check before you send"
expect_no_text $s "Kai"
press $s 2 "What do you want to change?"
expect_text $s "[4] Your message"
press $s 4 "Anything else?"
keys $s End; type_text $s " and more"; keys $s Tab
press $s Enter "Check before you send"                # straight back to Review
expect_text $s "20 of 2000 characters"
press $s 2 "What do you want to change?"
press $s 2 "Are you in danger right now?"
press $s 3 "Get help now"; press $s 1 "Check before you send"
expect_text $s "I don't know"
press $s 2 "What do you want to change?"; press $s 0 "Check before you send"
press $s 3 "Erase it all?"
press $s 2 "Check before you send"                   # no, go back: still there
expect_text $s "first words and more"
press $s 3 "Erase it all?"; press $s 1 "Nothing was sent"
queue_show
expect_eq "records after cancel" "$(nrecords)" 0
mem_has "$pid" "first words and more" && fail "cancelled message still in memory"
keys $s Enter; expect_text $s "Talk to someone"

note "I just have questions: write a question and send it"
clear_queue
press $s 1 "Who is this about?"; press $s 3 "Questions are welcome"
expect_flat $s "Who can read what you write: the school social worker and the district backup."
press $s 1 "Is anyone in danger right now?"
press $s 2 "How can we find you?"; press $s C-n "Your question"
expect_text $s "Write your question here."
type_text $s "Who can I talk to about a job offer?"; keys $s Tab
press $s Enter "Check before you send"
expect_text $s "Question"
press $s 1 "Thank you"
queue_show
has '^About: +info$'; has '^Who can I talk to about a job offer\?$'
keys $s Enter; expect_text $s "Talk to someone"

note "F12 then Esc: back where the student was, answers kept; an empty PIN is no try"
press $s 1 "Who is this about?"; press $s 1 "Are you in danger right now?"; press $s 2 "How can we find you?"
type_text $s "Keep Me"; keys $s Tab; type_text $s "7"
press $s F12 "Staff only"
expect_text $s "press Esc to go back"
expect_text $s "Esc  Back"
keys $s Enter; sleep 0.3                              # nothing typed
expect_no_text $s "not right"
expect_no_text $s "wait"
type_text $s "1"; keys $s Enter
expect_text $s "Try again in 1 s"                    # the first try, not the second
press $s Escape "How can we find you?"
expect_text $s "Keep Me"
pane $s | grep -q "^> Your grade .*7" || { pane $s >&2; fail "focus or grade lost"; }
type_text $s "b"; expect_text $s "7b"
home

note "the message field of the kiosk refuses character 2,001"
press $s 1 "Who is this about?"; press $s 1 "Are you in danger right now?"; press $s 2 "How can we find you?"
press $s C-n "Anything else?"
type_text $s "$(head -c 1999 /dev/zero | tr '\0' a)"
expect_text $s "1999 of 2000 characters" 10
type_text $s "bc"
expect_text $s "2000 of 2000 characters"
expect_text $s "That is the limit. You cannot add more."
keys $s Tab; press $s Enter "Check before you send"
expect_text $s "2000 of 2000 characters"
home

note "kiosk still the same process"
[ "$(kiosk_pid $s)" = "$pid" ] || fail "the kiosk restarted"
echo ok
