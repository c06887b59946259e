/* Identity-file text (age-keygen format) and the kiosk signing key file:
 * both parsers on the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct keys_signing *k;
	struct keys_identities *ids;
	size_t errline = 0, lines = 1, i, before;
	char *text;
	enum sh_status st;

	if (k == NULL && (sodium_init() < 0 || (k = keys_signing_new()) == NULL))
		abort();
	if ((text = malloc(size ? size : 1)) == NULL || (ids = keys_identities_new()) == NULL)
		abort();
	memcpy(text, data, size);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	st = keys_parse_identities(text, size, ids, &errline);
	if (st == SH_OK && (keys_identities_count(ids) == 0 || errline != 0))
		abort();
	if (st != SH_OK && (keys_identities_count(ids) != 0 || errline > lines))
		abort();
	/* a second parse adds, or leaves the set as it was */
	before = keys_identities_count(ids);
	if (keys_parse_identities(text, size, ids, &errline) != SH_OK &&
	    keys_identities_count(ids) != before)
		abort();
	keys_identities_free(ids);

	st = keys_signing_parse(text, size, k);
	if (st == SH_OK) {
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		crypto_sign_ed25519_sk_to_pk(pk, k->sk);
		if (memcmp(pk, k->pk, sizeof(pk)) != 0)
			abort();
	}
	free(text);
	return 0;
}
