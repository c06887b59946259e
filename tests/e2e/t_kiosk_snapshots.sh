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

# the pane, with the random reply code on Sent replaced by a fixed mark
pane_fixed() {
	pane "$1" | sed -E 's/[[:space:]]*$//; s/^(  (Your code|Tu código): ).*/\1<code>/'
}
# snap NAME: the pane must become exactly the stored snapshot (polled for up
# to 5 s, so a slow machine only makes it slower, not flaky)
snap() {
	name=$1
	if [ "${SH_SNAPSHOT_UPDATE:-}" = 1 ]; then
		sleep 0.5
		pane_fixed $s >"$T/snap/$name"
		mkdir -p "$D"; cp "$T/snap/$name" "$D/$name.txt"; return
	fi
	[ -f "$D/$name.txt" ] || { echo "missing snapshot $name" >&2; bad=1; return; }
	n=100
	while [ $n -gt 0 ]; do
		pane_fixed $s >"$T/snap/$name"
		cmp -s "$D/$name.txt" "$T/snap/$name" && return
		sleep 0.05; n=$((n - 1))
	done
	diff -u "$D/$name.txt" "$T/snap/$name" >&2
	echo "snapshot $name differs" >&2; bad=1
}

for lang in en es; do
	s=snap$lang
	kiosk_start $s 80 24 "$T/snap.conf"
	[ $lang = en ] && l=1 || l=2
	[ $lang = en ] && t_about="Who is this about?" || t_about="¿Sobre quién es?"
	# Spanish: 2 shows the Spanish Welcome, 2 again goes on
	[ $lang = es ] && { keys $s 2; sleep 0.2; }
	snap welcome.$lang
	press $s $l "$t_about"; snap about.$lang
	keys $s 4; snap code.$lang
	type_text $s "hello"; keys $s Enter; snap code-bad.$lang
	keys $s BSpace BSpace BSpace BSpace BSpace; type_text $s "maple river stone otter lake"
	[ $lang = en ] && t_none="No answer to show" || t_none="No hay respuesta"
	press $s Enter "$t_none"; snap noanswer.$lang
	keys $s 2; sleep 0.2
	press $s $l "$t_about"
	keys $s 3; snap info.$lang
	keys $s 2; snap danger.$lang
	keys $s 1; snap help.$lang
	keys $s 1; sleep 0.2
	type_text $s "Zoë 李小龍"; keys $s Tab; type_text $s "7"; keys $s Tab; keys $s Tab; keys $s Tab
	keys $s Right; snap reach.$lang
	keys $s Enter; sleep 0.2
	type_text $s "Line one."; keys $s Enter; type_text $s "Line two, a little longer."
	snap message.$lang
	keys $s Tab; keys $s Enter; snap review.$lang
	mv "$T/spool2" "$T/spool2.away"     # (the same directory comes back:
	keys $s 1; snap notsent.$lang
	mv "$T/spool2.away" "$T/spool2"     # the sandbox allows only that one)
	keys $s 1; snap sent.$lang
	keys $s Enter; sleep 0.2
	[ $lang = es ] && { keys $s 2; sleep 0.2; }
	press $s $l "$t_about"; keys $s 2; sleep 0.2; keys $s 2; snap reach-friend.$lang
	keys $s F12; sleep 0.2; type_text $s "99"; snap admin.$lang
	keys $s Escape; sleep 0.2            # back to the friend's Reach
	keys $s C-n; sleep 0.2; keys $s Enter; sleep 0.2
	keys $s 2; snap change.$lang
	keys $s 0; sleep 0.2; keys $s 3; snap cancel.$lang
	keys $s 1; snap cancelled.$lang
	TM resize-window -t $s -x 60 -y 20; snap small.$lang
	TM resize-window -t $s -x 80 -y 24
	keys $s Enter; sleep 0.2
done
[ $bad = 0 ] || fail "snapshots differ (regenerate with SH_SNAPSHOT_UPDATE=1 after a deliberate change)"
echo ok
