#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "safeharbor/schooldays.h"

/* A school in Chicago: local midnights, a DST change in autumn. */
static void
chicago(void)
{
	setenv("TZ", "America/Chicago", 1);
	tzset();
}

static time_t
local(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static struct holidays hol;

static void
holidays(const char *text)
{
	size_t line;
	const char *why = NULL;

	cr_assert_eq(schooldays_parse_holidays(text, strlen(text), &hol, &line, &why), 0,
	             "line %zu: %s", line, why ? why : "");
}

TestSuite(schooldays, .init = chicago);

Test(schooldays, civil_and_weekdays)
{
	cr_assert_eq(schooldays_civil(1970, 1, 1), 0);
	cr_assert_eq(schooldays_civil(2000, 3, 1), 11017);
	/* 2026-12-04 is a Friday, 12-05 Saturday, 12-06 Sunday, 12-07 Monday */
	cr_assert(schooldays_is_school_day(schooldays_civil(2026, 12, 4), NULL));
	cr_assert(!schooldays_is_school_day(schooldays_civil(2026, 12, 5), NULL));
	cr_assert(!schooldays_is_school_day(schooldays_civil(2026, 12, 6), NULL));
	cr_assert(schooldays_is_school_day(schooldays_civil(2026, 12, 7), NULL));
}

Test(schooldays, friday_request_across_the_weekend)
{
	time_t made = local(2026, 12, 4, 15, 0);   /* Friday afternoon */
	time_t due = schooldays_deadline(made, 2, NULL);

	/* two school days: Monday and Tuesday; due when Tuesday ends */
	cr_assert_eq(due, local(2026, 12, 9, 0, 0));
	cr_assert(!schooldays_overdue(made, 0, 2, NULL, local(2026, 12, 7, 9, 0)));
	cr_assert(!schooldays_overdue(made, 0, 2, NULL, local(2026, 12, 8, 23, 59)));
	cr_assert(schooldays_overdue(made, 0, 2, NULL, local(2026, 12, 9, 0, 0)));
	/* a Saturday request has the same two school days */
	cr_assert_eq(schooldays_deadline(local(2026, 12, 5, 11, 0), 2, NULL), due);
	/* one school day from Friday: Monday */
	cr_assert_eq(schooldays_deadline(made, 1, NULL), local(2026, 12, 8, 0, 0));
}

Test(schooldays, a_holiday_is_not_a_school_day)
{
	time_t made = local(2026, 12, 4, 15, 0);

	holidays("# winter\n2026-12-07\n");
	/* Monday off: Tuesday and Wednesday */
	cr_assert_eq(schooldays_deadline(made, 2, &hol), local(2026, 12, 10, 0, 0));
	cr_assert(!schooldays_overdue(made, 0, 2, &hol, local(2026, 12, 9, 12, 0)));
	cr_assert(schooldays_overdue(made, 0, 2, &hol, local(2026, 12, 10, 0, 0)));
}

Test(schooldays, a_break_range)
{
	/* Thursday before the winter break, back on Monday 2027-01-04 */
	holidays("2026-12-21 .. 2027-01-01   # winter break\n\n");
	cr_assert_eq(schooldays_deadline(local(2026, 12, 17, 10, 0), 2, &hol),
	             local(2027, 1, 5, 0, 0));
}

Test(schooldays, thanksgiving_and_the_dst_change)
{
	holidays("2026-11-26..2026-11-27\n");
	/* Wednesday before Thanksgiving: Monday and Tuesday after */
	cr_assert_eq(schooldays_deadline(local(2026, 11, 25, 8, 0), 2, &hol),
	             local(2026, 12, 2, 0, 0));
	/* Friday 10-30 (CDT) to Tuesday 11-03 (CST): a local midnight */
	cr_assert_eq(schooldays_deadline(local(2026, 10, 30, 8, 0), 2, NULL),
	             local(2026, 11, 4, 0, 0));
}

Test(schooldays, urgent_after_an_hour)
{
	time_t made = local(2026, 12, 5, 20, 0);    /* Saturday evening */

	cr_assert(!schooldays_overdue(made, 1, 2, NULL, made + 3599));
	cr_assert(schooldays_overdue(made, 1, 2, NULL, made + 3600));
	/* not urgent: not before Tuesday ends */
	cr_assert(!schooldays_overdue(made, 0, 2, NULL, made + 3600));
}

Test(schooldays, holidays_everywhere_means_no_deadline)
{
	char text[64 * 1024];
	size_t i, off = 0;
	int y;

	for (y = 2026, i = 0; i < 12; i++, y++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		                        "%d-01-01..%d-12-31\n", y, y);
	holidays(text);
	cr_assert_eq(schooldays_deadline(local(2026, 3, 2, 8, 0), 2, &hol), (time_t)-1);
	cr_assert(!schooldays_overdue(local(2026, 3, 2, 8, 0), 0, 2, &hol,
	                              local(2030, 1, 1, 0, 0)));
}

static void
bad(const char *text, size_t wantline, const char *wantwhy)
{
	size_t line;
	const char *why = NULL;

	cr_assert_eq(schooldays_parse_holidays(text, strlen(text), &hol, &line, &why), -1, "%s", text);
	cr_assert_eq(line, wantline, "%s: line %zu", text, line);
	cr_assert(why != NULL && strstr(why, wantwhy) != NULL, "%s: %s", text, why ? why : "");
}

Test(schooldays, bad_holidays)
{
	bad("2026-12-07\nDecember 8\n", 2, "not a date");
	bad("2026-02-29\n", 1, "not a date");           /* not a leap year */
	bad("2026-13-01\n", 1, "not a date");
	bad("2026-12-7\n", 1, "not a date");
	bad("2026-12-07..\n", 1, "end of the range");
	bad("2026-12-07..2026-12-01\n", 1, "ends before");
	bad("2026-01-01..2027-06-01\n", 1, "longer than a year");
	bad("\n\n 2026-12-07 x\n", 3, "not a date");
}

Test(schooldays, dates)
{
	long d;

	cr_assert_eq(schooldays_parse_date("2028-02-29", 10, &d), 0);
	cr_assert_eq(d, schooldays_civil(2028, 2, 29));
	cr_assert_eq(schooldays_parse_date("2100-02-29", 10, &d), -1);
	cr_assert_eq(schooldays_parse_date("2026-12-07T", 11, &d), -1);
	cr_assert_eq(schooldays_parse_date("1969-12-31", 10, &d), -1);
	cr_assert_eq(schooldays_parse_date("+026-12-07", 10, &d), -1);
}
