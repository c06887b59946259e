#!/bin/sh
# Issue 15: the program's figures. A generated school year with known
# counts (outcomes, referrals, a changed outcome, urgent ones) plus records
# that must not count (unenrolled kiosk, forged, kiosk test, the year
# before); stats --year, stats --json; report: valid HTML, counts only,
# small counts hidden unless --exact, an honest empty year; rendered by
# headless Chromium to a non-blank PNG and a one-page PDF on Letter and A4.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/tool_world.sh"
tool_world
"$MR" --new-key "$T/k3.key" >"$T/k3.pub" || fail "new kiosk key"
shx kiosks add gym-2 "$(cat "$T/k3.pub")" || fail "kiosks add gym-2"

# epoch of a UTC date at 10:00
at() { date -u -d "$1 10:00" +%s; }
# req KEY ABOUT DANGER DATE NAME: one request, its id appended to $T/ids
req() {
	mkrec "$1" --about "$2" --danger "$3" --time "$(at "$4")" --field "Name=$5" \
		--message "secret words of $5" | cut -d' ' -f1 >>"$T/ids"
}
: >"$T/ids"
# 25 requests in 2025-26: self 12, friend 7, questions 6; urgent 5
i=0
for d in 2025-09-02 2025-09-03 2025-09-04 2025-09-05 2025-09-08 2025-09-09 2025-09-10 2025-09-11 \
         2025-10-01 2025-10-02 2025-10-03 2025-10-06 2025-10-07 2025-10-08 \
         2026-01-12 2026-01-13 2026-01-14 2026-01-15 2026-01-16 \
         2026-03-02 2026-03-03 2026-03-04 2026-03-05 2026-06-01 2026-06-02; do
	i=$((i + 1))
	if [ $i -le 12 ]; then a=self; elif [ $i -le 19 ]; then a=friend; else a=info; fi
	if [ $i -le 5 ]; then dg=yes; else dg=no; fi
	k=k1; [ $((i % 5)) -eq 0 ] && k=k3
	req $k $a $dg $d "Student$i"
done
# must not count: unenrolled kiosk, forged, a kiosk test, the year before
mkrec k2 --about self --time "$(at 2025-09-15)" --field Name=Outsider >/dev/null
mkrec k1 --about self --bad-signature --time "$(at 2025-09-16)" >/dev/null
mkrec k1 --about test --time "$(at 2025-09-17)" >/dev/null
mkrec k1 --about self --time "$(at 2025-07-31)" --field Name=LastYear >/dev/null

id() { sed -n "${1}p" "$T/ids"; }
mark() { shx mark "$(id "$1")" "$2" "$3" >/dev/null || fail "mark $*"; }
# outcomes: assault 3 (one changed from no-concern), grooming 2, trafficking 1,
# information 5, met 4, no-concern 2, not-found 3; 5 without one
mark 1 outcome no-concern; mark 1 outcome assault
mark 2 outcome assault; mark 3 outcome assault
mark 4 outcome grooming; mark 5 outcome grooming; mark 6 outcome trafficking
for n in 20 21 22 23 24; do mark $n outcome information; done
for n in 7 8 9 10; do mark $n outcome met; done
mark 11 outcome no-concern; mark 12 outcome no-concern
for n in 13 14 15; do mark $n outcome not-found; done
# referred: 4 requests (cps 2, police 1, services 2)
mark 1 referred cps; mark 1 referred services; mark 2 referred cps
mark 3 referred police; mark 4 referred services
printf 'Called her mother? NO: she asked us not to.\n' | shx note "$(id 1)" >/dev/null || fail note

expect_rc 0 shx stats --json --year 2025
cp "$T/out" "$T/stats.json"
python3 - "$T/stats.json" <<'PY' || fail "stats --json figures"
import json, sys
s = json.load(open(sys.argv[1]))
want = {"came_forward": 25, "identified": 6, "met": 17, "information_only": 5,
        "referred": 4, "no_outcome": 5}
for k, v in want.items():
    assert s[k] == v, (k, s[k], v)
assert s["outcomes"] == {"met": 4, "information": 5, "assault": 3, "grooming": 2,
                         "trafficking": 1, "no-concern": 2, "not-found": 3}, s["outcomes"]
assert s["referrals"] == {"cps": 2, "police": 1, "services": 2}, s["referrals"]
assert s["school_year_start_month"] == 8
(y,) = s["school_years"]
assert y["school_year"] == "2025-26" and y["came_forward"] == 25
assert (y["self"], y["friend"], y["questions"], y["urgent"]) == (12, 7, 6, 5), y
PY
expect_rc 0 shx stats --year 2025-26
expect_grep "Came forward  *25$" "$T/out"
expect_grep "Identified (assault, grooming, trafficking)  *6$" "$T/out"

note "school years follow the local date: 2026-08-01 03:00 UTC is still July 31 in Honolulu"
edge=$(mkrec k1 --about self --time "$(date -u -d '2026-08-01 03:00' +%s)" --field Name=Edge | cut -d' ' -f2)
# came_forward in school year Y under time zone Z
came() { TZ=$1 "$SH" --spool "$T/spool" -i "$T/id.age" --passphrase-file "$T/pass" stats --json --year "$2" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["came_forward"])'; }
expect_eq "2026-27 in UTC" "$(came UTC 2026)" 1
expect_eq "2025-26 in UTC" "$(came UTC 2025)" 25
expect_eq "2026-27 in Honolulu" "$(came Pacific/Honolulu 2026)" 0
expect_eq "2025-26 in Honolulu" "$(came Pacific/Honolulu 2025)" 26
rm -f "$T/spool/new/$edge"; [ ! -e "$T/spool/new/$edge" ] || fail "edge request not removed"
expect_grep "Referred  *4$" "$T/out"
expect_rc 0 shx stats
expect_grep "2024-25  *2025-26" "$T/out"
# another school year start (September): the August 2025 request... none;
# the July 31 one stays in 2024-25 either way, and 2025-26 keeps its 25
mkdir -p "$HOME/.config/safeharbor"
printf 'school_year_start = 9\n' >"$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 0 shx stats --json --year 2025
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["school_year_start_month"]==9 and s["came_forward"]==25' "$T/out" || fail "school_year_start"
printf 'school_year_start = 13\n' >"$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 2 shx stats
expect_grep "school_year_start" "$T/err"
rm "$HOME/.config/safeharbor/safeharbor.conf"
expect_rc 2 shx stats --year 25
expect_grep "give the year a school year begins in" "$T/err"

# the report
expect_rc 2 shx report
expect_grep "\-o FILE.html" "$T/err"
expect_rc 0 shx report --year 2025 -o "$T/r.html"
expect_rc 1 shx report --year 2025 -o "$T/r.html"
expect_grep "already exists" "$T/err"
expect_rc 0 shx report --year 2025 -o "$T/r.html" --force
expect_rc 0 shx report --year 2025 --exact -o "$T/exact.html"
expect_rc 0 shx report --year 2019 -o "$T/empty.html"
python3 - "$T" <<'PY' || fail "report contents"
import sys, html.parser, re
T = sys.argv[1]
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.tags = []; s.text = []; s.stack = []
    def handle_starttag(s, t, a):
        s.tags.append((t, dict(a)))
        if t not in ("meta", "rect", "line", "br"): s.stack.append(t)
    def handle_startendtag(s, t, a): s.tags.append((t, dict(a)))
    def handle_endtag(s, t):
        assert s.stack and s.stack[-1] == t, ("unbalanced", t, s.stack[-3:])
        s.stack.pop()
    def handle_data(s, d): s.text.append(d)
def parse(name):
    raw = open(f"{T}/{name}", encoding="utf-8").read()
    p = P(); p.feed(raw); p.close()
    assert not p.stack, p.stack
    names = {t for t, _ in p.tags}
    assert "script" not in names and "img" not in names and "link" not in names, names
    for t, a in p.tags:
        for k, v in a.items():
            assert k not in ("src", "href") and not k.startswith("on"), (t, k)
            assert "http" not in (v or ""), (t, k, v)
    assert "url(http" not in raw and "@import" not in raw
    return raw, " ".join(p.text)
raw, text = parse("r.html")
for secret in ("secret words", "Outsider", "LastYear", "shkiosk", "mother"):
    assert secret not in raw, secret
assert not re.search(r"Student[0-9]", raw)
for id in open(f"{T}/ids").read().split():
    assert id[:8] not in raw, id
assert text.count("<svg") == 0 and raw.count("<svg") == 3, raw.count("<svg")
assert "school year 2025-26" in text
row = lambda label, v: re.search(rf"<td>{re.escape(label)}</td><td class=\"n\">{v}</td>", raw)
assert row("Came forward", 25) and row("for themselves", 12) and row("for a friend", 7)
assert row("with questions", 6) and row("Met with the social worker", 17)
assert row("Identified as sexually assaulted, groomed or trafficked", 6)
assert row("Wanted information only", 5) and row("Referred (child protective services, police or services)", "fewer than 5")
# assault 3, grooming 2, trafficking 1: all hidden
assert row("assaulted", "fewer than 5") and row("trafficked", "fewer than 5")
assert "library-1" in raw and "gym-2" in raw
eraw, _ = parse("exact.html")
assert re.search(r"<td>assaulted</td><td class=\"n\">3</td>", eraw)
assert re.search(r"<td>Referred \(child protective services, police or services\)</td><td class=\"n\">4</td>", eraw)
assert "fewer than 5</td>" not in eraw
_, etext = parse("empty.html")
assert "No requests were made in this school year." in etext and "2019-20" in etext
PY

# rendering: headless Chromium, one sheet on Letter and on A4
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || skip "chromium not installed (apt-get install chromium): report not rendered"
command -v pdfinfo >/dev/null || skip "pdfinfo not installed (poppler-utils): page count not checked"
render() {
	timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/chrome" --disable-dev-shm-usage "$@" >>"$T/chrome.log" 2>&1
}
render --window-size=816,1056 --screenshot="$T/r.png" "file://$T/r.html"
[ -s "$T/r.png" ] || { cat "$T/chrome.log"; fail "no screenshot"; }
ink=$(python3 "$TOP/tests/e2e/png_ink.py" "$T/r.png") || fail "screenshot unreadable"
note "dark share of the screenshot: $ink"
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.01 else 1)' "$ink" ||
	fail "screenshot is blank ($ink dark)"
for paper in Letter A4; do
	sed "s/@page{size:auto;/@page{size:$paper;/" "$T/r.html" >"$T/r-$paper.html"
	render --no-pdf-header-footer --print-to-pdf="$T/r-$paper.pdf" "file://$T/r-$paper.html"
	[ -s "$T/r-$paper.pdf" ] || { cat "$T/chrome.log"; fail "no PDF ($paper)"; }
	pages=$(pdfinfo "$T/r-$paper.pdf" | sed -n 's/^Pages: *//p')
	expect_eq "pages on $paper" "$pages" 1
done
note "report renders: screenshot and a one-page PDF on Letter and A4"
[ -n "${SH_KEEP_REPORT:-}" ] && cp "$T/r.png" "$T/r.html" "$T/r-Letter.pdf" "$SH_KEEP_REPORT/"
echo "t_case_report: ok"
