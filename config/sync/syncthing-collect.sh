#!/bin/sh
# syncthing-collect.sh — on the social worker's machine, bring envelopes
# that each kiosk's own Syncthing folder received into her spool's new/.
#
#   syncthing-collect.sh SPOOL STATE INCOMING...
#
# Design (issue 11, class 8): every kiosk shares its spool's new/ in a
# folder of its own (its own folder ID, send-only), received on the worker
# into INCOMING/<kiosk> (receive-only, Ignore Delete). No kiosk is a member
# of another kiosk's folder, so no kiosk can replace, rename or delete
# another's envelopes; this script is the only way into the spool:
# - only names a kiosk writes (32 lowercase hex + ".age"), regular files,
#   never links or dot files (Syncthing's temporaries);
# - each name is collected once, ever: STATE lists "NAME INCOMING" for
#   every name collected, so a name offered again (by the same kiosk after
#   the worker moved it to cur/, or by another kiosk: a clash) is never
#   collected again, and a clash is reported on stderr;
# - into SPOOL the Maildir way and never replacing: a hard link (or copy)
#   in tmp/, `sync`, a link into new/ (a link never replaces), `sync` of
#   new/, then the tmp/ name is removed.
# Exit status: 0 (clashes are reported, not failures), 1 a file could not
# be collected, 2 bad usage.
set -u
[ $# -ge 3 ] || { echo "usage: $0 SPOOL STATE INCOMING..." >&2; exit 2; }
spool=$1 state=$2
shift 2
[ -d "$spool/tmp" ] && [ -d "$spool/new" ] || { echo "$0: $spool: not a spool" >&2; exit 2; }
touch "$state" || exit 2
rc=0
for dir in "$@"; do
	for f in "$dir"/*.age; do
		[ -f "$f" ] && [ ! -L "$f" ] || continue
		n=${f##*/}
		case $n in
		[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f].age) ;;
		*) continue ;;
		esac
		if first=$(grep -m1 "^$n " "$state"); then
			[ "${first#* }" = "$dir" ] ||
				echo "$0: $dir/$n: clash: a file of this name was already collected from ${first#* }; not collected, nothing replaced" >&2
			continue
		fi
		t=$spool/tmp/$n
		if ! { ln "$f" "$t" 2>/dev/null || cp "$f" "$t"; } ||
		   ! sync "$t" || ! ln "$t" "$spool/new/$n" || ! sync "$spool/new"; then
			echo "$0: $f: not collected (a file of this name is already in new/, or a write failed)" >&2
			rm -f "$t"
			rc=1
			continue
		fi
		rm -f "$t"
		printf '%s %s\n' "$n" "$dir" >>"$state"
	done
done
exit $rc
