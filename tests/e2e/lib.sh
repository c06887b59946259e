# Sourced by every tests/e2e/t_*.sh. Gives: $SH (tool), $KIOSK, $TOP, a
# scratch dir $T removed on exit, and small assertion helpers that print
# what failed and exit 1.
set -u
TOP=${SH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${SH_BUILD:-$TOP/build}
. "$TOP/tests/kiosk_conf.sh"
SH=$BUILD/safeharbor
KIOSK=$BUILD/safeharbor-kiosk
T=$(mktemp -d /tmp/sh-e2e.XXXXXX)
trap 'sh_cleanup' EXIT
SH_CLEANUPS=
sh_cleanup() {
	for c in $SH_CLEANUPS; do $c; done
	rm -rf "$T"
}
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }
note() { echo "-- $*"; }
# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }
# expect_rc WANT CMD...: run CMD, require exit status WANT
expect_rc() {
	want=$1; shift
	"$@" >"$T/out" 2>"$T/err"; got=$?
	[ "$got" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "$* exited $got, want $want"; }
}
# expect_grep PATTERN FILE
expect_grep() { grep -q -- "$1" "$2" || { cat "$2" >&2; fail "'$1' not in $2"; }; }
expect_nogrep() { ! grep -q -- "$1" "$2" || { cat "$2" >&2; fail "'$1' unexpectedly in $2"; }; }

# write_kiosk_conf FILE: the test kiosk config over $T (spool, recipients.txt,
# kiosk.key) and the repository's screens.
write_kiosk_conf() { kiosk_conf_write "$1" "$T" "$TOP/screens"; }

# A demo world in $T: worker identity (passphrase in $T/pass), recipients,
# kiosk key, config, spool. Uses fast scrypt (logN 10) via SAFEHARBOR_SCRYPT_LOGN.
make_world() {
	printf 'correct horse battery staple\n' >"$T/pass"
	SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" >"$T/recipients.txt" \
		|| fail "keygen"
	chmod 600 "$T/id.age"
	mkdir -p "$T/spool"
	write_kiosk_conf "$T/kiosk.conf"
	"$KIOSK" -c "$T/kiosk.conf" --enroll >"$T/kiosk.pub" || fail "enroll"
}

# watch_sizes DIR SIZE OUT: in the background until $T/stop exists, note in
# OUT every *.age file in DIR seen with a size other than SIZE (a file
# visible under its real name before it is complete). Sets WATCH_PID.
watch_sizes() {
	: >"$3"
	( while [ ! -e "$T/stop" ]; do
		for f in "$1"/*.age; do
			[ -f "$f" ] || continue
			s=$(stat -c %s "$f" 2>/dev/null) || continue
			[ "$s" = "$2" ] || echo "$f: $s bytes" >>"$3"
		done
		sleep 0.02
	done ) &
	WATCH_PID=$!
}
