/*
 * Shared pieces of the line-based plaintexts (recline.h): one bounded
 * field reader, one id check, one padding check.
 */
#include <string.h>

#include "safeharbor/record.h"
#include "safeharbor/recline.h"

int
recline_take(struct recline *in, const char *name, const char **value, size_t *vlen)
{
	size_t nlen = strlen(name), rest = in->len - in->pos;
	const unsigned char *p = in->buf + in->pos, *nl;

	if (rest < nlen + 3 || memcmp(p, name, nlen) != 0 ||
	    p[nlen] != ':' || p[nlen + 1] != ' ')
		return -1;
	nl = memchr(p + nlen + 2, '\n', rest - nlen - 2);
	if (nl == NULL || memchr(p, '\0', (size_t)(nl - p)) != NULL)
		return -1;
	*value = (const char *)p + nlen + 2;
	*vlen = (size_t)(nl - (p + nlen + 2));
	in->pos += (size_t)(nl - p) + 1;
	return 0;
}

int
recline_check_id(const char *v, size_t n)
{
	size_t i;

	if (n != SH_RECORD_ID_HEX)
		return -1;
	for (i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
			return -1;
	return 0;
}

/* memcmp against itself shifted by one byte: all NUL iff the first byte is
 * NUL and every byte equals the next. Several times faster than
 * sodium_is_zero on 16 KiB; where a stray byte sits in the padding is no
 * secret worth guarding, and the text is refused either way. */
int
recline_all_nul(const unsigned char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}
