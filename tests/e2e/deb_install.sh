#!/bin/sh
# Run by t_deb.sh with the packages it built ($KDEB, $TDEB; $B, $V): install
# them, set the kiosk up as DEPLOY.md says, `--check` and `--send-test` as
# the packaged user, the sync troubleshooting command as written, upgrade to
# a rebuilt version with an edited conffile, a deleted user, a purge with
# requests still in the spool, an install over a hand-made set-up and a
# purge of an empty spool. $1 = layered: in t_deb's private mount namespace,
# where /etc, /usr and /var become copy-on-write layers first; machine: on
# the real system, one such run at a time.
. "$(dirname "$0")/lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
trap 'exit 1' INT TERM HUP
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$1" BUILD="$B" deb >"$T/make.out" 2>&1 ||
	{ tail -n 40 "$T/make.out" >&2; fail "make deb in $1"; }; }

case ${1:-} in
layered)
	L=${SH_DEB_LAYERS:?}
	mount -t tmpfs tmpfs "$L" || fail "tmpfs for the layers"
	for d in etc usr var lib; do
		[ -d /$d ] && [ ! -L /$d ] || continue
		mkdir "$L/$d" "$L/$d.work"
		mount -t overlay overlay -o "lowerdir=/$d,upperdir=$L/$d,workdir=$L/$d.work" /$d ||
			fail "overlay on /$d"
	done
	note "installing in copy-on-write layers over /etc, /usr and /var"
	;;
machine)
	command -v flock >/dev/null || skip "built, linted and inspected; installing needs flock"
	lockdir=/run/lock
	[ -d $lockdir ] || lockdir=/tmp
	exec 9>$lockdir/safeharbor-t_deb.lock
	flock -w 300 9 || skip "another install test has held the lock for 5 minutes"
	;;
*) fail "usage: deb_install.sh layered|machine" ;;
esac
command -v runuser >/dev/null && command -v systemd-sysusers >/dev/null ||
	skip "built, linted and inspected; installing needs runuser and systemd-sysusers"
U=safeharbor-kiosk
SP=/var/spool/safeharbor
OURS="/etc/safeharbor $SP /var/lib/safeharbor /var/lib/safeharbor-sync /usr/bin/safeharbor-kiosk /usr/bin/safeharbor /usr/local/bin/safeharbor-kiosk"
for p in $OURS; do [ ! -e "$p" ] || skip "built, linted and inspected; not installed: this machine already has $p"; done
! getent passwd $U >/dev/null || skip "built, linted and inspected; not installed: user $U exists"
! getent group $U >/dev/null || skip "built, linted and inspected; not installed: group $U exists"
for pkg in safeharbor safeharbor-kiosk; do
	! dpkg-query -W -f='${Status}' $pkg 2>/dev/null | grep -q 'installed' ||
		skip "built, linted and inspected; not installed: package $pkg is already installed"
done

DEST=$(mktemp -d /tmp/sh-deb-dest.XXXXXX)
undo() {
	dpkg --purge safeharbor-kiosk safeharbor >/dev/null 2>&1
	rm -rf $OURS "$DEST"
	userdel $U 2>/dev/null
	groupdel $U 2>/dev/null
	true
}
SH_CLEANUPS="$SH_CLEANUPS undo"

# dpkg ARGS...: output in $T/dpkg; waits while another dpkg holds its lock.
dpkg_do() {
	i=0
	while :; do
		dpkg "$@" </dev/null >"$T/dpkg" 2>&1 && { grep '^safeharbor-kiosk:\|^  ' "$T/dpkg"; return 0; }
		grep -q 'locked by another process' "$T/dpkg" && [ $i -lt 60 ] || { cat "$T/dpkg" >&2; return 1; }
		i=$((i + 1)); sleep 1
	done
}
# state PATH...: mode, owner and name of everything under PATH, by name
state() { find "$@" -printf '%m %u:%g %p\n' | sort -k3; }
spool_state() { find $SP -printf '%m %u %i %s %T@ %p\n' | sort; }
askiosk() { runuser -u $U -- "$@"; }

note "install both packages"
dpkg_do -i "$KDEB" "$TDEB" || fail "dpkg -i"
expect_grep "safeharbor-kiosk: installed. Next" "$T/dpkg"
expect_nogrep "warning\|ERROR" "$T/dpkg"
getent passwd $U | grep -q "^$U:x:[0-9]*:[0-9]*:[^:]*:/nonexistent:/usr/sbin/nologin\$" ||
	fail "user $U: $(getent passwd $U)"
expect_eq "the package's folders" "$(state $SP /var/lib/safeharbor /var/lib/safeharbor-sync)" \
"755 root:root /var/lib/safeharbor
700 $U:$U /var/lib/safeharbor-sync
700 $U:$U /var/lib/safeharbor/replies
700 $U:$U $SP
700 $U:$U $SP/cur
700 $U:$U $SP/new
700 $U:$U $SP/tmp"
expect_eq "config" "$(stat -c '%a %U' /etc/safeharbor/kiosk.conf)" "644 root"
/usr/bin/safeharbor --version >/dev/null || fail "installed safeharbor --version"

note "set up as DEPLOY.md says: the social worker's key, enroll, check, test send"
mkdir -p "$T/home"
printf 'correct horse battery staple\n' >"$T/pass"
HOME=$T/home SAFEHARBOR_SCRYPT_LOGN=10 safeharbor keygen -i "$T/id.age" --passphrase-file "$T/pass" \
	>/etc/safeharbor/recipients.txt || fail "packaged safeharbor keygen"
chmod 0644 /etc/safeharbor/recipients.txt
safeharbor-kiosk --enroll >"$T/token" || fail "--enroll"
chown $U:$U /etc/safeharbor/kiosk.key
chmod 0600 /etc/safeharbor/kiosk.key
askiosk safeharbor-kiosk --check >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "--check as $U after install"; }
expect_grep "ok: /etc/safeharbor/kiosk.conf" "$T/out"
askiosk safeharbor-kiosk --send-test >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "--send-test as $U"; }
expect_eq "envelopes after the test send" "$(find $SP/new -type f -user $U -perm 600 | wc -l)" 1
mkdir -p "$T/w/new" "$T/w/cur" "$T/w/tmp"
cp $SP/new/*.age "$T/w/new/"
HOME=$T/home safeharbor --spool "$T/w" -i "$T/id.age" --passphrase-file "$T/pass" list >"$T/out" 2>&1 ||
	{ cat "$T/out" >&2; fail "the social worker's list"; }
expect_grep "test" "$T/out"

note "DEPLOY.md's sync troubleshooting command, as written"
cmd="runuser -u safeharbor-kiosk -- env \$(grep -v '^#' /etc/safeharbor/sync.env) /usr/share/safeharbor/sync/rsync-push.sh"
grep -qF "    $cmd" "$TOP/doc/DEPLOY.md" || fail "DEPLOY.md does not give: $cmd"
sed "s|^SAFEHARBOR_SYNC_DEST=.*|SAFEHARBOR_SYNC_DEST=$DEST/|" /usr/share/safeharbor/sync/sync.env.example >/etc/safeharbor/sync.env
grep -q '^#' /etc/safeharbor/sync.env || fail "sync.env.example has no comments (the case this checks)"
chown $U "$DEST"
sh -c "$cmd" >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "the sync troubleshooting command"; }
expect_grep "sent 1 envelope" "$T/out"
expect_eq "what the sync recorded (name, then when it was confirmed)" \
	"$(cut -d' ' -f1 /var/lib/safeharbor-sync/sent)" "$(ls $SP/new)"
cmp -s $SP/new/*.age "$DEST"/*.age || fail "the synced envelope differs"

note "upgrade to a rebuilt version, with a changed config on both sides"
V2=$V+t2
mkdir "$T/src"
(cd "$TOP" && tar --exclude='./build*' --exclude=./.git --exclude=./demo -cf - .) | (cd "$T/src" && tar -xf -)
{ printf 'safeharbor (%s) unstable; urgency=medium\n\n  * Test upgrade.\n\n -- t <t@example.org>  %s\n\n' \
	"$V2" "$(date -R)"; cat "$TOP/debian/changelog"; } >"$T/src/debian/changelog"
echo "; a new comment in $V2" >>"$T/src/config/kiosk.conf"
start=$(date +%s)
mk "$T/src"
note "rebuilt in $(( $(date +%s) - start ))s"
KDEB=$(ls "$B"/deb/safeharbor-kiosk_*.deb)
sed -i 's/^idle_seconds = .*/idle_seconds = 120/' /etc/safeharbor/kiosk.conf
cp /etc/safeharbor/kiosk.conf "$T/kiosk.conf.edited"
spool_state >"$T/spool.before"
cp -a /etc/safeharbor/kiosk.key "$T/kiosk.key"
# As configuration management runs it: keep changed conffiles, no prompt.
dpkg_do --force-confdef --force-confold -i "$B"/deb/*.deb || fail "dpkg -i $V2"
expect_eq "installed version" "$(dpkg-query -W -f='${Version}' safeharbor-kiosk)" "$V2"
expect_nogrep "installed. Next\|self-check" "$T/dpkg"
cmp -s /etc/safeharbor/kiosk.conf "$T/kiosk.conf.edited" || fail "the edited kiosk.conf was replaced"
expect_grep "a new comment in $V2" /etc/safeharbor/kiosk.conf.dpkg-dist
spool_state >"$T/spool.after"
cmp -s "$T/spool.before" "$T/spool.after" || { diff "$T/spool.before" "$T/spool.after" >&2; fail "the upgrade touched the spool"; }
cmp -s /etc/safeharbor/kiosk.key "$T/kiosk.key" || fail "the upgrade changed kiosk.key"
askiosk safeharbor-kiosk --check >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "--check after the upgrade"; }

note "a deleted user: --check cannot run as it; reconfiguring the package brings it back"
userdel $U
groupdel $U 2>/dev/null
askiosk safeharbor-kiosk --check >"$T/out" 2>&1 && fail "runuser as a deleted user worked"
expect_grep "$U" "$T/out"
# DEPLOY.md's answer to a missing user.
dpkg-reconfigure safeharbor-kiosk </dev/null >"$T/dpkg" 2>&1 || { cat "$T/dpkg" >&2; fail "dpkg-reconfigure with the user deleted"; }
getent passwd $U >/dev/null || fail "the user was not made again"
expect_eq "spool after the user came back" "$(find $SP -type f | wc -l)" 1
if [ "$(stat -c %U $SP/new/*.age)" != $U ]; then
	# A new uid: the envelopes of the old one are named, not taken over.
	expect_grep "1 file(s) in $SP are not owned by $U" "$T/dpkg"
	chown $U: $SP/new/*.age /etc/safeharbor/kiosk.key
fi
askiosk safeharbor-kiosk --check >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "--check with the user back"; }

note "purge with a request still in the spool"
cp $SP/new/*.age "$T/keep.age"
dpkg_do --purge safeharbor-kiosk safeharbor || fail "dpkg --purge"
for p in /usr/bin/safeharbor-kiosk /usr/bin/safeharbor /lib/systemd/system/safeharbor-sync.timer \
	/usr/share/safeharbor /etc/safeharbor/kiosk.conf /etc/safeharbor/kiosk.conf.dpkg-dist \
	/usr/lib/tmpfiles.d/safeharbor-kiosk.conf /var/lib/safeharbor; do
	[ ! -e "$p" ] || fail "$p left after purge"
done
cmp -s $SP/new/*.age "$T/keep.age" || fail "the request in the spool changed or went"
expect_grep "kept $SP: 1 file(s) in it" "$T/dpkg"
expect_grep "kept /var/lib/safeharbor-sync" "$T/dpkg"
expect_grep "kept /etc/safeharbor (made by IT, not by the package): kiosk.key recipients.txt sync.env" "$T/dpkg"
expect_grep "kept the user $U" "$T/dpkg"

note "install over a hand-made make install: its kiosk.conf and program"
printf '#!/bin/sh\n' >/usr/bin/safeharbor-kiosk
sed 's/^idle_seconds = .*/idle_seconds = 150/' "$TOP/config/kiosk.conf" >/etc/safeharbor/kiosk.conf
cp /etc/safeharbor/kiosk.conf "$T/kiosk.conf.handmade"
# No terminal and no --force-confold: dpkg cannot ask about kiosk.conf.
dpkg_do -i "$KDEB" && fail "dpkg -i went through a conffile question with no terminal"
expect_grep "/etc/safeharbor/kiosk.conf is already there" "$T/dpkg"
expect_grep "end of file on stdin at conffile prompt" "$T/dpkg"
cmp -s /etc/safeharbor/kiosk.conf "$T/kiosk.conf.handmade" || fail "the hand-made kiosk.conf changed"
dpkg_do --purge safeharbor-kiosk >/dev/null || fail "purge of the half-installed package"
cmp -s /etc/safeharbor/kiosk.conf "$T/kiosk.conf.handmade" || fail "purge removed a kiosk.conf the package never installed"
expect_grep "put back /etc/safeharbor/kiosk.conf as it was" "$T/dpkg"
cmp -s $SP/new/*.age "$T/keep.age" || fail "a purge of a half-installed package touched the spool"
note "... with wrong modes, a foreign file, a /usr/local install, a readable key"
chmod 0755 $SP $SP/new
install -d -o root -g root -m 0700 $SP/tmp
touch $SP/new/planted.age
printf '#!/bin/sh\n' >/usr/local/bin/safeharbor-kiosk
chmod 0644 /etc/safeharbor/kiosk.key
# As DEPLOY.md says.
dpkg_do --force-confold -i "$KDEB" || fail "dpkg -i over a hand-made set-up"
cmp -s /etc/safeharbor/kiosk.conf "$T/kiosk.conf.handmade" || fail "the hand-made kiosk.conf was replaced"
[ -e /etc/safeharbor/kiosk.conf.dpkg-dist ] || fail "no kiosk.conf.dpkg-dist beside the hand-made kiosk.conf"
[ ! -e /etc/safeharbor/kiosk.conf.before-package ] || fail "the preinst's copy of kiosk.conf was left"
dpkg-deb --fsys-tarfile "$KDEB" | tar -xOf - ./usr/bin/safeharbor-kiosk | cmp -s - /usr/bin/safeharbor-kiosk || fail "the hand-made /usr/bin/safeharbor-kiosk was not replaced"
expect_grep "$SP had mode 755, owner $U:$U; now mode 700, owner $U:$U" "$T/dpkg"
expect_grep "$SP/tmp had mode 700, owner root:root; now" "$T/dpkg"
expect_grep "1 file(s) in $SP are not owned by $U" "$T/dpkg"
expect_grep "hand-made install is still there .*: /usr/local/bin/safeharbor-kiosk" "$T/dpkg"
expect_grep "self-check finds problems" "$T/dpkg"
expect_grep "^  .*/etc/safeharbor/kiosk.key.*readable by group or others" "$T/dpkg"
expect_nogrep "installed. Next" "$T/dpkg"
chmod 0600 /etc/safeharbor/kiosk.key
expect_eq "spool modes" "$(stat -c '%a %U' $SP $SP/new $SP/tmp | sort -u)" "700 $U"
cmp -s $SP/new/$(ls $SP/new | grep -v planted) "$T/keep.age" || fail "the request changed on reinstall"
[ "$(stat -c %U $SP/new/planted.age)" = root ] || fail "the postinst took over a file it did not own"
rm /usr/local/bin/safeharbor-kiosk

note "purge with an empty spool removes the folders"
rm $SP/new/*
dpkg_do --purge safeharbor-kiosk || fail "dpkg --purge (empty spool)"
for p in $SP /var/lib/safeharbor /var/lib/safeharbor-sync; do
	[ ! -e "$p" ] || fail "$p left after purge with an empty spool"
done
expect_nogrep "kept /var" "$T/dpkg"
note "install, upgrade, purge: ok"
