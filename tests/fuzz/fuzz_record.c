/* record_parse on arbitrary bytes: once as given (exact-size copy, so any
 * over-read is caught), once NUL-padded or cut to SH_RECORD_SIZE so the
 * structure checks are reached. Seeds are record texts without padding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct record *r;
	static unsigned char *padded;
	unsigned char *exact;
	const char *why = NULL;
	enum sh_status st;

	if (r == NULL) {
		if (sodium_init() < 0 || (r = record_new()) == NULL ||
		    (padded = malloc(SH_RECORD_SIZE)) == NULL)
			abort();
	}
	if ((exact = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(exact, data, size);
	st = record_parse(exact, size, r, &why);
	if (why == NULL || (st != SH_OK && st != SH_ERR_SIGNATURE && *why == '\0'))
		abort();
	free(exact);

	memset(padded, 0, SH_RECORD_SIZE);
	memcpy(padded, data, size < SH_RECORD_SIZE ? size : SH_RECORD_SIZE);
	st = record_parse(padded, SH_RECORD_SIZE, r, &why);
	if (st == SH_OK || st == SH_ERR_SIGNATURE) {
		/* what parsed must hold its invariants */
		if (strlen(r->id) != SH_RECORD_ID_HEX || r->message_len > SH_MESSAGE_MAX ||
		    record_check_text(r->message, r->message_len, SH_MESSAGE_MAX,
		                      SH_MESSAGE_MAX_CHARS, 1) != SH_OK)
			abort();
	} else if (why == NULL || *why == '\0') {
		abort();
	}
	return 0;
}
