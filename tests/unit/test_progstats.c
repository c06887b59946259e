#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tool/progstats.h"
#include "../../src/tool/report_html.h"

Test(progstats, school_year_of_a_date)
{
	cr_assert_eq(prog_school_year("2025-08-01T00:00Z", 8), 2025);
	cr_assert_eq(prog_school_year("2026-07-31T23:00Z", 8), 2025);
	cr_assert_eq(prog_school_year("2026-08-01T00:00Z", 8), 2026);
	cr_assert_eq(prog_school_year("2026-03-01T00:00Z", 9), 2025);
	cr_assert_eq(prog_school_year("2026-03-01T00:00Z", 1), 2026);
}

Test(progstats, parse_year)
{
	cr_assert_eq(prog_parse_year("2025"), 2025);
	cr_assert_eq(prog_parse_year("2025-26"), 2025);
	cr_assert_eq(prog_parse_year("2025-27"), -1);
	cr_assert_eq(prog_parse_year("25"), -1);
	cr_assert_eq(prog_parse_year("20x5"), -1);
	cr_assert_eq(prog_parse_year("1900"), -1);
	cr_assert_eq(prog_parse_year(""), -1);
}

Test(progstats, label_and_duration)
{
	char b[32];

	prog_year_label(2025, 8, b);
	cr_assert_str_eq(b, "2025-26");
	prog_year_label(2099, 8, b);
	cr_assert_str_eq(b, "2099-00");
	prog_year_label(2025, 1, b);
	cr_assert_str_eq(b, "2025");
	prog_duration(59 * 60, b);
	cr_assert_str_eq(b, "59 minutes");
	prog_duration(3 * 3600 + 100, b);
	cr_assert_str_eq(b, "3 hours");
	prog_duration(86400 * 5, b);
	cr_assert_str_eq(b, "5 days");
}

static struct queue_item
item(const char *created, enum record_about a, enum record_danger d)
{
	struct queue_item it;

	memset(&it, 0, sizeof(it));
	memcpy(it.created, created, SH_CREATED_LEN);
	it.about = a;
	it.danger = d;
	return it;
}

static struct case_summary
summary(int outcome, unsigned referred, time_t first)
{
	struct case_summary s;

	memset(&s, 0, sizeof(s));
	s.outcome = outcome;
	s.referred = referred;
	s.first = first;
	return s;
}

Test(progstats, counts_the_way_the_program_reports)
{
	struct prog_year y;
	struct queue_item it;
	struct case_summary s;
	/* 2025-09-01T10:00Z */
	time_t t0 = 1756720800;

	prog_year_init(&y, 2025, 8);
	it = item("2025-09-01T10:00Z", RECORD_ABOUT_SELF, RECORD_DANGER_YES);
	s = summary(OUTCOME_ASSAULT, 1u << REFER_CPS | 1u << REFER_POLICE, t0 + 3600);
	prog_year_add(&y, &it, "library", &s);
	it = item("2025-09-01T10:00Z", RECORD_ABOUT_FRIEND, RECORD_DANGER_NO);
	s = summary(OUTCOME_NOT_FOUND, 0, t0 + 3 * 3600);
	prog_year_add(&y, &it, "gym", &s);
	it = item("2026-07-01T10:00Z", RECORD_ABOUT_INFO, RECORD_DANGER_UNSURE);
	s = summary(OUTCOME_INFORMATION, 0, 0);
	prog_year_add(&y, &it, "library", &s);
	it = item("2026-07-01T10:00Z", RECORD_ABOUT_SELF, RECORD_DANGER_NO);
	s = summary(-1, 0, 0);
	prog_year_add(&y, &it, "library", &s);
	prog_year_finish(&y);
	cr_assert_eq(y.came, 4);
	cr_assert_eq(y.self, 2);
	cr_assert_eq(y.friend, 1);
	cr_assert_eq(y.questions, 1);
	cr_assert_eq(y.urgent, 1);
	cr_assert_eq(y.met, 2);           /* assault and information; not-found is not met */
	cr_assert_eq(y.identified, 1);
	cr_assert_eq(y.information, 1);
	cr_assert_eq(y.referred, 1);
	cr_assert_eq(y.referrals[REFER_POLICE], 1);
	cr_assert_eq(y.no_outcome, 1);
	cr_assert_eq(y.month[1], 2);      /* September is the second month */
	cr_assert_eq(y.month[11], 2);     /* July the last */
	cr_assert_eq(y.median, 2 * 3600); /* of one and three hours */
	cr_assert_eq(y.nkiosks, 2);
	cr_assert_str_eq(y.kiosks[0].name, "library");
	cr_assert_eq(y.kiosks[0].n, 3);
	prog_year_free(&y);
}

Test(report, suppress_small_counts_and_their_complement)
{
	size_t a[3] = { 10, 3, 0 }, b[3] = { 10, 7, 6 }, c[4] = { 3, 2, 9, 12 };
	int h[4];

	/* 3 alone hidden would be total - 10: the next smallest goes too */
	report_suppress(a, 3, 1, h);
	cr_assert(h[0] && h[1] && !h[2]);
	report_suppress(a, 3, 0, h);
	cr_assert(!h[0] && h[1] && !h[2]);
	report_suppress(b, 3, 1, h);
	cr_assert(!h[0] && !h[1] && !h[2]);
	report_suppress(c, 4, 1, h);
	cr_assert(h[0] && h[1] && !h[2] && !h[3]);
}

static char *
page(const struct prog_year *y, int exact)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);

	cr_assert_not_null(f);
	cr_assert_eq(report_html(f, y, exact, 1764000000), 0);
	fclose(f);
	return p;
}

Test(report, small_counts_hidden_unless_exact)
{
	struct prog_year y;
	struct queue_item it;
	struct case_summary s = summary(OUTCOME_GROOMING, 0, 0);
	char *p;
	int i;

	prog_year_init(&y, 2025, 8);
	it = item("2025-10-01T10:00Z", RECORD_ABOUT_SELF, RECORD_DANGER_NO);
	for (i = 0; i < 3; i++)
		prog_year_add(&y, &it, "library-1", &s);
	prog_year_finish(&y);
	p = page(&y, 0);
	cr_assert(strstr(p, "<td>Came forward</td><td class=\"n\">fewer than 5</td>") != NULL);
	cr_assert(strstr(p, ">3<") == NULL, "no 3 anywhere");
	cr_assert(strstr(p, "<script") == NULL && strstr(p, "src=") == NULL &&
	          strstr(p, "href=") == NULL && strstr(p, "url(http") == NULL);
	free(p);
	p = page(&y, 1);
	cr_assert(strstr(p, "<td>Came forward</td><td class=\"n\">3</td>") != NULL);
	free(p);
	prog_year_free(&y);
}

Test(report, empty_year_is_said_plainly)
{
	struct prog_year y;
	char *p;

	prog_year_init(&y, 2019, 8);
	prog_year_finish(&y);
	p = page(&y, 0);
	cr_assert(strstr(p, "No requests were made in this school year.") != NULL);
	cr_assert(strstr(p, "school year 2019-20") != NULL);
	cr_assert(strstr(p, "<svg") == NULL);
	free(p);
	prog_year_free(&y);
}

Test(progstats, collect_an_empty_queue)
{
	struct prog_years py;
	struct queue q;
	struct kiosks k;
	struct casefile cf;

	memset(&q, 0, sizeof(q));
	memset(&k, 0, sizeof(k));
	memset(&cf, 0, sizeof(cf));
	prog_years_collect(&py, &q, &k, &cf, 8, 2019, NULL);
	cr_assert_eq(py.n, 0);
	cr_assert_eq(py.all.came, 0);
	cr_assert_eq(py.all.year, 2019);
	cr_assert_eq(py.all.median, -1);
	prog_years_free(&py);
}

/* Months and school years follow the local date, as every time shown does:
 * 2026-08-01T03:00Z is still July 31 in Honolulu, August 1 in Kolkata. */
Test(progstats, school_year_by_local_date)
{
	char ym[8];

	setenv("TZ", "Pacific/Honolulu", 1);
	tzset();
	prog_local_month("2026-08-01T03:00Z", ym);
	cr_assert_str_eq(ym, "2026-07");
	cr_assert_eq(prog_school_year(ym, 8), 2025);
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	prog_local_month("2026-07-31T20:00Z", ym);
	cr_assert_str_eq(ym, "2026-08");
	cr_assert_eq(prog_school_year(ym, 8), 2026);
	setenv("TZ", "UTC", 1);
	tzset();
	prog_local_month("2026-07-31T20:00Z", ym);
	cr_assert_str_eq(ym, "2026-07");
}
