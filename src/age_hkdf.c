/*
 * HKDF-SHA256 (RFC 5869) with L = 32, the only length age needs: one
 * Extract, one Expand block. Built on libsodium's streaming HMAC because the
 * one-shot form insists on a 32-byte key and age's salts are 0, 16 or 64 B.
 */
#include <string.h>
#include <sodium.h>

#include "safeharbor/age.h"

void
age_hkdf_sha256(const unsigned char *ikm, size_t ikmlen,
                const unsigned char *salt, size_t saltlen,
                const char *info, unsigned char out[32])
{
	static const unsigned char zero_salt[32];
	static const unsigned char one = 1;
	crypto_auth_hmacsha256_state st;
	unsigned char prk[crypto_auth_hmacsha256_BYTES];

	if (saltlen == 0) {
		salt = zero_salt;
		saltlen = sizeof zero_salt;
	}
	crypto_auth_hmacsha256_init(&st, salt, saltlen);
	crypto_auth_hmacsha256_update(&st, ikm, ikmlen);
	crypto_auth_hmacsha256_final(&st, prk);

	crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)info, strlen(info));
	crypto_auth_hmacsha256_update(&st, &one, 1);
	crypto_auth_hmacsha256_final(&st, out);

	sodium_memzero(&st, sizeof st);
	sodium_memzero(prk, sizeof prk);
}
