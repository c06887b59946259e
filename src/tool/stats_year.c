/*
 * The school-year figures of `stats` (progstats.c counts them): one column
 * per school year in text, one object per year in JSON, plus the totals
 * SPEC §6 names at the top level of `stats --json` (outcomes, identified).
 */
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "progstats.h"
#include "tool.h"

struct row {
	const char *label;
	size_t (*get)(const struct prog_year *y, int arg);
	int arg;
};

static size_t g_came(const struct prog_year *y, int a) { (void)a; return y->came; }
static size_t g_self(const struct prog_year *y, int a) { (void)a; return y->self; }
static size_t g_friend(const struct prog_year *y, int a) { (void)a; return y->friend; }
static size_t g_questions(const struct prog_year *y, int a) { (void)a; return y->questions; }
static size_t g_urgent(const struct prog_year *y, int a) { (void)a; return y->urgent; }
static size_t g_met(const struct prog_year *y, int a) { (void)a; return y->met; }
static size_t g_ident(const struct prog_year *y, int a) { (void)a; return y->identified; }
static size_t g_info(const struct prog_year *y, int a) { (void)a; return y->information; }
static size_t g_referred(const struct prog_year *y, int a) { (void)a; return y->referred; }
static size_t g_none(const struct prog_year *y, int a) { (void)a; return y->no_outcome; }
static size_t g_outcome(const struct prog_year *y, int a) { return y->outcomes[a]; }
static size_t g_referral(const struct prog_year *y, int a) { return y->referrals[a]; }

static const struct row rows[] = {
	{ "Came forward", g_came, 0 },
	{ "  for themselves", g_self, 0 },
	{ "  for a friend", g_friend, 0 },
	{ "  with questions", g_questions, 0 },
	{ "Urgent (danger now)", g_urgent, 0 },
	{ "Met", g_met, 0 },
	{ "Identified (assault, grooming, trafficking)", g_ident, 0 },
	{ "Information only", g_info, 0 },
	{ "Referred", g_referred, 0 },
	{ "No outcome recorded yet", g_none, 0 },
	{ "Outcome: met", g_outcome, OUTCOME_MET },
	{ "Outcome: information", g_outcome, OUTCOME_INFORMATION },
	{ "Outcome: assault", g_outcome, OUTCOME_ASSAULT },
	{ "Outcome: grooming", g_outcome, OUTCOME_GROOMING },
	{ "Outcome: trafficking", g_outcome, OUTCOME_TRAFFICKING },
	{ "Outcome: no concern", g_outcome, OUTCOME_NO_CONCERN },
	{ "Outcome: not found", g_outcome, OUTCOME_NOT_FOUND },
	{ "Referred to CPS", g_referral, REFER_CPS },
	{ "Referred to police", g_referral, REFER_POLICE },
	{ "Referred to services", g_referral, REFER_SERVICES },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))
#define LABEL_W 44

void
stats_year_text(struct tool_ctx *c, const struct prog_years *py)
{
	char label[16], dur[32];
	size_t i, j;
	int start = py->all.start_month;

	(void)c;
	printf("\nBy school year (%s to %s; trusted requests only, kiosk tests left out):\n",
	       prog_month_name(&py->all, 0), prog_month_name(&py->all, 11));
	if (py->n == 0) {
		if (py->all.year >= 0) {
			prog_year_label(py->all.year, start, label);
			printf("  No requests in %s.\n", label);
		} else {
			printf("  No requests to count.\n");
		}
		return;
	}
	printf("  %-*s", LABEL_W, "");
	for (j = 0; j < py->n; j++) {
		prog_year_label(py->v[j].year, start, label);
		printf(" %9s", label);
	}
	putchar('\n');
	for (i = 0; i < NROWS; i++) {
		printf("  %-*s", LABEL_W, rows[i].label);
		for (j = 0; j < py->n; j++)
			printf(" %9zu", rows[i].get(&py->v[j], rows[i].arg));
		putchar('\n');
	}
	printf("  %-*s", LABEL_W, "Median time to first action");
	for (j = 0; j < py->n; j++) {
		if (py->v[j].median < 0)
			memcpy(dur, "-", 2);
		else
			prog_duration(py->v[j].median, dur);
		printf(" %9s", dur);
	}
	printf("\n  (first action: the first note, outcome, referral or 'handled' mark)\n");
}

/* whole: every figure; else only those the top level of stats --json
 * does not already carry (it counts self, friend, urgent its own way). */
static void
json_year(struct jsonw *w, const struct prog_year *y, int whole)
{
	size_t i;

	jsonw_kv_int(w, "came_forward", (long long)y->came);
	if (whole) {
		jsonw_kv_int(w, "self", (long long)y->self);
		jsonw_kv_int(w, "friend", (long long)y->friend);
		jsonw_kv_int(w, "questions", (long long)y->questions);
		jsonw_kv_int(w, "urgent", (long long)y->urgent);
	}
	jsonw_kv_int(w, "met", (long long)y->met);
	jsonw_kv_int(w, "identified", (long long)y->identified);
	jsonw_kv_int(w, "information_only", (long long)y->information);
	jsonw_kv_int(w, "referred", (long long)y->referred);
	jsonw_kv_int(w, "no_outcome", (long long)y->no_outcome);
	jsonw_key(w, "outcomes");
	jsonw_begin_object(w);
	for (i = 0; i < OUTCOME_N; i++)
		jsonw_kv_int(w, caserec_value_str(CASE_OUTCOME, (int)i), (long long)y->outcomes[i]);
	jsonw_end_object(w);
	jsonw_key(w, "referrals");
	jsonw_begin_object(w);
	for (i = 0; i < REFER_N; i++)
		jsonw_kv_int(w, caserec_value_str(CASE_REFERRED, (int)i), (long long)y->referrals[i]);
	jsonw_end_object(w);
	jsonw_key(w, "median_seconds_to_first_action");
	if (y->median < 0)
		jsonw_null(w);
	else
		jsonw_int(w, y->median);
	jsonw_kv_int(w, "with_first_action", (long long)y->nwaits);
}

void
stats_year_json(struct tool_ctx *c, struct jsonw *w, const struct prog_years *py)
{
	char label[16];
	size_t j;

	jsonw_kv_int(w, "school_year_start_month", c->year_start);
	json_year(w, &py->all, 0);
	jsonw_key(w, "school_years");
	jsonw_begin_array(w);
	for (j = 0; j < py->n; j++) {
		jsonw_begin_object(w);
		prog_year_label(py->v[j].year, py->all.start_month, label);
		jsonw_kv_string(w, "school_year", label);
		jsonw_kv_int(w, "first_year", py->v[j].year);
		json_year(w, &py->v[j], 1);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}
