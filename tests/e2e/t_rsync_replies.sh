#!/bin/sh
# Answers travel from the social worker to a kiosk (config/sync/rsync-replies.sh,
# run by safeharbor-replies.service on the kiosk), for real: while she keeps
# answering with `safeharbor reply`, the kiosk fetches again and again, and
#   - no reply file is ever visible in the kiosk's folder partly copied,
#   - every answer arrives byte-identical, nothing else does (her writer's
#     temporaries, other names, other sizes, links, folders),
#   - an answer she removes goes from the kiosk too,
# then the same through the remote path: a stand-in for ssh runs what the
# server's authorized_keys forces, rrsync -ro (no SSH server in CI), and the
# kiosk's key cannot write into her folder through it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
command -v rsync >/dev/null || skip "rsync not installed"
FETCH=$TOP/config/sync/rsync-replies.sh
N=${SH_REPLIES_ROUNDS:-8}
tool_world
W=$T/worker-replies
K=$T/kiosk-replies
mkdir -p "$W" "$K"
ID1=$(mkrec k1 --code "maple-river-stone-otter-lake" | cut -d' ' -f1)
ID2=$(mkrec k1 --code "tulip-zebra-harbor-owl-melon" | cut -d' ' -f1)
SIZE=16584

note "junk in her folder that must not travel"
printf 'x' >"$W/.0123456789abcdef0123456789abcdef.age"     # a writer's temporary
head -c $SIZE /dev/zero >"$W/notareply.age"
head -c 100 /dev/zero >"$W/00000000000000000000000000000000.age"
ln -s /etc/passwd "$W/11111111111111111111111111111111.age"
mkdir "$W/22222222222222222222222222222222.age"

fetch() { SAFEHARBOR_REPLIES_SRC=$1 SAFEHARBOR_REPLIES=$K sh "$FETCH" >>"$T/fetch.log" 2>&1; }

watch_sizes "$K" $SIZE "$T/torn"
( i=0; while [ $i -lt "$N" ]; do
	id=$ID1; [ $((i % 2)) = 0 ] || id=$ID2
	printf 'Answer %s.\n' "$i" | shx reply "$id" --replies "$W" >/dev/null 2>>"$T/reply.err" || echo "reply $i" >>"$T/reply.err"
	i=$((i + 1))
done ) &
pr=$!
while kill -0 $pr 2>/dev/null; do fetch "$W" || fail "fetch (local path)"; done
wait $pr
fetch "$W" || fail "fetch (local path)"
touch "$T/stop"; wait $WATCH_PID
[ ! -s "$T/reply.err" ] || { cat "$T/reply.err" >&2; fail "reply failed"; }
[ ! -s "$T/torn" ] || { sort -u "$T/torn" | head -n 5 >&2; fail "a partial reply file was visible at the kiosk"; }
ls -A "$W" | grep -E '^[0-9a-f]{32}\.age$' | grep -v '^[012]\{32\}' | sort >"$T/w"
ls -A "$K" | sort >"$T/k"
expect_eq "answers written" "$(wc -l <"$T/w" | tr -d ' ')" "$N"
cmp -s "$T/w" "$T/k" || { diff "$T/w" "$T/k" >&2; fail "kiosk folder != her answers"; }
for n in $(cat "$T/k"); do cmp -s "$W/$n" "$K/$n" || fail "$n differs"; done
expect_eq "kiosk file modes" "$(stat -c %a "$K"/*.age | sort -u)" 600
note "$N answers arrived whole and alone while she kept answering"

note "an answer she removes goes from the kiosk too"
gone=$(head -n 1 "$T/w")
rm "$W/$gone"
fetch "$W" || fail "fetch after removal"
[ ! -e "$K/$gone" ] || fail "a removed answer stayed at the kiosk"
expect_eq "left" "$(ls "$K" | wc -l | tr -d ' ')" $((N - 1))

note "bad setup: clear message, exit 2"
SAFEHARBOR_REPLIES=$K sh "$FETCH" >"$T/out" 2>&1; expect_eq "no source" $? 2
expect_grep "SAFEHARBOR_REPLIES_SRC" "$T/out"
SAFEHARBOR_REPLIES_SRC=$W SAFEHARBOR_REPLIES=$T/nope sh "$FETCH" >"$T/out" 2>&1; expect_eq "no folder" $? 2

if command -v rrsync >/dev/null; then
	note "remote path: rrsync -ro behind a stand-in for ssh"
	cat >"$T/fake-ssh" <<EOS
#!/bin/sh
# what authorized_keys forces: command="rrsync -ro $W"
while [ \$# -gt 0 ]; do case \$1 in -i|-o|-l|-p) shift 2 ;; -*) shift ;; *) break ;; esac; done
shift
SSH_ORIGINAL_COMMAND="\$*" exec rrsync -ro -no-lock "$W"
EOS
	chmod +x "$T/fake-ssh"
	: >"$T/fake.key"; : >"$T/fake.known"
	rm -f "$K"/*.age
	SAFEHARBOR_REPLIES_SRC=sw@school-office: SAFEHARBOR_REPLIES=$K SAFEHARBOR_SYNC_SSH=$T/fake-ssh \
	SAFEHARBOR_REPLIES_SSH_KEY=$T/fake.key SAFEHARBOR_SYNC_KNOWN_HOSTS=$T/fake.known \
		sh "$FETCH" >"$T/remote.out" 2>&1 || { cat "$T/remote.out" >&2; fail "fetch over the ssh path"; }
	expect_eq "over ssh" "$(ls "$K" | wc -l | tr -d ' ')" $((N - 1))
	for n in $(ls "$K"); do cmp -s "$W/$n" "$K/$n" || fail "$n differs over the ssh path"; done
	before=$(ls -A "$W" | wc -l)
	printf 'x' >"$T/planted.age"
	rsync -e "$T/fake-ssh" "$T/planted.age" sw@school-office: >"$T/w.out" 2>&1 &&
		[ -e "$W/planted.age" ] && fail "the kiosk's key could write into her folder"
	expect_eq "her folder untouched" "$(ls -A "$W" | wc -l)" "$before"
else
	note "rrsync not installed: ssh path not tested"
fi
echo ok
