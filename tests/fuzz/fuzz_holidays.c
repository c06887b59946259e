/* schooldays_parse_holidays (the school's holidays file, hand-edited) on
 * arbitrary bytes: never crashes or reads out of bounds; a file it accepts
 * holds only ordered ranges of at most a year, and a deadline is computed
 * from it without looping for ever. */
#include <stdint.h>
#include <stdlib.h>

#include "safeharbor/schooldays.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct holidays h;
	const char *why;
	size_t line, i;

	if (schooldays_parse_holidays((const char *)data, size, &h, &line, &why) != 0) {
		if (line == 0 || why == NULL)
			abort();
		return 0;
	}
	for (i = 0; i < h.n; i++)
		if (h.r[i].last < h.r[i].first ||
		    h.r[i].last - h.r[i].first >= SCHOOLDAYS_MAX_RANGE_DAYS)
			abort();
	(void)schooldays_deadline((time_t)1796400000, 5, &h);
	return 0;
}
