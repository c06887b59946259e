/*
 * School-year figures (progstats.h).
 *
 * Decisions:
 * - A request belongs to the school year (and month) of the local date the
 *   student made it (Created, UTC to the hour, shown in local time like
 *   every other time), not to when it arrived or was handled.
 * - "Met" is every request with an outcome other than not-found (meeting
 *   the student is how any other outcome is known); information only is
 *   the outcome "information", not the students who chose "questions".
 * - Time to first handling: from Created to the first sealed note,
 *   outcome, referral or "handled" mark; requests with none are left out
 *   of the median, which says over how many it was taken.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "safeharbor/util.h"
#include "progstats.h"
#include "tooltime.h"

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"
};

void
prog_year_init(struct prog_year *y, int year, int start_month)
{
	memset(y, 0, sizeof(*y));
	y->median = -1;
	y->year = year;
	y->start_month = start_month >= 1 && start_month <= 12 ? start_month : 8;
}

void
prog_year_free(struct prog_year *y)
{
	free(y->waits);
	free(y->kiosks);
	y->waits = NULL;
	y->kiosks = NULL;
}

static int
num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

void
prog_local_month(const char *created, char ym[8])
{
	time_t t = tooltime_created(created);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(ym, 8, "%Y-%m", &tm) != 7) {
		memcpy(ym, created, 7);   /* the UTC month rather than none */
		ym[7] = '\0';
	}
}

int
prog_school_year(const char *created, int start_month)
{
	int y = num(created, 4), m = num(created + 5, 2);

	return m >= start_month ? y : y - 1;
}

void
prog_year_label(int year, int start_month, char out[16])
{
	if (start_month == 1)
		util_snprintf(out, 16, "%d", year);
	else
		util_snprintf(out, 16, "%d-%02d", year, (year + 1) % 100);
}

int
prog_current_year(int start_month)
{
	char now[8];
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(now, sizeof(now), "%Y-%m", &tm) != 7)
		return 1970;
	return prog_school_year(now, start_month);
}

const char *
prog_month_name(const struct prog_year *y, int i)
{
	return month_names[(y->start_month - 1 + i) % 12];
}

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	if ((v = realloc(v, *cap * size)) == NULL)
		die(1, "out of memory");
	return v;
}

void
prog_year_add(struct prog_year *y, const struct queue_item *it, const char *kiosk,
              const struct case_summary *s)
{
	size_t i;
	int o;
	char ym[8];

	y->came++;
	if (it->about == RECORD_ABOUT_SELF)
		y->self++;
	else if (it->about == RECORD_ABOUT_FRIEND)
		y->friend++;
	else if (it->about == RECORD_ABOUT_INFO)
		y->questions++;
	if (it->danger == RECORD_DANGER_YES)
		y->urgent++;
	prog_local_month(it->created, ym);
	y->month[(num(ym + 5, 2) - y->start_month + 12) % 12]++;
	o = s->outcome;
	if (o >= 0 && o < OUTCOME_N) {
		y->outcomes[o]++;
		if (o != OUTCOME_NOT_FOUND)
			y->met++;
		if (o == OUTCOME_ASSAULT || o == OUTCOME_GROOMING || o == OUTCOME_TRAFFICKING)
			y->identified++;
		if (o == OUTCOME_INFORMATION)
			y->information++;
	} else {
		y->no_outcome++;
	}
	if (s->referred != 0)
		y->referred++;
	for (i = 0; i < REFER_N; i++)
		if (s->referred & (1u << i))
			y->referrals[i]++;
	if (s->first != 0) {
		long long w = (long long)(s->first - tooltime_created(it->created));

		y->waits = grow(y->waits, &y->capwaits, y->nwaits, sizeof(*y->waits));
		y->waits[y->nwaits++] = w < 0 ? 0 : w;
	}
	for (i = 0; i < y->nkiosks; i++)
		if (strcmp(y->kiosks[i].name, kiosk) == 0)
			break;
	if (i == y->nkiosks) {
		y->kiosks = grow(y->kiosks, &y->capkiosks, y->nkiosks, sizeof(*y->kiosks));
		memset(&y->kiosks[i], 0, sizeof(y->kiosks[i]));
		util_snprintf(y->kiosks[i].name, sizeof(y->kiosks[i].name), "%s", kiosk);
		y->nkiosks++;
	}
	y->kiosks[i].n++;
}

static int
cmp_year(const void *a, const void *b)
{
	return ((const struct prog_year *)a)->year - ((const struct prog_year *)b)->year;
}

static int
cmp_wait(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_kiosk(const void *va, const void *vb)
{
	const struct prog_kiosk *a = va, *b = vb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->name, b->name);
}

void
prog_year_finish(struct prog_year *y)
{
	if (y->nkiosks > 1)
		qsort(y->kiosks, y->nkiosks, sizeof(*y->kiosks), cmp_kiosk);
	y->median = -1;
	if (y->nwaits == 0)
		return;
	qsort(y->waits, y->nwaits, sizeof(*y->waits), cmp_wait);
	if (y->nwaits % 2 == 1)
		y->median = y->waits[y->nwaits / 2];
	else
		y->median = (y->waits[y->nwaits / 2 - 1] + y->waits[y->nwaits / 2]) / 2;
}

void
prog_duration(long long secs, char out[32])
{
	long long v;
	const char *unit;

	if (secs < 3600) {
		v = secs / 60;
		unit = "minute";
	} else if (secs < 2 * 86400) {
		v = (secs + 1800) / 3600;
		unit = "hour";
	} else {
		v = (secs + 43200) / 86400;
		unit = "day";
	}
	util_snprintf(out, 32, "%lld %s%s", v, unit, v == 1 ? "" : "s");
}

void
prog_years_collect(struct prog_years *py, const struct queue *q, const struct kiosks *k,
                   const struct casefile *cases, int start_month, int only, const char *since)
{
	struct case_summary cs;
	size_t i, j, cap = 0;
	int year;
	char ym[8];

	memset(py, 0, sizeof(*py));
	prog_year_init(&py->all, only, start_month);
	start_month = py->all.start_month;
	for (i = 0; i < q->nvis; i++) {
		const struct queue_item *it = &q->items[i];

		/* a kiosk test is no student; a student's reply is no new one */
		if (!queue_item_trusted(it) || it->about == RECORD_ABOUT_TEST ||
		    it->about == RECORD_ABOUT_REPLY)
			continue;
		prog_local_month(it->created, ym);
		year = prog_school_year(ym, start_month);
		if ((only >= 0 && year != only) ||
		    (since != NULL && !tooltime_created_since(it->created, since)))
			continue;
		for (j = 0; j < py->n && py->v[j].year != year; j++)
			;
		if (j == py->n) {
			py->v = grow(py->v, &cap, py->n, sizeof(*py->v));
			prog_year_init(&py->v[py->n++], year, start_month);
		}
		casefile_summary(cases, it->id, &cs);
		prog_year_add(&py->v[j], it, k->v[it->kiosk].name, &cs);
		prog_year_add(&py->all, it, k->v[it->kiosk].name, &cs);
	}
	if (py->n > 1)
		qsort(py->v, py->n, sizeof(*py->v), cmp_year);
	for (j = 0; j < py->n; j++)
		prog_year_finish(&py->v[j]);
	prog_year_finish(&py->all);
}

void
prog_years_free(struct prog_years *py)
{
	size_t i;

	for (i = 0; i < py->n; i++)
		prog_year_free(&py->v[i]);
	free(py->v);
	prog_year_free(&py->all);
	memset(py, 0, sizeof(*py));
}

int
prog_parse_year(const char *s)
{
	size_t i, n = strlen(s);
	int y;

	if (n != 4 && n != 7)
		return -1;
	for (i = 0; i < n; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = num(s, 4);
	if (y < 1970)
		return -1;
	if (n == 7 && (s[4] != '-' || num(s + 5, 2) != (y + 1) % 100))
		return -1;
	return y;
}
