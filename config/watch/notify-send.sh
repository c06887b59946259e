#!/bin/sh
# A desktop notification for `safeharbor watch --on-new ... --on-urgent ...`.
# watch passes counts only, in the environment (never a name, message or
# id): SAFEHARBOR_EVENT (new or urgent), SAFEHARBOR_NEW, SAFEHARBOR_URGENT,
# SAFEHARBOR_WAITING. The words are neutral on purpose: a notification can
# show on a screen someone else sees.
# Needs notify-send (Debian: libnotify-bin) and a desktop session.
command -v notify-send >/dev/null 2>&1 || { echo "notify-send not installed (libnotify-bin)" >&2; exit 1; }
n=${SAFEHARBOR_NEW:-0}
case ${SAFEHARBOR_EVENT:-new} in
urgent)
	u=${SAFEHARBOR_URGENT:-1}
	[ "$u" = 1 ] && what="1 request says it is urgent" || what="$u requests say they are urgent"
	exec notify-send --urgency=critical --app-name=safeharbor \
		"safeharbor: urgent" "$what. Open the inbox now."
	;;
*)
	[ "$n" = 1 ] && what="1 new request" || what="$n new requests"
	exec notify-send --app-name=safeharbor "safeharbor" \
		"$what (${SAFEHARBOR_WAITING:-$n} waiting)."
	;;
esac
