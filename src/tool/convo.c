/*
 * Conversations: a request, her answers, the student's answers (SPEC §9).
 *
 * Decisions: her answers are counted by file name only (replies_count: no
 * decryption, no key needed), so list stays as fast as it was; "new
 * answer" means a student's answer not seen yet, "answered" that she has
 * answered. A student's answer whose request is not in the queue (purged,
 * or from a spool not merged yet) is listed on its own.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "safeharbor/replies.h"
#include "convo.h"

static int
answers_item(const struct queue_item *root, const struct queue_item *it)
{
	return queue_item_opened(it) && it->about == RECORD_ABOUT_REPLY &&
	       strcmp(it->in_reply_to, root->id) == 0;
}

size_t
convo_answers(const struct queue *q, size_t idx, size_t *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < q->nvis; i++) {
		if (i == idx || !answers_item(&q->items[idx], &q->items[i]))
			continue;
		if (n < max)
			out[n] = i;
		n++;
	}
	return n;
}

void
convo_of(struct tool_ctx *c, const struct queue *q, size_t idx, struct convo *out)
{
	const struct queue_item *it = &q->items[idx];
	struct age_recipient rk;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->parent = SIZE_MAX;
	if (!queue_item_opened(it))
		return;
	if (it->about == RECORD_ABOUT_REPLY) {
		for (i = 0; i < q->nvis; i++)
			if (i != idx && queue_item_opened(&q->items[i]) &&
			    q->items[i].about != RECORD_ABOUT_REPLY &&
			    strcmp(q->items[i].id, it->in_reply_to) == 0)
				out->parent = i;
		return;
	}
	if (!it->has_reply_to)
		return;
	out->root = 1;
	if (c->replies[0] != '\0') {
		memcpy(rk.pk, it->reply_to, sizeof(rk.pk));
		out->answers = replies_count(c->replies, &rk);
	}
	for (i = 0; i < q->nvis; i++) {
		if (i == idx || !answers_item(it, &q->items[i]))
			continue;
		out->student++;
		if (q->items[i].e.state == SPOOL_NEW)
			out->unread++;
	}
}

const char *
convo_label(const struct queue *q, const struct convo *cv, char *buf, size_t size)
{
	if (cv->parent != SIZE_MAX) {
		const struct queue_item *p = &q->items[cv->parent];

		snprintf(buf, size, "answer to %.*s", (int)p->shortlen, p->id);
		return buf;
	}
	if (cv->unread > 0)
		return "new answer";
	if (cv->answers > 0)
		return "answered";
	return NULL;
}
