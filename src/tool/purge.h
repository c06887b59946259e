#ifndef SAFEHARBOR_TOOL_PURGE_H
#define SAFEHARBOR_TOOL_PURGE_H

/*
 * Retention (SPEC §11): purge removes handled requests and whatever is
 * kept beside them. A module that keeps something per request (notes,
 * outcomes, replies) adds one hook to purge_hooks[] (purge_hooks.c); purge
 * calls every hook for a request before removing its envelope, so a purge
 * interrupted at any point leaves the envelope to be found again by the
 * next run, never something of it orphaned.
 */

#include <stddef.h>
#include <time.h>
#include "queue.h"
#include "tool.h"

struct purge_hook {
	const char *what;     /* plural noun for the counts: "notes", "replies" */
	/* Remove (dry_run: only count) what is kept for the opened request
	 * it. Called once per request being purged (never for hidden
	 * copies). Returns how many, or -1 with why filled. */
	long (*remove)(struct tool_ctx *c, const struct queue_item *it, int dry_run, char *why,
	               size_t whysize);
};

#define PURGE_MAX_HOOKS 8
/* At most PURGE_MAX_HOOKS, then { NULL, NULL }. */
extern const struct purge_hook purge_hooks[];

/* The answers to it in the replies folder whose file time (the hour they
 * were written; a sync keeps it) is before before ((time_t)-1: all):
 * removed, or with dry_run counted. The replies hook, and purge's sweep of
 * answers the kiosks no longer show (config reply_days). */
long purge_replies_older(struct tool_ctx *c, const struct queue_item *it, time_t before,
                         int dry_run, char *why, size_t whysize);

int cmd_purge(struct tool_ctx *c);

#endif
