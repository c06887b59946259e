# Sourced by tests/e2e/t_tool_*.sh after lib.sh: a social-worker world
# built without the kiosk (hand-made records from tests/tools/make_record),
# plus a --send-test record when the kiosk binary is there.
#   $MR              the make_record helper
#   $T/id.age        identity (passphrase in $T/pass), $T/recipients.txt
#   $T/k1.key/.pub   an enrolled kiosk key ("library-1")
#   $T/k2.key/.pub   a kiosk key nobody enrolled
#   shx ARGS...      safeharbor with --spool, -i and --passphrase-file set
MR=$BUILD/tests/tools/make_record
[ -x "$SH" ] || skip "safeharbor not built"
[ -x "$MR" ] || skip "tests/tools/make_record not built"
unset XDG_CONFIG_HOME SAFEHARBOR_SPOOL SAFEHARBOR_IDENTITY SAFEHARBOR_SCRYPT_LOGN
HOME=$T/home; export HOME
mkdir -p "$HOME"

shx() { "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" "$@"; }

# mkrec KEYNAME ARGS...: one record into $T/spool; prints "ID FILE"
mkrec() {
	k=$1; shift
	"$MR" -k "$T/$k.key" -R "$T/recipients.txt" -s "$T/spool" "$@" || fail "make_record $*"
}

tool_world() {
	printf 'correct horse battery staple\n' >"$T/pass"
	SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" \
		>"$T/recipients.txt" || fail "keygen"
	"$MR" --new-key "$T/k1.key" >"$T/k1.pub" || fail "new kiosk key"
	"$MR" --new-key "$T/k2.key" >"$T/k2.pub" || fail "new kiosk key"
	mkdir -p "$T/spool/tmp" "$T/spool/new" "$T/spool/cur"
	shx kiosks add library-1 "$(cat "$T/k1.pub")" || fail "kiosks add"
}

# A record sent the way IT checks a kiosk: safeharbor-kiosk --send-test.
# Returns 1 (and says why) when the kiosk is not built.
kiosk_send_test() {
	[ -x "$KIOSK" ] || { note "safeharbor-kiosk not built: no --send-test record"; return 1; }
	write_kiosk_conf "$T/kiosk.conf"
	"$KIOSK" -c "$T/kiosk.conf" --enroll >"$T/kiosk.pub" || fail "kiosk --enroll"
	shx kiosks add front-desk "$(cat "$T/kiosk.pub")" || fail "kiosks add front-desk"
	"$KIOSK" -c "$T/kiosk.conf" --send-test >"$T/sendtest.out" 2>&1 || {
		cat "$T/sendtest.out"; fail "kiosk --send-test"; }
	return 0
}
