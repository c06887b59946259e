/* Recipients files (age -R format), and the kiosk public token parser on
 * the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct age_recipient r[4];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char tok[KEYS_KIOSK_STRLEN + 1];
	size_t n = 0, errline = 0;
	char *text;
	enum sh_status st;

	if ((text = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(text, data, size);
	st = keys_parse_recipients(text, size, r, 4, &n, &errline);
	if (st == SH_OK && (n == 0 || n > 4))
		abort();
	if (keys_kiosk_parse(text, size, pk) == SH_OK) {
		keys_kiosk_format(pk, tok);
		if (size != KEYS_KIOSK_STRLEN || memcmp(tok, text, size) != 0)
			abort();
	}
	free(text);
	return 0;
}
