#!/bin/sh
# Plain words: the English screen texts read at grade 6 or below (Kincaid
# and Flesch-Kincaid by GNU diction's `style`), with no sentence of 20
# words or more.
. "$(dirname "$0")/lib.sh"
command -v style >/dev/null 2>&1 || skip "style (diction) not installed"
# bodies and the student-facing values of every English file, one sentence
# per line ending where a sentence ends
for f in "$TOP"/screens/en/*.txt; do
	sed -n '/^---$/,$p' "$f" | grep -v '^---$' | grep -v '^#'
	sed -n '1,/^---$/p' "$f" | grep -E '^(title|option|contact|label-[a-z-]+|help-[a-z-]+|about-[a-z]+|danger-[a-z]+|wrong|wait|full):' \
		| sed 's/^[a-z-]*: *//; s/$/./'
done >"$T/en.txt"
[ "$(wc -w <"$T/en.txt")" -gt 300 ] || fail "too few words extracted: $(wc -w <"$T/en.txt")"
style "$T/en.txt" >"$T/style" 2>&1 || { cat "$T/style" >&2; fail "style failed"; }
cat "$T/style"
kincaid=$(awk '/Kincaid:/ { print $2; exit }' "$T/style")
[ -n "$kincaid" ] || fail "no Kincaid grade in style's output"
awk -v k="$kincaid" 'BEGIN { exit !(k <= 6.0) }' || fail "Kincaid grade $kincaid is above 6"
longest=$(sed -n 's/.*longest sent \([0-9]*\) wds.*/\1/p' "$T/style")
[ -n "$longest" ] || fail "no longest sentence in style's output"
[ "$longest" -lt 20 ] || fail "a sentence of $longest words"
note "Kincaid grade $kincaid, longest sentence $longest words"
echo ok
