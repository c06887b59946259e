/* reply_parse on arbitrary bytes, as given (exact-size copy, so any
 * over-read is caught) and NUL-padded or cut to SH_REPLY_SIZE so the
 * structure checks are reached; and replies_open_mem (age layer first) on
 * the same bytes as a sealed file. Seeds are reply texts without padding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/replies.h"
#include "safeharbor/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct reply *r;
	static unsigned char *padded;
	static struct age_identity id;
	unsigned char *exact;
	const char *why = NULL;
	enum sh_status st;

	if (r == NULL) {
		if (sodium_init() < 0 || (r = reply_new()) == NULL ||
		    (padded = malloc(SH_REPLY_SIZE)) == NULL)
			abort();
		memset(id.sk, 7, sizeof id.sk);
		crypto_scalarmult_base(id.pk, id.sk);
	}
	if ((exact = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(exact, data, size);
	st = reply_parse(exact, size, r, &why);
	if (why == NULL || (st != SH_OK && st != SH_ERR_SIGNATURE && *why == '\0'))
		abort();
	(void)replies_open_mem(&id, exact, size, r, &why);
	free(exact);

	memset(padded, 0, SH_REPLY_SIZE);
	memcpy(padded, data, size < SH_REPLY_SIZE ? size : SH_REPLY_SIZE);
	st = reply_parse(padded, SH_REPLY_SIZE, r, &why);
	if (st == SH_OK || st == SH_ERR_SIGNATURE) {
		if (strlen(r->in_reply_to) != SH_RECORD_ID_HEX || r->text_len == 0 ||
		    r->text_len > SH_REPLY_TEXT_MAX ||
		    record_check_text(r->text, r->text_len, SH_REPLY_TEXT_MAX,
		                      SH_REPLY_TEXT_MAX_CHARS, 1) != SH_OK)
			abort();
	} else if (why == NULL || *why == '\0') {
		abort();
	}
	return 0;
}
