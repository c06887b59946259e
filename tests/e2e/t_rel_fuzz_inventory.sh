#!/bin/sh
# Issue 7, suite 5: every parser of untrusted or hand-edited input has a
# libFuzzer harness (tests/fuzz/fuzz_*.c) with a non-empty seed corpus.
# A parser whose definition is not in the tree yet is reported and not
# counted; one that exists without a harness fails the test.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/torture/rel_lib.sh"
SUITE=fuzz-inventory
cd "$TOP" || exit 2
# what : function that must be defined in src/ : function a harness calls
PARSERS="age-header:age_header_check:age_header_check
age-payload:age_decrypt_mem:age_decrypt_mem|age_decrypt_to_secure|age_decrypt_fd
age-passphrase:age_decrypt_mem:passphrase
record:record_parse:record_parse
envelope:envelope_open:envelope_open
case-item:caserec_parse:caserec_parse
identity-file:keys_parse_identities:keys_parse_identities
recipients-file:keys_parse_recipients:keys_parse_recipients
kiosk-key-file:keys_signing_parse:keys_signing_parse
kiosk-key-token:keys_kiosk_parse:keys_kiosk_parse
bech32:bech32_decode:bech32_decode|age_recipient_parse|age_identity_parse
kiosk-config:config_parse:config_parse
screens-files:screens_parse:screens_parse|screens_load
kiosks-file:kiosks_parse:kiosks_parse
tool-config:tool_conf_parse:tool_conf_parse
spool-file-names:spool_parse_name:spool_parse_name
student-typing:textfield_insert:textfield_insert
reply-record:reply_parse:reply_parse
reply-code:replycode_normalize:replycode_normalize
code-word-list:replycode_words_parse:replycode_words_parse
staff-keys-file:keys_parse_staff:keys_parse_staff
list-dates:tooltime_parse_day:tooltime_parse_day
passphrase-file:passlines_split:passlines_split
holidays-file:schooldays_parse_holidays:schooldays_parse_holidays
audit-entry:audit_parse:audit_parse"
present=0
echo "$PARSERS" | while IFS=: read -r what def calls; do
	if ! grep -rqE "^${def}\(" src/ 2>/dev/null; then
		echo "-- $what: $def() not in src/ yet, not checked"
		continue
	fi
	h=$(grep -lE "$calls" tests/fuzz/fuzz_*.c 2>/dev/null | head -n 1)
	if [ -z "$h" ]; then
		echo "FAIL: $what: $def() has no harness in tests/fuzz/"
		echo x >>"$T/missing"
		continue
	fi
	c=tests/fuzz/corpus/$(basename "$h" .c)
	n=$(ls "$c" 2>/dev/null | wc -l)
	if [ "$n" -eq 0 ]; then
		echo "FAIL: $what: $h has no seed corpus in $c"
		echo x >>"$T/missing"
		continue
	fi
	echo "-- $what: $h ($n seeds)"
done
[ -s "$T/missing" ] && { REL_FAILS=$(wc -l <"$T/missing"); REL_RUNS=$REL_FAILS; rel_done $SUITE; }
rel_run
rel_done $SUITE
