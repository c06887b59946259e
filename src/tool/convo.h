#ifndef SAFEHARBOR_TOOL_CONVO_H
#define SAFEHARBOR_TOOL_CONVO_H

/*
 * Conversations (SPEC §9) as the social worker sees them: a request, her
 * answers in the replies folder (counted by name from its Reply-To key,
 * nothing decrypted), and the student's own answers (About: reply,
 * In-Reply-To the request), which sit with their request in list and show.
 */

#include <stddef.h>
#include "queue.h"
#include "tool.h"

struct convo {
	int root;                 /* this item is the request of a conversation */
	unsigned answers;         /* her answers in the replies folder */
	size_t student;           /* the student's answers in the queue */
	size_t unread;            /* of which not seen yet */
	size_t parent;            /* About: reply: the request's index, or SIZE_MAX */
};

/* What item idx is part of. Her answers are counted when a replies folder
 * is configured (c->replies); otherwise 0. */
void convo_of(struct tool_ctx *c, const struct queue *q, size_t idx, struct convo *out);
/* "new answer", "answered", "answer to ID" (the request's short id), or
 * NULL: the state list shows beside a request. buf holds the last. */
const char *convo_label(const struct queue *q, const struct convo *cv, char *buf, size_t size);
/* The items that answer request idx (About: reply, In-Reply-To its id),
 * in queue order: fills out (up to max), returns how many there are. */
size_t convo_answers(const struct queue *q, size_t idx, size_t *out, size_t max);

#endif
