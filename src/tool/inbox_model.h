#ifndef SAFEHARBOR_TOOL_INBOX_MODEL_H
#define SAFEHARBOR_TOOL_INBOX_MODEL_H

/*
 * The inbox without a screen: which requests are rows, which one is
 * selected, how the selection moves, searches and survives a reload. The
 * view (ui_inbox.c) only draws the model and turns keys into these calls;
 * tests/unit/test_inbox_model.c drives it with no terminal.
 *
 * Rows are items of a queue (visible ones only) that pass the filter; a
 * handled request is hidden unless show_handled. A row marked handled while
 * selected stays until the selection leaves it, so `h` never makes the
 * cursor jump, and the next move goes to the row that followed it.
 * The selection is remembered by envelope name, so it survives the queue
 * being reloaded and re-sorted.
 */

#include <stddef.h>
#include "qfilter.h"
#include "queue.h"

struct inbox_model {
	const struct queue *q;
	size_t *rows;            /* indexes into q->items */
	size_t nrows, cap;
	size_t sel;              /* row of the selection (0 when no rows) */
	int show_handled;
	struct qfilter filter;
	char selbase[SPOOL_NAME_MAX];   /* envelope of the selection, "" none */
	char keepbase[SPOOL_NAME_MAX];  /* filtered out, kept while selected */
};

/* Match predicate for searches: nonzero when item matches. */
typedef int (*inbox_match_fn)(void *ctx, size_t item);

enum inbox_search {
	INBOX_FOUND,             /* the selection moved to another match */
	INBOX_ONLY_THIS,         /* no other row matches, the selected one does */
	INBOX_NOT_FOUND          /* no row matches; the selection did not move */
};

void inbox_model_init(struct inbox_model *m);
void inbox_model_free(struct inbox_model *m);

/* (Re)compute the rows from q, keeping the selected request selected when
 * it is still a row (else the row now at its place). 0, or -1 out of
 * memory. Call after the queue changed (loaded, reloaded, state set). */
int inbox_model_rebuild(struct inbox_model *m, const struct queue *q);

/* The selected item index, or SIZE_MAX when there are no rows. */
size_t inbox_model_selected(const struct inbox_model *m);

/* Move by delta rows (clamped). A kept row (marked handled while hidden)
 * leaves first. */
void inbox_model_move(struct inbox_model *m, long delta);
void inbox_model_select_row(struct inbox_model *m, size_t row);

/* The selected request's state was just changed: if the filter now hides
 * it, keep it as a row until the selection moves. */
void inbox_model_keep_selected(struct inbox_model *m);

/* Visits every row once, starting after (dir > 0) or before (dir < 0) the
 * selection and wrapping, the selected row last. */
enum inbox_search inbox_model_search(struct inbox_model *m, int dir, inbox_match_fn match,
                                     void *ctx);

#endif
