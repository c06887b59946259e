/* Splitting a passphrase file (see passlines.h); pure, so it is fuzzed. */
#include "passlines.h"

size_t
passlines_split(const char *buf, size_t n, size_t start[PASSLINES_MAX],
                size_t len[PASSLINES_MAX])
{
	size_t i, s = 0, k = 0, l;

	for (i = 0; i <= n && k < PASSLINES_MAX; i++) {
		if (i < n && buf[i] != '\n')
			continue;
		l = i - s;
		if (l > 0 && buf[s + l - 1] == '\r')
			l--;
		if (l > 0 && l <= PASSLINES_LEN_MAX) {
			start[k] = s;
			len[k++] = l;
		}
		s = i + 1;
	}
	return k;
}
