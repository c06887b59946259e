/*
 * School days and the follow-up deadline (see schooldays.h). Dates are
 * handled as civil day numbers, so a weekday is arithmetic and a holidays
 * range is two integers; only the request's own day and the final
 * midnight go through the local time zone.
 */
#include <string.h>

#include "safeharbor/schooldays.h"

/* Howard Hinnant's days_from_civil. */
long
schooldays_civil(int y, int m, int d)
{
	long yy = (long)y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
schooldays_parse_date(const char *s, size_t len, long *day)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap;

	if (len != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) != 0 ||
	    digits(s + 5, 2, &m) != 0 || digits(s + 8, 2, &d) != 0)
		return -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return -1;
	*day = schooldays_civil(y, m, d);
	return 0;
}

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* One line, comments and surrounding blanks already cut. */
static int
parse_line(const char *s, size_t n, struct holidays *out, const char **why)
{
	const char *dots = n > 2 ? memmem(s, n, "..", 2) : NULL;
	struct schooldays_range r;
	size_t a, b;

	a = dots != NULL ? (size_t)(dots - s) : n;
	while (a > 0 && is_blank(s[a - 1]))
		a--;
	if (schooldays_parse_date(s, a, &r.first) != 0) {
		*why = "not a date (YYYY-MM-DD, or YYYY-MM-DD..YYYY-MM-DD for a range)";
		return -1;
	}
	r.last = r.first;
	if (dots != NULL) {
		b = (size_t)(dots - s) + 2;
		while (b < n && is_blank(s[b]))
			b++;
		if (schooldays_parse_date(s + b, n - b, &r.last) != 0) {
			*why = "the end of the range is not a date (YYYY-MM-DD)";
			return -1;
		}
		if (r.last < r.first) {
			*why = "the range ends before it starts";
			return -1;
		}
		if (r.last - r.first >= SCHOOLDAYS_MAX_RANGE_DAYS) {
			*why = "a range longer than a year";
			return -1;
		}
	}
	if (out->n >= SCHOOLDAYS_MAX_RANGES) {
		*why = "too many lines (at most 1024 dates or ranges)";
		return -1;
	}
	out->r[out->n++] = r;
	return 0;
}

int
schooldays_parse_holidays(const char *text, size_t len, struct holidays *out,
                          size_t *line, const char **why)
{
	size_t pos = 0, start, end;

	out->n = 0;
	*line = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		const char *hash;

		start = pos;
		end = nl != NULL ? (size_t)(nl - text) : len;
		pos = end + 1;
		++*line;
		if ((hash = memchr(text + start, '#', end - start)) != NULL)
			end = (size_t)(hash - text);
		if (memchr(text + start, '\0', end - start) != NULL) {
			*why = "contains a NUL byte";
			return -1;
		}
		while (start < end && is_blank(text[start]))
			start++;
		while (end > start && is_blank(text[end - 1]))
			end--;
		if (start == end)
			continue;
		if (parse_line(text + start, end - start, out, why) != 0)
			return -1;
	}
	*line = 0;
	return 0;
}

int
schooldays_is_school_day(long day, const struct holidays *h)
{
	long wd = ((day % 7) + 7 + 4) % 7;   /* 1970-01-01 was a Thursday; 0 = Sunday */
	size_t i;

	if (wd == 0 || wd == 6)
		return 0;
	for (i = 0; h != NULL && i < h->n; i++)
		if (day >= h->r[i].first && day <= h->r[i].last)
			return 0;
	return 1;
}

#define SEARCH_DAYS (10L * 366L)

time_t
schooldays_deadline(time_t made, unsigned follow_up, const struct holidays *h)
{
	struct tm tm;
	long day, end, k = 0;
	int y, m, d;

	if (localtime_r(&made, &tm) == NULL)
		return (time_t)-1;
	day = schooldays_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	for (end = day + SEARCH_DAYS; k < (long)follow_up; ) {
		if (++day > end)
			return (time_t)-1;
		k += schooldays_is_school_day(day, h);
	}
	civil_from_days(day + 1, &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int
schooldays_overdue(time_t made, int urgent, unsigned follow_up,
                   const struct holidays *h, time_t now)
{
	time_t due;

	if (urgent)
		return now - made >= SCHOOLDAYS_URGENT_SECONDS;
	due = schooldays_deadline(made, follow_up, h);
	return due != (time_t)-1 && now >= due;
}
