#!/bin/sh
# Retention (SPEC §11) through the real tool: purge --dry-run changes
# nothing and says what it would do; a real purge removes handled requests
# only (open ones stay unless named), prints counts, is in the audit log,
# and verify is clean after it; purge killed at random instants loses
# nothing it should keep; bad dates and ids are refused clearly.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
tool_world

# 300 handled before the audit log existed (flag set by hand), 1 handled
# through the tool, 20 new, 5 seen
"$MR" -k "$T/k1.key" -R "$T/recipients.txt" -s "$T/spool" -n 300 --fast >"$T/handled.txt" \
	|| fail "make_record"
while read -r id f; do mv "$T/spool/new/$f" "$T/spool/cur/$f:2,RS"; done <"$T/handled.txt"
H=$(mkrec k1 --about self --danger no); expect_rc 0 shx mark "${H% *}" handled
"$MR" -k "$T/k1.key" -R "$T/recipients.txt" -s "$T/spool" -n 20 --fast >"$T/open.txt" || fail "open"
"$MR" -k "$T/k1.key" -R "$T/recipients.txt" -s "$T/spool" -n 5 --fast >"$T/seen.txt" || fail "seen"
while read -r id f; do mv "$T/spool/new/$f" "$T/spool/cur/$f:2,S"; done <"$T/seen.txt"
O1=$(head -n 1 "$T/open.txt"); O1=${O1% *}
O2=$(sed -n 2p "$T/open.txt"); O2=${O2% *}
# case items: H has its mark and a note (they go with it), O2 a note (it stays)
echo "met her at lunch" | shx note "${H% *}" >/dev/null || fail "note H"
echo "call back friday" | shx note "$O2" >/dev/null || fail "note O2"
keep() { cat "$T/open.txt" "$T/seen.txt" | while read -r id f; do echo "$f"; done | sort; }
keep >"$T/keep.txt"
present() { ls "$T/spool/new" "$T/spool/cur" | sed -n 's/^\([0-9a-f]\{32\}\.age\).*/\1/p' | sort; }
listing() { (cd "$T/spool" && find . -type f | sort) ; }
today=$(date +%F); tomorrow=$(date -d tomorrow +%F)

note "bad input"
expect_rc 2 shx purge
expect_grep "say --handled-before YYYY-MM-DD" "$T/err"
expect_rc 2 shx purge --handled-before 2026-02-30
expect_grep "'2026-02-30': give a date as YYYY-MM-DD" "$T/err"
expect_rc 2 shx purge --handled-before yesterday
expect_rc 2 shx purge --handled-before "$(date -d '+3 days' +%F)"
expect_grep "is in the future" "$T/err"
expect_rc 1 shx purge --handled-before "$today" ffffffffffff
expect_grep "no such request" "$T/err"
expect_rc 2 shx watch --dry-run
expect_grep "does not apply" "$T/err"

note "--dry-run changes nothing"
listing >"$T/before.txt"
expect_rc 0 shx purge --handled-before "$today" --dry-run
expect_grep "would remove 0 requests handled before $today" "$T/out"
expect_rc 0 shx purge --handled-before "$tomorrow" --dry-run
expect_grep "would remove 301 requests handled before $tomorrow (301 envelope files, 2 case items" "$T/out"
expect_rc 0 shx purge --handled-before "$tomorrow" --dry-run "$O1"
expect_grep "would remove 301 requests handled before $tomorrow and 1 named request (302" "$T/out"
listing >"$T/after.txt"
cmp -s "$T/before.txt" "$T/after.txt" || fail "--dry-run changed the spool"

note "killed at random instants: nothing it should keep is lost"
cp -a "$T/spool" "$T/spool.orig"
# how long a whole purge takes here, so the kills land inside it
t0=$(date +%s%N); shx purge --handled-before "$tomorrow" >/dev/null || fail "timing purge"
full_us=$((($(date +%s%N) - t0) / 1000))
note "a whole purge of 301: $((full_us / 1000)) ms"
i=0
while [ $i -lt 8 ]; do
	rm -rf "$T/spool"; cp -a "$T/spool.orig" "$T/spool"
	us=$(python3 - "$full_us" "$SH" "$T" "$tomorrow" $((i % 2)) <<'PY'
import os, random, signal, subprocess, sys, time
full, sh, t, day, mid = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"
n = len(os.listdir(t + "/spool/audit"))
us = random.randint(0, full)
p = subprocess.Popen([sh, "--spool", t + "/spool", "-i", t + "/id.age", "--passphrase-file",
                      t + "/pass", "purge", "--handled-before", day],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if mid:
    # just after its audit entry lands: inside the removal itself
    entry = t + "/spool/audit/%010d.age" % n
    t0 = time.monotonic()
    while not os.path.exists(entry) and p.poll() is None and time.monotonic() - t0 < 10:
        pass
    us = random.randint(0, 1000)
time.sleep(us / 1e6)
p.send_signal(signal.SIGKILL)
p.wait()
print(us)
PY
)
	present >"$T/now.txt"
	comm -23 "$T/keep.txt" "$T/now.txt" >"$T/lost.txt"
	[ -s "$T/lost.txt" ] && fail "killed after ${us} us: open requests lost: $(cat "$T/lost.txt")"
	left=$(($(wc -l <"$T/now.txt") - 25))
	note "killed after $((us / 1000)) ms (or that after its audit entry): $((301 - left)) removed, $left handled left, 25 open kept"
	echo "$left" >>"$T/lefts.txt"
	expect_rc 0 shx verify
	expect_rc 0 shx show "$O2"
	expect_grep "call back friday" "$T/out"
	expect_rc 0 shx purge --handled-before "$tomorrow"
	expect_grep "removed $left requests" "$T/out"
	present >"$T/now.txt"
	cmp -s "$T/keep.txt" "$T/now.txt" || fail "after the second purge: not exactly the open requests"
	i=$((i + 1))
done
# at least one kill landed while envelopes were being removed
sort -un "$T/lefts.txt" | awk '$1 > 0 && $1 < 301' | grep -q . ||
	fail "no kill landed mid-removal: $(sort -un "$T/lefts.txt" | tr '\n' ' ')"

note "for real"
rm -rf "$T/spool"; cp -a "$T/spool.orig" "$T/spool"
expect_rc 0 shx purge --handled-before "$tomorrow"
expect_grep "removed 301 requests handled before $tomorrow (301 envelope files, 2 case items" "$T/out"
present >"$T/now.txt"
cmp -s "$T/keep.txt" "$T/now.txt" || fail "not exactly the open requests left"
expect_rc 0 shx verify
expect_grep "0 problems" "$T/out"
expect_rc 0 shx log --json
python3 - "$T/out" "$tomorrow" <<'PY' || fail "purge not in the audit log"
import json, sys
e = [x for x in json.load(open(sys.argv[1])) if x["action"] == "purge"]
assert len(e) == 1 and e[0]["detail"] == "301 handled before %s, 0 named, 301 files" % sys.argv[2], e
PY
expect_rc 0 shx show "$O2"
expect_grep "call back friday" "$T/out"
note "a named open request goes; the others stay"
expect_rc 0 shx purge "$O1"
expect_grep "removed 0 requests handled before (no date given) and 1 named request (1 envelope file, 0 case items" "$T/out"
expect_eq "open left" "$(present | wc -l)" 24
expect_rc 0 shx purge --handled-before "$tomorrow"
expect_grep "removed 0 requests" "$T/out"
for s in "$O1" purge handled "call back" lunch; do
	grep -rqa -- "$s" "$T/spool" && fail "'$s' in clear under the spool"
done
note "ok"
