#!/bin/sh
# make install / make uninstall into a scratch DESTDIR: every expected file
# is there with its mode, nothing is world-writable, installed units name
# installed paths, an edited kiosk.conf survives a second install, and
# uninstall removes everything install put there except the config.
. "$(dirname "$0")/lib.sh"

[ -x "$KIOSK" ] && [ -x "$SH" ] || skip "binaries not built in $BUILD"
command -v make >/dev/null || skip "make not installed"

D=$T/root
P=/usr
# Its own build dir: another PREFIX recompiles (the screens path is compiled
# in), and the other tests keep using $BUILD as it was.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -C "$TOP" BUILD="$T/build" PREFIX=$P DESTDIR="$D" "$@" >"$T/make.out" 2>&1 ||
	{ cat "$T/make.out" >&2; fail "make $*"; }; }

note "a kiosk built first with the default PREFIX, then installed with $P"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 -C "$TOP" BUILD="$T/build" "$T/build/safeharbor-kiosk" >"$T/make.out" 2>&1 ||
	{ cat "$T/make.out" >&2; fail "make with the default PREFIX"; }
note "make install DESTDIR=$D PREFIX=$P"
mk install

# mode_is FILE MODE
mode_is() {
	[ -e "$D$1" ] || fail "$1 not installed"
	m=$(stat -c %a "$D$1")
	[ "$m" = "$2" ] || fail "$1 has mode $m, want $2"
}

mode_is $P/bin/safeharbor-kiosk 755
mode_is $P/bin/safeharbor 755
# Without a screens line the installed kiosk looks under $P/share. (A
# language no machine has, so screens a package installed there do not hide
# where it looked.)
printf '[kiosk]\nspool = %s/none\nrecipients = %s/none\nsigning_key = %s/none\nlanguages = zz\n' "$T" "$T" "$T" >"$T/noscreens.conf"
"$D$P/bin/safeharbor-kiosk" -c "$T/noscreens.conf" --check >"$T/check.out" 2>&1
grep -q " $P/share/safeharbor/screens/zz/" "$T/check.out" ||
	{ cat "$T/check.out" >&2; fail "installed kiosk does not look for its screens under $P/share"; }
for page in man1/safeharbor.1 man1/safeharbor-kiosk.1 man5/safeharbor-kiosk.conf.5 \
	man5/safeharbor-spool.5; do
	mode_is $P/share/man/$page 644
done
for u in safeharbor-kiosk@.service safeharbor-sync.service safeharbor-sync.timer; do
	mode_is $P/lib/systemd/system/$u 644
	expect_nogrep '@[A-Z]*DIR@' "$D$P/lib/systemd/system/$u"
done
expect_grep "^ExecStart=$P/bin/safeharbor-kiosk -c /etc/safeharbor/kiosk.conf\$" \
	"$D$P/lib/systemd/system/safeharbor-kiosk@.service"
expect_grep "^ExecStart=$P/share/safeharbor/sync/rsync-push.sh\$" \
	"$D$P/lib/systemd/system/safeharbor-sync.service"
mode_is $P/share/safeharbor/sync/rsync-push.sh 755
for d in DEPLOY.md FORMAT.md THREATS.md; do
	mode_is $P/share/doc/safeharbor/$d 644
done
mode_is /etc/safeharbor/kiosk.conf 644
cmp -s "$TOP/config/kiosk.conf" "$D/etc/safeharbor/kiosk.conf" || fail "installed kiosk.conf differs"

# Every screen file of every language, 0644 in 0755 directories.
n=0
for f in $(cd "$TOP/screens" && find . -type f); do
	mode_is $P/share/safeharbor/screens/${f#./} 644
	cmp -s "$TOP/screens/$f" "$D$P/share/safeharbor/screens/$f" || fail "screens/$f differs"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no screen files in the source tree"
bad=$(find "$D$P/share/safeharbor/screens" -type d ! -perm 755)
[ -z "$bad" ] || fail "screen directories not 0755: $bad"
note "$n screen files installed"

ww=$(find "$D" -perm -0002 ! -type l)
[ -z "$ww" ] || fail "world-writable after install: $ww"

# The installed kiosk runs and finds its own man page's claims true.
"$D$P/bin/safeharbor-kiosk" --help >"$T/help" 2>&1 || fail "installed kiosk --help"
"$D$P/bin/safeharbor" --version >"$T/ver" 2>&1 || fail "installed tool --version"

note "second install keeps an edited kiosk.conf"
echo "; edited by IT" >>"$D/etc/safeharbor/kiosk.conf"
cp "$D/etc/safeharbor/kiosk.conf" "$T/kiosk.conf.edited"
mk install
cmp -s "$D/etc/safeharbor/kiosk.conf" "$T/kiosk.conf.edited" || fail "kiosk.conf overwritten"

note "make uninstall"
mk uninstall
left=$(cd "$D" && find . ! -type d | sort)
expect_eq "files left after uninstall" "$left" "./etc/safeharbor/kiosk.conf"
note "install/uninstall ok"
