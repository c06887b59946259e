/*
 * age key encodings and X25519/scrypt stanza wrap/unwrap (src/age_keys.c).
 * Known answer: the CCTV test identity; its recipient was computed with
 * `age-keygen -y`, its raw bytes with an independent Python Bech32 decode.
 */
#include <string.h>
#include <criterion/criterion.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "../../src/age_internal.h"

static const char kat_sk[] =
	"AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
static const char kat_pk[] =
	"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef";
static const unsigned char kat_sk_raw[32] = {
	0xca, 0x16, 0x26, 0x25, 0x2c, 0x53, 0xcf, 0x1a, 0x4d, 0xc4, 0x66, 0x95, 0xe7, 0xfc, 0xc4, 0x65,
	0x94, 0xcb, 0x4c, 0xca, 0xde, 0xdb, 0x67, 0x12, 0xdf, 0xda, 0x07, 0x53, 0xf3, 0xae, 0x35, 0x5e,
};
static const unsigned char kat_pk_raw[32] = {
	0x36, 0xdc, 0xec, 0x3f, 0x5f, 0x24, 0x73, 0x9a, 0x0c, 0x8b, 0x36, 0xcb, 0xb4, 0xff, 0xa2, 0x57,
	0x29, 0xa9, 0x4a, 0x51, 0xd4, 0x1f, 0xb2, 0x05, 0xa3, 0x74, 0x19, 0xfe, 0x7f, 0x5a, 0xdb, 0x2a,
};

static void
setup(void)
{
	cr_assert_geq(sodium_init(), 0);
}

TestSuite(age_keys, .init = setup);

Test(age_keys, known_identity)
{
	struct age_identity *id = sodium_malloc(sizeof *id);
	struct age_recipient r;
	char s[AGE_IDENTITY_STRLEN + 1], p[AGE_RECIPIENT_STRLEN + 1];

	cr_assert_eq(age_identity_parse(kat_sk, strlen(kat_sk), id), SH_OK);
	cr_expect_eq(memcmp(id->sk, kat_sk_raw, 32), 0);
	cr_expect_eq(memcmp(id->pk, kat_pk_raw, 32), 0);
	age_identity_recipient(id, &r);
	age_recipient_format(&r, p);
	cr_expect_str_eq(p, kat_pk);
	age_identity_format(id, s);
	cr_expect_str_eq(s, kat_sk);
	cr_assert_eq(age_recipient_parse(kat_pk, strlen(kat_pk), &r), SH_OK);
	cr_expect_eq(memcmp(r.pk, kat_pk_raw, 32), 0);
	sodium_memzero(s, sizeof s);
	sodium_free(id);
}

Test(age_keys, rejects)
{
	static const char *bad_pk[] = {
		"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4qqzngut", /* Bech32m */
		"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv20te3u",   /* 31 bytes */
		"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4qqe76j06",/* 33 bytes */
		"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4pggh3ym", /* padding */
		"agf1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4qar6thz", /* hrp */
		"AGE1XMWWC06LY3EE5RYTXM9MFLAZ2U56JJJ36S0MYPDRWSVLUL66MV4Q47RYEF", /* upper */
		"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryeF", /* mixed */
		"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryeg", /* checksum */
		"age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47rye",  /* short */
		"",
	};
	static const char *bad_sk[] = {
		"age-secret-key-1egtzvffv20835nwyv6270lxyvk2vknx2mmdkwyklmgr48uawx40q2p2lm0",
		"AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0 ",
		"AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2Lm0",
		"AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40QLA6N7D", /* Bech32m */
		"AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM1",
		"AGE1XMWWC06LY3EE5RYTXM9MFLAZ2U56JJJ36S0MYPDRWSVLUL66MV4Q47RYEF",
	};
	struct age_recipient r;
	struct age_identity *id = sodium_malloc(sizeof *id);
	size_t i;

	for (i = 0; i < sizeof bad_pk / sizeof bad_pk[0]; i++)
		cr_expect_eq(age_recipient_parse(bad_pk[i], strlen(bad_pk[i]), &r), SH_ERR_FORMAT,
		             "accepted %s", bad_pk[i]);
	for (i = 0; i < sizeof bad_sk / sizeof bad_sk[0]; i++)
		cr_expect_eq(age_identity_parse(bad_sk[i], strlen(bad_sk[i]), id), SH_ERR_FORMAT,
		             "accepted %s", bad_sk[i]);
	/* A secret key is not a recipient and vice versa. */
	cr_expect_eq(age_recipient_parse(kat_sk, strlen(kat_sk), &r), SH_ERR_FORMAT);
	cr_expect_eq(age_identity_parse(kat_pk, strlen(kat_pk), id), SH_ERR_FORMAT);
	sodium_free(id);
}

Test(age_keys, generate_round_trip)
{
	struct age_identity *a = sodium_malloc(sizeof *a), *b = sodium_malloc(sizeof *b);
	struct age_recipient r, r2;
	char s[AGE_IDENTITY_STRLEN + 1], p[AGE_RECIPIENT_STRLEN + 1];
	int i;

	for (i = 0; i < 20; i++) {
		age_identity_generate(a);
		age_identity_format(a, s);
		cr_assert_eq(strlen(s), AGE_IDENTITY_STRLEN);
		cr_assert_eq(strncmp(s, "AGE-SECRET-KEY-1", 16), 0);
		cr_assert_eq(age_identity_parse(s, strlen(s), b), SH_OK);
		cr_assert_eq(memcmp(a, b, sizeof *a), 0);
		age_identity_recipient(a, &r);
		age_recipient_format(&r, p);
		cr_assert_eq(strlen(p), AGE_RECIPIENT_STRLEN);
		cr_assert_eq(strncmp(p, "age1", 4), 0);
		cr_assert_eq(age_recipient_parse(p, strlen(p), &r2), SH_OK);
		cr_assert_eq(memcmp(r.pk, r2.pk, 32), 0);
	}
	sodium_memzero(s, sizeof s);
	sodium_free(a);
	sodium_free(b);
}

Test(age_keys, x25519_wrap_unwrap)
{
	struct age_identity *id = sodium_malloc(sizeof *id), *other = sodium_malloc(sizeof *other);
	struct age_recipient r;
	unsigned char fk[16], back[16], share[32], share2[32], body[32];
	static const unsigned char zero[32];

	age_identity_generate(id);
	age_identity_generate(other);
	age_identity_recipient(id, &r);
	randombytes_buf(fk, sizeof fk);
	cr_assert_eq(age_x25519_wrap(&r, fk, share, body), SH_OK);
	cr_assert_eq(age_x25519_unwrap(id, share, body, back), SH_OK);
	cr_assert_eq(memcmp(fk, back, 16), 0);
	cr_assert_eq(age_x25519_unwrap(other, share, body, back), SH_ERR_NO_MATCH);
	body[5] ^= 1;
	cr_assert_eq(age_x25519_unwrap(id, share, body, back), SH_ERR_NO_MATCH);
	body[5] ^= 1;
	/* a fresh ephemeral every time */
	cr_assert_eq(age_x25519_wrap(&r, fk, share2, body), SH_OK);
	cr_assert_neq(memcmp(share, share2, 32), 0);
	/* low-order share: a malformed file, not "not for me" */
	cr_assert_eq(age_x25519_unwrap(id, zero, body, back), SH_ERR_FORMAT);
	/* low-order recipient: refuse to wrap */
	memset(r.pk, 0, sizeof r.pk);
	cr_assert_eq(age_x25519_wrap(&r, fk, share, body), SH_ERR_FORMAT);
	sodium_free(id);
	sodium_free(other);
}

Test(age_keys, scrypt_wrap_unwrap)
{
	unsigned char fk[16], back[16], salt[16], body[32];

	randombytes_buf(fk, sizeof fk);
	cr_assert_eq(age_scrypt_wrap("pw", 2, 10, fk, salt, body), SH_OK);
	cr_assert_eq(age_scrypt_unwrap("pw", 2, 10, salt, body, back), SH_OK);
	cr_assert_eq(memcmp(fk, back, 16), 0);
	cr_assert_eq(age_scrypt_unwrap("pW", 2, 10, salt, body, back), SH_ERR_PASSPHRASE);
	cr_assert_eq(age_scrypt_unwrap("pw", 2, 11, salt, body, back), SH_ERR_PASSPHRASE);
	salt[0] ^= 1;
	cr_assert_eq(age_scrypt_unwrap("pw", 2, 10, salt, body, back), SH_ERR_PASSPHRASE);
}
