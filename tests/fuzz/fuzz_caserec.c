/* caserec_parse on arbitrary bytes (case items are files in a spool anyone
 * may write into): once as given, once NUL-padded to SH_RECORD_SIZE so the
 * structure checks are reached, with a fixed key so the MAC path runs too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/caserec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct caserec *c;
	static unsigned char *padded;
	static unsigned char key[1][CASEREC_KEY_LEN];
	unsigned char *exact;
	const char *why = NULL;
	enum sh_status st;

	if (c == NULL) {
		if (sodium_init() < 0 || (c = caserec_new()) == NULL ||
		    (padded = malloc(SH_RECORD_SIZE)) == NULL)
			abort();
		memset(key, 7, sizeof(key));
	}
	if ((exact = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(exact, data, size);
	st = caserec_parse(exact, size, (const unsigned char (*)[CASEREC_KEY_LEN])key, 1, c,
	                   NULL, &why);
	if (why == NULL || (st != SH_OK && st != SH_ERR_SIGNATURE && *why == '\0'))
		abort();
	free(exact);

	memset(padded, 0, SH_RECORD_SIZE);
	memcpy(padded, data, size < SH_RECORD_SIZE ? size : SH_RECORD_SIZE);
	st = caserec_parse(padded, SH_RECORD_SIZE, (const unsigned char (*)[CASEREC_KEY_LEN])key,
	                   1, c, NULL, &why);
	if (st == SH_OK || st == SH_ERR_SIGNATURE) {
		if (strlen(c->request) != SH_RECORD_ID_HEX || c->text_len > CASEREC_TEXT_MAX ||
		    (c->kind == CASE_NOTE && caserec_check_text(c->text, c->text_len) != SH_OK) ||
		    (c->kind != CASE_NOTE && (c->text_len != 0 || c->value < 0)))
			abort();
	} else if (why == NULL || *why == '\0') {
		abort();
	}
	return 0;
}
