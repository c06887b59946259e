#!/bin/sh
# Text snapshots: every screen at 80x24 in English and Spanish, as tmux
# shows it, compared with tests/data/kiosk/<screen>.<lang>.txt. A change to
# the layout or the texts shows up here as a diff. After a deliberate
# change, regenerate with SH_SNAPSHOT_UPDATE=1 and review the diff.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world
D=$TOP/tests/data/kiosk
mkdir -p "$T/snap"
mkdir -p "$T/spool2"
kiosk_conf snap spool="$T/spool2" follow_up="2 school days"
bad=0

snap() {
	name=$1
	sleep 0.1
	pane $s | sed 's/[[:space:]]*$//' >"$T/snap/$name"
	if [ "${SH_SNAPSHOT_UPDATE:-}" = 1 ]; then
		mkdir -p "$D"; cp "$T/snap/$name" "$D/$name.txt"; return
	fi
	[ -f "$D/$name.txt" ] || { echo "missing snapshot $name" >&2; bad=1; return; }
	diff -u "$D/$name.txt" "$T/snap/$name" >&2 || { echo "snapshot $name differs" >&2; bad=1; }
}

for lang in en es; do
	s=snap$lang
	kiosk_start $s 80 24 "$T/snap.conf"
	[ $lang = en ] && l=1 || l=2
	[ $lang = en ] && t_about="Who is this about?" || t_about="¿Sobre quién es?"
	snap welcome.$lang
	press $s $l "$t_about"; snap about.$lang
	keys $s 3; sleep 0.2; snap info.$lang
	keys $s 1; sleep 0.2; snap danger.$lang
	keys $s 1; sleep 0.2; snap help.$lang
	keys $s 1; sleep 0.2
	type_text $s "Zoë 李小龍"; keys $s Tab; type_text $s "7"; keys $s Tab; keys $s Tab; keys $s Tab
	keys $s Right; snap reach.$lang
	keys $s Enter; sleep 0.2
	type_text $s "Line one."; keys $s Enter; type_text $s "Line two, a little longer."
	snap message.$lang
	keys $s Tab; keys $s Enter; sleep 0.2; snap review.$lang
	mv "$T/spool2" "$T/spool2.away"     # (the same directory comes back:
	keys $s 1; sleep 0.3; snap notsent.$lang
	mv "$T/spool2.away" "$T/spool2"     # the sandbox allows only that one)
	keys $s 1; sleep 0.3; snap sent.$lang
	keys $s Enter; sleep 0.2
	press $s $l "$t_about"; keys $s 2; sleep 0.2; keys $s 2; sleep 0.2; snap reach-friend.$lang
	keys $s F12; sleep 0.2; type_text $s "99"; snap admin.$lang
	keys $s Escape; sleep 0.2
	TM resize-window -t $s -x 60 -y 20; sleep 0.2; snap small.$lang
	TM resize-window -t $s -x 80 -y 24
done
[ $bad = 0 ] || fail "snapshots differ (regenerate with SH_SNAPSHOT_UPDATE=1 after a deliberate change)"
echo ok
