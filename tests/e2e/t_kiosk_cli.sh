#!/bin/sh
# safeharbor-kiosk's commands for IT: --check (one line per problem with
# file and line, exit 2 for config problems, 1 for others, 0 + "ok"),
# --enroll (one token on stdout, refuses to overwrite), --send-test (the
# tool sees About: test), --set-pin, --help/--version, and refusing to
# start (before curses) when anything is wrong.
. "$(dirname "$0")/lib.sh"
[ -x "$KIOSK" ] || skip "no kiosk binary"
[ -x "$SH" ] || skip "no safeharbor tool"
export LANG=C.UTF-8 HOME="$T" XDG_CONFIG_HOME="$T/.config"

make_world
note "enroll printed one shkiosk1 token and nothing else"
expect_eq "enroll lines" "$(wc -l <"$T/kiosk.pub")" 1
grep -qE '^shkiosk1[a-z0-9]{58}$' "$T/kiosk.pub" || fail "enroll output: $(cat "$T/kiosk.pub")"
expect_eq "key mode" "$(stat -c %a "$T/kiosk.key")" 600
cp "$T/kiosk.key" "$T/kiosk.key.orig"
expect_rc 1 "$KIOSK" -c "$T/kiosk.conf" --enroll
expect_grep "not overwriting" "$T/err"
expect_eq "enroll stdout on refusal" "$(cat "$T/out")" ""
cmp -s "$T/kiosk.key" "$T/kiosk.key.orig" || fail "enroll changed the existing key"

note "check: all fine"
expect_rc 0 "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "ok:" "$T/out"
expect_grep "$(cat "$T/kiosk.pub")" "$T/out"
expect_grep "no admin_pin_hash" "$T/err"

note "set-pin from stdin, and the kiosk accepts the line"
printf '2468\n' | "$KIOSK" --set-pin >"$T/pin" 2>"$T/pin.err" || fail "set-pin: $(cat "$T/pin.err")"
grep -qE '^admin_pin_hash = \$argon2id\$v=19\$m=65536,t=2,p=1\$' "$T/pin" || fail "set-pin: $(cat "$T/pin")"
expect_eq "set-pin lines" "$(wc -l <"$T/pin")" 1
cat "$T/pin" >>"$T/kiosk.conf"
expect_rc 0 "$KIOSK" -c "$T/kiosk.conf" --check
expect_nogrep "no admin_pin_hash" "$T/err"
printf '12\n' | "$KIOSK" --set-pin >"$T/out" 2>"$T/err"; rc=$?
expect_eq "short PIN exit" "$rc" 2
expect_eq "short PIN stdout" "$(cat "$T/out")" ""

note "send-test: delivered, the tool sees About: test from the enrolled kiosk"
"$SH" -i "$T/id.age" --passphrase-file "$T/pass" kiosks add lib-1 "$(cat "$T/kiosk.pub")" >/dev/null 2>&1 \
	|| fail "kiosks add"
expect_rc 0 "$KIOSK" -c "$T/kiosk.conf" --send-test
expect_eq "send-test stdout" "$(cat "$T/out")" ""
name=$(ls "$T/spool/new")
expect_grep "$name" "$T/err"
"$SH" list -i "$T/id.age" --passphrase-file "$T/pass" --spool "$T/spool" >"$T/list" || fail "list"
expect_grep "test" "$T/list"
expect_nogrep "not from an enrolled" "$T/list"

note "send-test with the spool gone: exit 1, a clear message"
sed "s|^spool = .*|spool = $T/nospool|" "$T/kiosk.conf" >"$T/nospool.conf"
expect_rc 1 "$KIOSK" -c "$T/nospool.conf" --send-test
expect_grep "nospool" "$T/err"

note "check: every problem, one line each, FILE:LINE"
cp -R "$TOP/screens" "$T/screens"
sed -i 's/^title: .*/title: Report trafficking here/' "$T/screens/en/welcome.txt"
sed -i '/^option: Sobre un amigo/d' "$T/screens/es/about.txt"
printf 'bogus: 1\n' >>"$T/screens/es/common.txt"
rm "$T/screens/es/small.txt"
sed "s|^screens = .*|screens = $T/screens|" "$T/kiosk.conf" >"$T/scr.conf"
expect_rc 2 "$KIOSK" -c "$T/scr.conf" --check
expect_grep "safeharbor-kiosk: $T/screens/en/welcome.txt:[0-9]*: a title must stay neutral" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/es/about.txt:[0-9]*: needs 4 \"option:\" lines, has 3" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/es/common.txt:[0-9]*: unknown key \"bogus\"" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/es/small.txt: missing screen file" "$T/err"
expect_eq "check stdout when broken" "$(grep -c 'ok:' "$T/out")" 0

note "check: config errors exit 2 with file:line"
printf '[kiosk]\nspool = %s/spool\nidle_seconds = soon\n' "$T" >"$T/broken.conf"
expect_rc 2 "$KIOSK" -c "$T/broken.conf" --check
expect_grep "broken.conf:3" "$T/err"
expect_rc 2 "$KIOSK" -c "$T/none.conf" --check
expect_grep "none.conf" "$T/err"

note "check: unsafe key and bad recipients"
chmod 644 "$T/kiosk.key"
expect_rc 1 "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "kiosk.key: readable by group or others" "$T/err"
chmod 600 "$T/kiosk.key"
cp "$T/recipients.txt" "$T/recipients.orig"
printf '# a comment\nage1notakey\n' >"$T/recipients.txt"
expect_rc 2 "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "recipients.txt:2" "$T/err"
cp "$T/recipients.orig" "$T/recipients.txt"

note "the kiosk refuses to start on a broken setup, before any screen is drawn"
expect_rc 2 "$KIOSK" -c "$T/scr.conf" </dev/null
expect_grep "refusing to start" "$T/err"
expect_eq "nothing drawn" "$(cat "$T/out")" ""
expect_rc 2 env LANG=C LC_ALL=C "$KIOSK" -c "$T/kiosk.conf" --check
expect_grep "not UTF-8" "$T/err"

note "enroll: the hint for a person only when stdout is a terminal"
sed "s|^signing_key = .*|signing_key = $T/k2.key|" "$T/kiosk.conf" >"$T/k2.conf"
expect_rc 0 "$KIOSK" -c "$T/k2.conf" --enroll
grep -qE '^shkiosk1[a-z0-9]{58}$' "$T/out" || fail "enroll to a file: $(cat "$T/out")"
expect_nogrep "give the line above" "$T/err"
expect_eq "enroll stderr to a script" "$(cat "$T/err")" ""
if command -v script >/dev/null 2>&1; then
	sed "s|^signing_key = .*|signing_key = $T/k3.key|" "$T/kiosk.conf" >"$T/k3.conf"
	script -qec "'$KIOSK' -c '$T/k3.conf' --enroll" /dev/null >"$T/out" 2>&1 </dev/null || fail "enroll on a terminal"
	expect_grep "give the line above to the social worker" "$T/out"
fi

note "check: a spool that does not exist says so"
sed "s|^spool = .*|spool = $T/nospool|" "$T/kiosk.conf" >"$T/nospool.conf"
expect_rc 1 "$KIOSK" -c "$T/nospool.conf" --check
expect_grep "$T/nospool: spool does not exist" "$T/err"
expect_nogrep "not writable" "$T/err"
mkdir -p "$T/rospool/tmp" "$T/rospool/new" "$T/rospool/cur"
chmod 500 "$T/rospool/new"
sed "s|^spool = .*|spool = $T/rospool|" "$T/kiosk.conf" >"$T/ro.conf"
if [ "$(id -u)" -ne 0 ]; then
	expect_rc 1 "$KIOSK" -c "$T/ro.conf" --check
	expect_grep "spool is not writable" "$T/err"
fi
chmod 700 "$T/rospool/new"

note "check: screens from before the optional keys help-press and wrong-again still pass"
cp -R "$TOP/screens" "$T/oldscr"
sed -i '/^help-press:/d' "$T/oldscr"/*/common.txt
sed -i '/^wrong-again:/d' "$T/oldscr"/*/admin.txt
! grep -rqE '^(help-press|wrong-again):' "$T/oldscr" || fail "could not remove the optional keys"
sed "s|^screens = .*|screens = $T/oldscr|" "$T/kiosk.conf" >"$T/old.conf"
expect_rc 0 "$KIOSK" -c "$T/old.conf" --check

note "usage"
expect_rc 0 "$KIOSK" --help
expect_grep "send-test" "$T/out"
awk 'length($0) > 79 { exit 1 }' "$T/out" || fail "--help is wider than 79 columns"
# the option column: every description starts in the same column (21)
expect_eq "help description start" \
	"$(grep -E '^  [-(]' "$T/out" | awk '{ match($0, /^  [^ ].*[^ ]  +/); print RLENGTH }' | sort -u)" 21
expect_rc 0 "$KIOSK" --version
expect_grep "safeharbor-kiosk" "$T/out"
expect_rc 0 "$KIOSK" -V
expect_grep "^safeharbor-kiosk [0-9]" "$T/out"
expect_rc 0 "$KIOSK" -h
expect_grep "send-test" "$T/out"
expect_rc 2 "$KIOSK" --bogus
expect_rc 2 "$KIOSK" --check --enroll
expect_rc 2 "$KIOSK" extra
echo "ok"
