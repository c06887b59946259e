/*
 * Folding for search (see textfold.h). libunistring does the Unicode work
 * (u8_casefold with NFD); the only rule written here is which marks an
 * accent-blind search ignores.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unicase.h>
#include <unistr.h>
#include <uninorm.h>

#include "textfold.h"

static int
latin_accent(ucs4_t uc)
{
	return uc >= 0x300 && uc <= 0x36f;
}

/* Appends the folded form of one valid UTF-8 run. */
static int
fold_run(const uint8_t *s, size_t n, uint8_t *out, size_t *pos, size_t cap)
{
	size_t flen = 0, i = 0;
	uint8_t *f;
	ucs4_t uc;
	int k;

	if (n == 0)
		return 0;
	if ((f = u8_casefold(s, n, NULL, UNINORM_NFD, NULL, &flen)) == NULL)
		return -1;
	while (i < flen) {
		if ((k = u8_mbtouc(&uc, f + i, flen - i)) <= 0)
			k = 1;
		if (!latin_accent(uc)) {
			if (*pos + (size_t)k > cap)
				break;
			memcpy(out + *pos, f + i, (size_t)k);
			*pos += (size_t)k;
		}
		i += (size_t)k;
	}
	sodium_memzero(f, flen);
	free(f);
	return 0;
}

char *
textfold(const char *s, size_t len, size_t *outlen)
{
	/* Folding may grow text (ß -> ss, NFD): 3x covers the Latin cases;
	 * anything beyond is cut, which only makes a match less likely. */
	size_t cap = len * 3 + 1, pos = 0, i = 0, run;
	const uint8_t *u = (const uint8_t *)s;
	uint8_t *out;

	if ((out = sodium_malloc(cap + 1)) == NULL)
		return NULL;
	while (i < len && pos < cap) {
		/* the longest valid prefix, then one invalid byte as-is */
		const uint8_t *bad = u8_check(u + i, len - i);

		run = bad == NULL ? len - i : (size_t)(bad - (u + i));
		if (fold_run(u + i, run, out, &pos, cap) != 0) {
			sodium_free(out);
			return NULL;
		}
		i += run;
		if (i < len && pos < cap) {
			uint8_t c = u[i++];

			out[pos++] = c >= 'A' && c <= 'Z' ? (uint8_t)(c + 'a' - 'A') : c;
		}
	}
	out[pos] = '\0';
	*outlen = pos;
	return (char *)out;
}

int
textfold_contains(const char *hay, size_t haylen, const char *needle, size_t nlen)
{
	char *fh, *fn;
	size_t fhl, fnl;
	int r = 0;

	if (nlen == 0)
		return 0;
	if ((fn = textfold(needle, nlen, &fnl)) == NULL)
		return 0;
	if ((fh = textfold(hay, haylen, &fhl)) != NULL) {
		r = fnl > 0 && memmem(fh, fhl, fn, fnl) != NULL;
		sodium_free(fh);
	}
	sodium_free(fn);
	return r;
}
