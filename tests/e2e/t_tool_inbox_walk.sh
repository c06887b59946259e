#!/bin/sh
# The inbox on a queue of 32 requests, as a social worker walks it: a
# search from every starting row finds every match in turn (n, and N
# backwards), a failed search leaves the cursor, "only this request
# matches" is said when true, `jose nunez` finds José Núñez, h j h j ...
# handles every request, and a request delivered while the inbox is open
# shows within 2 s (an urgent one at the top, with a notice).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tool_world.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
tool_world

N=32
now=$(date +%s)
: >"$T/ids"
r=0
while [ $r -lt $N ]; do
	case $r in
	2) name='José Núñez' ;;
	3) name='JOSE NUNEZ' ;;
	17) name='Jose Nuñez Pérez' ;;
	30) name='josé núñez' ;;
	*) name=$(printf 'Student %02d' $r) ;;
	esac
	# newest first: row r is the one made r hours ago
	set -- $(mkrec k1 --about self --danger no --time $((now - r * 3600)) --field "Name=$name")
	echo "$1" >>"$T/ids"
	r=$((r + 1))
done
MATCHES="2 3 17 30"
id_of() { sed -n "$(($1 + 1))p" "$T/ids"; }

. "$(dirname "$0")/tmux_lib.sh"
# wait_sel ROW: the selected line ("> ID...") is request ROW
wait_sel() {
	want=$(id_of "$1" | cut -c1-6)
	i=0
	while [ $i -lt 100 ]; do
		screen
		got=$(sed -n 's/^> \([0-9a-f]*\) .*/\1/p' "$T/screen" | head -n 1)
		case $want in "$got"*) [ -n "$got" ] && return 0 ;; esac
		case $got in "$want"*) return 0 ;; esac
		sleep 0.05; i=$((i + 1))
	done
	cat "$T/screen" >&2
	fail "${2:-}selection is '$got', want row $1 ($want)"
}
k() { tm send-keys -t main "$@"; }
# go ROW: Home, then j ROW times
go() {
	k g
	rows=$1; j=0; set --
	while [ $j -lt "$rows" ]; do set -- "$@" j; j=$((j + 1)); done
	[ $# -eq 0 ] || k "$@"
}

tm new-session -d -s main -x 110 -y 80 \
	"env HOME=$HOME TERM=screen LANG=C.UTF-8 $SH --spool $T/spool -i $T/id.age --passphrase-file $T/pass inbox; echo INBOX-EXIT=\$?; sleep 60"
wait_for "$N requests"
wait_sel 0

note "a search from every starting row visits every match in turn"
k / ; k -l "jose nunez"; k Enter
wait_sel 2 "first search: "
start=0
while [ $start -lt $N ]; do
	go $start
	wait_sel $start "go $start: "
	# the matches after start, wrapping
	order=
	for m in $MATCHES; do [ "$m" -gt "$start" ] && order="$order $m"; done
	for m in $MATCHES; do [ "$m" -le "$start" ] && order="$order $m"; done
	for m in $order; do
		k n
		wait_sel "$m" "from row $start, n: "
	done
	start=$((start + 1))
done

note "N goes backwards"
go 20
wait_sel 20
for m in 17 3 2 30 17; do k N; wait_sel "$m" "N: "; done

note "not found leaves the cursor where it was"
go 9
wait_sel 9
k / ; k -l "nobody by this name"; k Enter
wait_for "not found"
wait_sel 9 "after a failed search: "

note "only this request matches"
k / ; k -l "student 07"; k Enter
wait_sel 7 "student 07: "
k n
wait_for "only this request matches"
wait_sel 7

note "a request delivered while the inbox is open shows within 2 s"
k g
wait_sel 0
t0=$(date +%s%N)
set -- $(mkrec k1 --about self --danger no --time "$now" --field "Name=Late Arrival")
late=$1
wait_for "$((N + 1)) requests"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
note "shown after $ms ms"
[ $ms -le 2000 ] || fail "arrival shown after $ms ms (over 2 s)"
wait_for "1 new request arrived"
wait_sel 0 "after an arrival the selection stays: "
set -- $(mkrec k1 --about friend --danger yes --time "$now" --field "Friend-Name=Someone")
urgent=$1
wait_for "NEW URGENT REQUEST"
sed -n 2p "$T/screen" | grep -q "$(echo "$urgent" | cut -c1-6).*URGENT" ||
	{ cat "$T/screen"; fail "the urgent arrival is not at the top"; }
wait_sel 0 "after an urgent arrival the selection stays: "

note "the filter view: urgent only, then cleared"
k f
wait_for "safeharbor inbox: filters"
k u
wait_for "urgent only: *yes"
k Enter
wait_for "filter: urgent"
wait_for "$((N + 2)) requests"
expect_eq "rows shown with the urgent filter" "$(grep -c '^[> ] [0-9a-f]\{6,\}' "$T/screen")" 1
k f c Enter
wait_for "$((N + 2)) requests, $((N + 2)) open"
expect_nogrep "filter:" "$T/screen"

note "next and previous request from inside the reader"
go 3
k Enter
wait_for "Request 4 of $((N + 2))"
k J
wait_for "Request 5 of $((N + 2))"
k J J K
wait_for "Request 6 of $((N + 2))"
k q
wait_for "$((N + 2)) requests"
expect_eq "read in the reader, marked seen" "$(ls "$T/spool/cur" | grep -c ':2,S$')" 4

note "h j h j ... handles every request, none skipped"
k g
set --
j=0
while [ $j -lt $((N + 2)) ]; do set -- "$@" h j; j=$((j + 1)); done
k "$@"
wait_for "No requests to show"
handled=$(ls "$T/spool/cur" | grep -c ':2,R')
expect_eq "requests handled by h j h j" "$handled" $((N + 2))
expect_eq "left in new/" "$(ls "$T/spool/new" | wc -l)" 0

k Q
wait_for "INBOX-EXIT=0"
exit 0
