/* Bech32 (BIP173) encoder/decoder: BIP173 vectors, round trips, rejects. */
#include <string.h>
#include <criterion/criterion.h>
#include <sodium.h>

#include "safeharbor/bech32.h"

static enum sh_status
dec(const char *s, char *hrp, unsigned char *data, size_t *len)
{
	return bech32_decode(s, strlen(s), hrp, 128, data, 128, len);
}

Test(bech32, bip173_valid_checksums)
{
	static const char *valid[] = {
		"A12UEL5L",
		"a12uel5l",
		"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
		"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		"?1ezyfcl",
	};
	char hrp[128];
	unsigned char data[128];
	size_t i, len;

	for (i = 0; i < sizeof valid / sizeof valid[0]; i++)
		cr_expect_eq(dec(valid[i], hrp, data, &len), SH_OK, "%s", valid[i]);
	cr_assert_eq(dec("A12UEL5L", hrp, data, &len), SH_OK);
	cr_expect_str_eq(hrp, "a");
	cr_expect_eq(len, 0);
	cr_assert_eq(dec("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", hrp, data, &len), SH_OK);
	cr_expect_str_eq(hrp, "abcdef");
	/* data part = the 32 charset symbols 0..31 in order = 20 bytes */
	cr_expect_eq(len, 20);
	cr_expect_eq(data[0], 0x00);
	cr_expect_eq(data[1], 0x44);
	cr_expect_eq(data[19], 0xdf);
}

Test(bech32, bip173_invalid)
{
	static const char *invalid[] = {
		"\x20" "1nwldj5",        /* hrp character out of range */
		"\x7f" "1axkwrx",
		"\x80" "1eym55h",
		"pzry9x0s0muk",           /* no separator */
		"1pzry9x0s0muk",          /* empty hrp */
		"x1b4n0q5v",              /* invalid data character */
		"li1dgmt3",               /* checksum too short */
		"de1lg7wt\xff",           /* invalid character in checksum */
		"A1G7SGD8",               /* checksum computed over uppercase hrp */
		"10a06t8",                /* empty hrp */
		"1qzzfhee",               /* empty hrp */
		"A12uEL5L",               /* mixed case */
		"a12uel5m",               /* one symbol changed */
		"A1LQFN3A",               /* Bech32m (BIP350) checksums */
		"a1lqfn3a",
		"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
		"?1v759aa",
	};
	char hrp[128];
	unsigned char data[128];
	size_t i, len;

	for (i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		cr_expect_eq(dec(invalid[i], hrp, data, &len), SH_ERR_FORMAT, "accepted %s", invalid[i]);
	/* Not NUL-terminated input: length is honoured. */
	cr_expect_eq(bech32_decode("a12uel5lXXXX", 8, hrp, sizeof hrp, data, sizeof data, &len), SH_OK);
	cr_expect_eq(bech32_decode("a12uel5lXXXX", 9, hrp, sizeof hrp, data, sizeof data, &len),
	             SH_ERR_FORMAT);
}

Test(bech32, no_90_char_limit)
{
	/* BIP173 rejects this only for its length; age dropped that limit. */
	char hrp[128];
	unsigned char data[128];
	size_t len;

	cr_expect_eq(dec("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
	                 hrp, data, &len), SH_OK);
}

Test(bech32, round_trips)
{
	unsigned char data[100], back[100];
	char s[256], hrp[32];
	size_t n, len;

	cr_assert_geq(sodium_init(), 0);
	for (n = 0; n <= sizeof data; n++) {
		randombytes_buf(data, n);
		cr_assert_eq(bech32_encode("test", data, n, s, sizeof s), SH_OK);
		cr_assert_eq(strlen(s), 4 + 1 + (n * 8 + 4) / 5 + 6);
		cr_assert_eq(bech32_decode(s, strlen(s), hrp, sizeof hrp, back, sizeof back, &len),
		             SH_OK, "n=%zu %s", n, s);
		cr_assert_str_eq(hrp, "test");
		cr_assert_eq(len, n);
		cr_assert_eq(memcmp(data, back, n), 0);
		if (n > 0) {
			/* any single-symbol change breaks the checksum */
			size_t pos = 5 + (size_t)randombytes_uniform((uint32_t)(strlen(s) - 5));
			s[pos] = s[pos] == 'q' ? 'p' : 'q';
			cr_assert_eq(bech32_decode(s, strlen(s), hrp, sizeof hrp, back, sizeof back,
			                           &len), SH_ERR_FORMAT, "n=%zu %s", n, s);
		}
	}
}

Test(bech32, buffer_limits)
{
	unsigned char data[32] = { 0 }, back[31];
	char s[80], hrp[4];
	size_t len;

	cr_expect_eq(bech32_encode("age", data, 32, s, 62), SH_ERR_TOO_LARGE);
	cr_assert_eq(bech32_encode("age", data, 32, s, 63), SH_OK);
	cr_expect_eq(strlen(s), 62);
	/* data buffer one byte short, hrp buffer too small */
	cr_expect_eq(bech32_decode(s, 62, hrp, sizeof hrp, back, sizeof back, &len), SH_ERR_FORMAT);
	cr_expect_eq(bech32_decode(s, 62, hrp, 3, data, sizeof data, &len), SH_ERR_FORMAT);
	cr_expect_eq(bech32_decode(s, 62, hrp, sizeof hrp, data, sizeof data, &len), SH_OK);
	cr_expect_eq(len, 32);
}
