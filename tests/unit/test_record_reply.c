#include <criterion/criterion.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/keys.h"
#include "safeharbor/record.h"

/* Reply-To and In-Reply-To (SPEC §5, §9). */
static struct keys_signing *key;
static struct record *rec, *back;
static unsigned char *buf;

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	key = keys_signing_new();
	crypto_sign_keypair(key->pk, key->sk);
	rec = record_new();
	back = record_new();
	buf = sodium_malloc(SH_RECORD_SIZE);
	cr_assert(key && rec && back && buf);
}

static void
teardown(void)
{
	keys_signing_free(key);
	record_free(rec);
	record_free(back);
	sodium_free(buf);
}

TestSuite(record_reply, .init = setup, .fini = teardown);

Test(record_reply, reply_to_round_trip)
{
	struct age_identity id;
	struct age_recipient rk;
	char want[AGE_RECIPIENT_STRLEN + 64];
	const char *why;

	age_identity_generate(&id);
	age_identity_recipient(&id, &rk);
	rec->has_reply_to = 1;
	memcpy(rec->reply_to, rk.pk, sizeof rk.pk);
	cr_assert_eq(record_serialize(rec, key, 1795940142, buf), SH_OK);
	strcpy(want, "About: self\nReply-To: ");
	age_recipient_format(&rk, want + strlen(want));
	strcat(want, "\nDanger: no\n");
	cr_assert_not_null(memmem(buf, SH_RECORD_SIZE, want, strlen(want)));
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK, "%s", why);
	cr_assert_eq(back->has_reply_to, 1);
	cr_assert(memcmp(back->reply_to, rk.pk, sizeof rk.pk) == 0);
	cr_assert_str_eq(back->in_reply_to, "");
	sodium_memzero(&id, sizeof id);
}

Test(record_reply, about_reply_needs_in_reply_to_and_reply_to)
{
	const char *why;

	rec->about = RECORD_ABOUT_REPLY;
	cr_assert_eq(record_serialize(rec, key, 1795940142, buf), SH_ERR_USAGE);
	memcpy(rec->in_reply_to, "0123456789abcdef0123456789abcdef", 33);
	cr_assert_eq(record_serialize(rec, key, 1795940142, buf), SH_ERR_USAGE, "no Reply-To");
	rec->has_reply_to = 1;
	memset(rec->reply_to, 9, sizeof rec->reply_to);
	cr_assert_eq(record_serialize(rec, key, 1795940142, buf), SH_OK);
	cr_assert_not_null(memmem(buf, SH_RECORD_SIZE,
	                          "\nIn-Reply-To: 0123456789abcdef0123456789abcdef\nDanger:", 53));
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_OK, "%s", why);
	cr_assert_eq(back->about, RECORD_ABOUT_REPLY);
	cr_assert_str_eq(back->in_reply_to, "0123456789abcdef0123456789abcdef");
	cr_assert_str_eq(record_about_str(back->about), "reply");

	/* In-Reply-To on a request that is not a reply: refused */
	rec->about = RECORD_ABOUT_SELF;
	cr_assert_eq(record_serialize(rec, key, 1795940142, buf), SH_ERR_USAGE);
}

Test(record_reply, parser_refuses_bad_reply_lines)
{
	unsigned char *p;
	const char *why;

	rec->about = RECORD_ABOUT_REPLY;
	rec->has_reply_to = 1;
	memset(rec->reply_to, 9, sizeof rec->reply_to);
	memcpy(rec->in_reply_to, "0123456789abcdef0123456789abcdef", 33);
	cr_assert_eq(record_serialize(rec, key, 1795940142, buf), SH_OK);
	p = memmem(buf, SH_RECORD_SIZE, "In-Reply-To: 0", 14);
	p[13] = 'G';
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "In-Reply-To is not 32 lowercase hex digits");
	p[13] = '0';
	p = memmem(buf, SH_RECORD_SIZE, "Reply-To: age1", 14);
	p[20] ^= 1;   /* checksum */
	cr_assert_eq(record_parse(buf, SH_RECORD_SIZE, back, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "Reply-To is not an age1 recipient");
}
