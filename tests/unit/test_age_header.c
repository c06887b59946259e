/*
 * Strict header parser and header MAC (src/age_header.c).
 * The MAC known answer uses the header of the CCTV "x25519" vector and its
 * file key "YELLOW SUBMARINE"; the expected bytes were computed with Python:
 *   k = hkdf(ikm=fk, salt=b"", info=b"header")   (RFC 5869, L=32)
 *   hmac.new(k, header_through_dashes, hashlib.sha256).hexdigest()
 * and equal the MAC stored in that vector.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "../../src/age_internal.h"

#define A43 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define A22 "AAAAAAAAAAAAAAAAAAAAAA"
#define A64 A43 "AAAAAAAAAAAAAAAAAAAAA"
#define V "age-encryption.org/v1\n"
#define X25519 "-> X25519 " A43 "\n" A43 "\n"
#define MAC "--- " A43 "\n"

static void
setup(void)
{
	cr_assert_geq(sodium_init(), 0);
}

TestSuite(age_header, .init = setup);

static enum sh_status
check(const char *s)
{
	size_t off;

	return age_header_check((const unsigned char *)s, strlen(s), &off);
}

Test(age_header, mac_known_answer)
{
	static const char hdr[] =
		"age-encryption.org/v1\n"
		"-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n"
		"hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE\n"
		"---";
	static const unsigned char fk[16] = "YELLOW SUBMARINE";
	unsigned char mac[32];
	char hex[65];

	age_header_mac(fk, (const unsigned char *)hdr, strlen(hdr), mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	cr_expect_str_eq(hex, "5b2269f45ffd14e661ee025d85eab658825cc0781873c348561ddd77086b70d8");
	/* The space after --- is not covered. */
	age_header_mac(fk, (const unsigned char *)hdr, strlen(hdr) - 1, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	cr_expect_str_neq(hex, "5b2269f45ffd14e661ee025d85eab658825cc0781873c348561ddd77086b70d8");
}

Test(age_header, parse_fields)
{
	static const char s[] = V X25519 "-> grease a!b ~~\n" A64 "\n\n" MAC "payload";
	struct age_header *h = malloc(sizeof *h);
	const unsigned char *u = (const unsigned char *)s;
	size_t off;

	cr_assert_eq(age_header_parse(u, strlen(s), h), SH_OK);
	cr_expect_eq(h->nstanzas, 2);
	cr_expect_eq(h->st[0].nargs, 2);
	cr_expect(age_arg_is(u, &h->st[0], 0, "X25519"));
	cr_expect_eq(h->st[0].bodylen, 32);
	cr_expect_eq(h->st[1].nargs, 3);
	cr_expect(age_arg_is(u, &h->st[1], 1, "a!b"));
	cr_expect(age_arg_is(u, &h->st[1], 2, "~~"));
	cr_expect_eq(h->st[1].bodylen, 48);
	cr_expect_eq(h->payload_off, strlen(s) - strlen("payload"));
	cr_expect_eq(h->mac_input_len, h->payload_off - 45);
	cr_expect_eq(memcmp(s + h->mac_input_len - 3, "---", 3), 0);
	cr_assert_eq(age_header_check(u, strlen(s), &off), SH_OK);
	cr_expect_eq(off, h->payload_off);
	free(h);
}

Test(age_header, accepts)
{
	cr_expect_eq(check(V X25519 MAC), SH_OK);
	cr_expect_eq(check(V "-> grease\n\n" X25519 MAC), SH_OK);           /* empty body */
	cr_expect_eq(check(V "-> a\nAAA/\n" X25519 MAC), SH_OK);
	cr_expect_eq(check(V "-> a\nAAA+\n" X25519 MAC), SH_OK);
	cr_expect_eq(check(V "-> grease\n" A64 "\n" A64 "\nAAAA\n" MAC), SH_OK);
	cr_expect_eq(check(V "-> scrypt " A22 " 18\n" A43 "\n" MAC), SH_OK);
	cr_expect_eq(check(V "-> scrypt " A22 " 22\n" A43 "\n" MAC), SH_OK);
	cr_expect_eq(check(V "-> scrypt " A22 " 1\n" A43 "\n" MAC), SH_OK);
	cr_expect_eq(check(V "-> X25519\n" A43 "\n" MAC), SH_ERR_FORMAT);     /* missing share */
}

Test(age_header, rejects)
{
	static const struct {
		const char *in;
		enum sh_status st;
	} cases[] = {
		{ "", SH_ERR_FORMAT },
		{ "age-encryption.org/v1", SH_ERR_FORMAT },
		{ "age-encryption.org/v1\r\n" X25519 MAC, SH_ERR_FORMAT },
		{ "age-encryption.org/v2\n" X25519 MAC, SH_ERR_VERSION },
		{ "age-encryption.org/V1\n" X25519 MAC, SH_ERR_VERSION },
		{ "-----BEGIN AGE ENCRYPTED FILE-----\n", SH_ERR_FORMAT },
		{ V MAC, SH_ERR_FORMAT },                                       /* no stanza */
		{ V "->\n\n" MAC, SH_ERR_FORMAT },                              /* bare arrow */
		{ V "-> \n\n" MAC, SH_ERR_FORMAT },
		{ V "-> a  b\n\n" MAC, SH_ERR_FORMAT },                         /* empty arg */
		{ V "-> a \n\n" MAC, SH_ERR_FORMAT },                           /* trailing space */
		{ V "->a\n\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\r\n\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\x80\n\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\tb\n\n" MAC, SH_ERR_FORMAT },
		{ V "- > a\n\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\n" A64 "A\n" MAC, SH_ERR_FORMAT },                     /* 65-char line */
		{ V "-> a\n" A64 "\n" MAC, SH_ERR_FORMAT },                      /* no short line */
		{ V "-> a\n" A64 "\n" X25519 MAC, SH_ERR_FORMAT },
		{ V "-> a\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\nAAAAA\n" MAC, SH_ERR_FORMAT },                        /* len % 4 == 1 */
		{ V "-> a\nAA AA\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\nAAAA\r\n" MAC, SH_ERR_FORMAT },
		/* high-bit bytes that libsodium 1.0.18 alone would take as '/' and '+' */
		{ V "-> a\nAAA\xaf\n" MAC, SH_ERR_FORMAT },
		{ V "-> a\nAAA\xab\n" MAC, SH_ERR_FORMAT },
		{ V X25519 "--- \xaf" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", SH_ERR_FORMAT },
		{ V "-> a\n", SH_ERR_FORMAT },                                   /* ends in header */
		{ V X25519, SH_ERR_FORMAT },
		{ V X25519 "---\n", SH_ERR_FORMAT },
		{ V X25519 "---" A43 "\n", SH_ERR_FORMAT },
		{ V X25519 "---  " A43 "\n", SH_ERR_FORMAT },
		{ V X25519 "--- " A43 " \n", SH_ERR_FORMAT },
		{ V X25519 "--- " A43, SH_ERR_FORMAT },
		{ V X25519 "--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB\n", SH_ERR_FORMAT },
		{ V X25519 "--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", SH_ERR_FORMAT },
		{ V X25519 "--- " A43 "A\n", SH_ERR_FORMAT },
		{ V "-> X25519 " A43 " x\n" A43 "\n" MAC, SH_ERR_FORMAT },      /* extra arg */
		{ V "-> X25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> X25519 " A43 "AAAA\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> X25519 " A43 "\n" A64 "\n\n" MAC, SH_ERR_FORMAT },       /* 48-byte body */
		{ V "-> X25519 " A43 "\nAAAA\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 18\n" A43 "\n" X25519 MAC, SH_ERR_FORMAT },
		{ V X25519 "-> scrypt " A22 " 18\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 18\n" A43 "\n-> scrypt " A22 " 18\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 23\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 018\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " +18\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " -1\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 0\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 0x12\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 18a\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 4294967314\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 "\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 18 x\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt AAAAAAAAAAAAAAAAAAAAA 18\n" A43 "\n" MAC, SH_ERR_FORMAT },
		{ V "-> scrypt " A22 " 18\n" A64 "\n\n" MAC, SH_ERR_FORMAT },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_expect_eq(check(cases[i].in), cases[i].st, "case %zu: got %s for %s", i,
		             sh_status_str(check(cases[i].in)), cases[i].in);
}

Test(age_header, every_prefix_fails)
{
	static const char s[] = V X25519 "-> grease x\n" A64 "\nAA\n" MAC;
	size_t n, off;

	for (n = 0; n < strlen(s); n++) {
		unsigned char *p = malloc(n + 1);   /* exact size: ASan sees overreads */

		memcpy(p, s, n);
		cr_assert_eq(age_header_check(p, n, &off), SH_ERR_FORMAT, "prefix %zu", n);
		free(p);
	}
	cr_assert_eq(age_header_check((const unsigned char *)s, strlen(s), &off), SH_OK);
	cr_assert_eq(off, strlen(s));
}

Test(age_header, limits)
{
	size_t cap = AGE_MAX_HEADER + 4096, n = 0, off;
	char *s = malloc(cap);
	int i;

	/* AGE_MAX_STANZAS stanzas are fine, one more is too many. */
	n = (size_t)sprintf(s, V);
	for (i = 0; i < AGE_MAX_STANZAS; i++)
		n += (size_t)sprintf(s + n, "-> g\n\n");
	strcpy(s + n, MAC);
	cr_expect_eq(check(s), SH_OK);
	n += (size_t)sprintf(s + n, "-> g\n\n");
	strcpy(s + n, MAC);
	cr_expect_eq(check(s), SH_ERR_TOO_LARGE);
	/* A body that runs past AGE_MAX_HEADER. */
	n = (size_t)sprintf(s, V "-> g\n");
	while (n + 65 < cap) {
		memcpy(s + n, A64 "\n", 65);
		n += 65;
	}
	s[n] = '\0';
	cr_expect_eq(age_header_check((unsigned char *)s, n, &off), SH_ERR_TOO_LARGE);
	/* Too many arguments. */
	n = (size_t)sprintf(s, V "->");
	for (i = 0; i < AGE_MAX_ARGS + 1; i++)
		n += (size_t)sprintf(s + n, " a");
	strcpy(s + n, "\n\n" MAC);
	cr_expect_eq(check(s), SH_ERR_TOO_LARGE);
	free(s);
}
