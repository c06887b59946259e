#ifndef SAFEHARBOR_ENVELOPE_H
#define SAFEHARBOR_ENVELOPE_H

/*
 * The envelope: one record, signed by its kiosk, NUL-padded to
 * SH_RECORD_SIZE and sealed as an age v1 file to the recipients (SPEC §5).
 * The only place that composes record and age: the kiosk, the tool, the
 * test tools and the benches seal and open through here.
 *
 * Trust: envelope_open says whether the signature verifies and which key
 * made it (r->kiosk_pk); whether that key is an enrolled kiosk is the
 * reader's list (the tool's kiosks file), checked against these same bytes.
 */

#include <stddef.h>
#include <time.h>
#include "safeharbor/age.h"
#include "safeharbor/keys.h"
#include "safeharbor/record.h"
#include "safeharbor/status.h"

#define ENVELOPE_DIGEST_LEN 16

/* Size of every envelope sealed to nrecipients X25519 recipients. */
size_t envelope_size(size_t nrecipients);

/* Give r a fresh id and the creation time, sign, pad and seal it to the
 * nr recipients. plain is SH_RECORD_SIZE bytes of the caller's locked
 * memory, used for the padded record and wiped before returning. *out is
 * malloc'd (ciphertext is not secret), envelope_size(nr) bytes. r is left
 * as it was (with its new id); the caller clears it. */
enum sh_status envelope_seal(struct record *r, const struct keys_signing *k,
                             const struct age_recipient *rc, size_t nr, time_t now,
                             unsigned char *plain, unsigned char **out, size_t *outlen);

/* Open an envelope's bytes: decrypt into plain (SH_RECORD_SIZE bytes of
 * locked memory, wiped on failure), parse strictly and verify the
 * signature. SH_OK: r filled, signature valid. SH_ERR_SIGNATURE: r filled,
 * signature bad (show as "not from an enrolled kiosk"). Anything else is a
 * refusal (age errors; SH_ERR_TRUNCATED "shorter than a safeharbor
 * envelope"; record errors), *why a short static detail or NULL, r
 * cleared. digest (may be NULL) receives a digest of the signed bytes when
 * r is filled: two envelopes hold the same record exactly when their
 * digests match, and a display can check it shows the bytes it judged. */
enum sh_status envelope_open(const unsigned char *in, size_t inlen, const struct age_unlock *u,
                             unsigned char *plain, struct record *r,
                             unsigned char digest[ENVELOPE_DIGEST_LEN], const char **why);

#endif
