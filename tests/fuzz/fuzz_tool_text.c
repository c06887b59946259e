/* The tool's small text parsers on arbitrary bytes: list --since/--until
 * days (tooltime_parse_day), a record's Created (tooltime_created) and a
 * --passphrase-file split into lines (passlines_split): never a crash or
 * a read out of bounds, and every line found lies inside the input. The
 * tool's files are included directly: the fuzz build links the library
 * only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tool/passlines.c"
#include "../../src/tool/tooltime.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t start[PASSLINES_MAX], len[PASSLINES_MAX], k, i;
	time_t a, b;
	char *s;

	k = passlines_split((const char *)data, size, start, len);
	for (i = 0; i < k; i++)
		if (start[i] + len[i] > size || len[i] == 0)
			abort();
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (tooltime_parse_day(s, &a, &b) == 0 && b <= a)
		abort();
	(void)tooltime_created(s);
	free(s);
	return 0;
}
