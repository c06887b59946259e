/*
 * stats: the program numbers a district reports (how many came forward,
 * for themselves, for a friend, for information; how many urgent), per
 * kiosk and per month of the record's creation date. Counts only: no
 * names, no words. --since filters on the creation date (a local day). Only trusted
 * records (valid signature, enrolled kiosk) move the figures: anyone who
 * can write into a spool could otherwise inflate them, so the others are
 * counted on their own lines and in the per-kiosk table, marked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "safeharbor/termsafe.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "jsonw.h"
#include "progstats.h"
#include "queue.h"
#include "tool.h"
#include "tooltime.h"

struct counts {
	size_t total, about[4], urgent, unsure, handled;
};

struct kiosk_count {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	int kiosk;               /* enrolled index or -1 */
	int bad_signature;
	size_t n, tests;
};

struct month_count {
	char month[8];           /* YYYY-MM */
	struct counts c;
};

struct stats {
	struct counts all;
	struct kiosk_count *k;
	size_t nk;
	struct month_count *m;
	size_t nm;
	size_t refused;
	size_t untrusted;        /* opened, but not from an enrolled kiosk */
	size_t overdue;          /* trusted, open, past the follow-up */
};

/* Kiosk tests (About: test) are counted apart: they are not students; a
 * student writing back (About: reply) is someone already counted. */
static void
count(struct counts *c, const struct queue_item *it)
{
	if ((unsigned)it->about < 4)
		c->about[it->about]++;
	if (it->about == RECORD_ABOUT_TEST || it->about == RECORD_ABOUT_REPLY)
		return;
	c->total++;
	if (it->danger == RECORD_DANGER_YES)
		c->urgent++;
	if (it->danger == RECORD_DANGER_UNSURE)
		c->unsure++;
	if (it->e.state == SPOOL_HANDLED)
		c->handled++;
}

static void *
grow(void *v, size_t n, size_t size)
{
	void *nv = realloc(v, (n + 1) * size);

	if (nv == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	return nv;
}

static void
add_item(struct stats *s, const struct queue_item *it)
{
	char month[8];
	size_t i;
	int bad = it->st != SH_OK, trusted = queue_item_trusted(it);

	if (trusted)
		count(&s->all, it);
	else if (it->about != RECORD_ABOUT_TEST)
		s->untrusted++;
	for (i = 0; i < s->nk; i++)
		if (s->k[i].bad_signature == bad &&
		    memcmp(s->k[i].pk, it->kiosk_pk, sizeof(it->kiosk_pk)) == 0)
			break;
	if (i == s->nk) {
		s->k = grow(s->k, s->nk, sizeof(*s->k));
		memset(&s->k[i], 0, sizeof(s->k[i]));
		memcpy(s->k[i].pk, it->kiosk_pk, sizeof(it->kiosk_pk));
		s->k[i].kiosk = bad ? -1 : it->kiosk;
		s->k[i].bad_signature = bad;
		s->nk++;
	}
	if (it->about == RECORD_ABOUT_TEST)
		s->k[i].tests++;
	else
		s->k[i].n++;
	if (!trusted)
		return;
	tooltime_month(it->created, month);     /* the local month, as every date shown */
	for (i = 0; i < s->nm; i++)
		if (strcmp(s->m[i].month, month) == 0)
			break;
	if (i == s->nm) {
		s->m = grow(s->m, s->nm, sizeof(*s->m));
		memset(&s->m[i], 0, sizeof(s->m[i]));
		memcpy(s->m[i].month, month, sizeof(s->m[i].month));
		s->nm++;
	}
	count(&s->m[i].c, it);
}

static int
cmp_month(const void *a, const void *b)
{
	return strcmp(((const struct month_count *)a)->month, ((const struct month_count *)b)->month);
}

static int
cmp_kiosk(const void *va, const void *vb)
{
	const struct kiosk_count *a = va, *b = vb;

	if (a->n + a->tests != b->n + b->tests)
		return a->n + a->tests > b->n + b->tests ? -1 : 1;
	return memcmp(a->pk, b->pk, sizeof(a->pk));
}

static const char *
kiosk_label(struct tool_ctx *c, const struct kiosk_count *k, char *buf, size_t size)
{
	char key[KEYS_KIOSK_STRLEN + 1];

	if (k->kiosk >= 0 && (size_t)k->kiosk < c->kiosks.n)
		return c->kiosks.v[k->kiosk].name;
	keys_kiosk_format(k->pk, key);
	/* a shortened key keeps the table's columns (verify names it whole) */
	util_snprintf(buf, size, "%.16s...%s (%s)", key, key + strlen(key) - 4,
	              k->bad_signature ? "bad signature" : "not enrolled");
	return buf;
}

static void
json_counts(struct jsonw *w, const struct counts *c)
{
	jsonw_kv_int(w, "total", (long long)c->total);
	jsonw_kv_int(w, "self", (long long)c->about[RECORD_ABOUT_SELF]);
	jsonw_kv_int(w, "friend", (long long)c->about[RECORD_ABOUT_FRIEND]);
	jsonw_kv_int(w, "info", (long long)c->about[RECORD_ABOUT_INFO]);
	jsonw_kv_int(w, "test", (long long)c->about[RECORD_ABOUT_TEST]);
	jsonw_kv_int(w, "urgent", (long long)c->urgent);
	jsonw_kv_int(w, "unsure", (long long)c->unsure);
	jsonw_kv_int(w, "handled", (long long)c->handled);
}

static void
stats_json(struct tool_ctx *c, const struct stats *s, struct prog_years *py)
{
	struct jsonw w;
	char key[KEYS_KIOSK_STRLEN + 1];
	size_t i;

	jsonw_init(&w, stdout);
	jsonw_begin_object(&w);
	jsonw_kv_string(&w, "since", c->o.since);
	json_counts(&w, &s->all);
	jsonw_kv_int(&w, "refused", (long long)s->refused);
	jsonw_kv_int(&w, "untrusted", (long long)s->untrusted);
	jsonw_kv_int(&w, "overdue", (long long)s->overdue);
	jsonw_key(&w, "kiosks");
	jsonw_begin_array(&w);
	for (i = 0; i < s->nk; i++) {
		const struct kiosk_count *k = &s->k[i];

		jsonw_begin_object(&w);
		keys_kiosk_format(k->pk, key);
		jsonw_kv_string(&w, "kiosk", key);
		jsonw_kv_string(&w, "kiosk_name", k->kiosk >= 0 ? c->kiosks.v[k->kiosk].name : NULL);
		jsonw_kv_bool(&w, "enrolled", k->kiosk >= 0);
		jsonw_kv_bool(&w, "signature_ok", !k->bad_signature);
		jsonw_kv_int(&w, "total", (long long)k->n);
		jsonw_kv_int(&w, "test", (long long)k->tests);
		jsonw_end_object(&w);
	}
	jsonw_end_array(&w);
	jsonw_key(&w, "months");
	jsonw_begin_array(&w);
	for (i = 0; i < s->nm; i++) {
		jsonw_begin_object(&w);
		jsonw_kv_string(&w, "month", s->m[i].month);
		json_counts(&w, &s->m[i].c);
		jsonw_end_object(&w);
	}
	jsonw_end_array(&w);
	stats_year_json(c, &w, py);
	jsonw_end_object(&w);
	if (jsonw_finish(&w) != 0)
		die(TOOL_EXIT_FAIL, "stdout: write error");
}

static void
stats_text(struct tool_ctx *c, const struct stats *s, struct prog_years *py)
{
	const struct counts *a = &s->all;
	char buf[160];
	size_t i;

	if (c->o.since != NULL)
		printf("Since %s (by the date each request was made)\n", c->o.since);
	printf("Requests:               %zu\n", a->total);
	printf("  for themselves:       %zu\n", a->about[RECORD_ABOUT_SELF]);
	printf("  for a friend:         %zu\n", a->about[RECORD_ABOUT_FRIEND]);
	printf("  information only:     %zu\n", a->about[RECORD_ABOUT_INFO]);
	printf("Kiosk tests:            %zu (not counted above or below)\n",
	       a->about[RECORD_ABOUT_TEST]);
	printf("Urgent (danger now):    %zu\n", a->urgent);
	printf("Not sure about danger:  %zu\n", a->unsure);
	printf("Handled:                %zu\n", a->handled);
	printf("Open:                   %zu\n", a->total - a->handled);
	printf("  overdue:              %zu (past the follow-up of %u school day%s; urgent: an hour)\n",
	       s->overdue, c->follow_up_days, c->follow_up_days == 1 ? "" : "s");
	if (s->untrusted > 0)
		printf("Not from an enrolled kiosk: %zu (forged, or a kiosk not enrolled: "
		       "not counted above; see safeharbor verify)\n", s->untrusted);
	if (s->refused > 0)
		printf("Could not be opened:    %zu (see safeharbor verify)\n", s->refused);
	if (s->nk > 0) {
		printf("\nBy kiosk:                                 requests  tests\n");
		for (i = 0; i < s->nk; i++)
			termsafe_line(stdout, "  %-40s %8zu %6zu%s",
			              kiosk_label(c, &s->k[i], buf, sizeof(buf)), s->k[i].n,
			              s->k[i].tests, s->k[i].kiosk >= 0 ? "" : "  (not counted above)");
	}
	if (s->nm > 0) {
		printf("\nBy month:   total   self  friend  info  test  urgent\n");
		for (i = 0; i < s->nm; i++) {
			const struct counts *m = &s->m[i].c;

			printf("  %-7s  %7zu %6zu %7zu %5zu %5zu %7zu\n", s->m[i].month, m->total,
			       m->about[RECORD_ABOUT_SELF], m->about[RECORD_ABOUT_FRIEND],
			       m->about[RECORD_ABOUT_INFO], m->about[RECORD_ABOUT_TEST], m->urgent);
		}
	}
	stats_year_text(c, py);
}

int
cmd_stats(struct tool_ctx *c)
{
	struct prog_years py;
	struct queue q;
	struct stats s;
	size_t i;
	time_t since0, since1;
	int year = -1;
	time_t now = time(NULL);

	if (c->o.since != NULL && tooltime_parse_day(c->o.since, &since0, &since1) != 0)
		die(TOOL_EXIT_USAGE, "--since: '%s': give a date as YYYY-MM-DD", c->o.since);
	if (c->o.year != NULL && (year = prog_parse_year(c->o.year)) < 0)
		die(TOOL_EXIT_USAGE, "--year: '%s': give the year a school year begins in, "
		    "as YYYY (2025 for 2025-26)", c->o.year);
	tool_load_queue(c, &q);
	prog_years_collect(&py, &q, tool_kiosks(c), tool_cases(c), c->year_start, year,
	                   c->o.since);
	memset(&s, 0, sizeof(s));
	for (i = 0; i < q.nvis; i++) {
		const struct queue_item *it = &q.items[i];

		if (!queue_item_opened(it)) {
			s.refused++;
			continue;
		}
		/* a local day, as list --since */
		if ((c->o.since != NULL && !tooltime_created_since(it->created, c->o.since)) ||
		    (year >= 0 && prog_school_year(it->created, c->year_start) != year))
			continue;
		add_item(&s, it);
		if (queue_item_trusted(it) && tool_item_overdue(c, it, now))
			s.overdue++;
	}
	if (s.nm > 1)
		qsort(s.m, s.nm, sizeof(*s.m), cmp_month);
	if (s.nk > 1)
		qsort(s.k, s.nk, sizeof(*s.k), cmp_kiosk);
	if (c->o.json)
		stats_json(c, &s, &py);
	else
		stats_text(c, &s, &py);
	prog_years_free(&py);
	free(s.k);
	free(s.m);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
