/*
 * libFuzzer: envelope_open, the one door every envelope from a spool goes
 * through, with a fixed identity (the CCTV age test key; the seeds are
 * envelopes sealed to it, valid, forged, cut and padded wrong). Checks: a
 * refusal wipes the plaintext buffer and clears the record; a record that
 * opens holds its invariants; the digest is the same for the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/envelope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char identity[] =
	"AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct age_identity *id;
	static struct record *r;
	static unsigned char *plain;
	unsigned char d1[ENVELOPE_DIGEST_LEN], d2[ENVELOPE_DIGEST_LEN], *exact;
	struct age_unlock u;
	const char *why;
	enum sh_status st;

	if (id == NULL) {
		if (sodium_init() < 0 || (id = sodium_malloc(sizeof(*id))) == NULL ||
		    (r = record_new()) == NULL || (plain = sodium_malloc(SH_RECORD_SIZE)) == NULL ||
		    age_identity_parse(identity, sizeof(identity) - 1, id) != SH_OK)
			abort();
	}
	memset(&u, 0, sizeof(u));
	u.ids = id;
	u.nids = 1;
	/* an exact-size copy, so any over-read is caught */
	if ((exact = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(exact, data, size);
	st = envelope_open(exact, size, &u, plain, r, d1, &why);
	if (st == SH_OK || st == SH_ERR_SIGNATURE) {
		if (strlen(r->id) != SH_RECORD_ID_HEX || r->message_len > SH_MESSAGE_MAX ||
		    r->used == 0 || r->used > SH_RECORD_SIZE ||
		    !sodium_is_zero(plain + r->used, SH_RECORD_SIZE - r->used))
			abort();
		if (envelope_open(exact, size, &u, plain, r, d2, &why) != st ||
		    memcmp(d1, d2, sizeof(d1)) != 0)
			abort();
	} else if (!sodium_is_zero(plain, SH_RECORD_SIZE) || r->id[0] != '\0') {
		abort();
	}
	sodium_memzero(plain, SH_RECORD_SIZE);
	record_clear(r);
	free(exact);
	return 0;
}
