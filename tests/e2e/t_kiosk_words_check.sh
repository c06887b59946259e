#!/bin/sh
# Bad input for the words of issue 13: a screens folder written before the
# new keys (readers, the danger question per path, what Sent says after an
# urgent request, the Cancel confirmation...) and a readers value too long
# for 80 columns, or given for one language only. --check names file and
# line and exits 2; the kiosk refuses to start. And no shipped screen
# promises more than is true (SPEC 3: no "anonymous", no "nothing stays").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kiosk_lib.sh"
export HOME="$T" XDG_CONFIG_HOME="$T/.config"
kiosk_world

note "no shipped screen promises more than is true"
for f in "$TOP"/screens/*/*.txt; do
	grep -v '^#' "$f" | sed -E 's/^[a-z0-9-]+: //' |
		grep -inE 'anonym|anónim|nothing stays|nada se queda|nothing is kept|no queda nada' &&
		fail "$f promises more than is true"
done
grep -q "Nothing you typed can be read on this computer" "$TOP/screens/en/sent.txt" ||
	fail "sent.txt lost the true sentence"

note "a screens folder missing the new keys and files"
cp -R "$TOP/screens" "$T/screens"
sed -i '/^readers:/d; /^help-contact:/d' "$T/screens/es/common.txt"
sed -i '/^ask-self:/d' "$T/screens/en/danger.txt"
sed -i '/^next-urgent:/d' "$T/screens/es/sent.txt"
sed -i '/^button-anon:/d' "$T/screens/en/reach.txt"
rm "$T/screens/en/cancel.txt"
kiosk_conf scr screens="$T/screens"
expect_rc 2 "$KIOSK" -c "$T/scr.conf" --check
cat "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/es/common.txt:[0-9]*: missing \"readers:\" line" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/es/common.txt:[0-9]*: missing \"help-contact:\" line" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/en/danger.txt:[0-9]*: missing \"ask-self:\" line" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/es/sent.txt:[0-9]*: missing \"next-urgent:\" line" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/en/reach.txt:[0-9]*: missing \"button-anon:\" line" "$T/err"
expect_grep "safeharbor-kiosk: $T/screens/en/cancel.txt: missing screen file" "$T/err"
expect_rc 2 "$KIOSK" -c "$T/scr.conf" </dev/null
expect_grep "refusing to start" "$T/err"
expect_eq "nothing drawn" "$(cat "$T/out")" ""

note "readers too long for the screen"
kiosk_conf long readers="the school social worker, the district backup reader and the principal" \
	readers_es="la persona de trabajo social"
expect_rc 2 "$KIOSK" -c "$T/long.conf" --check
line=$(grep -n '^readers =' "$T/long.conf" | cut -d: -f1)
expect_grep "safeharbor-kiosk: $T/long.conf:$line: readers: too long for the screen: at most 60 columns" "$T/err"
expect_rc 2 "$KIOSK" -c "$T/long.conf" </dev/null
expect_grep "refusing to start" "$T/err"

note "readers for English only: the Spanish screens would say less"
kiosk_conf half readers="the school social worker and the district backup"
expect_rc 2 "$KIOSK" -c "$T/half.conf" --check
line=$(grep -n '^readers =' "$T/half.conf" | cut -d: -f1)
expect_grep "safeharbor-kiosk: $T/half.conf:$line: readers: readers_es is not set" "$T/err"

note "two recipients (a backup key) and no readers: --check warns"
cp "$T/recipients.txt" "$T/two.txt"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/backup.age" --passphrase-file "$T/pass" >>"$T/two.txt" 2>/dev/null ||
	fail "keygen (backup)"
kiosk_conf tworcpt recipients="$T/two.txt"
expect_rc 0 "$KIOSK" -c "$T/tworcpt.conf" --check
expect_grep "warning: $T/tworcpt.conf: 2 recipients, but readers is not set" "$T/err"
kiosk_conf tworeaders recipients="$T/two.txt" readers="the social worker and the district backup" \
	readers_es="la persona de trabajo social y el respaldo del distrito"
expect_rc 0 "$KIOSK" -c "$T/tworeaders.conf" --check
expect_nogrep "readers is not set" "$T/err"

note "a good readers pair passes"
kiosk_conf good readers="the school social worker and the district backup" \
	readers_es="la persona de trabajo social y el respaldo del distrito"
expect_rc 0 "$KIOSK" -c "$T/good.conf" --check
echo ok
