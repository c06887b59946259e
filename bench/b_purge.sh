#!/bin/sh
# safeharbor purge of 10,000 handled requests (plus 100 open ones that
# stay): wall time and peak RSS of --dry-run and of the real purge, with
# list --json of the same spool as the reference (target: the list's
# 32 MiB). The requests are marked handled by their flags (as if handled
# before the audit log existed). Figures only; never fails on a slow machine.
. "${SH_TOP:-.}/bench/bench_lib.sh"
bench_world b_purge
python3 - "$T/spool" <<'PY'
import os, sys
d = sys.argv[1]
for f in os.listdir(d + "/new"):
    os.rename(d + "/new/" + f, d + "/cur/" + f + ":2,RS")
PY
"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/spool" -n 100 --fast >/dev/null || exit 1
tomorrow=$(date -d tomorrow +%F)
measure "   list --json of the same spool (reference)" 32768 list --json
measure "   purge --dry-run of $n" 32768 purge --handled-before "$tomorrow" --dry-run
echo "      $(tail -n 1 "$T/out")"
measure "   purge of $n" 32768 purge --handled-before "$tomorrow"
echo "      $(tail -n 1 "$T/out")"
echo "   left in the spool: $(ls "$T/spool/new" "$T/spool/cur" | grep -c '\.age') envelopes (the 100 open ones)"
