#ifndef SAFEHARBOR_TOOL_PROGSTATS_H
#define SAFEHARBOR_TOOL_PROGSTATS_H

/*
 * The program's figures for one school year (August to July unless
 * configured), counted the way the program reports them (SPEC §10):
 * came forward (self, friend, questions), met (any outcome but
 * not-found), identified (assault + grooming + trafficking), information
 * only, referred, urgent, and the median time from a request to her first
 * recorded action on it. Pure: callers feed trusted requests with their
 * case summaries; stats and report print the result.
 */

#include <stddef.h>
#include "safeharbor/caserec.h"
#include "casefile.h"
#include "kiosks.h"
#include "queue.h"

#define PROG_MONTHS 12

struct prog_kiosk {
	char name[KIOSKS_NAME_MAX + 1];
	size_t n;
};

struct prog_year {
	int year;                        /* calendar year the school year begins in */
	int start_month;                 /* 1..12 */
	size_t came, self, friend, questions;
	size_t met, identified, information, referred, urgent, no_outcome;
	size_t outcomes[OUTCOME_N];
	size_t referrals[REFER_N];
	size_t month[PROG_MONTHS];       /* [0] is the first month of the year */
	long long *waits;                /* seconds to the first action */
	size_t nwaits, capwaits;
	struct prog_kiosk *kiosks;       /* most requests first after prog_year_finish */
	size_t nkiosks, capkiosks;
	long long median;                /* seconds to the first action, -1: none */
};

void prog_year_init(struct prog_year *y, int year, int start_month);
void prog_year_free(struct prog_year *y);
/* The school year (its first calendar year) of a "YYYY-MM..." date. */
/* The local year and month ("YYYY-MM") of a record's Created (UTC). */
void prog_local_month(const char *created, char ym[8]);
/* The school year of a "YYYY-MM..." date: the year it started in. */
int prog_school_year(const char *created, int start_month);
/* "2025-26" */
void prog_year_label(int year, int start_month, char out[16]);
/* The school year today falls in. */
int prog_current_year(int start_month);
/* Count one trusted, non-test request. kiosk: its enrolled name. */
void prog_year_add(struct prog_year *y, const struct queue_item *it, const char *kiosk,
                   const struct case_summary *s);
/* Sort kiosks, set the median wait (-1: no request handled yet). */
void prog_year_finish(struct prog_year *y);
/* "3 hours", "2 days" */
void prog_duration(long long secs, char out[32]);
/* Month name for an index of y->month ("August"). */
const char *prog_month_name(const struct prog_year *y, int i);

/* Every trusted request that is not a kiosk test or a student's reply in
 * a conversation, by school year. */
struct prog_years {
	struct prog_year all;            /* every year counted, together */
	struct prog_year *v;             /* one per school year, oldest first */
	size_t n;
};

/* prog_years_collect finishes every year. only: one school year (its first calendar year), or -1 for all; since:
 * "YYYY-MM-DD" or NULL. kiosks names the kiosks; cases the outcomes. */
void prog_years_collect(struct prog_years *py, const struct queue *q, const struct kiosks *k,
                        const struct casefile *cases, int start_month, int only,
                        const char *since);
void prog_years_free(struct prog_years *py);
/* "2025" or "2025-26" (the first year must match): the first year, or -1. */
int prog_parse_year(const char *s);

/* stats_year.c: the school-year part of `stats` and `stats --json`. */
struct jsonw;
struct tool_ctx;
void stats_year_text(struct tool_ctx *c, const struct prog_years *py);
void stats_year_json(struct tool_ctx *c, struct jsonw *w, const struct prog_years *py);

#endif
