#ifndef SAFEHARBOR_TOOL_COMPOSE_H
#define SAFEHARBOR_TOOL_COMPOSE_H

/*
 * What the inbox's compose box holds and says, without curses: one kind
 * per use (a case note, an answer to the student), each with its own
 * limits and words. ui_compose.c only draws and reads keys.
 */

#include <stddef.h>
#include "safeharbor/textfield.h"

struct compose_kind {
	const char *noun;        /* "note": "the note is full" */
	const char *send;        /* what Ctrl-D does: "save", "send" */
	size_t max_chars, max_bytes;
};

extern const struct compose_kind compose_note;    /* CASEREC_TEXT_MAX_CHARS */
extern const struct compose_kind compose_reply;   /* SH_REPLY_TEXT_MAX_CHARS */

/* A multi-line field in locked memory with the kind's limits (NULL: out
 * of memory). */
struct textfield *compose_field_new(const struct compose_kind *k);

/* The text to keep or send: trailing spaces and blank lines dropped (the field takes no tab),
 * as `safeharbor reply` drops them from stdin. *len 0: nothing written. */
const char *compose_text(const struct textfield *tf, size_t *len);

/* The box's bottom line: how many characters are used and left, the keys,
 * then msg. */
void compose_footer(const struct compose_kind *k, const struct textfield *tf, const char *msg,
                    char *out, size_t outsize);

/* Why a key did nothing ("the answer is empty", "the answer is full"). */
void compose_why(const struct compose_kind *k, int full, char *out, size_t outsize);

#endif
