#!/bin/sh
# `make deb`: the two Debian packages build from the tree (leaving it and
# its parent clean), are lintian clean, and hold what they should. Then, as
# root on a machine with no safeharbor on it, the real thing (deb_install.sh,
# in copy-on-write layers where it can): install, set up as DEPLOY.md says,
# `--check` and `--send-test` as the packaged user, the sync troubleshooting
# command as written, an upgrade to a rebuilt version with an edited
# conffile, a deleted user, a purge with requests still in the spool, then
# an install over a hand-made set-up (its kiosk.conf, wrong modes, foreign
# files, a /usr/local install) and a purge of an empty spool. Not a request
# is lost or changed on the way; nothing is left behind, even on failure.
. "$(dirname "$0")/lib.sh"

command -v dh >/dev/null || skip "debhelper not installed (Debian: debhelper)"
command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage not installed (Debian: dpkg-dev)"
command -v rsync >/dev/null || skip "rsync not installed"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
trap 'exit 1' INT TERM HUP

# The package build's copy of the tree is kept between runs (under the
# build directory, like `make deb`'s own), so a second run recompiles only
# what changed.
B=$BUILD/deb-test
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$1" BUILD="$B" deb >"$T/make.out" 2>&1 ||
	{ tail -n 40 "$T/make.out" >&2; fail "make deb in $1"; }; }
parent_debs() { ls "$TOP/.." | grep -E '^safeharbor.*\.(deb|changes|buildinfo)$' || true; }

note "make deb"
before=$(parent_debs)
git_before=$(git -C "$TOP" status --porcelain --ignored 2>/dev/null)
start=$(date +%s)
mk "$TOP"
note "built in $(( $(date +%s) - start ))s"
expect_eq "files dpkg-buildpackage left beside the tree" "$(parent_debs)" "$before"
expect_eq "git status of the tree after make deb" "$(git -C "$TOP" status --porcelain --ignored 2>/dev/null)" "$git_before"
V=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
expect_eq "packages in build/deb" "$(cd "$B/deb" && ls)" \
	"safeharbor-kiosk_${V}_$(dpkg --print-architecture).deb
safeharbor_${V}_$(dpkg --print-architecture).deb"
KDEB=$(ls "$B"/deb/safeharbor-kiosk_*.deb)
TDEB=$(ls "$B"/deb/safeharbor_*.deb)

if command -v lintian >/dev/null; then
	# No error or warning (each override says why); info tags are shown.
	lintian --info --fail-on error,warning "$KDEB" "$TDEB" >"$T/lintian" 2>&1 ||
		{ cat "$T/lintian" >&2; fail "lintian"; }
	grep -q '^[EW]: ' "$T/lintian" && { cat "$T/lintian" >&2; fail "lintian"; }
	grep '^[IPX]: ' "$T/lintian"
	note "lintian: no error, no warning"
else
	note "lintian not installed (Debian: lintian): not run"
fi

# has DEB PATH MODE [OWNER]: the package holds PATH with MODE (as ls shows it)
dpkg-deb -c "$KDEB" | awk '{print $1, $2, $6}' >"$T/kiosk.list"
dpkg-deb -c "$TDEB" | awk '{print $1, $2, $6}' >"$T/tool.list"
has() { grep -q "^$3 root/root \./${2#/}\$" "$1" || { cat "$1" >&2; fail "$2 ($3) not in ${1##*/}"; }; }
hasnt() { ! grep -q " \./${2#/}" "$1" || fail "$2 should not be in ${1##*/}"; }
has "$T/kiosk.list" /usr/bin/safeharbor-kiosk -rwxr-xr-x
has "$T/kiosk.list" /etc/safeharbor/kiosk.conf -rw-r--r--
for u in safeharbor-kiosk@.service safeharbor-sync.service safeharbor-sync.timer \
	safeharbor-replies.service safeharbor-replies.timer; do
	has "$T/kiosk.list" /lib/systemd/system/$u -rw-r--r--
done
has "$T/kiosk.list" /usr/lib/sysusers.d/safeharbor-kiosk.conf -rw-r--r--
has "$T/kiosk.list" /usr/lib/tmpfiles.d/safeharbor-kiosk.conf -rw-r--r--
has "$T/kiosk.list" /usr/share/safeharbor/sync/rsync-push.sh -rwxr-xr-x
has "$T/kiosk.list" /usr/share/safeharbor/sync/rsync-replies.sh -rwxr-xr-x
has "$T/kiosk.list" /usr/share/safeharbor/sync/sync-lib.sh -rw-r--r--
has "$T/kiosk.list" /usr/share/safeharbor/sync/sync.env.example -rw-r--r--
has "$T/kiosk.list" /usr/share/doc/safeharbor-kiosk/DEPLOY.md.gz -rw-r--r--
for m in $(cd "$TOP/doc" && ls safeharbor-kiosk*.[15] safeharbor-spool.5); do
	has "$T/kiosk.list" /usr/share/man/man${m##*.}/$m.gz -rw-r--r--
done
for f in $(cd "$TOP/screens" && find . -type f); do
	has "$T/kiosk.list" /usr/share/safeharbor/screens/${f#./} -rw-r--r--
done
has "$T/tool.list" /usr/bin/safeharbor -rwxr-xr-x
has "$T/tool.list" /usr/share/man/man1/safeharbor.1.gz -rw-r--r--
# the Syncthing collector runs on her machine, not on a kiosk
has "$T/tool.list" /usr/share/safeharbor/sync/syncthing-collect.sh -rwxr-xr-x
hasnt "$T/kiosk.list" usr/share/safeharbor/sync/syncthing-collect.sh
hasnt "$T/tool.list" usr/bin/safeharbor-kiosk
hasnt "$T/kiosk.list" usr/bin/safeharbor\$
hasnt "$T/kiosk.list" var/
expect_eq "conffiles" "$(dpkg-deb --ctrl-tarfile "$KDEB" | tar -xOf - ./conffiles)" "/etc/safeharbor/kiosk.conf"
dpkg-deb -x "$KDEB" "$T/x"
expect_grep '^u safeharbor-kiosk .* /nonexistent /usr/sbin/nologin$' "$T/x/usr/lib/sysusers.d/safeharbor-kiosk.conf"
for d in /var/spool/safeharbor /var/spool/safeharbor/new /var/lib/safeharbor/replies /var/lib/safeharbor-sync; do
	expect_grep "^d $d  *0700 safeharbor-kiosk safeharbor-kiosk -\$" "$T/x/usr/lib/tmpfiles.d/safeharbor-kiosk.conf"
done
expect_grep '^ExecStart=/usr/bin/safeharbor-kiosk -c /etc/safeharbor/kiosk.conf$' "$T/x/lib/systemd/system/safeharbor-kiosk@.service"
expect_grep '^ExecStart=/usr/share/safeharbor/sync/rsync-push.sh$' "$T/x/lib/systemd/system/safeharbor-sync.service"
note "contents: ok"

# ---- installing on this machine ------------------------------------------
[ "$(id -u)" -eq 0 ] || skip "built, linted and inspected; installing needs root"
# The install runs in a private mount namespace where /etc, /usr and /var
# are copy-on-write layers over the real ones (overlayfs on a tmpfs): dpkg,
# the user, the folders, the dpkg database all change only there, so tests
# running beside this one never see a safeharbor package, and nothing is
# left however this test ends. Where that cannot be set up, it installs on
# the machine itself, one such test at a time, and cleans up after itself.
# The layers live on a tmpfs mounted (in the namespace only) on this folder.
SH_DEB_LAYERS=$T/layers
export KDEB TDEB B V SH_DEB_LAYERS
mkdir "$SH_DEB_LAYERS"
if command -v unshare >/dev/null &&
	unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs "$1"' sh "$SH_DEB_LAYERS" 2>/dev/null; then
	unshare -m --propagation private sh "$TOP/tests/e2e/deb_install.sh" layered
else
	note "no private mount namespace here: installing on the machine itself"
	sh "$TOP/tests/e2e/deb_install.sh" machine
fi
