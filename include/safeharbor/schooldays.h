#ifndef SAFEHARBOR_SCHOOLDAYS_H
#define SAFEHARBOR_SCHOOLDAYS_H

/*
 * When a request is overdue (SPEC §11): students are told the social
 * worker follows up within N school days (Monday to Friday, minus the
 * school's holidays). Pure: the clock and the holidays are passed in; day
 * boundaries are the local time zone's (TZ), as the school keeps them.
 *
 * Holidays file: one date (YYYY-MM-DD) or range (YYYY-MM-DD..YYYY-MM-DD)
 * per line; '#' starts a comment; blank lines are ignored.
 */

#include <stddef.h>
#include <time.h>

#define SCHOOLDAYS_MAX_RANGES 1024     /* lines of a holidays file */
#define SCHOOLDAYS_MAX_RANGE_DAYS 366  /* one range */
#define SCHOOLDAYS_MAX_FOLLOW_UP 60    /* follow_up_days */
#define SCHOOLDAYS_DEFAULT_FOLLOW_UP 2
#define SCHOOLDAYS_URGENT_SECONDS 3600

struct schooldays_range {
	long first, last;    /* civil day numbers (days since 1970-01-01) */
};

struct holidays {
	struct schooldays_range r[SCHOOLDAYS_MAX_RANGES];
	size_t n;
};

/* Days since 1970-01-01 of a proleptic Gregorian date (no time zone). */
long schooldays_civil(int y, int m, int d);

/* Parse "YYYY-MM-DD" (exactly, a real date) into a civil day number.
 * 0, or -1 for anything else. */
int schooldays_parse_date(const char *s, size_t len, long *day);

/* Parse a holidays file (text need not be NUL-terminated). 0, or -1 with
 * *line (1-based) and *why set for the first bad line. */
int schooldays_parse_holidays(const char *text, size_t len, struct holidays *out,
                              size_t *line, const char **why);

/* Whether a civil day is a school day: Monday to Friday, not a holiday.
 * h may be NULL. */
int schooldays_is_school_day(long day, const struct holidays *h);

/* The instant a request made at `made` stops being on time: the local
 * midnight that ends the follow_up-th school day after the day it was
 * made. (time_t)-1 when none is found within ten years (a holidays file
 * covering everything). */
time_t schooldays_deadline(time_t made, unsigned follow_up, const struct holidays *h);

/* Whether a request still open at `now` is overdue: urgent ones one hour
 * after they were made, the others after schooldays_deadline. */
int schooldays_overdue(time_t made, int urgent, unsigned follow_up,
                       const struct holidays *h, time_t now);

#endif
