/*
 * age key encodings and the two stanza kinds.
 * Keys: age1... (lowercase only) and AGE-SECRET-KEY-1... (uppercase only),
 * exactly 32 bytes, Bech32 not Bech32m. X25519 stanzas: fresh ephemeral per
 * recipient, HKDF salt share||recipient, zero nonce AEAD of the file key; a
 * low-order share (crypto_scalarmult == -1) is a malformed file, not a
 * mismatch. scrypt: label||salt, r=8 p=1, 32-byte key. Every derived secret
 * lives on the stack only for the call and is wiped before return.
 */
#include <string.h>
#include <sodium.h>

#include "age_internal.h"
#include "safeharbor/bech32.h"

static const unsigned char zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

static int
has_upper(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 1;
	return 0;
}

static int
has_lower(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return 1;
	return 0;
}

enum sh_status
age_recipient_parse(const char *s, size_t len, struct age_recipient *out)
{
	char hrp[8];
	size_t n;

	if (s == NULL || len != AGE_RECIPIENT_STRLEN || has_upper(s, len))
		return SH_ERR_FORMAT;
	if (bech32_decode(s, len, hrp, sizeof hrp, out->pk, sizeof out->pk, &n) != SH_OK ||
	    strcmp(hrp, "age") != 0 || n != AGE_KEY_LEN) {
		sodium_memzero(out, sizeof *out);
		return SH_ERR_FORMAT;
	}
	return SH_OK;
}

void
age_recipient_format(const struct age_recipient *r, char out[AGE_RECIPIENT_STRLEN + 1])
{
	if (bech32_encode("age", r->pk, AGE_KEY_LEN, out, AGE_RECIPIENT_STRLEN + 1) != SH_OK)
		out[0] = '\0';
}

enum sh_status
age_identity_parse(const char *s, size_t len, struct age_identity *out)
{
	char hrp[24];
	size_t n;

	if (s == NULL || len != AGE_IDENTITY_STRLEN || has_lower(s, len))
		return SH_ERR_FORMAT;
	if (bech32_decode(s, len, hrp, sizeof hrp, out->sk, sizeof out->sk, &n) != SH_OK ||
	    strcmp(hrp, "age-secret-key-") != 0 || n != AGE_KEY_LEN ||
	    crypto_scalarmult_base(out->pk, out->sk) != 0) {
		sodium_memzero(out, sizeof *out);
		return SH_ERR_FORMAT;
	}
	return SH_OK;
}

void
age_identity_format(const struct age_identity *id, char out[AGE_IDENTITY_STRLEN + 1])
{
	size_t i;

	if (bech32_encode("age-secret-key-", id->sk, AGE_KEY_LEN, out,
	                  AGE_IDENTITY_STRLEN + 1) != SH_OK) {
		sodium_memzero(out, AGE_IDENTITY_STRLEN + 1);
		return;
	}
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'a' && out[i] <= 'z')
			out[i] = (char)(out[i] - 'a' + 'A');
}

void
age_identity_generate(struct age_identity *out)
{
	do
		randombytes_buf(out->sk, sizeof out->sk);
	while (crypto_scalarmult_base(out->pk, out->sk) != 0);
}

void
age_identity_recipient(const struct age_identity *id, struct age_recipient *out)
{
	memcpy(out->pk, id->pk, AGE_KEY_LEN);
}

enum sh_status
age_x25519_wrap(const struct age_recipient *r,
                const unsigned char fk[AGE_FILE_KEY_LEN],
                unsigned char share[32], unsigned char body[32])
{
	unsigned char eph[32], ss[32], salt[64], key[32];
	enum sh_status st = SH_OK;

	randombytes_buf(eph, sizeof eph);
	if (crypto_scalarmult_base(share, eph) != 0 ||
	    crypto_scalarmult(ss, eph, r->pk) != 0) {
		/* A low-order recipient key: refuse rather than wrap to zero. */
		st = SH_ERR_FORMAT;
		goto out;
	}
	memcpy(salt, share, 32);
	memcpy(salt + 32, r->pk, 32);
	age_hkdf_sha256(ss, sizeof ss, salt, sizeof salt, AGE_X25519_LABEL, key);
	crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, fk, AGE_FILE_KEY_LEN,
	                                          NULL, 0, NULL, zero_nonce, key);
out:
	sodium_memzero(eph, sizeof eph);
	sodium_memzero(ss, sizeof ss);
	sodium_memzero(key, sizeof key);
	return st;
}

enum sh_status
age_x25519_unwrap(const struct age_identity *id, const unsigned char share[32],
                  const unsigned char body[32], unsigned char fk[AGE_FILE_KEY_LEN])
{
	unsigned char ss[32], salt[64], key[32];
	enum sh_status st = SH_OK;

	if (crypto_scalarmult(ss, id->sk, share) != 0) {
		st = SH_ERR_FORMAT;
		goto out;
	}
	memcpy(salt, share, 32);
	memcpy(salt + 32, id->pk, 32);
	age_hkdf_sha256(ss, sizeof ss, salt, sizeof salt, AGE_X25519_LABEL, key);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(fk, NULL, NULL, body, 32,
	                                              NULL, 0, zero_nonce, key) != 0)
		st = SH_ERR_NO_MATCH;
out:
	sodium_memzero(ss, sizeof ss);
	sodium_memzero(key, sizeof key);
	return st;
}

static int
scrypt_key(const char *pass, size_t passlen, int logn, const unsigned char salt[16],
           unsigned char key[32])
{
	unsigned char s[sizeof AGE_SCRYPT_LABEL - 1 + 16];

	memcpy(s, AGE_SCRYPT_LABEL, sizeof AGE_SCRYPT_LABEL - 1);
	memcpy(s + sizeof AGE_SCRYPT_LABEL - 1, salt, 16);
	return crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)pass, passlen,
	                                             s, sizeof s, (uint64_t)1 << logn,
	                                             8, 1, key, 32);
}

enum sh_status
age_scrypt_wrap(const char *pass, size_t passlen, int logn,
                const unsigned char fk[AGE_FILE_KEY_LEN],
                unsigned char salt[16], unsigned char body[32])
{
	unsigned char key[32];

	randombytes_buf(salt, 16);
	if (scrypt_key(pass, passlen, logn, salt, key) != 0) {
		sodium_memzero(key, sizeof key);
		return SH_ERR_NOMEM;
	}
	crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, fk, AGE_FILE_KEY_LEN,
	                                          NULL, 0, NULL, zero_nonce, key);
	sodium_memzero(key, sizeof key);
	return SH_OK;
}

enum sh_status
age_scrypt_unwrap(const char *pass, size_t passlen, int logn,
                  const unsigned char salt[16], const unsigned char body[32],
                  unsigned char fk[AGE_FILE_KEY_LEN])
{
	unsigned char key[32];
	enum sh_status st = SH_OK;

	if (scrypt_key(pass, passlen, logn, salt, key) != 0)
		st = SH_ERR_NOMEM;
	else if (crypto_aead_chacha20poly1305_ietf_decrypt(fk, NULL, NULL, body, 32,
	                                                   NULL, 0, zero_nonce, key) != 0)
		st = SH_ERR_PASSPHRASE;
	sodium_memzero(key, sizeof key);
	return st;
}
