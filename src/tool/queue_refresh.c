/*
 * Reloading an open queue (the inbox stays open all day while sync
 * delivers). Decisions: match by envelope base name (the part a state
 * change never renames), so a request already opened is never decrypted
 * again; a new array is built and swapped in only when everything
 * succeeded, so a failure leaves the queue as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "queue.h"

static int
cmp_base(const void *a, const void *b)
{
	return strcmp((*(const struct queue_item *const *)a)->e.base,
	              (*(const struct queue_item *const *)b)->e.base);
}

static struct queue_item *
find_base(struct queue_item **sorted, size_t n, const char *base)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(sorted[mid]->e.base, base)) == 0)
			return sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum sh_status
queue_refresh(struct queue *q, const struct age_unlock *u, const struct kiosks *k,
              size_t *added, size_t *added_urgent)
{
	struct spool_entry *ents = NULL;
	struct queue_item **sorted = NULL, *items = NULL, *old;
	unsigned char *seen = NULL;
	size_t n = 0, i, m = 0, nnew = 0, nadd = 0, nurg = 0;
	enum sh_status st;

	if (added != NULL)
		*added = 0;
	if (added_urgent != NULL)
		*added_urgent = 0;
	if ((st = spool_scan_at(&q->sp, &ents, &n)) != SH_OK)
		return st;
	st = SH_ERR_NOMEM;
	if ((sorted = malloc((q->n > 0 ? q->n : 1) * sizeof(*sorted))) == NULL ||
	    (seen = calloc(n > 0 ? n : 1, 1)) == NULL ||
	    (items = sodium_allocarray(n > 0 ? n : 1, sizeof(*items))) == NULL)
		goto out;
	for (i = 0; i < q->n; i++)
		sorted[i] = &q->items[i];
	qsort(sorted, q->n, sizeof(*sorted), cmp_base);
	memset(items, 0, (n > 0 ? n : 1) * sizeof(*items));
	/* known envelopes first (their new name and state), new ones after */
	for (i = 0; i < n; i++) {
		if ((old = find_base(sorted, q->n, ents[i].base)) == NULL)
			continue;
		items[m] = *old;
		items[m].e = ents[i];
		seen[i] = 1;
		m++;
	}
	for (i = 0; i < n; i++) {
		if (seen[i])
			continue;
		items[m + nnew].e = ents[i];
		items[m + nnew].kiosk = -1;
		items[m + nnew].st = SH_ERR_NO_MATCH;
		nnew++;
	}
	if (u != NULL && nnew > 0 &&
	    (st = queue_open_items(items + m, nnew, q, u, k, NULL, NULL)) != SH_OK)
		goto out;
	sodium_free(q->items);
	q->items = items;
	q->n = m + nnew;
	items = NULL;
	queue_dedupe(q->items, q->n);
	/* items[m..n) are the new ones until queue_sort mixes them in */
	for (i = m; i < q->n; i++) {
		if (q->items[i].hidden)
			continue;
		nadd++;
		if (queue_item_opened(&q->items[i]) && q->items[i].danger == RECORD_DANGER_YES &&
		    q->items[i].e.state != SPOOL_HANDLED)
			nurg++;
	}
	queue_sort(q);
	queue_shortids(q);
	if (added != NULL)
		*added = nadd;
	if (added_urgent != NULL)
		*added_urgent = nurg;
	st = SH_OK;
out:
	if (items != NULL)
		sodium_free(items);
	free(seen);
	free(sorted);
	free(ents);
	return st;
}
