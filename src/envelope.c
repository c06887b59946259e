/*
 * Envelope seal and open (see envelope.h). Decisions: sealing never leaves
 * the padded plaintext outside the caller's locked buffer; opening decrypts
 * straight into the caller's reused locked buffer (one per opener, so a
 * listing of 10,000 allocates no locked memory per file) and reports a
 * short-but-authentic payload as a truncated envelope rather than an age
 * error, since one record is exactly one STREAM chunk. The digest covers
 * the bytes before the NUL padding (the padding is checked to be all NUL),
 * so it is cheap and still names the record exactly.
 * Non-goals: files larger than one chunk (replies and notes have their own
 * record types), streaming.
 */
#include <string.h>
#include <sodium.h>

#include "safeharbor/envelope.h"

/* One record is one STREAM chunk: nonce, the padded record, the tag. */
#define ENVELOPE_PAYLOAD (16 + SH_RECORD_SIZE + crypto_aead_chacha20poly1305_ietf_ABYTES)

size_t
envelope_size(size_t nrecipients)
{
	return age_encrypted_size(nrecipients, SH_RECORD_SIZE);
}

enum sh_status
envelope_seal(struct record *r, const struct keys_signing *k, const struct age_recipient *rc,
              size_t nr, time_t now, unsigned char *plain, unsigned char **out, size_t *outlen)
{
	enum sh_status st;

	*out = NULL;
	*outlen = 0;
	if (r == NULL || k == NULL || rc == NULL || nr == 0 || plain == NULL)
		return SH_ERR_USAGE;
	st = record_serialize(r, k, now, plain);
	if (st == SH_OK)
		st = age_encrypt_mem(rc, nr, plain, SH_RECORD_SIZE, out, outlen);
	sodium_memzero(plain, SH_RECORD_SIZE);
	return st;
}

enum sh_status
envelope_open(const unsigned char *in, size_t inlen, const struct age_unlock *u,
              unsigned char *plain, struct record *r,
              unsigned char digest[ENVELOPE_DIGEST_LEN], const char **why)
{
	size_t off = 0, ptlen = 0;
	enum sh_status st;

	*why = NULL;
	st = age_decrypt_into(u, in, inlen, plain, SH_RECORD_SIZE, &ptlen);
	if ((st == SH_ERR_PAYLOAD || st == SH_ERR_TRUNCATED) &&
	    age_header_check(in, inlen, &off) == SH_OK && inlen - off < ENVELOPE_PAYLOAD) {
		st = SH_ERR_TRUNCATED;
		*why = "shorter than a safeharbor envelope";
	}
	if (st != SH_OK) {
		if (st == SH_ERR_TOO_LARGE && age_header_check(in, inlen, &off) == SH_OK)
			*why = "plaintext larger than a record";
		sodium_memzero(plain, SH_RECORD_SIZE);
		record_clear(r);
		return st;
	}
	st = record_parse(plain, ptlen, r, why);
	if (st != SH_OK && st != SH_ERR_SIGNATURE) {
		record_clear(r);
		sodium_memzero(plain, SH_RECORD_SIZE);
		return st;
	}
	if (digest != NULL)
		crypto_generichash(digest, ENVELOPE_DIGEST_LEN, plain, r->used, NULL, 0);
	return st;
}
