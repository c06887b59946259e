/*
 * The inbox model (see inbox_model.h). Decisions: the selection is held by
 * envelope name, not by index, because a reload re-sorts the queue; a
 * search never moves the cursor until it has found a match, so "not found"
 * leaves the social worker where she was.
 */
#include <stdlib.h>
#include <string.h>

#include "inbox_model.h"

void
inbox_model_init(struct inbox_model *m)
{
	memset(m, 0, sizeof(*m));
	qfilter_init(&m->filter);
	m->filter.open_only = 1;
}

void
inbox_model_free(struct inbox_model *m)
{
	free(m->rows);
	m->rows = NULL;
	m->nrows = m->cap = m->sel = 0;
}

size_t
inbox_model_selected(const struct inbox_model *m)
{
	return m->nrows > 0 ? m->rows[m->sel] : SIZE_MAX;
}

static void
remember(struct inbox_model *m)
{
	size_t it = inbox_model_selected(m);

	if (it == SIZE_MAX)
		m->selbase[0] = '\0';
	else
		memcpy(m->selbase, m->q->items[it].e.base, sizeof(m->selbase));
	/* the kept row stays only while it is the selection */
	if (m->keepbase[0] != '\0' && strcmp(m->keepbase, m->selbase) != 0)
		m->keepbase[0] = '\0';
}

static int
shown(const struct inbox_model *m, const struct queue_item *it)
{
	struct qfilter f = m->filter;

	f.open_only = f.open_only && !m->show_handled;
	if (qfilter_match(&f, it))
		return 1;
	return m->keepbase[0] != '\0' && strcmp(it->e.base, m->keepbase) == 0;
}

int
inbox_model_rebuild(struct inbox_model *m, const struct queue *q)
{
	size_t i, oldsel = m->sel;
	int found = 0;

	m->q = q;
	if (q->nvis > m->cap) {
		size_t *r = realloc(m->rows, q->nvis * sizeof(*r));

		if (r == NULL)
			return -1;
		m->rows = r;
		m->cap = q->nvis;
	}
	m->nrows = 0;
	for (i = 0; i < q->nvis; i++) {
		if (!shown(m, &q->items[i]))
			continue;
		if (m->selbase[0] != '\0' && strcmp(q->items[i].e.base, m->selbase) == 0) {
			m->sel = m->nrows;
			found = 1;
		}
		m->rows[m->nrows++] = i;
	}
	if (!found)
		m->sel = oldsel < m->nrows ? oldsel : (m->nrows > 0 ? m->nrows - 1 : 0);
	remember(m);
	return 0;
}

/* Drops a kept row that the selection is leaving. Returns 1 when the
 * selected row was dropped: sel then names the row that followed it. */
static int
drop_kept(struct inbox_model *m)
{
	struct qfilter f = m->filter;
	size_t i;

	f.open_only = f.open_only && !m->show_handled;
	if (m->keepbase[0] == '\0' || m->nrows == 0)
		return 0;
	i = m->sel;
	m->keepbase[0] = '\0';
	if (strcmp(m->q->items[m->rows[i]].e.base, m->selbase) != 0 ||
	    qfilter_match(&f, &m->q->items[m->rows[i]]))
		return 0;
	memmove(&m->rows[i], &m->rows[i + 1], (m->nrows - i - 1) * sizeof(*m->rows));
	m->nrows--;
	return 1;
}

void
inbox_model_move(struct inbox_model *m, long delta)
{
	long s;

	if (drop_kept(m) && delta > 0)
		delta--;             /* the next row already moved into place */
	if (m->nrows == 0) {
		m->sel = 0;
		remember(m);
		return;
	}
	s = (long)m->sel + delta;
	if (s < 0)
		s = 0;
	if (s >= (long)m->nrows)
		s = (long)m->nrows - 1;
	m->sel = (size_t)s;
	remember(m);
}

void
inbox_model_select_row(struct inbox_model *m, size_t row)
{
	if (row >= m->nrows)
		return;
	if (row != m->sel) {
		size_t want = m->rows[row];

		if (drop_kept(m)) {
			for (row = 0; row < m->nrows && m->rows[row] != want; row++)
				;
			if (row == m->nrows)
				row = 0;
		}
		m->sel = row;
	}
	remember(m);
}

void
inbox_model_keep_selected(struct inbox_model *m)
{
	remember(m);
	memcpy(m->keepbase, m->selbase, sizeof(m->keepbase));
}

enum inbox_search
inbox_model_search(struct inbox_model *m, int dir, inbox_match_fn match, void *ctx)
{
	size_t k, row, n = m->nrows;

	for (k = 1; k <= n; k++) {
		row = dir < 0 ? (m->sel + n - (k % n)) % n : (m->sel + k) % n;
		if (!match(ctx, m->rows[row]))
			continue;
		if (k == n)
			return INBOX_ONLY_THIS;
		inbox_model_select_row(m, row);
		return INBOX_FOUND;
	}
	return INBOX_NOT_FOUND;
}
