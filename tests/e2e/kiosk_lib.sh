# Sourced by tests/e2e/t_kiosk_*.sh after lib.sh: drive the real kiosk in a
# private tmux server (-L, -f /dev/null), poll the pane instead of sleeping.
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
[ -x "$KIOSK" ] || skip "no kiosk binary at $KIOSK"
[ -x "$SH" ] || skip "no safeharbor tool at $SH"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
TMUX_SOCK=shk$$
TM() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
kiosk_tmux_kill() { tmux -L "$TMUX_SOCK" kill-server 2>/dev/null; true; }
SH_CLEANUPS="$SH_CLEANUPS kiosk_tmux_kill"

# kiosk_conf NAME KEY=VALUE...: a copy of $T/kiosk.conf with keys replaced
kiosk_conf() {
	name=$1; shift
	cp "$T/kiosk.conf" "$T/$name.conf"
	for kv in "$@"; do
		k=${kv%%=*}; v=${kv#*=}
		grep -v "^$k *=" "$T/$name.conf" >"$T/$name.tmp"
		printf '%s = %s\n' "$k" "$v" >>"$T/$name.tmp"
		mv "$T/$name.tmp" "$T/$name.conf"
	done
}

# kiosk_start SESSION COLS ROWS [CONF]: start the kiosk, wait for Welcome
kiosk_start() {
	s=$1 conf=${4:-$T/kiosk.conf}
	rm -f "$T/rc.$s"
	TM new-session -d -s "$s" -x "$2" -y "$3" \
		"'$KIOSK' -c '$conf' 2>'$T/err.$s'; echo \$? >'$T/rc.$s'; sleep 600" \
		|| fail "tmux new-session $s"
	wait_text "$s" "Talk to someone" || { cat "$T/err.$s" >&2; fail "$s: kiosk did not show Welcome"; }
}

kiosk_pid() {
	ppid=$(TM display-message -p -t "$1" '#{pane_pid}')
	pgrep -P "$ppid" -f safeharbor-kiosk | head -n 1
}

pane() { TM capture-pane -p -t "$1"; }
pane_all() { TM capture-pane -p -S - -t "$1"; }
keys() { s=$1; shift; TM send-keys -t "$s" "$@"; }
type_text() { TM send-keys -t "$1" -l "$2"; }

# wait_text SESSION TEXT [SECONDS]: poll the pane until TEXT shows
wait_text() {
	n=$(( ${3:-5} * 20 ))
	while [ "$n" -gt 0 ]; do
		pane "$1" | grep -qF -- "$2" && return 0
		sleep 0.05; n=$((n - 1))
	done
	echo "--- pane $1 (waiting for '$2'):" >&2; pane "$1" >&2
	return 1
}
expect_text() { wait_text "$@" || fail "'$2' never showed in $1"; }
expect_no_text() { ! pane "$1" | grep -qF -- "$2" || { pane "$1" >&2; fail "'$2' still in $1"; }; }

# press SESSION KEY TEXT: send one key and wait for TEXT
press() { keys "$1" "$2"; expect_text "$1" "$3"; }

# mem_has PID STRING: does the process memory hold STRING (UTF-8, UTF-16LE
# or UTF-32LE)? Reads /proc/PID/mem through /proc/PID/maps (needs root or
# ptrace rights; the kiosk is not dumpable).
mem_has() {
	python3 - "$1" "$2" <<'PY'
import sys, re
pid, s = sys.argv[1], sys.argv[2]
needles = [s.encode('utf-8'), s.encode('utf-16-le'), s.encode('utf-32-le')]
found = False
with open(f'/proc/{pid}/maps') as maps, open(f'/proc/{pid}/mem', 'rb', 0) as mem:
    for line in maps:
        m = re.match(r'([0-9a-f]+)-([0-9a-f]+) (\S+)', line)
        lo, hi, perm = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
        if perm[0] != 'r' or '[vvar]' in line or '[vsyscall]' in line:
            continue
        if hi - lo > (1 << 32):
            continue   # sanitizer shadow reservations: nothing of ours
        step, keep, pos, tail = 1 << 24, 64, lo, b''
        while pos < hi:
            try:
                mem.seek(pos)
                data = tail + mem.read(min(step, hi - pos))
            except (OSError, ValueError, OverflowError):
                break
            for n in needles:
                i = data.find(n)
                if i >= 0:
                    print(f'found near {pos + i - len(tail):#x} in {line.strip()}', file=sys.stderr)
                    found = True
            tail = data[-keep:]
            pos += step
sys.exit(0 if found else 1)
PY
}

# make_world (lib.sh) plus the kiosk enrolled with the tool
kiosk_world() {
	make_world
	"$SH" -i "$T/id.age" --passphrase-file "$T/pass" kiosks add e2e "$(cat "$T/kiosk.pub")" >/dev/null 2>&1 || true
}

# queue_show: every record in the queue, as the social worker reads it
queue_show() {
	"$SH" list -i "$T/id.age" --passphrase-file "$T/pass" --spool "$T/spool" >"$T/list" 2>"$T/list.err" \
		|| { cat "$T/list.err" >&2; fail "safeharbor list"; }
	: >"$T/shown"
	for id in $(awk 'NR > 1 { print $1 }' "$T/list"); do
		"$SH" show "$id" -i "$T/id.age" --passphrase-file "$T/pass" --spool "$T/spool" >>"$T/shown" 2>&1 \
			|| { cat "$T/shown" >&2; fail "safeharbor show $id"; }
	done
}
