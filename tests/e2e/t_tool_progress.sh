#!/bin/sh
# safeharbor list on a spool that takes more than a second to open: a
# progress line on stderr when stderr is a terminal (counting up, cleared
# at the end), none when it is not. The scan is made slow on purpose: the
# right key comes after 60 that match nothing, so every envelope costs 61
# X25519 operations.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
W=$BUILD/tests/tools/rel_writer
[ -x "$W" ] || skip "tests/tools/rel_writer not built"
command -v script >/dev/null || skip "script (util-linux) not installed"
tool_world
N=1200

note "$N envelopes"
"$W" "$T/spool" "$T/recipients.txt" "$T/k1.key" $N >/dev/null || fail "rel_writer"
i=0
while [ $i -lt 60 ]; do
	age-keygen 2>/dev/null | grep '^AGE-SECRET-KEY-'
	i=$((i + 1))
done >"$T/decoys.txt"
chmod 600 "$T/decoys.txt"
slow() { "$SH" --spool "$T/spool" -i "$T/decoys.txt" -i "$T/id.age" --passphrase-file "$T/pass" "$@"; }

note "stderr a terminal: progress, then cleared"
start=$(date +%s)
script -qec "'$SH' --spool '$T/spool' -i '$T/decoys.txt' -i '$T/id.age' --passphrase-file '$T/pass' list" \
	"$T/typescript" >/dev/null </dev/null || { cat "$T/typescript"; fail "list under script"; }
secs=$(( $(date +%s) - start ))
note "list took about ${secs}s"
expect_grep "safeharbor: opening envelopes [0-9]*/$N" "$T/typescript"
python3 - "$T/typescript" $N <<'PY' || fail "progress line"
import re, sys
data = open(sys.argv[1], 'rb').read().decode('utf-8', 'replace')
n = int(sys.argv[2])
counts = [int(m) for m in re.findall(r'opening envelopes (\d+)/%d' % n, data)]
assert counts, 'no progress line'
assert counts == sorted(counts), 'progress went backwards: %r' % counts
assert all(0 < c < n for c in counts), counts
last = data.rfind('opening envelopes')
# the line is wiped before the listing starts, and the listing follows it
assert '\r\x1b[K' in data[last:], 'progress line not cleared'
assert data.count('library-1') >= n, 'listing incomplete'
print('progress updates: %d, last %d of %d' % (len(counts), counts[-1], n))
PY

note "stderr not a terminal: no progress line"
slow list >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "list"; }
expect_nogrep "opening envelopes" "$T/err"
[ "$(grep -c library-1 "$T/out")" -eq $N ] || fail "list printed $(grep -c library-1 "$T/out") of $N"
echo "ok"
