#ifndef SAFEHARBOR_TOOL_TOOLTIME_H
#define SAFEHARBOR_TOOL_TOOLTIME_H

/*
 * Times as the social worker reads them: local time everywhere (SPEC §6),
 * one format per width. JSON keeps UTC ISO 8601 for scripts.
 */

#include <time.h>

#define TOOLTIME_LONG_MAX 32
#define TOOLTIME_DATE_MAX 16

/* "2026-11-29 09:00": text readers (show, the inbox reader, case lines). */
void tooltime_long(time_t t, char out[TOOLTIME_LONG_MAX]);
/* "2026-11-29": columns (list, inbox rows). */
void tooltime_date(time_t t, char out[TOOLTIME_DATE_MAX]);
/* A record's Created ("2026-11-29T08:00Z", UTC) as a time;
 * -1 when malformed. */
time_t tooltime_created(const char *created);

/* "YYYY-MM-DD" as a real local calendar day: *start gets its first
 * second, *next the first second of the day after. 0, or -1 when s is not
 * such a date (then nothing is written). */
int tooltime_parse_day(const char *s, time_t *start, time_t *next);

/* The local month "YYYY-MM" of a record's Created ("?" if malformed). */
void tooltime_month(const char *created, char out[8]);
/* Whether a record's Created falls on or after the local day "YYYY-MM-DD"
 * (stats --since): 0 when not, or when either is malformed. */
int tooltime_created_since(const char *created, const char *day);

#endif
