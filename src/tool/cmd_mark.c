/*
 * mark ID handled|open: state lives only in Maildir flags (R for handled,
 * S for seen), so a mark is one atomic rename and reveals nothing; the
 * change is also kept as a sealed case item (when it was first handled).
 * mark ID outcome NAME | referred WHO: sealed case items only (casework.c),
 * never a flag.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit_log.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "queue.h"
#include "tool.h"

static int
mark_case(struct tool_ctx *c, enum caserec_kind kind)
{
	struct queue q;
	char buf[256];
	size_t idx;
	int v;

	if (c->o.nargs < 3)
		die(TOOL_EXIT_USAGE, "mark: %s: say which: %s", c->o.args[1], caserec_value_list(kind));
	if ((v = caserec_value_parse(kind, c->o.args[2])) < 0)
		die(TOOL_EXIT_USAGE, "mark: '%s' is not %s; say one of: %s", c->o.args[2],
		    kind == CASE_OUTCOME ? "an outcome" : "a referral", caserec_value_list(kind));
	tool_load_queue(c, &q);
	idx = tool_resolve(&q, c->o.args[0]);
	if (!queue_item_opened(&q.items[idx]))
		die(TOOL_EXIT_FAIL, "%s: %s", q.items[idx].e.name,
		    queue_item_reason(&q.items[idx], buf, sizeof(buf)));
	tool_case_add(c, q.items[idx].id, kind, v, NULL, 0);
	audit_append(c, kind == CASE_OUTCOME ? "outcome" : "referred", q.items[idx].id, NULL);
	printf("%.*s %s %s\n", (int)q.items[idx].shortlen, q.items[idx].id,
	       kind == CASE_OUTCOME ? "outcome" : "referred", caserec_value_str(kind, v));
	queue_free(&q);
	return TOOL_EXIT_OK;
}

int
cmd_mark(struct tool_ctx *c)
{
	struct queue q;
	const char *what = c->o.args[1];
	char buf[256];
	enum spool_state s;
	enum sh_status st;
	size_t idx;

	if (strcmp(what, "outcome") == 0 || strcmp(what, "referred") == 0)
		return mark_case(c, strcmp(what, "outcome") == 0 ? CASE_OUTCOME : CASE_REFERRED);
	if (c->o.nargs > 2)
		die(TOOL_EXIT_USAGE, "mark: unexpected argument '%s'", c->o.args[2]);
	if (strcmp(what, "handled") == 0)
		s = SPOOL_HANDLED;
	else if (strcmp(what, "open") == 0)
		s = SPOOL_SEEN;
	else
		die(TOOL_EXIT_USAGE, "mark: '%s': say handled, open, outcome NAME or referred WHO",
		    what);
	tool_load_queue(c, &q);
	idx = tool_resolve(&q, c->o.args[0]);
	if (!queue_item_opened(&q.items[idx]))
		die(TOOL_EXIT_FAIL, "%s: %s", q.items[idx].e.name,
		    queue_item_reason(&q.items[idx], buf, sizeof(buf)));
	tool_case_add(c, q.items[idx].id, CASE_STATE,
	              s == SPOOL_HANDLED ? CSTATE_HANDLED : CSTATE_OPEN, NULL, 0);
	if ((st = queue_set_state(&q, idx, s)) != SH_OK)
		die(TOOL_EXIT_FAIL, "%s: cannot mark %s: %s", q.items[idx].e.name, what,
		    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	audit_append(c, s == SPOOL_HANDLED ? "handled" : "open", q.items[idx].id, NULL);
	printf("%.*s %s\n", (int)q.items[idx].shortlen, q.items[idx].id,
	       s == SPOOL_HANDLED ? "handled" : "open");
	queue_free(&q);
	return TOOL_EXIT_OK;
}
