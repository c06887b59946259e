/*
 * envelope_seal / envelope_open: the one place record and age meet. A
 * round trip, the digest naming a record exactly, and each refusal with
 * its status (a forgery is SH_ERR_SIGNATURE with the record still shown,
 * a damaged envelope is refused).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/envelope.h"

static struct age_identity id, other;
static struct age_recipient rc[2];
static struct keys_signing *k;
static struct record *r, *back;
static unsigned char *plain;

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	age_identity_generate(&id);
	age_identity_generate(&other);
	age_identity_recipient(&id, &rc[0]);
	age_identity_recipient(&other, &rc[1]);
	k = keys_signing_new();
	r = record_new();
	back = record_new();
	plain = sodium_malloc(SH_RECORD_SIZE);
	cr_assert(k != NULL && r != NULL && back != NULL && plain != NULL);
	crypto_sign_keypair(k->pk, k->sk);
	r->about = RECORD_ABOUT_FRIEND;
	r->danger = RECORD_DANGER_UNSURE;
	cr_assert_eq(record_set_field(r, RECORD_FRIEND_NAME, "Zoë", strlen("Zoë")), SH_OK);
	cr_assert_eq(record_set_message(r, "hello\nthere", 11), SH_OK);
}

static void
teardown(void)
{
	keys_signing_free(k);
	record_free(r);
	record_free(back);
	sodium_free(plain);
}

TestSuite(envelope, .init = setup, .fini = teardown);

static struct age_unlock
unlock_with(const struct age_identity *i)
{
	struct age_unlock u;

	memset(&u, 0, sizeof(u));
	u.ids = i;
	u.nids = 1;
	return u;
}

static unsigned char *
sealed(size_t *len)
{
	unsigned char *ct;

	cr_assert_eq(envelope_seal(r, k, rc, 2, 1795940142, plain, &ct, len), SH_OK);
	cr_assert(sodium_is_zero(plain, SH_RECORD_SIZE), "the padded record is wiped");
	cr_assert_eq(*len, envelope_size(2));
	return ct;
}

Test(envelope, round_trip_with_digest)
{
	struct age_unlock u = unlock_with(&id);
	unsigned char d1[ENVELOPE_DIGEST_LEN], d2[ENVELOPE_DIGEST_LEN];
	const char *why;
	size_t len;
	unsigned char *ct = sealed(&len);

	cr_assert_eq(envelope_open(ct, len, &u, plain, back, d1, &why), SH_OK);
	cr_assert_str_eq(back->id, r->id);
	cr_assert_str_eq(back->created, "2026-11-29T08:00Z");
	cr_assert_str_eq(back->field[RECORD_FRIEND_NAME], "Zoë");
	cr_assert_eq(back->message_len, 11);
	cr_assert_eq(memcmp(back->kiosk_pk, k->pk, sizeof(k->pk)), 0);
	/* the other recipient opens the same record: same digest */
	u = unlock_with(&other);
	cr_assert_eq(envelope_open(ct, len, &u, plain, back, d2, &why), SH_OK);
	cr_assert_eq(memcmp(d1, d2, sizeof(d1)), 0);
	free(ct);
	/* a second sealing is a new record (new id): another digest */
	ct = sealed(&len);
	u = unlock_with(&id);
	cr_assert_eq(envelope_open(ct, len, &u, plain, back, d2, &why), SH_OK);
	cr_assert_neq(memcmp(d1, d2, sizeof(d1)), 0);
	free(ct);
}

Test(envelope, forged_record_opens_as_bad_signature)
{
	struct age_unlock u = unlock_with(&id);
	unsigned char *ct, *p;
	const char *why;
	size_t len;

	cr_assert_eq(record_serialize(r, k, 1795940142, plain), SH_OK);
	p = memmem(plain, SH_RECORD_SIZE, "Zo", 2);
	cr_assert_not_null(p);
	p[0] = 'X';
	cr_assert_eq(age_encrypt_mem(rc, 1, plain, SH_RECORD_SIZE, &ct, &len), SH_OK);
	cr_assert_eq(envelope_open(ct, len, &u, plain, back, NULL, &why), SH_ERR_SIGNATURE);
	cr_assert_str_eq(back->field[RECORD_FRIEND_NAME], "Xoë");
	free(ct);
}

Test(envelope, refusals_leave_nothing)
{
	struct age_unlock u = unlock_with(&id);
	struct age_identity stranger;
	const char *why;
	size_t len;
	unsigned char *ct = sealed(&len);

	/* a flipped payload byte */
	ct[len - 100] ^= 1;
	cr_assert_eq(envelope_open(ct, len, &u, plain, back, NULL, &why), SH_ERR_PAYLOAD);
	cr_assert(sodium_is_zero(plain, SH_RECORD_SIZE));
	cr_assert_eq(back->id[0], '\0');
	ct[len - 100] ^= 1;
	/* cut short: a truncated envelope, said so */
	cr_assert_eq(envelope_open(ct, len - 500, &u, plain, back, NULL, &why), SH_ERR_TRUNCATED);
	cr_assert_str_eq(why, "shorter than a safeharbor envelope");
	/* someone else's key */
	age_identity_generate(&stranger);
	u = unlock_with(&stranger);
	cr_assert_eq(envelope_open(ct, len, &u, plain, back, NULL, &why), SH_ERR_NO_MATCH);
	free(ct);
}
