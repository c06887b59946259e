/*
 * Short record ids: the shortest prefix unique in the queue, at least
 * IDPREFIX_MIN digits so that ids stay recognisable between runs, and
 * resolution of what the social worker types back. Case-insensitive on
 * input; ids themselves are lowercase.
 */
#include <ctype.h>
#include <string.h>

#include "idprefix.h"

static size_t
common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	return i;
}

size_t
idprefix_unique_len(const char *const *sorted, size_t n, size_t i, size_t min)
{
	size_t need = 0, len, c;

	if (i >= n)
		return 0;
	len = strlen(sorted[i]);
	if (i > 0 && (c = common_prefix(sorted[i - 1], sorted[i]) + 1) > need)
		need = c;
	if (i + 1 < n && (c = common_prefix(sorted[i + 1], sorted[i]) + 1) > need)
		need = c;
	if (need < min)
		need = min;
	return need > len ? len : need;
}

int
idprefix_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isxdigit((unsigned char)s[i]) || i >= 32)
			return 0;
	return i > 0;
}

static int
prefix_matches(const char *id, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i] != '\0'; i++)
		if (id[i] == '\0' ||
		    tolower((unsigned char)id[i]) != tolower((unsigned char)prefix[i]))
			return 0;
	return 1;
}

enum idprefix_result
idprefix_find(const char *const *ids, size_t n, const char *prefix,
              size_t *found, size_t *cand, size_t maxcand, size_t *ncand)
{
	size_t i, m = 0;

	if (ncand != NULL)
		*ncand = 0;
	if (!idprefix_valid(prefix))
		return IDPREFIX_INVALID;
	for (i = 0; i < n; i++) {
		if (!prefix_matches(ids[i], prefix))
			continue;
		if (m == 0 && found != NULL)
			*found = i;
		if (cand != NULL && m < maxcand)
			cand[m] = i;
		m++;
	}
	if (ncand != NULL)
		*ncand = m;
	if (m == 0)
		return IDPREFIX_UNKNOWN;
	return m == 1 ? IDPREFIX_FOUND : IDPREFIX_AMBIGUOUS;
}
