/* Local-time formatting (see tooltime.h). */
#include <stdio.h>
#include <string.h>

#include "tooltime.h"

void
tooltime_long(time_t t, char out[TOOLTIME_LONG_MAX])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, TOOLTIME_LONG_MAX, "%Y-%m-%d %H:%M", &tm) == 0)
		memcpy(out, "?", 2);
}

void
tooltime_date(time_t t, char out[TOOLTIME_DATE_MAX])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, TOOLTIME_DATE_MAX, "%Y-%m-%d", &tm) == 0)
		memcpy(out, "?", 2);
}

time_t
tooltime_created(const char *created)
{
	struct tm tm;
	int y, mo, d, h, mi, n = 0;

	if (sscanf(created, "%4d-%2d-%2dT%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &n) != 5 ||
	    n != (int)strlen(created))
		return (time_t)-1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return timegm(&tm);
}
