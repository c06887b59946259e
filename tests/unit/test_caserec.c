#include <criterion/criterion.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/caserec.h"

static struct caserec *c, *back;
static unsigned char *buf;
static unsigned char key[2][CASEREC_KEY_LEN];

static void
setup(void)
{
	struct age_identity id;

	cr_assert(sodium_init() >= 0);
	c = caserec_new();
	back = caserec_new();
	buf = sodium_malloc(SH_RECORD_SIZE);
	cr_assert(c != NULL && back != NULL && buf != NULL);
	age_identity_generate(&id);
	caserec_key(&id, key[0]);
	age_identity_generate(&id);
	caserec_key(&id, key[1]);
	memset(c->request, 'a', SH_RECORD_ID_HEX);
	c->created = 1764000000;
}

static void
teardown(void)
{
	caserec_free(c);
	caserec_free(back);
	sodium_free(buf);
}

TestSuite(caserec, .init = setup, .fini = teardown);

static void
note(const char *text)
{
	c->kind = CASE_NOTE;
	c->value = -1;
	c->text_len = strlen(text);
	memcpy(c->text, text, c->text_len);
}

Test(caserec, note_round_trip_with_the_second_key)
{
	size_t which = 9;

	note("Met her at lunch.\nShe wants to talk again on Friday; ¿mañana?");
	cr_assert_eq(caserec_serialize(c, key[1], buf), SH_OK);
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE, (const unsigned char (*)[32])key, 2,
	                           back, &which, NULL), SH_OK);
	cr_assert_eq(which, 1);
	cr_assert_str_eq(back->id, c->id);
	cr_assert_str_eq(back->request, c->request);
	cr_assert_eq(back->created, c->created);
	cr_assert_eq(back->kind, CASE_NOTE);
	cr_assert_eq(back->text_len, c->text_len);
	cr_assert(memcmp(back->text, c->text, c->text_len) == 0);
}

Test(caserec, outcome_round_trip_and_fixed_size_text)
{
	c->kind = CASE_OUTCOME;
	c->value = OUTCOME_NO_CONCERN;
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_OK);
	cr_assert(strstr((char *)buf, "Kind: outcome\nValue: no-concern\nText-Length: 0\n\n\nMac: ")
	          != NULL);
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE, (const unsigned char (*)[32])key, 1,
	                           back, NULL, NULL), SH_OK);
	cr_assert_eq(back->value, OUTCOME_NO_CONCERN);
	cr_assert_eq(buf[SH_RECORD_SIZE - 1], 0);
}

Test(caserec, another_key_is_a_signature_failure_not_a_format_one)
{
	const char *why = NULL;

	note("x");
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_OK);
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE, (const unsigned char (*)[32])&key[1], 1,
	                           back, NULL, &why), SH_ERR_SIGNATURE);
	cr_assert_str_eq(back->text, "x");
	cr_assert(strstr(why, "key") != NULL);
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE, NULL, 0, back, NULL, &why),
	             SH_ERR_SIGNATURE);
}

Test(caserec, every_changed_byte_is_refused)
{
	size_t i, used;

	note("change me");
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_OK);
	used = strlen((char *)buf);
	for (i = 0; i < used + 2; i++) {
		buf[i] ^= 0x01;
		cr_assert_neq(caserec_parse(buf, SH_RECORD_SIZE, (const unsigned char (*)[32])key, 1,
		                            back, NULL, NULL), SH_OK, "byte %zu", i);
		buf[i] ^= 0x01;
	}
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE, (const unsigned char (*)[32])key, 1,
	                           back, NULL, NULL), SH_OK);
}

Test(caserec, bad_inputs_have_reasons)
{
	const char *why = NULL;

	cr_assert_eq(caserec_parse((const unsigned char *)"SAFEHARBOR-CASE 2\n", 18, NULL, 0,
	                           back, NULL, &why), SH_ERR_VERSION);
	cr_assert_eq(caserec_parse((const unsigned char *)"hello", 5, NULL, 0, back, NULL, &why),
	             SH_ERR_FORMAT);
	cr_assert(why != NULL && *why != '\0');
	note("x");
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_OK);
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE - 1, NULL, 0, back, NULL, &why),
	             SH_ERR_FORMAT);
	/* February 30th is not a time */
	memcpy(strstr((char *)buf, "Created: ") + 9, "2026-02-30", 10);
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE, NULL, 0, back, NULL, &why), SH_ERR_FORMAT);
}

Test(caserec, text_limits)
{
	static char big[CASEREC_TEXT_MAX + 1];

	cr_assert_eq(caserec_check_text("", 0), SH_ERR_FORMAT);
	cr_assert_eq(caserec_check_text("a\rb", 3), SH_ERR_FORMAT);
	cr_assert_eq(caserec_check_text("tab\tand\nline", 12), SH_OK);
	memset(big, 'a', CASEREC_TEXT_MAX_CHARS + 1);
	cr_assert_eq(caserec_check_text(big, CASEREC_TEXT_MAX_CHARS), SH_OK);
	cr_assert_eq(caserec_check_text(big, CASEREC_TEXT_MAX_CHARS + 1), SH_ERR_TOO_LARGE);
	/* the longest note still fits the fixed size */
	memset(big, 0, sizeof(big));
	for (size_t i = 0; i + 4 <= CASEREC_TEXT_MAX; i += 4)
		memcpy(big + i, "\xf0\x9f\x98\x80", 4);
	note(big);
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_OK);
	cr_assert_eq(caserec_parse(buf, SH_RECORD_SIZE, (const unsigned char (*)[32])key, 1,
	                           back, NULL, NULL), SH_OK);
	cr_assert_eq(back->text_len, CASEREC_TEXT_MAX);
}

Test(caserec, names)
{
	cr_assert_eq(caserec_value_parse(CASE_OUTCOME, "trafficking"), OUTCOME_TRAFFICKING);
	cr_assert_eq(caserec_value_parse(CASE_OUTCOME, "not-found"), OUTCOME_NOT_FOUND);
	cr_assert_eq(caserec_value_parse(CASE_OUTCOME, "Assault"), -1);
	cr_assert_eq(caserec_value_parse(CASE_REFERRED, "police"), REFER_POLICE);
	cr_assert_eq(caserec_value_parse(CASE_REFERRED, "fbi"), -1);
	cr_assert_eq(caserec_value_parse(CASE_NOTE, "x"), -1);
	cr_assert_str_eq(caserec_value_str(CASE_STATE, CSTATE_HANDLED), "handled");
	/* a value out of its kind is refused when writing */
	c->kind = CASE_REFERRED;
	c->value = 7;
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_ERR_USAGE);
}

Test(caserec, an_id_given_is_kept)
{
	note("again");
	memcpy(c->id, "0123456789abcdef0123456789abcdef", 33);
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_OK);
	cr_assert_str_eq(c->id, "0123456789abcdef0123456789abcdef");
	memcpy(c->id, "0123456789ABCDEF0123456789abcdef", 33);
	cr_assert_eq(caserec_serialize(c, key[0], buf), SH_ERR_USAGE);
}
