/*
 * What purge removes beside a request's envelopes (see purge.h): its case
 * items (notes, outcomes, referrals, changes of state; casefile.c).
 * Replies register here when the tool writes them.
 */
#include <errno.h>
#include <string.h>

#include "safeharbor/util.h"
#include "casework.h"
#include "purge.h"

static long
case_items(struct tool_ctx *c, const char *id, int dry_run, char *why, size_t whysize)
{
	size_t first, n = casefile_find(tool_cases(c), id, &first), removed = 0;
	enum sh_status st;

	if (dry_run || n == 0)
		return (long)n;
	if ((st = casefile_remove_request(c->cases, id, &removed)) != SH_OK) {
		util_snprintf(why, whysize, "%s", st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		return -1;
	}
	return (long)removed;
}

const struct purge_hook purge_hooks[] = {
	{ "case items (notes, outcomes, marks)", case_items },
	{ NULL, NULL }
};
