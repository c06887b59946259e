#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/keys.h"
#include "safeharbor/record.h"

static struct keys_signing *key;
static struct record *rec, *back;
static unsigned char *buf;

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	key = keys_signing_new();
	cr_assert_not_null(key);
	crypto_sign_keypair(key->pk, key->sk);
	rec = record_new();
	back = record_new();
	cr_assert_not_null(rec);
	cr_assert_not_null(back);
	buf = sodium_malloc(SH_RECORD_SIZE);
	cr_assert_not_null(buf);
}

static void
teardown(void)
{
	keys_signing_free(key);
	record_free(rec);
	record_free(back);
	sodium_free(buf);
}

TestSuite(record, .init = setup, .fini = teardown);

/* 2026-11-29T08:15:42Z */
#define T0 ((time_t)1795940142)

static void
set(enum record_field f, const char *s)
{
	cr_assert_eq(record_set_field(rec, f, s, strlen(s)), SH_OK, "set %s", s);
}

#define HAS(b, len, lit) (memmem((b), (len), (lit), sizeof(lit) - 1) != NULL)

static size_t
used_len(const unsigned char *b)
{
	size_t n = SH_RECORD_SIZE;

	while (n > 0 && b[n - 1] == 0)
		n--;
	return n;
}

static enum sh_status
parse_copy(const unsigned char *b, size_t len, const char **why)
{
	unsigned char *copy = malloc(len ? len : 1);
	enum sh_status st;

	cr_assert_not_null(copy);
	memcpy(copy, b, len);
	st = record_parse(copy, len, back, why);
	free(copy);
	return st;
}

Test(record, names)
{
	cr_assert_str_eq(record_field_name(RECORD_NAME), "Name");
	cr_assert_str_eq(record_field_name(RECORD_BEST_TIME), "Best-Time");
	cr_assert_str_eq(record_field_name(RECORD_FRIEND_GRADE), "Friend-Grade");
	cr_assert_str_eq(record_about_str(RECORD_ABOUT_FRIEND), "friend");
	cr_assert_str_eq(record_about_str(RECORD_ABOUT_TEST), "test");
	cr_assert_str_eq(record_danger_str(RECORD_DANGER_YES), "yes");
	cr_assert_str_eq(record_danger_str(RECORD_DANGER_UNSURE), "unsure");
}

Test(record, round_trip_all_fields_non_latin)
{
	static const char msg[] = "I need to talk.\nNot at home.\tPlease.\n你好";
	char token[KEYS_KIOSK_STRLEN + 1];
	const char *why = NULL;
	size_t i, used;

	rec->about = RECORD_ABOUT_FRIEND;
	rec->danger = RECORD_DANGER_UNSURE;
	cr_assert_eq(record_set_language(rec, "pt-BR"), SH_OK);
	set(RECORD_NAME, "مريم أحمد");
	set(RECORD_GRADE, "10");
	set(RECORD_TEACHER, "王老师");
	set(RECORD_BEST_TIME, "after lunch");
	set(RECORD_CONTACT_WAY, "at school only, do not call home");
	set(RECORD_FRIEND_NAME, "Łukasz Żółć");
	set(RECORD_FRIEND_GRADE, "9");
	cr_assert_eq(record_set_message(rec, msg, strlen(msg)), SH_OK);
	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);

	cr_assert_eq(memcmp(buf, "SAFEHARBOR-RECORD 1\nId: ", 24), 0);
	cr_assert_eq(strlen(rec->id), 32);
	for (i = 0; i < 32; i++)
		cr_assert(strchr("0123456789abcdef", rec->id[i]) != NULL);
	/* T0 is 08:15: the record says only the hour */
	cr_assert_str_eq(rec->created, "2026-11-29T08:00Z");
	cr_assert(HAS(buf, SH_RECORD_SIZE, "\nCreated: 2026-11-29T08:00Z\n"));
	keys_kiosk_format(key->pk, token);
	cr_assert_str_eq(rec->kiosk, token);
	used = used_len(buf);
	cr_assert_lt(used, SH_RECORD_SIZE);
	cr_assert(sodium_is_zero(buf + used, SH_RECORD_SIZE - used));
	cr_assert_eq(buf[used - 1], '\n');
	cr_assert(HAS(buf, used, "\nName: مريم أحمد\nGrade: 10\nTeacher: 王老师\n"));

	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK, "why: %s", why);
	cr_assert_str_eq(back->id, rec->id);
	cr_assert_str_eq(back->created, "2026-11-29T08:00Z");
	cr_assert_str_eq(back->kiosk, token);
	cr_assert_eq(memcmp(back->kiosk_pk, key->pk, sizeof(key->pk)), 0);
	cr_assert_eq(back->about, RECORD_ABOUT_FRIEND);
	cr_assert_eq(back->danger, RECORD_DANGER_UNSURE);
	cr_assert_str_eq(back->language, "pt-BR");
	for (i = 0; i < RECORD_NFIELDS; i++)
		cr_assert_str_eq(back->field[i], rec->field[i]);
	cr_assert_str_eq(back->field[RECORD_NAME], "مريم أحمد");
	cr_assert_eq(back->message_len, strlen(msg));
	cr_assert_str_eq(back->message, msg);
}

Test(record, minimal_record_and_fresh_ids)
{
	char first[SH_RECORD_ID_HEX + 1];
	const char *why;

	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);
	memcpy(first, rec->id, sizeof(first));
	cr_assert(HAS(buf, SH_RECORD_SIZE, "Language: en\nMessage-Length: 0\n\n\nSignature: "));
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK);
	cr_assert_eq(back->about, RECORD_ABOUT_SELF);
	cr_assert_eq(back->danger, RECORD_DANGER_NO);
	cr_assert_eq(back->message_len, 0);
	for (int i = 0; i < RECORD_NFIELDS; i++)
		cr_assert_str_eq(back->field[i], "");
	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);
	cr_assert_str_neq(rec->id, first, "every serialization gets a fresh id");
}

Test(record, largest_record_fits)
{
	static const char emoji[] = "\xF0\x9F\x98\x80";   /* U+1F600, 4 bytes */
	char *field = malloc(SH_FIELD_MAX + 1), *msg = malloc(SH_MESSAGE_MAX + 1);
	const char *why;
	int i;

	cr_assert_not_null(field);
	cr_assert_not_null(msg);
	for (i = 0; i < SH_FIELD_MAX_CHARS; i++)
		memcpy(field + 4 * i, emoji, 4);
	for (i = 0; i < SH_MESSAGE_MAX_CHARS; i++)
		memcpy(msg + 4 * i, emoji, 4);
	for (i = 0; i < RECORD_NFIELDS; i++)
		cr_assert_eq(record_set_field(rec, (enum record_field)i, field, SH_FIELD_MAX), SH_OK);
	cr_assert_eq(record_set_message(rec, msg, SH_MESSAGE_MAX), SH_OK);
	cr_assert_eq(record_set_language(rec, "ab-cdefg"), SH_OK);
	rec->about = RECORD_ABOUT_FRIEND;
	rec->danger = RECORD_DANGER_UNSURE;
	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK, "%s", why);
	cr_assert_eq(back->message_len, SH_MESSAGE_MAX);
	cr_assert_eq(memcmp(back->message, msg, SH_MESSAGE_MAX), 0);
	cr_assert_eq(memcmp(back->field[RECORD_FRIEND_GRADE], field, SH_FIELD_MAX), 0);
	free(field);
	free(msg);
}

Test(record, over_long_values_refused)
{
	char *s = malloc(SH_MESSAGE_MAX + 8);
	size_t i;

	cr_assert_not_null(s);
	memset(s, 'a', SH_MESSAGE_MAX + 8);
	cr_assert_eq(record_set_field(rec, RECORD_NAME, s, SH_FIELD_MAX_CHARS), SH_OK);
	cr_assert_eq(record_set_field(rec, RECORD_NAME, s, SH_FIELD_MAX_CHARS + 1), SH_ERR_TOO_LARGE);
	cr_assert_eq(strlen(rec->field[RECORD_NAME]), SH_FIELD_MAX_CHARS, "old value kept");
	cr_assert_eq(record_set_message(rec, s, SH_MESSAGE_MAX_CHARS), SH_OK);
	cr_assert_eq(record_set_message(rec, s, SH_MESSAGE_MAX_CHARS + 1), SH_ERR_TOO_LARGE);
	cr_assert_eq(record_set_message(rec, s, SH_MESSAGE_MAX + 1), SH_ERR_TOO_LARGE);
	/* 61 two-byte characters: within the byte limit, over the character one */
	for (i = 0; i < 61; i++)
		memcpy(s + 2 * i, "\xC3\xA9", 2);
	cr_assert_eq(record_set_field(rec, RECORD_NAME, s, 120), SH_OK);
	cr_assert_eq(record_set_field(rec, RECORD_NAME, s, 122), SH_ERR_TOO_LARGE);
	free(s);
	cr_assert_eq(record_set_field(rec, RECORD_NFIELDS, "x", 1), SH_ERR_USAGE);
}

Test(record, check_text_utf8_and_controls)
{
	static const struct { const char *s; size_t len; enum sh_status want; } cases[] = {
		{ "plain", 5, SH_OK },
		{ "caf\xC3\xA9", 5, SH_OK },
		{ "\xE4\xBD\xA0\xE5\xA5\xBD", 6, SH_OK },              /* CJK */
		{ "\xD9\x85\xD8\xB1", 4, SH_OK },                      /* Arabic */
		{ "\xF4\x8F\xBF\xBF", 4, SH_OK },                      /* U+10FFFF */
		{ "\xEF\xBF\xBD", 3, SH_OK },                          /* U+FFFD */
		{ "\xC2\xA0", 2, SH_OK },                              /* U+00A0 */
		{ "\xC0\x80", 2, SH_ERR_FORMAT },                      /* overlong NUL */
		{ "\xC1\xBF", 2, SH_ERR_FORMAT },                      /* overlong */
		{ "\xE0\x80\xAF", 3, SH_ERR_FORMAT },                  /* overlong */
		{ "\xF0\x80\x80\xAF", 4, SH_ERR_FORMAT },              /* overlong */
		{ "\xED\xA0\x80", 3, SH_ERR_FORMAT },                  /* surrogate */
		{ "\xED\xBF\xBF", 3, SH_ERR_FORMAT },                  /* surrogate */
		{ "\xF4\x90\x80\x80", 4, SH_ERR_FORMAT },              /* > U+10FFFF */
		{ "\xF5\x80\x80\x80", 4, SH_ERR_FORMAT },
		{ "\xFF", 1, SH_ERR_FORMAT },
		{ "\x80", 1, SH_ERR_FORMAT },                          /* lone continuation */
		{ "a\xC3", 2, SH_ERR_FORMAT },                         /* truncated */
		{ "\xE4\xBD", 2, SH_ERR_FORMAT },
		{ "\xE4\xBDx", 3, SH_ERR_FORMAT },
		{ "\xF0\x9F\x98", 3, SH_ERR_FORMAT },
		{ "a\0b", 3, SH_ERR_FORMAT },
		{ "a\x01", 2, SH_ERR_FORMAT },
		{ "a\x1b[2J", 5, SH_ERR_FORMAT },
		{ "a\x7f", 2, SH_ERR_FORMAT },
		{ "\xC2\x80", 2, SH_ERR_FORMAT },                      /* C1 control */
		{ "\xC2\x9F", 2, SH_ERR_FORMAT },
		{ "a\rb", 3, SH_ERR_FORMAT },
		{ "a\nb", 3, SH_ERR_FORMAT },                          /* single line */
		{ "a\tb", 3, SH_ERR_FORMAT },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(record_check_text(cases[i].s, cases[i].len, 100, 100, 0), cases[i].want,
		             "case %zu", i);
	cr_assert_eq(record_check_text("a\nb\tc", 5, 100, 100, 1), SH_OK);
	cr_assert_eq(record_check_text("a\r\nb", 4, 100, 100, 1), SH_ERR_FORMAT);
	/* limits count characters and bytes separately */
	cr_assert_eq(record_check_text("\xE4\xBD\xA0\xE5\xA5\xBD", 6, 6, 2, 0), SH_OK);
	cr_assert_eq(record_check_text("\xE4\xBD\xA0\xE5\xA5\xBD", 6, 6, 1, 0), SH_ERR_TOO_LARGE);
	cr_assert_eq(record_check_text("\xE4\xBD\xA0\xE5\xA5\xBD", 6, 5, 2, 0), SH_ERR_TOO_LARGE);
	cr_assert_eq(record_check_text("", 0, 0, 0, 0), SH_OK);
}

Test(record, language_rule)
{
	static const char *const good[] = { "en", "es", "ar", "fil", "pt-BR", "zh-Hant", "ab-cdefg",
	                                    "en-001" };
	static const char *const bad[] = { "", "e", "EN", "engl", "en-", "en-A", "en_US", "en-Br!",
	                                   "zh-Hant-TW", "abc-defgh", "en ", " en", "ä" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cr_assert_eq(record_set_language(rec, good[i]), SH_OK, "%s", good[i]);
		cr_assert_str_eq(rec->language, good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(record_set_language(rec, bad[i]), SH_ERR_FORMAT, "'%s'", bad[i]);
		cr_assert_eq(record_check_language(bad[i], strlen(bad[i])), SH_ERR_FORMAT);
	}
	cr_assert_str_eq(rec->language, "en-001", "unchanged by a refused value");
}

Test(record, clear_wipes)
{
	set(RECORD_NAME, "Sam");
	cr_assert_eq(record_set_message(rec, "help", 4), SH_OK);
	rec->about = RECORD_ABOUT_INFO;
	record_clear(rec);
	cr_assert_str_eq(rec->field[RECORD_NAME], "");
	cr_assert_eq(rec->message_len, 0);
	cr_assert(sodium_is_zero((unsigned char *)rec->message, sizeof(rec->message)));
	cr_assert_eq(rec->about, RECORD_ABOUT_SELF);
	cr_assert_str_eq(rec->language, "en");
}

Test(record, serialize_refuses_bad_struct)
{
	memcpy(rec->field[RECORD_GRADE], "1\n2", 4);
	cr_assert_neq(record_serialize(rec, key, T0, buf), SH_OK);
	record_clear(rec);
	rec->message_len = SH_MESSAGE_MAX + 1;
	cr_assert_neq(record_serialize(rec, key, T0, buf), SH_OK);
	record_clear(rec);
	memcpy(rec->language, "EN", 3);
	cr_assert_neq(record_serialize(rec, key, T0, buf), SH_OK);
	record_clear(rec);
	rec->about = (enum record_about)7;
	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_ERR_USAGE);
}

/* Sign arbitrary text the way a kiosk would and pad it: lets each
 * malformed case carry a valid signature, so the parser's structural
 * check, not the signature, must catch it. */
static void
forge(const char *above, unsigned char out[SH_RECORD_SIZE])
{
	unsigned char sig[crypto_sign_BYTES];
	char b64[89];
	size_t len = strlen(above);
	int n;

	cr_assert_lt(len + 101, SH_RECORD_SIZE);
	memset(out, 0, SH_RECORD_SIZE);
	memcpy(out, above, len);
	crypto_sign_detached(sig, NULL, out, len, key->sk);
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	n = snprintf((char *)out + len, SH_RECORD_SIZE - len, "Signature: %s\n", b64);
	cr_assert_eq(n, 100);
}

static char kiosk_tok[KEYS_KIOSK_STRLEN + 1];

static void
head(char *out, size_t size, const char *version, const char *id, const char *created,
     const char *about, const char *danger, const char *lang, const char *rest)
{
	keys_kiosk_format(key->pk, kiosk_tok);
	snprintf(out, size,
	         "SAFEHARBOR-RECORD %s\nId: %s\nCreated: %s\nKiosk: %s\nAbout: %s\n"
	         "Danger: %s\nLanguage: %s\n%s",
	         version, id, created, kiosk_tok, about, danger, lang, rest);
}

#define ID "0123456789abcdef0123456789abcdef"
#define CR "2026-11-29T08:15Z"
#define TAIL "Message-Length: 5\n\nhello\n"

static enum sh_status
try_forged(const char *version, const char *id, const char *created, const char *about,
           const char *danger, const char *lang, const char *rest, const char **why)
{
	char text[4096];

	head(text, sizeof(text), version, id, created, about, danger, lang, rest);
	forge(text, buf);
	return record_parse(buf, SH_RECORD_SIZE, back, why);
}

Test(record, forged_baseline_is_valid)
{
	const char *why;

	cr_assert_eq(try_forged("1", ID, CR, "self", "no", "en", "Name: A\nGrade: 7\n" TAIL, &why),
	             SH_OK, "%s", why);
	cr_assert_str_eq(back->field[RECORD_GRADE], "7");
	cr_assert_str_eq(back->message, "hello");
}

Test(record, malformed_structure)
{
	static const struct {
		const char *version, *id, *created, *about, *danger, *lang, *rest;
		enum sh_status want;
	} cases[] = {
		{ "2", ID, CR, "self", "no", "en", TAIL, SH_ERR_VERSION },
		{ "10", ID, CR, "self", "no", "en", TAIL, SH_ERR_VERSION },
		{ "1", "0123456789ABCDEF0123456789ABCDEF", CR, "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", "0123456789abcdef0123456789abcde", CR, "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", "0123456789abcdef0123456789abcdefa", CR, "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", "0123456789abcdeg0123456789abcdef", CR, "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, "2026-11-29T08:15:00Z", "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, "2026-13-29T08:15Z", "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, "2026-11-29T24:15Z", "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, "2026-11-29 08:15Z", "self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "me", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "Self", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self ", "no", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "maybe", "en", TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "EN", TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "english", TAIL, SH_ERR_FORMAT },
		/* optional fields: duplicated, out of order, unknown, empty, bad text */
		{ "1", ID, CR, "self", "no", "en", "Name: A\nName: B\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Grade: 7\nName: A\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Nickname: A\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "name: A\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Name:A\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Name: \n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Name: a\xC0\x80\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Name: a\xED\xA0\x80\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Name: a\x1b[31m\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Name: a\tb\n" TAIL, SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Name: a\r\n" TAIL, SH_ERR_FORMAT },
		/* Message-Length and message */
		{ "1", ID, CR, "self", "no", "en", "", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 05\n\nhello\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: +5\n\nhello\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 5 \n\nhello\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: \n\n\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 4\n\nhello\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 6\n\nhello\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 5\nhello\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 5\n\nhello", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 8001\n\nhello\n", SH_ERR_TOO_LARGE },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 99999\n\nhello\n", SH_ERR_TOO_LARGE },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 999999\n\nhello\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 5\n\nhe\x01lo\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 5\n\nhe\rlo\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", "Message-Length: 5\n\nhel\xC3\n", SH_ERR_FORMAT },
		{ "1", ID, CR, "self", "no", "en", TAIL "Name: A\n", SH_ERR_FORMAT },
	};
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		cr_assert_eq(try_forged(cases[i].version, cases[i].id, cases[i].created,
		                        cases[i].about, cases[i].danger, cases[i].lang,
		                        cases[i].rest, &why),
		             cases[i].want, "case %zu (%s)", i, why ? why : "");
		cr_assert_not_null(why);
		cr_assert_gt(strlen(why), 0, "case %zu has a reason", i);
		cr_assert_str_eq(back->id, "", "record wiped after a failed parse");
	}
}

Test(record, missing_and_reordered_required_fields)
{
	static const char *const texts[] = {
		/* missing Id */
		"SAFEHARBOR-RECORD 1\nCreated: " CR "\n",
		/* Created before Id */
		"SAFEHARBOR-RECORD 1\nCreated: " CR "\nId: " ID "\n",
		/* Id twice */
		"SAFEHARBOR-RECORD 1\nId: " ID "\nId: " ID "\n",
		/* CRLF line ends */
		"SAFEHARBOR-RECORD 1\r\nId: " ID "\r\n",
		"SAFEHARBOR-RECORD 1 \nId: " ID "\n",
		"safeharbor-record 1\nId: " ID "\n",
	};
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		forge(texts[i], buf);
		cr_assert_neq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK, "case %zu", i);
	}
	/* About missing: Danger follows Kiosk */
	keys_kiosk_format(key->pk, kiosk_tok);
	{
		char text[1024];
		snprintf(text, sizeof(text), "SAFEHARBOR-RECORD 1\nId: " ID "\nCreated: " CR
		         "\nKiosk: %s\nDanger: no\nLanguage: en\n" TAIL, kiosk_tok);
		forge(text, buf);
		cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
		cr_assert_str_eq(why, "missing About");
	}
	{
		char text[1024];
		snprintf(text, sizeof(text), "SAFEHARBOR-RECORD 1\nId: " ID "\nCreated: " CR
		         "\nKiosk: %s\nAbout: self\nDanger: no\nLanguage: en\n" TAIL, "shkiosk1xyz");
		forge(text, buf);
		cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
		cr_assert_str_eq(why, "Kiosk is not a kiosk key");
	}
}

Test(record, padding_and_size)
{
	const char *why;
	size_t used;

	set(RECORD_NAME, "Ana");
	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);
	used = used_len(buf);
	buf[SH_RECORD_SIZE - 1] = 'x';
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "padding is not all NUL bytes");
	buf[SH_RECORD_SIZE - 1] = 0;
	buf[used] = ' ';
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
	buf[used] = 0;
	buf[(used + SH_RECORD_SIZE) / 2] = 0x80;
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "padding is not all NUL bytes");
	buf[(used + SH_RECORD_SIZE) / 2] = 0;
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK);
	cr_assert_eq(back->used, used);   /* where the padding starts */
	cr_assert_eq(parse_copy(buf, SH_RECORD_SIZE - 1, &why), SH_ERR_FORMAT);
	cr_assert_eq(parse_copy(buf, used, &why), SH_ERR_FORMAT);
	{
		unsigned char *big = calloc(1, SH_RECORD_SIZE + 1);
		cr_assert_not_null(big);
		memcpy(big, buf, SH_RECORD_SIZE);
		cr_assert_eq(record_parse(big, SH_RECORD_SIZE + 1, back, &why), SH_ERR_TOO_LARGE);
		free(big);
	}
	cr_assert_eq(record_parse(buf, 0, back, &why), SH_ERR_FORMAT);
}

Test(record, signature_tampered_keeps_fields)
{
	const char *why;
	unsigned char *p;

	set(RECORD_NAME, "Ana");
	cr_assert_eq(record_set_message(rec, "help me", 7), SH_OK);
	rec->danger = RECORD_DANGER_YES;
	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);
	p = memmem(buf, SH_RECORD_SIZE, "help me", 7);
	cr_assert_not_null(p);
	p[0] = 'H';
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_SIGNATURE);
	cr_assert_str_eq(why, "signature does not verify");
	cr_assert_str_eq(back->field[RECORD_NAME], "Ana");
	cr_assert_str_eq(back->message, "Help me");
	cr_assert_eq(back->danger, RECORD_DANGER_YES);
	cr_assert_str_eq(back->id, rec->id);
	p[0] = 'h';
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK);
}

Test(record, signed_by_another_kiosk)
{
	struct keys_signing *other = keys_signing_new();
	char text[1024], tok[KEYS_KIOSK_STRLEN + 1];
	const char *why;

	cr_assert_not_null(other);
	crypto_sign_keypair(other->pk, other->sk);
	keys_kiosk_format(other->pk, tok);
	/* claims to be "other" but signed with key */
	snprintf(text, sizeof(text), "SAFEHARBOR-RECORD 1\nId: " ID "\nCreated: " CR
	         "\nKiosk: %s\nAbout: test\nDanger: no\nLanguage: en\n" TAIL, tok);
	forge(text, buf);
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_SIGNATURE);
	cr_assert_str_eq(back->kiosk, tok);
	cr_assert_eq(back->about, RECORD_ABOUT_TEST);
	keys_signing_free(other);
}

Test(record, signature_line_malformed)
{
	const char *why;
	unsigned char *sig;

	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);
	sig = memmem(buf, SH_RECORD_SIZE, "Signature: ", 11);
	cr_assert_not_null(sig);
	sig += 11;
	cr_assert_eq(sig[86], '=');
	cr_assert_eq(sig[87], '=');
	cr_assert_eq(sig[88], '\n');
	/* the last data character carries 4 unused bits: setting one must not
	 * decode to the same signature */
	{
		static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		int v = (int)(strchr(b64, sig[85]) - b64);
		unsigned char saved = sig[85];
		sig[85] = (unsigned char)b64[v ^ 1];
		cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
		sig[85] = saved;
	}
	sig[86] = 0;
	sig[87] = 0;
	sig[88] = 0;
	memcpy(sig + 86, "\n", 1);
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT, "unpadded");
}

Test(record, every_single_byte_flip_is_rejected)
{
	static const unsigned char masks[] = { 0x01, 0x20, 0x80, 0xff };
	unsigned char *orig = malloc(SH_RECORD_SIZE);
	size_t used, i, m;
	enum sh_status st;
	const char *why;

	cr_assert_not_null(orig);
	set(RECORD_NAME, "Zoë");
	set(RECORD_CONTACT_WAY, "text me");
	cr_assert_eq(record_set_message(rec, "line\none\ttab", 12), SH_OK);
	cr_assert_eq(record_serialize(rec, key, T0, orig), SH_OK);
	used = used_len(orig);
	for (i = 0; i < SH_RECORD_SIZE; i += (i < used + 8 ? 1 : 61)) {
		for (m = 0; m < sizeof(masks); m++) {
			memcpy(buf, orig, SH_RECORD_SIZE);
			buf[i] ^= masks[m];
			st = record_parse(buf, SH_RECORD_SIZE, back, &why);
			cr_assert_neq(st, SH_OK, "flip at %zu mask %02x accepted", i, masks[m]);
		}
	}
	free(orig);
}

Test(record, every_truncation_is_rejected_in_bounds)
{
	size_t used, len;
	const char *why;

	set(RECORD_NAME, "Ana");
	cr_assert_eq(record_set_message(rec, "hi", 2), SH_OK);
	cr_assert_eq(record_serialize(rec, key, T0, buf), SH_OK);
	used = used_len(buf);
	for (len = 0; len <= used + 2; len++)
		cr_assert_neq(parse_copy(buf, len, &why), SH_OK, "prefix %zu", len);
	/* Full size, but the record cut at every point and NUL-padded from
	 * there: every parser path meets the end of the text. */
	{
		unsigned char *orig = malloc(SH_RECORD_SIZE);
		cr_assert_not_null(orig);
		memcpy(orig, buf, SH_RECORD_SIZE);
		for (len = 0; len < used; len++) {
			memcpy(buf, orig, len);
			memset(buf + len, 0, SH_RECORD_SIZE - len);
			cr_assert_neq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK,
			              "cut at %zu", len);
		}
		free(orig);
	}
}
