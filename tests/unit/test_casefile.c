#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/spool.h"
#include "../../src/tool/casefile.h"

static char dir[64];
static struct age_identity *ids;          /* [0] hers, [1] someone else's */
static struct age_recipient rcp[2];
static struct age_unlock mine, other;
static const char *const A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char *const B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	snprintf(dir, sizeof(dir), "/tmp/sh-casefile.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(spool_init(dir), SH_OK);
	ids = sodium_allocarray(2, sizeof(*ids));
	age_identity_generate(&ids[0]);
	age_identity_generate(&ids[1]);
	age_identity_recipient(&ids[0], &rcp[0]);
	age_identity_recipient(&ids[1], &rcp[1]);
	memset(&mine, 0, sizeof(mine));
	mine.ids = &ids[0];
	mine.nids = 1;
	memset(&other, 0, sizeof(other));
	other.ids = &ids[1];
	other.nids = 1;
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	sodium_free(ids);
}

TestSuite(casefile, .init = setup, .fini = teardown);

static void
add(const struct age_unlock *u, const char *req, enum caserec_kind k, int v, time_t when)
{
	struct casefile cf;
	struct caserec *c = caserec_new();

	cr_assert_eq(casefile_init(&cf, dir, u), SH_OK);
	memcpy(c->request, req, SH_RECORD_ID_HEX);
	c->kind = k;
	c->value = v;
	c->created = when;
	if (k == CASE_NOTE) {
		c->text_len = 5;
		memcpy(c->text, "hello", 5);
	}
	cr_assert_eq(casefile_add(&cf, rcp, 2, 0, c), SH_OK);
	caserec_free(c);
	casefile_free(&cf);
}

static void
load(struct casefile *cf)
{
	cr_assert_eq(casefile_init(cf, dir, &mine), SH_OK);
	cr_assert_eq(casefile_load(cf, &mine), SH_OK);
}

Test(casefile, no_case_folder_is_an_empty_index)
{
	struct casefile cf;
	size_t first;

	load(&cf);
	cr_assert_eq(cf.n, 0);
	cr_assert_eq(casefile_find(&cf, A, &first), 0);
	casefile_free(&cf);
}

Test(casefile, summary_latest_outcome_referrals_and_foreign_items)
{
	struct casefile cf;
	struct case_summary s;
	struct caserec *c = caserec_new();
	size_t first, n;

	add(&mine, A, CASE_NOTE, -1, 1000);
	add(&mine, A, CASE_OUTCOME, OUTCOME_NO_CONCERN, 1001);
	add(&mine, A, CASE_OUTCOME, OUTCOME_ASSAULT, 1002);
	add(&mine, A, CASE_REFERRED, REFER_POLICE, 1003);
	add(&other, A, CASE_OUTCOME, OUTCOME_TRAFFICKING, 1004);   /* another key */
	add(&mine, B, CASE_STATE, CSTATE_OPEN, 900);
	add(&mine, B, CASE_STATE, CSTATE_HANDLED, 950);
	load(&cf);
	cr_assert_eq(cf.n, 7);
	cr_assert_eq(cf.nopened, 7);
	n = casefile_find(&cf, A, &first);
	cr_assert_eq(n, 5);
	cr_assert_eq(cf.v[first].created, 1000);
	cr_assert_eq(cf.v[first + 4].st, SH_ERR_SIGNATURE);
	casefile_summary(&cf, A, &s);
	cr_assert_eq(s.outcome, OUTCOME_ASSAULT);
	cr_assert_eq(s.referred, 1u << REFER_POLICE);
	cr_assert_eq(s.notes, 1);
	cr_assert_eq(s.foreign, 1);
	cr_assert_eq(s.first, 1000);
	casefile_summary(&cf, B, &s);
	cr_assert_eq(s.first, 950, "reopening is no handling");
	cr_assert_eq(s.outcome, -1);
	cr_assert_eq(casefile_open(&cf, first, &mine, c), SH_OK);
	cr_assert_eq(c->text_len, 5);
	caserec_free(c);
	casefile_free(&cf);
}

Test(casefile, remove_a_requests_items_for_purge)
{
	struct casefile cf;
	size_t removed = 0, first;

	add(&mine, A, CASE_NOTE, -1, 1000);
	add(&mine, A, CASE_OUTCOME, OUTCOME_MET, 1001);
	add(&mine, B, CASE_NOTE, -1, 1002);
	load(&cf);
	cr_assert_eq(casefile_remove_request(&cf, A, &removed), SH_OK);
	cr_assert_eq(removed, 2);
	casefile_free(&cf);
	load(&cf);
	cr_assert_eq(cf.n, 1);
	cr_assert_eq(casefile_find(&cf, A, &first), 0);
	cr_assert_eq(casefile_find(&cf, B, &first), 1);
	casefile_free(&cf);
}

Test(casefile, a_link_for_case_is_never_followed)
{
	struct casefile cf;
	char link[96], target[96];

	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	snprintf(link, sizeof(link), "%s/case", dir);
	cr_assert_eq(mkdir(target, 0700), 0);
	cr_assert_eq(symlink(target, link), 0);
	cr_assert_eq(casefile_init(&cf, dir, &mine), SH_OK);
	cr_assert_neq(casefile_load(&cf, &mine), SH_OK);
	casefile_free(&cf);
	snprintf(target, sizeof(target), "%s/elsewhere/new", dir);
	cr_assert_eq(access(target, F_OK), -1, "nothing made through the link");
}
