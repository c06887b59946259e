/*
 * HKDF-SHA256 known answers. RFC 5869 test cases 1 and 3 (first 32 bytes of
 * the OKM, since age only uses L = 32). The age labels were computed with
 * Python: prk = hmac.new(salt or b"\0"*32, ikm, sha256).digest();
 * okm = hmac.new(prk, info + b"\x01", sha256).digest().
 */
#include <string.h>
#include <criterion/criterion.h>
#include <sodium.h>

#include "safeharbor/age.h"

static void
expect_hex(const unsigned char got[32], const char *want)
{
	char hex[65];

	sodium_bin2hex(hex, sizeof hex, got, 32);
	cr_expect_str_eq(hex, want);
}

Test(age_hkdf, rfc5869_case1)
{
	unsigned char ikm[22], salt[13], out[32];
	char info[11];
	int i;

	memset(ikm, 0x0b, sizeof ikm);
	for (i = 0; i < 13; i++)
		salt[i] = (unsigned char)i;
	for (i = 0; i < 10; i++)
		info[i] = (char)(0xf0 + i);
	info[10] = '\0';
	age_hkdf_sha256(ikm, sizeof ikm, salt, sizeof salt, info, out);
	expect_hex(out, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
}

Test(age_hkdf, rfc5869_case3_empty_salt_info)
{
	unsigned char ikm[22], out[32];

	memset(ikm, 0x0b, sizeof ikm);
	age_hkdf_sha256(ikm, sizeof ikm, NULL, 0, "", out);
	expect_hex(out, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
}

Test(age_hkdf, age_labels)
{
	/* file key "YELLOW SUBMARINE" as in the CCTV vectors */
	static const unsigned char fk[16] = "YELLOW SUBMARINE";
	unsigned char nonce[16], out[32];
	int i;

	age_hkdf_sha256(fk, sizeof fk, NULL, 0, "header", out);
	expect_hex(out, "a4bf3b9f4e908993e678eb71e558faedac5829d1d632c50225217c066fec77d2");
	for (i = 0; i < 16; i++)
		nonce[i] = (unsigned char)i;
	age_hkdf_sha256(fk, sizeof fk, nonce, sizeof nonce, "payload", out);
	expect_hex(out, "4a110fa16dcea155c86d253602606e9eb4d6e2adcc402cf0e5b381eb62944568");
}
