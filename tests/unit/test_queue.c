#include <criterion/criterion.h>
#include <string.h>
#include <sodium.h>

#include "../../src/tool/queue.h"

static struct queue q;

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	memset(&q, 0, sizeof(q));
	q.sp.root = q.sp.tmp = q.sp.new = q.sp.cur = -1;
	q.items = sodium_allocarray(16, sizeof(*q.items));
	cr_assert_not_null(q.items);
	memset(q.items, 0, 16 * sizeof(*q.items));
}

static void
teardown(void)
{
	queue_free(&q);
}

static struct queue_item *
add(const char *id, const char *created, enum record_danger d, time_t mtime,
    enum spool_state s, const char *name)
{
	struct queue_item *it = &q.items[q.n++];

	it->st = SH_OK;
	it->kiosk = -1;
	strcpy(it->id, id);
	strcpy(it->created, created);
	it->danger = d;
	it->about = RECORD_ABOUT_SELF;
	it->e.mtime = mtime;
	it->e.state = s;
	it->e.in_cur = s != SPOOL_NEW;
	strcpy(it->e.name, name);
	strcpy(it->e.base, name);
	memset(it->digest, id[0], sizeof(it->digest));
	return it;
}

static struct queue_item *
add_refused(enum sh_status st, time_t mtime, const char *name)
{
	struct queue_item *it = &q.items[q.n++];

	it->st = st;
	it->kiosk = -1;
	it->e.mtime = mtime;
	strcpy(it->e.name, name);
	strcpy(it->e.base, name);
	return it;
}

static void
load(void)
{
	queue_dedupe(q.items, q.n);
	queue_sort(&q);
	queue_shortids(&q);
}

#define ID(c) c "0000000000000000000000000000000"

TestSuite(queue, .init = setup, .fini = teardown);

Test(queue, urgent_first_then_newest)
{
	add(ID("1"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_NEW, "a.age");
	add(ID("2"), "2026-03-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_NEW, "b.age");
	add(ID("3"), "2025-12-01T10:00Z", RECORD_DANGER_YES, 100, SPOOL_NEW, "c.age");
	add(ID("4"), "2026-02-01T10:00Z", RECORD_DANGER_YES, 100, SPOOL_HANDLED, "d.age");
	add(ID("5"), "2026-02-15T10:00Z", RECORD_DANGER_UNSURE, 100, SPOOL_NEW, "e.age");
	add_refused(SH_ERR_HEADER_MAC, 500, "x.age");
	load();
	cr_assert_eq(q.nvis, 6);
	cr_assert_eq(q.nopened, 5);
	cr_assert_eq(q.nrefused, 1);
	cr_assert_str_eq(q.items[0].id, ID("4"), "urgent, newest");
	cr_assert_str_eq(q.items[1].id, ID("3"), "urgent, older");
	cr_assert_str_eq(q.items[2].id, ID("5"), "not sure next");
	cr_assert_str_eq(q.items[3].id, ID("2"));
	cr_assert_str_eq(q.items[4].id, ID("1"));
	cr_assert_str_eq(q.items[5].e.name, "x.age", "refused last");
}

Test(queue, same_minute_falls_back_to_receive_time)
{
	add(ID("1"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_NEW, "a.age");
	add(ID("2"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 200, SPOOL_NEW, "b.age");
	load();
	cr_assert_str_eq(q.items[0].id, ID("2"));
}

Test(queue, duplicates_shown_once_keeping_furthest_state)
{
	add(ID("a"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_NEW, "copy1.age");
	add(ID("a"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_HANDLED, "copy2.age:2,RS");
	add(ID("a"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_SEEN, "copy3.age:2,S");
	add(ID("b"), "2026-01-01T09:00Z", RECORD_DANGER_NO, 100, SPOOL_NEW, "other.age");
	load();
	cr_assert_eq(q.nvis, 2);
	cr_assert_eq(q.nopened, 2);
	cr_assert_str_eq(q.items[0].e.name, "copy2.age:2,RS");
	cr_assert_eq(q.items[0].dups, 2);
	cr_assert_eq(q.items[0].e.state, SPOOL_HANDLED);
	cr_assert_eq(q.items[2].hidden, 1);
	cr_assert_eq(q.items[3].hidden, 1);
}

Test(queue, same_id_other_content_is_a_conflict_not_hidden)
{
	struct queue_item *a, *b;

	a = add(ID("c"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_NEW, "real.age");
	b = add(ID("c"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 100, SPOOL_NEW, "forged.age");
	memset(a->digest, 1, sizeof(a->digest));
	memset(b->digest, 2, sizeof(b->digest));
	load();
	cr_assert_eq(q.nvis, 2);
	cr_assert(q.items[0].conflict && q.items[1].conflict);
	cr_assert(!q.items[0].hidden && !q.items[1].hidden);
}

Test(queue, refused_envelopes_never_deduplicated)
{
	add_refused(SH_ERR_NO_MATCH, 1, "a.age");
	add_refused(SH_ERR_NO_MATCH, 1, "b.age");
	load();
	cr_assert_eq(q.nvis, 2);
	cr_assert_eq(q.nrefused, 2);
	cr_assert_str_eq(q.items[0].e.name, "a.age");
}

Test(queue, short_ids_and_resolution)
{
	size_t idx = 99, cand[4], n;

	add("3fa9c2d1000000000000000000000001", "2026-01-01T10:00Z", RECORD_DANGER_NO, 1, SPOOL_NEW, "a.age");
	add("3fa9c2d1000000000000000000000002", "2026-01-02T10:00Z", RECORD_DANGER_NO, 1, SPOOL_NEW, "b.age");
	add("77000000000000000000000000000000", "2026-01-03T10:00Z", RECORD_DANGER_NO, 1, SPOOL_NEW, "c.age");
	add_refused(SH_ERR_PAYLOAD, 1, "d.age");
	load();
	cr_assert_str_eq(q.items[0].id, "77000000000000000000000000000000");
	cr_assert_eq(q.items[0].shortlen, 8);
	cr_assert_eq(q.items[1].shortlen, 32);
	cr_assert_eq(q.items[2].shortlen, 32);
	cr_assert_eq(queue_resolve(&q, "77", &idx, cand, 4, &n), IDPREFIX_FOUND);
	cr_assert_eq(idx, 0);
	cr_assert_eq(queue_resolve(&q, "3FA9", &idx, cand, 4, &n), IDPREFIX_AMBIGUOUS);
	cr_assert_eq(n, 2);
	cr_assert(cand[0] != cand[1] && cand[0] >= 1 && cand[0] <= 2 && cand[1] >= 1 && cand[1] <= 2);
	cr_assert_eq(queue_resolve(&q, "3fa9c2d1000000000000000000000002", &idx, cand, 4, &n),
	             IDPREFIX_FOUND);
	cr_assert_eq(idx, 1);
	cr_assert_eq(queue_resolve(&q, "abc", &idx, cand, 4, &n), IDPREFIX_UNKNOWN);
	cr_assert_eq(queue_resolve(&q, "zz", &idx, cand, 4, &n), IDPREFIX_INVALID);
	/* by file name, also for an envelope that cannot be opened */
	cr_assert_eq(queue_resolve(&q, "new/d.age", &idx, cand, 4, &n), IDPREFIX_FOUND);
	cr_assert_eq(idx, 3);
	cr_assert_eq(queue_resolve(&q, "nothere.age", &idx, cand, 4, &n), IDPREFIX_UNKNOWN);
}

Test(queue, hidden_copies_do_not_make_ids_ambiguous)
{
	size_t idx, cand[4], n;

	add(ID("d"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 1, SPOOL_NEW, "a.age");
	add(ID("d"), "2026-01-01T10:00Z", RECORD_DANGER_NO, 1, SPOOL_NEW, "b.age");
	load();
	cr_assert_eq(q.items[0].shortlen, 8);
	cr_assert_eq(queue_resolve(&q, "d0", &idx, cand, 4, &n), IDPREFIX_FOUND);
	cr_assert_eq(idx, 0);
	/* the hidden copy's file name leads to the record shown */
	cr_assert_eq(queue_resolve(&q, q.items[1].e.name, &idx, cand, 4, &n), IDPREFIX_FOUND);
	cr_assert_eq(idx, 0);
}

Test(queue, states_and_flags)
{
	struct queue_item it;

	cr_assert_str_eq(queue_state_str(SPOOL_NEW), "new");
	cr_assert_str_eq(queue_state_str(SPOOL_SEEN), "seen");
	cr_assert_str_eq(queue_state_str(SPOOL_HANDLED), "handled");
	memset(&it, 0, sizeof(it));
	it.st = SH_OK;
	it.kiosk = 0;
	cr_assert(queue_item_opened(&it) && queue_item_trusted(&it));
	it.kiosk = -1;
	cr_assert(queue_item_opened(&it) && !queue_item_trusted(&it), "unknown kiosk");
	it.st = SH_ERR_SIGNATURE;
	it.kiosk = 0;
	cr_assert(queue_item_opened(&it) && !queue_item_trusted(&it), "bad signature");
	it.st = SH_ERR_HEADER_MAC;
	cr_assert(!queue_item_opened(&it));
}

Test(queue, reasons)
{
	struct queue_item it;
	char buf[128];

	memset(&it, 0, sizeof(it));
	it.st = SH_ERR_FORMAT;
	it.why = "bad Danger";
	cr_assert(strstr(queue_item_reason(&it, buf, sizeof(buf)), "bad Danger") != NULL);
	it.st = SH_ERR_NO_MATCH;
	cr_assert_str_eq(queue_item_reason(&it, buf, sizeof(buf)), sh_status_str(SH_ERR_NO_MATCH));
}
