#!/bin/sh
# Two kiosks keep delivering while config/sync/rsync-push.sh pushes both
# spools, again and again, into one social-worker spool, and the "worker"
# moves what arrives from new/ to cur/ meanwhile. Then:
#   - every envelope arrived exactly once (new/ + cur/, by name, and by
#     record id in `safeharbor list --json` when the tool and kiosk exist),
#   - no file in the worker's new/ was ever seen shorter or longer than an
#     envelope (rsync writes a dot temp file, then renames),
#   - every arrived file is byte-identical to the kiosk's and opens with age,
#   - nothing was deleted or changed on the kiosks.
# Uses rsync's local transport, then the remote path of rsync-push.sh with
# the receiving end locked down by rrsync -wo -no-del -no-overwrite as the
# server's authorized_keys would have it; there is no SSH server in CI, so
# a local stand-in for ssh runs rrsync directly.
. "$(dirname "$0")/lib.sh"

command -v rsync >/dev/null || skip "rsync not installed"
command -v age >/dev/null && command -v age-keygen >/dev/null || skip "age not installed"
PUSH=$TOP/config/sync/rsync-push.sh
ROUNDS=${SH_RSYNC_ROUNDS:-20}
note "rsync local transport, then rrsync behind a stand-in for ssh (no SSH server in CI)"

# A plain age identity every envelope is also sealed to, so the test can
# open them with stock age (the tool's identity is passphrase-protected).
age-keygen -o "$T/plain.key" 2>/dev/null || fail "age-keygen"
PLAIN=$(age-keygen -y "$T/plain.key")

use_kiosk=0
if [ -x "$KIOSK" ] && [ -x "$SH" ] && "$KIOSK" --help 2>&1 | grep -q -- '--send-test'; then
	use_kiosk=1
	make_world
	echo "$PLAIN" >>"$T/recipients.txt"
	"$KIOSK" -c "$T/kiosk.conf" --check >"$T/check" 2>&1 || { cat "$T/check" >&2; fail "--check"; }
	KA=$T/spool
	note "kiosk A: $KIOSK --send-test; kiosk B: stock age + Maildir delivery in shell"
else
	note "kiosk not built with --send-test: both kiosks deliver with stock age in shell"
	age-keygen -o "$T/second.key" 2>/dev/null
	printf '%s\n%s\n' "$(age-keygen -y "$T/second.key")" "$PLAIN" >"$T/recipients.txt"
	KA=$T/kioskA
fi
KB=$T/kioskB
W=$T/worker
for d in "$KA" "$KB" "$W"; do mkdir -p "$d/tmp" "$d/new" "$d/cur"; done
SIZE=$((16486 + 98 * $(grep -c '^age1' "$T/recipients.txt")))
note "expected envelope size: $SIZE bytes"

# Maildir delivery as the kiosk does it: tmp/, complete, then rename.
shell_deliver() {
	name=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	{ printf 'SAFEHARBOR-TEST %s\n' "$name"; head -c 16384 /dev/zero; } | head -c 16384 |
		age -R "$T/recipients.txt" -o "$1/tmp/$name.age" || return 1
	mv "$1/tmp/$name.age" "$1/new/$name.age"
}
deliver_a() {
	if [ $use_kiosk = 1 ]; then
		"$KIOSK" -c "$T/kiosk.conf" --send-test >/dev/null 2>>"$T/kiosk.err"
	else
		shell_deliver "$KA"
	fi
}

# Background: kiosks keep sending.
( i=0; while [ $i -lt $ROUNDS ]; do deliver_a || echo "A $i" >>"$T/deliver.err"; i=$((i + 1)); sleep 0.05; done ) &
pa=$!
( i=0; while [ $i -lt $ROUNDS ]; do shell_deliver "$KB" || echo "B $i" >>"$T/deliver.err"; i=$((i + 1)); sleep 0.05; done ) &
pb=$!
# Background: the worker's new/ is watched; any visible envelope must be whole.
: >"$T/torn"
: >"$T/again"
( while [ ! -e "$T/stop" ]; do
	for f in "$W"/new/*.age; do
		[ -f "$f" ] || continue
		s=$(stat -c %s "$f" 2>/dev/null) || continue
		[ "$s" = "$SIZE" ] || echo "$f: $s bytes" >>"$T/torn"
	done
done ) &
pw=$!
# Background: the worker reads her queue, moving arrivals to cur/.
( while [ ! -e "$T/stop" ]; do
	for f in "$W"/new/*.age; do
		[ -f "$f" ] || continue
		# Already read once: the same envelope was carried again.
		[ ! -e "$W/cur/${f##*/}:2,S" ] || echo "${f##*/}" >>"$T/again"
		mv -n "$f" "$W/cur/${f##*/}:2,S" 2>/dev/null
	done
	sleep 0.1
done ) &
pm=$!

push() { # push SPOOL STATE
	SAFEHARBOR_SPOOL=$1 SAFEHARBOR_SYNC_DEST=$W/new SAFEHARBOR_SYNC_STATE=$2 \
		sh "$PUSH" >>"$T/push.out" 2>&1 || { cat "$T/push.out" >&2; fail "rsync-push.sh failed"; }
}
pushes=0
while kill -0 $pa 2>/dev/null || kill -0 $pb 2>/dev/null; do
	push "$KA" "$T/stateA"
	push "$KB" "$T/stateB"
	pushes=$((pushes + 1))
done
wait $pa $pb
push "$KA" "$T/stateA"
push "$KB" "$T/stateB"
push "$KA" "$T/stateA"   # nothing left: must send nothing, must not fail
touch "$T/stop"
wait $pw $pm
note "$pushes push rounds while the kiosks were sending"
[ ! -s "$T/deliver.err" ] || { cat "$T/deliver.err" "$T/kiosk.err" >&2; fail "a kiosk failed to deliver"; }
[ ! -s "$T/again" ] || { sort -u "$T/again" | head -n 5 >&2; fail "envelopes the worker had read came back into new/"; }
[ ! -s "$T/torn" ] || { sort -u "$T/torn" | head -n 5 >&2; fail "a partial envelope was visible in new/"; }

# Exactly once: worker names (new/ + cur/, flags stripped) = kiosk names.
( cd "$KA/new" && ls ) >"$T/a"
( cd "$KB/new" && ls ) >"$T/b"
expect_eq "kiosk A envelopes" "$(wc -l <"$T/a" | tr -d ' ')" "$ROUNDS"
expect_eq "kiosk B envelopes" "$(wc -l <"$T/b" | tr -d ' ')" "$ROUNDS"
sort "$T/a" "$T/b" >"$T/kiosk-names"
{ ls "$W/new"; ls "$W/cur" | sed 's/:2,.*//'; } | sort >"$T/worker.names"
dups=$(uniq -d "$T/worker.names")
[ -z "$dups" ] || fail "envelopes arrived twice: $dups"
cmp -s "$T/kiosk-names" "$T/worker.names" || { diff "$T/kiosk-names" "$T/worker.names" >&2; fail "worker spool != kiosk envelopes"; }
note "$(wc -l <"$T/worker.names" | tr -d ' ') envelopes, each exactly once"
left=$(ls -A "$W/new" "$W/tmp" | grep '^\.' || true)
[ -z "$left" ] || fail "rsync temp files left behind: $left"

# Byte-identical, complete, openable; kiosks untouched.
for n in $(cat "$T/kiosk-names"); do
	src=$KA/new/$n; [ -f "$src" ] || src=$KB/new/$n
	dst=$W/new/$n; [ -f "$dst" ] || dst=$W/cur/$n:2,S
	cmp -s "$src" "$dst" || fail "$n differs from the kiosk's copy"
	age -d -i "$T/plain.key" "$dst" >"$T/pt" 2>"$T/age.err" || { cat "$T/age.err" >&2; fail "age -d $n"; }
	expect_eq "plaintext size of $n" "$(wc -c <"$T/pt" | tr -d ' ')" 16384
done
for d in "$KA" "$KB"; do
	[ -z "$(ls -A "$d/tmp")" ] || fail "$d/tmp not empty"
	[ -z "$(ls -A "$d/cur")" ] || fail "$d/cur changed"
done
note "all arrived byte-identical and open with age; kiosk spools untouched"

if [ $use_kiosk = 1 ]; then
	# Kiosk B's stand-in envelopes hold no record: the tool lists them as
	# refused and may exit 1 for that; the kiosk's tests must each be there once.
	"$SH" --spool "$W" -i "$T/id.age" --passphrase-file "$T/pass" list --json >"$T/list.json" \
		2>"$T/list.err"
	[ $? -le 1 ] || { cat "$T/list.err" >&2; fail "safeharbor list --json"; }
	python3 - "$T/list.json" "$ROUNDS" <<'PY' || fail "safeharbor list --json does not show each test once"
import json, sys
doc = json.load(open(sys.argv[1]))
items = doc if isinstance(doc, list) else next(v for v in doc.values() if isinstance(v, list))
ids = [i.get("id") for i in items if i.get("about") == "test" and i.get("status") == "ok"]
want = int(sys.argv[2])
if len(ids) != want or len(set(ids)) != want:
    print("test records: %d (%d distinct), want %d" % (len(ids), len(set(ids)), want))
    sys.exit(1)
PY
	note "safeharbor list --json shows each of the $ROUNDS kiosk tests once"
fi
# The remote path: ssh (stand-in) + rrsync on the receiving side.
if command -v rrsync >/dev/null; then
	R=$T/remote
	mkdir -p "$R/tmp" "$R/new" "$R/cur"
	cat >"$T/fake-ssh" <<EOS
#!/bin/sh
# ssh stand-in: skip ssh's options and the host, run what authorized_keys
# would force: command="rrsync -wo -no-del -no-overwrite $R/new"
while [ \$# -gt 0 ]; do case \$1 in -i|-o|-l|-p) shift 2 ;; -*) shift ;; *) break ;; esac; done
shift
SSH_ORIGINAL_COMMAND="\$*" exec rrsync -wo -no-del -no-overwrite -no-lock "$R/new"
EOS
	chmod +x "$T/fake-ssh"
	: >"$T/fake.key"; : >"$T/fake.known"
	victim=$(head -n 1 "$T/b")
	echo "already here" >"$R/new/$victim"
	SAFEHARBOR_SPOOL=$KB SAFEHARBOR_SYNC_DEST=worker@school-office: SAFEHARBOR_SYNC_STATE=$T/stateR \
	SAFEHARBOR_SYNC_SSH=$T/fake-ssh SAFEHARBOR_SYNC_SSH_KEY=$T/fake.key \
	SAFEHARBOR_SYNC_KNOWN_HOSTS=$T/fake.known sh "$PUSH" >"$T/remote.out" 2>&1 ||
		{ cat "$T/remote.out" >&2; fail "rsync-push.sh over the ssh path"; }
	expect_eq "existing file on the receiver" "$(cat "$R/new/$victim")" "already here"
	( cd "$R/new" && ls ) | sort >"$T/r"
	cmp -s "$T/r" "$(sort "$T/b" >"$T/bs"; echo "$T/bs")" || fail "remote spool != kiosk B envelopes"
	for n in $(cat "$T/b"); do
		[ "$n" = "$victim" ] || cmp -s "$KB/new/$n" "$R/new/$n" || fail "$n differs over the ssh path"
	done
	# The server refuses a delete even if a kiosk were made to ask for one.
	rm -rf "$T/empty"; mkdir "$T/empty"
	rsync -r --delete -e "$T/fake-ssh" "$T/empty/" worker@school-office: >"$T/del.out" 2>&1 &&
		[ "$(ls "$R/new" | wc -l)" -eq 0 ] && fail "rrsync allowed --delete"
	expect_eq "envelopes after a delete attempt" "$(ls "$R/new" | wc -l | tr -d ' ')" "$ROUNDS"
	note "ssh path: $ROUNDS envelopes through rrsync; no overwrite, no delete"
else
	note "rrsync not installed: ssh path not tested"
fi
note "rsync merge ok"
