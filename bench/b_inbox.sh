#!/bin/sh
# The inbox on the real screen (tmux): from start with the passphrase
# accepted (a --passphrase-file, scrypt cost 10) to the first screen on
# 1,000 requests; and on 10,000, from one delivery to the new request on
# the screen (the inbox looks once a second, then opens only the new
# envelope; bench_inbox_refresh times that step alone). Figures only.
build=${SH_BUILD:-build}
SH=$build/safeharbor
MR=$build/tests/tools/make_record
[ -x "$SH" ] && [ -x "$MR" ] || { echo "   b_inbox: $SH or $MR not built, skipped"; exit 0; }
command -v tmux >/dev/null 2>&1 || { echo "   b_inbox: tmux not installed, skipped"; exit 0; }
T=$(mktemp -d /tmp/sh-bench.XXXXXX)
SOCK=sh-bench-inbox-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
printf 'bench passphrase\n' >"$T/pass"
SAFEHARBOR_SCRYPT_LOGN=10 "$SH" keygen -i "$T/id.age" --passphrase-file "$T/pass" >"$T/r.txt" || exit 1
"$MR" --new-key "$T/k.key" >"$T/k.pub" || exit 1
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# until TEXT is on the screen (polled every 10 ms, at most 120 s)
wait_screen() {
	i=0
	until tm capture-pane -p -t b 2>/dev/null | grep -q -- "$1"; do
		i=$((i + 1)); [ $i -lt 12000 ] || return 1; sleep 0.01
	done
}
inbox() {
	tm new-session -d -s b -x 120 -y 40 \
		"env HOME=$T TERM=screen LANG=C.UTF-8 $SH --spool $1 -i $T/id.age --passphrase-file $T/pass inbox"
}

"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/s1k" -n 1000 --fast >/dev/null || exit 1
cat "$T"/s1k/new/* >/dev/null            # warm the page cache
t0=$(ms); inbox "$T/s1k"
wait_screen "1000 requests" || { echo "   first screen never came"; exit 1; }
echo "inbox_first_screen_1000: $(( $(ms) - t0 )) ms  (start, passphrase from a file, to the list drawn)"
tm kill-server 2>/dev/null

n=${SH_BENCH_ENVELOPES:-10000}
"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/s10k" -n "$n" --fast >/dev/null || exit 1
cat "$T"/s10k/new/* >/dev/null
t0=$(ms); inbox "$T/s10k"
wait_screen "$n requests" || { echo "   first screen never came"; exit 1; }
echo "inbox_first_screen_${n}: $(( $(ms) - t0 )) ms"
sleep 1.5
t0=$(ms)
"$MR" -k "$T/k.key" -R "$T/r.txt" -s "$T/s10k" --danger yes >/dev/null || exit 1
wait_screen "$((n + 1)) requests" || { echo "   the arrival never showed"; exit 1; }
echo "inbox_arrival_shown_of_${n}: $(( $(ms) - t0 )) ms  (delivery to screen; the inbox looks each second; target: < 2000 ms)"
