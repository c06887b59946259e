/* What a student types as a code (replycode_normalize), a screens word
 * list (replycode_words_parse) and a kiosk's staff_keys file
 * (keys_parse_staff), on arbitrary bytes. The first byte picks the parser.
 * A normalised code must be 4-6 words of a-z joined by single hyphens and
 * normalise to itself; the Argon2id derivation takes any such code (it is
 * run on the first valid code of a run only: 64 MiB and a second each). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/keys.h"
#include "safeharbor/replycode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_code(const char *c, size_t n)
{
	static int derived;
	static struct age_identity id;
	char again[REPLYCODE_MAX + 1];
	size_t i, words = 1, n2;

	if (n == 0 || n > REPLYCODE_MAX || strlen(c) != n || c[0] == '-' || c[n - 1] == '-')
		abort();
	for (i = 0; i < n; i++) {
		if (c[i] == '-') {
			if (c[i + 1] == '-')
				abort();
			words++;
		} else if (c[i] < 'a' || c[i] > 'z') {
			abort();
		}
	}
	if (words < REPLYCODE_MIN_WORDS || words > REPLYCODE_MAX_WORDS)
		abort();
	if (replycode_normalize(c, n, again, &n2) != SH_OK || n2 != n || memcmp(c, again, n) != 0)
		abort();
	if (!derived) {
		derived = 1;
		if (replycode_derive(c, n, &id) != SH_OK)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[REPLYCODE_MAX + 1], *text;
	unsigned char staff[8][crypto_sign_PUBLICKEYBYTES];
	struct replycode_words *w = NULL;
	size_t n, el;
	const char *why;

	if (size == 0 || sodium_init() < 0)
		return 0;
	if ((text = malloc(size - 1 ? size - 1 : 1)) == NULL)
		abort();
	memcpy(text, data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		if (replycode_normalize(text, size - 1, out, &n) == SH_OK)
			check_code(out, n);
		break;
	case 1:
		if (replycode_words_parse(text, size - 1, &w, &el, &why) == SH_OK) {
			if (replycode_words_count(w) < REPLYCODE_LIST_MIN ||
			    replycode_make(w, out, sizeof out) != SH_OK)
				abort();
			check_code(out, strlen(out));
		}
		replycode_words_free(w);
		break;
	default:
		(void)keys_parse_staff(text, size - 1, staff, 8, &n, &el);
		break;
	}
	free(text);
	return 0;
}
