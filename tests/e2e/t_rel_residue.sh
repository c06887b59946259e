#!/bin/sh
# SPEC §2.2: no plaintext residue, no core dumps. The kiosk runs as an
# unprivileged user (nobody) in tmux, as it would under systemd. Checked:
# - not dumpable: /proc/PID/status belongs to root:root, the kernel's sign
#   that PR_SET_DUMPABLE is 0 (proc(5)); a plain process of the same user,
#   the control, shows its own owner. RLIMIT_CORE is 0 (/proc/PID/limits).
# - a unique marker typed in Reach and Message is gone after quick exit
#   (Esc and Ctrl-C), cancel on Review, send, and the idle timeout (a
#   second kiosk, in parallel): not in the pane, its scrollback, the
#   process memory (every mapping, read through /proc/PID/mem, as UTF-8,
#   UTF-16, wchar_t and curses cell arrays; the scanner must first find the
#   marker while it is legitimately on screen), the spool, files changed
#   under /tmp, /var/tmp or /var/log, or a core file.
# - killed with SIGSEGV, it leaves no core file.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=residue
rel_need_programs $SUITE
command -v tmux >/dev/null || rel_skip $SUITE "tmux not installed"
command -v setpriv >/dev/null || rel_skip $SUITE "setpriv not installed"
[ "$(id -u)" = 0 ] || rel_skip $SUITE "needs root (to run the kiosk as nobody and read its memory)"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
rel_world
: >"$T/start"
sleep 1
MARK=Rz$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')Qv
SCAN="python3 $TOP/tests/torture/rel_memscan.py"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# A world nobody can use: config, public keys and screens readable, the
# signing key and the spool its own.
cp -R "$TOP/screens" "$T/screens"
chmod 755 "$T"
for n in main idle; do
	sed "s|^screens = .*|screens = $T/screens|" "$T/kiosk.conf" >"$T/$n.conf"
done
sed -i 's/^idle_seconds = .*/idle_seconds = 10/' "$T/idle.conf"
chown 65534:65534 "$T/kiosk.key" "$T/spool" "$T/spool/tmp" "$T/spool/new" "$T/spool/cur"
chmod 644 "$T/main.conf" "$T/idle.conf" "$T/recipients.txt"
chmod -R a+rX "$T/screens"

X() { tmux -L "$REL_TMUX" -f /dev/null "$@"; }
SH_CLEANUPS="$SH_CLEANUPS tm_kill"
sk() { s=$1; shift; X send-keys -t "$s" "$@"; }
txt() { X capture-pane -p -t "$1"; }
hist() { X capture-pane -p -S - -E - -t "$1"; }
waitfor() {
	n=$(( ${3:-5} * 20 ))
	while [ "$n" -gt 0 ]; do
		txt "$1" | grep -qF -- "$2" && return 0
		sleep 0.05; n=$((n - 1))
	done
	txt "$1" | sed 's/^/    | /'
	return 1
}
step() { sk "$1" "$2"; waitfor "$1" "$3" || fail "$1: '$3' did not show after $2"; }
mkdir -p "$T/cwd" && chmod 1777 "$T/cwd"   # nobody could write a core here
cd "$T/cwd" || exit 2
X new-session -d -s main -x 80 -y 24 -c "$T/cwd" $NOBODY "$KIOSK" -c "$T/main.conf" \; set-option -g remain-on-exit on
X new-session -d -s idle -x 80 -y 24 -c "$T/cwd" $NOBODY "$KIOSK" -c "$T/idle.conf"
waitfor main "Talk to someone" 10 || fail "kiosk (as nobody) did not start: $(X display -p -t main '#{pane_dead_status}')"
waitfor idle "Talk to someone" 10 || fail "idle kiosk did not start"
PID=$(X display-message -p -t main '#{pane_pid}')
IPID=$(X display-message -p -t idle '#{pane_pid}')
[ "$(stat -c %u "/proc/$PID")" = 65534 ] || note "(pid $PID is not owned by nobody?)"

# Not dumpable, no cores.
$NOBODY sleep 30 &
ctl=$!
sleep 0.2
rel_run
[ "$(stat -c %U "/proc/$ctl/status")" = nobody ] || rel_bad "control: a dumpable process of nobody shows $(stat -c %U "/proc/$ctl/status")"
kill "$ctl"
owner=$(stat -c %U:%G "/proc/$PID/status")
note "/proc/$PID/status owner: $owner (the control process of nobody: nobody)"
[ "$owner" = root:root ] || rel_bad "the kiosk is dumpable (/proc/PID/status owned by $owner)"
core=$(grep '^Max core file size' "/proc/$PID/limits")
note "$core"
echo "$core" | grep -qE 'size +0 +0 ' || rel_bad "RLIMIT_CORE is not 0: $core"

# to_message SESSION: Welcome -> Reach (name) -> Message, with the marker.
to_message() {
	step $1 1 "Who is this about"; step $1 1 "In danger right now"; step $1 2 "How can we find you"
	sk $1 -l "N$MARK"; waitfor $1 "N$MARK" || fail "$1: typed name not shown"
	sk $1 Enter; sk $1 Enter; sk $1 Enter; sk $1 Enter
	step $1 Enter "Anything else"
	sk $1 -l "M$MARK"; sk $1 Enter; sk $1 -l "é日本 $MARK"
	waitfor $1 "M$MARK" || fail "$1: typed message not shown"
}
to_message idle
to_message main
rel_run
$SCAN "$PID" "$MARK" >"$T/scan" || { cat "$T/scan"; rel_bad "control: the memory scan cannot see the marker while it is on screen"; }
note "control: while on screen the scanner finds the marker: $(tail -n 1 "$T/scan")"
sed 's/^/    /' "$T/scan" | head -n 9

# The answers live in locked memory (sodium_malloc mlocks): never swapped.
lck=$(sed -n 's/^VmLck:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$PID/status")
note "locked memory of the kiosk while a student types: ${lck:-?} kB ($(grep 'Max locked memory' "/proc/$PID/limits" | tr -s ' '))"
rel_run
[ "${lck:-0}" -gt 0 ] || rel_bad "no locked memory (VmLck 0): typed answers could be swapped out"

clean() { # clean SESSION PID WHAT
	sleep 0.3
	rel_run
	waitfor "$1" "Talk to someone" 5 || rel_bad "$3: not back at Welcome"
	hist "$1" | grep -qF "$MARK" && rel_bad "$3: marker in the pane or its scrollback"
	if $SCAN "$2" "$MARK" >"$T/scan" 2>&1; then
		sed 's/^/    /' "$T/scan" | head -n 8
		rel_bad "$3: marker still in the kiosk's memory"
	fi
	grep -rlF "$MARK" "$T/spool" >/dev/null 2>&1 && rel_bad "$3: marker in clear in the spool"
	rel_alive "$2" || rel_bad "$3: the kiosk is not running"
	note "$3: clean ($(tail -n 1 "$T/scan"))"
}
sk main Escape; clean main "$PID" "quick exit (Esc)"
sleep 0.2
to_message main; sk main C-c; clean main "$PID" "quick exit (Ctrl-C)"
to_message main; sk main Tab; step main Enter "Check before you send"
waitfor main "N$MARK" >/dev/null || rel_bad "review does not show the name"
step main 3 "Erase it all?"; step main 1 "Nothing was sent"; sk main Enter
clean main "$PID" "cancel on Review"
to_message main; sk main Tab; step main Enter "Check before you send"
step main 1 "Thank you"
sk main Enter
waitfor main "Talk to someone" 10 || rel_bad "Sent did not return to Welcome on Enter"
clean main "$PID" "send"
[ "$(rel_count "$T/spool/new")" -ge 1 ] || rel_bad "send: nothing delivered"
note "waiting for the idle kiosk's countdown to run out"
waitfor idle "Are you still there" 20 >/dev/null || rel_bad "idle: no countdown"
waitfor idle "Talk to someone" 40 >/dev/null || rel_bad "idle: countdown did not end at Welcome"
clean idle "$IPID" "idle timeout"

# Files anywhere a leak could land.
rel_run
for d in /tmp /var/tmp /var/log "$HOME"; do
	[ -d "$d" ] || continue
	find "$d" -xdev -type f -newer "$T/start" -size -64M 2>/dev/null |
		xargs -r grep -lF "$MARK" 2>/dev/null >>"$T/leaks"
done
[ -s "$T/leaks" ] && { cat "$T/leaks"; rel_bad "marker found in files: $(head -n 3 "$T/leaks" | tr '\n' ' ')"; }

# A crash leaves no core: SIGSEGV (default action: dump core). Control: a
# plain process of nobody with RLIMIT_CORE unlimited in the same directory
# does leave one, or the check would prove nothing.
cwd=$(readlink "/proc/$PID/cwd")
$NOBODY sh -c 'cd "$1" && ulimit -c unlimited && exec sleep 30' x "$cwd" &
ctl=$!
sleep 0.3
kill -SEGV "$ctl"
wait "$ctl" 2>/dev/null
sleep 0.3
if ls "$cwd"/core* >/dev/null 2>&1; then
	note "control: a dumpable process of nobody left $(ls "$cwd" | grep core | head -n 1) in $cwd"
	rm -f "$cwd"/core*
	CORE_CTL=1
else
	note "control: no core from a dumpable process either (core_pattern $(cat /proc/sys/kernel/core_pattern)): the kiosk's no-core check below is weaker here"
	CORE_CTL=0
fi
rel_run
kill -SEGV "$PID"
n=0
while [ "$(X display-message -p -t main '#{pane_dead}')" != 1 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
note "after SIGSEGV: pane dead=$(X display-message -p -t main '#{pane_dead}') status=$(X display-message -p -t main '#{pane_dead_status}') signal=$(X display-message -p -t main '#{pane_dead_signal}' 2>/dev/null)"
pattern=$(cat /proc/sys/kernel/core_pattern)
note "core_pattern: $pattern; kiosk cwd: $cwd"
find "$cwd" "$T" /tmp /var/crash /var/lib/systemd/coredump -maxdepth 2 -newer "$T/start" -name 'core*' 2>/dev/null >"$T/dumps.txt"
[ -s "$T/dumps.txt" ] && rel_bad "core file(s) written: $(cat "$T/dumps.txt" | tr '\n' ' ')"
hist main | grep -qF "$MARK" && rel_bad "after the crash: marker in the terminal"
rel_done $SUITE
