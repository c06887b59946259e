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

int
tooltime_parse_day(const char *s, time_t *start, time_t *next)
{
	struct tm tm, back;
	int y, m, d, n = 0;
	time_t t0, t1;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-' || y < 1970 || y > 9999)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	back = tm;
	if ((t0 = mktime(&tm)) == (time_t)-1 || tm.tm_year != back.tm_year ||
	    tm.tm_mon != back.tm_mon || tm.tm_mday != back.tm_mday)
		return -1;                   /* 2026-02-30 and the like */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + 1;
	tm.tm_isdst = -1;
	if ((t1 = mktime(&tm)) == (time_t)-1)
		return -1;
	*start = t0;
	*next = t1;
	return 0;
}

int
tooltime_created_since(const char *created, const char *day)
{
	time_t start, next, t = tooltime_created(created);

	return t != (time_t)-1 && tooltime_parse_day(day, &start, &next) == 0 && t >= start;
}

void
tooltime_month(const char *created, char out[8])
{
	time_t t = tooltime_created(created);
	struct tm tm;

	if (t == (time_t)-1 || localtime_r(&t, &tm) == NULL || strftime(out, 8, "%Y-%m", &tm) != 7)
		memcpy(out, "?", 2);
}
