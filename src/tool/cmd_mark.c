/*
 * mark ID handled|open: state lives only in Maildir flags (R for handled,
 * S for seen), so a mark is one atomic rename and reveals nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "safeharbor/util.h"
#include "queue.h"
#include "tool.h"

int
cmd_mark(struct tool_ctx *c)
{
	struct queue q;
	const char *what = c->o.args[1];
	char buf[256];
	enum spool_state s;
	enum sh_status st;
	size_t idx;

	if (strcmp(what, "handled") == 0)
		s = SPOOL_HANDLED;
	else if (strcmp(what, "open") == 0)
		s = SPOOL_SEEN;
	else
		die(TOOL_EXIT_USAGE, "mark: '%s': say handled or open", what);
	tool_load_queue(c, &q);
	idx = tool_resolve(&q, c->o.args[0]);
	if (!queue_item_opened(&q.items[idx]))
		die(TOOL_EXIT_FAIL, "%s: %s", q.items[idx].e.name,
		    queue_item_reason(&q.items[idx], buf, sizeof(buf)));
	if ((st = queue_set_state(&q, idx, s)) != SH_OK)
		die(TOOL_EXIT_FAIL, "%s: cannot mark %s: %s", q.items[idx].e.name, what,
		    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	printf("%.*s %s\n", (int)q.items[idx].shortlen, q.items[idx].id,
	       s == SPOOL_HANDLED ? "handled" : "open");
	queue_free(&q);
	return TOOL_EXIT_OK;
}
