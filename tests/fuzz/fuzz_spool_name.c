/* spool_parse_name on arbitrary file names (anyone who can write to a
 * shared spool picks them): never reads or writes out of bounds, and what
 * it accepts has exactly the documented shape. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/spool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
name_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '_';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[256], base[SPOOL_NAME_MAX], flags[8];
	size_t blen, i, n;

	/* a directory entry: at most 255 bytes, no NUL, no '/' */
	if (size > 255 || memchr(data, '\0', size) != NULL || memchr(data, '/', size) != NULL)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	if (spool_parse_name(name, base, flags, sizeof(flags)) != 0)
		return 0;
	blen = strlen(base);
	if (blen <= 4 || strcmp(base + blen - 4, ".age") != 0 ||
	    strncmp(name, base, blen) != 0)
		abort();
	for (i = 0; i + 4 < blen; i++)
		if (!name_char(base[i]))
			abort();
	n = strlen(flags);
	if (n >= sizeof(flags))
		abort();
	if (name[blen] == '\0') {
		if (n != 0)
			abort();
	} else if (strncmp(name + blen, ":2,", 3) != 0 || strcmp(name + blen + 3, flags) != 0) {
		abort();
	}
	for (i = 0; i < n; i++)
		if (!((flags[i] >= 'A' && flags[i] <= 'Z') || (flags[i] >= 'a' && flags[i] <= 'z')))
			abort();
	return 0;
}
