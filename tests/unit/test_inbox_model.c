/* The inbox model with no terminal: every search from every row, walking
 * the list with h j and h k, filters and a reload that re-sorts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../src/tool/inbox_model.h"
#include "../../src/tool/tooltime.h"

#define N 35

static struct queue_item items[N + 4];
static struct queue q;
static struct inbox_model m;

static void
fill(size_t i, enum record_danger d, enum spool_state s)
{
	struct queue_item *it = &items[i];

	memset(it, 0, sizeof(*it));
	it->st = SH_OK;
	it->kiosk = (int)(i % 3);
	it->danger = d;
	it->e.state = s;
	it->e.mtime = (time_t)(1000000 + i);
	snprintf(it->e.base, sizeof(it->e.base), "env%02zu.age", i);
	memcpy(it->e.name, it->e.base, sizeof(it->e.name));
}

static void
setup(void)
{
	size_t i;

	for (i = 0; i < N; i++)
		fill(i, RECORD_DANGER_NO, SPOOL_NEW);
	memset(&q, 0, sizeof(q));
	q.items = items;
	q.n = q.nvis = N;
	inbox_model_init(&m);
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
}

static void
teardown(void)
{
	inbox_model_free(&m);
}

TestSuite(inbox_model, .init = setup, .fini = teardown);

static const int *match_set;

static int
match_in_set(void *ctx, size_t item)
{
	(void)ctx;
	return match_set[item];
}

static void
check_every_start(const int *set)
{
	size_t start, k, want, expect_count = 0, found;
	enum inbox_search r;

	match_set = set;
	for (k = 0; k < N; k++)
		expect_count += set[k] != 0;
	for (start = 0; start < N; start++) {
		int seen[N] = { 0 };

		inbox_model_select_row(&m, start);
		for (found = 0; found < expect_count; found++) {
			size_t from = m.sel;

			r = inbox_model_search(&m, 1, match_in_set, NULL);
			/* the nearest match after the selection, wrapping */
			for (k = 1; k <= N && !set[(from + k) % N]; k++)
				;
			want = (from + k) % N;
			if (expect_count == 1 && set[from]) {
				cr_assert_eq(r, INBOX_ONLY_THIS, "start %zu", start);
				cr_assert_eq(m.sel, from);
			} else {
				cr_assert_eq(r, INBOX_FOUND, "start %zu", start);
				cr_assert_eq(m.sel, want, "from %zu: at %zu, want %zu", from, m.sel, want);
			}
			seen[m.sel] = 1;
		}
		for (k = 0; k < N; k++)
			cr_assert_eq(seen[k], set[k] != 0, "start %zu row %zu", start, k);
	}
}

Test(inbox_model, search_from_every_row_finds_every_match)
{
	int set[N] = { 0 };

	set[2] = set[3] = set[5] = set[17] = set[34] = 1;
	check_every_start(set);
	/* adjacent matches: the old loop visited offsets 1, 3, 6... */
	memset(set, 0, sizeof(set));
	set[1] = set[2] = 1;
	check_every_start(set);
}

Test(inbox_model, search_one_match_says_only_this)
{
	int set[N] = { 0 };
	enum inbox_search r;

	set[20] = 1;
	match_set = set;
	inbox_model_select_row(&m, 4);
	r = inbox_model_search(&m, 1, match_in_set, NULL);
	cr_assert_eq(r, INBOX_FOUND);
	cr_assert_eq(m.sel, 20);
	r = inbox_model_search(&m, 1, match_in_set, NULL);
	cr_assert_eq(r, INBOX_ONLY_THIS);
	cr_assert_eq(m.sel, 20);
	r = inbox_model_search(&m, -1, match_in_set, NULL);
	cr_assert_eq(r, INBOX_ONLY_THIS);
}

Test(inbox_model, search_not_found_leaves_the_cursor)
{
	int set[N] = { 0 };

	match_set = set;
	inbox_model_select_row(&m, 7);
	cr_assert_eq(inbox_model_search(&m, 1, match_in_set, NULL), INBOX_NOT_FOUND);
	cr_assert_eq(m.sel, 7);
	cr_assert_eq(inbox_model_search(&m, -1, match_in_set, NULL), INBOX_NOT_FOUND);
	cr_assert_eq(m.sel, 7);
}

Test(inbox_model, search_previous_goes_backwards_and_wraps)
{
	int set[N] = { 0 };

	set[3] = set[10] = set[30] = 1;
	match_set = set;
	inbox_model_select_row(&m, 10);
	cr_assert_eq(inbox_model_search(&m, -1, match_in_set, NULL), INBOX_FOUND);
	cr_assert_eq(m.sel, 3);
	cr_assert_eq(inbox_model_search(&m, -1, match_in_set, NULL), INBOX_FOUND);
	cr_assert_eq(m.sel, 30);
	cr_assert_eq(inbox_model_search(&m, -1, match_in_set, NULL), INBOX_FOUND);
	cr_assert_eq(m.sel, 10);
}

/* What the view does on `h`: the state changes on disk, the model keeps the
 * row while it is selected. */
static void
mark_handled(void)
{
	size_t it = inbox_model_selected(&m);

	cr_assert_neq(it, SIZE_MAX);
	items[it].e.state = SPOOL_HANDLED;
	inbox_model_keep_selected(&m);
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
	cr_assert_eq(inbox_model_selected(&m), it, "the handled row stays selected");
}

Test(inbox_model, h_j_walks_every_request)
{
	int seen[N] = { 0 };
	size_t i, it;

	for (i = 0; i < N; i++) {
		it = inbox_model_selected(&m);
		cr_assert_neq(it, SIZE_MAX, "step %zu: no row left", i);
		cr_assert_eq(seen[it], 0, "item %zu visited twice", it);
		seen[it] = 1;
		mark_handled();
		inbox_model_move(&m, 1);
	}
	cr_assert_eq(m.nrows, 0);
	for (i = 0; i < N; i++)
		cr_assert(seen[i], "item %zu never selected", i);
}

Test(inbox_model, h_j_from_the_middle_then_h_k)
{
	size_t before;

	inbox_model_select_row(&m, 10);
	mark_handled();
	inbox_model_move(&m, 1);
	cr_assert_eq(inbox_model_selected(&m), 11);
	cr_assert_eq(m.nrows, N - 1);
	mark_handled();
	inbox_model_move(&m, -1);
	cr_assert_eq(inbox_model_selected(&m), 9);
	/* the last row handled: j stays on the new last row */
	inbox_model_select_row(&m, m.nrows - 1);
	before = m.nrows;
	mark_handled();
	inbox_model_move(&m, 1);
	cr_assert_eq(m.nrows, before - 1);
	cr_assert_eq(inbox_model_selected(&m), N - 2);
}

Test(inbox_model, show_handled_keeps_handled_rows)
{
	m.show_handled = 1;
	inbox_model_select_row(&m, 5);
	mark_handled();
	inbox_model_move(&m, 1);
	cr_assert_eq(m.nrows, N);
	cr_assert_eq(inbox_model_selected(&m), 6);
}

Test(inbox_model, rebuild_after_reload_keeps_the_selection)
{
	size_t i;

	inbox_model_select_row(&m, 12);
	/* a reload: an urgent arrival sorted to the top, the rest move down */
	for (i = N; i > 0; i--)
		items[i] = items[i - 1];
	fill(0, RECORD_DANGER_YES, SPOOL_NEW);
	snprintf(items[0].e.base, sizeof(items[0].e.base), "arrival.age");
	q.n = q.nvis = N + 1;
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
	cr_assert_eq(m.nrows, N + 1);
	cr_assert_eq(inbox_model_selected(&m), 13);
	cr_assert_str_eq(items[inbox_model_selected(&m)].e.base, "env12.age");
}

Test(inbox_model, rebuild_when_the_selection_vanished)
{
	size_t i;

	inbox_model_select_row(&m, 34);
	for (i = 30; i < N; i++)        /* purged elsewhere */
		items[i].e.state = SPOOL_HANDLED;
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
	cr_assert_eq(m.nrows, 30);
	cr_assert_eq(m.sel, 29);
}

Test(inbox_model, filter_urgent_and_kiosk)
{
	fill(4, RECORD_DANGER_YES, SPOOL_NEW);
	fill(9, RECORD_DANGER_YES, SPOOL_SEEN);
	fill(11, RECORD_DANGER_YES, SPOOL_HANDLED);
	m.filter.urgent_only = 1;
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
	cr_assert_eq(m.nrows, 2);
	cr_assert_eq(m.rows[0], 4);
	cr_assert_eq(m.rows[1], 9);
	m.show_handled = 1;
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
	cr_assert_eq(m.nrows, 3);
	m.filter.kiosk = 0;              /* items 9 (9 % 3 == 0) */
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
	cr_assert_eq(m.nrows, 1);
	cr_assert_eq(m.rows[0], 9);
}

Test(inbox_model, empty_queue)
{
	int set[1] = { 0 };

	q.n = q.nvis = 0;
	cr_assert_eq(inbox_model_rebuild(&m, &q), 0);
	cr_assert_eq(inbox_model_selected(&m), SIZE_MAX);
	inbox_model_move(&m, 1);
	inbox_model_move(&m, -1);
	match_set = set;
	cr_assert_eq(inbox_model_search(&m, 1, match_in_set, NULL), INBOX_NOT_FOUND);
}

Test(qfilter, days_are_local_and_checked)
{
	time_t a, b;

	cr_assert_eq(tooltime_parse_day("2026-11-29", &a, &b), 0);
	cr_assert(b - a >= 23 * 3600 && b - a <= 25 * 3600);
	cr_assert_eq(tooltime_parse_day("2026-02-30", &a, &b), -1);
	cr_assert_eq(tooltime_parse_day("2026-13-01", &a, &b), -1);
	cr_assert_eq(tooltime_parse_day("2026-1-01", &a, &b), -1);
	cr_assert_eq(tooltime_parse_day("yesterday", &a, &b), -1);
	cr_assert_eq(tooltime_parse_day("2026-11-29x", &a, &b), -1);
	cr_assert_eq(tooltime_parse_day("", &a, &b), -1);
}
