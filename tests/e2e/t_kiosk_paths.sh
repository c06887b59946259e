#!/bin/sh
# Every path of the student flow, driven with keys in tmux at 80x24 and
# 120x40: self (with a name in three scripts), friend (in Spanish, with
# "leave out my name"), "I just have questions" then a meeting, and danger ->
# the immediate-help screen. After each send, the real `safeharbor` tool
# opens the queue and must show exactly the fields typed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world

clear_queue() { rm -f "$T"/spool/new/* "$T"/spool/cur/*; }
sent() {
	s=$1
	press "$s" 1 "$2"
	queue_show
	expect_eq "records in the queue" "$(awk 'NR > 1' "$T/list" | wc -l)" 1
	keys "$s" Enter
	expect_text "$s" "Talk to someone"
}
has() { grep -qE -- "$1" "$T/shown" || { cat "$T/shown" >&2; fail "'$1' not in the record"; }; }
hasnt() { ! grep -qE -- "$1" "$T/shown" || { cat "$T/shown" >&2; fail "'$1' unexpectedly in the record"; }; }

for size in 80x24 120x40; do
	s=k$size
	kiosk_start "$s" "${size%x*}" "${size#*x}"

	note "$size: self path, a name in Latin, Chinese and Cyrillic script"
	clear_queue
	press "$s" 1 "Who is this about?"
	press "$s" 2 "In danger right now?"             # a friend first...
	press "$s" 2 "Your friend's name"
	type_text "$s" "Ghost Friend"
	keys "$s" BTab
	press "$s" Enter "In danger right now?"
	press "$s" 0 "Who is this about?"
	press "$s" 1 "In danger right now?"             # ...then about me
	press "$s" 2 "How can we find you?"
	expect_no_text "$s" "Ghost Friend"
	expect_text "$s" "Esc  Leave now"
	type_text "$s" "Zoë 李小龍 Иван"
	keys "$s" Enter; type_text "$s" "9"
	keys "$s" Tab; type_text "$s" "Mr. Okafor"
	keys "$s" Down; type_text "$s" "after lunch"
	keys "$s" Tab; keys "$s" Right
	expect_text "$s" "< Find me at school >"
	press "$s" Enter "Anything else?"
	type_text "$s" "I need to talk."
	keys "$s" Enter; type_text "$s" "Please find me."
	expect_text "$s" "31 of 2000 characters"
	keys "$s" Tab
	press "$s" Enter "Check before you send"
	expect_text "$s" "Zoë 李小龍 Иван"
	expect_text "$s" "Mr. Okafor"
	sent "$s" "Thank you"
	has '^About: +self$'; has '^Danger: +no$'; has '^Language: +en$'
	has '^Name: +Zoë 李小龍 Иван$'; has '^Grade: +9$'; has '^Teacher: +Mr. Okafor$'
	has '^Best time: +after lunch$'; has '^Contact way: +find the student at school$'
	has '^I need to talk\.$'; has '^Please find me\.$'
	hasnt "^Friend's name:"; hasnt 'Ghost Friend'
	hasnt 'not from an enrolled kiosk'

	note "$size: friend path in Spanish, leave out my name"
	clear_queue
	press "$s" 2 "Habla con alguien"
	press "$s" 2 "¿Sobre quién es?"
	press "$s" 2 "¿En peligro ahora mismo?"
	press "$s" 3 "Pide ayuda ya"
	press "$s" 1 "¿Cómo encontramos a tu amigo o amiga?"
	expect_text "$s" "Nombre de tu amigo/a"
	type_text "$s" "Ana María"
	keys "$s" Tab; type_text "$s" "8"
	keys "$s" Tab; type_text "$s" "Mi Nombre"
	press "$s" C-n "¿Algo más?"
	keys "$s" Tab
	press "$s" Enter "Revisa antes de enviar"
	expect_text "$s" "Ana María"
	expect_no_text "$s" "Mi Nombre"
	sent "$s" "Gracias"
	has '^About: +friend$'; has '^Danger: +not sure$'; has '^Language: +es$'
	has "^Friend's name: +Ana María$"; has "^Friend's grade: +8$"
	hasnt '^Reported by:'; hasnt 'Mi Nombre'; hasnt '^Contact way:'

	note "$size: questions, the information screen, then a meeting"
	clear_queue
	press "$s" 1 "Who is this about?"
	press "$s" 3 "Questions are welcome"
	expect_text "$s" "1-888-373-7888"
	expect_text "$s" "[2] Ask to meet the social worker"
	press "$s" 2 "In danger right now?"
	press "$s" 2 "How can we find you?"
	type_text "$s" "Sam"
	for i in 1 2 3 4; do keys "$s" Enter; done
	press "$s" Enter "Anything else?"
	keys "$s" BTab
	press "$s" Enter "How can we find you?"     # [Back]
	keys "$s" BTab; keys "$s" BTab; keys "$s" BTab  # [Back], [Leave out my name], [Next]
	press "$s" Enter "Anything else?"
	keys "$s" Tab
	press "$s" Enter "Check before you send"
	expect_text "$s" "I have questions"
	sent "$s" "Thank you"
	has '^About: +info$'; has '^Name: +Sam$'; has '^Danger: +no$'
	hasnt '^Grade:'

	note "$size: danger now -> immediate help first, marked urgent"
	clear_queue
	press "$s" 1 "Who is this about?"
	keys "$s" 1
	expect_text "$s" "In danger right now?"
	keys "$s" Down; keys "$s" Up
	press "$s" Enter "Get help now"
	expect_text "$s" "911"
	expect_text "$s" "1-888-373-7888"
	expect_text "$s" "233733"
	expect_text "$s" "988"
	press "$s" 1 "How can we find you?"
	type_text "$s" "Dana"
	press "$s" C-n "Anything else?"
	type_text "$s" "Now."
	keys "$s" Tab
	press "$s" Enter "Check before you send"
	sent "$s" "Thank you"
	has '^Danger: +yes'; has '^About: +self$'; hasnt '^Name:'; has '^Now\.$'
	grep -q URGENT "$T/list" || fail "list does not show the urgent request"
done
echo ok
