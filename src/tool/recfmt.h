#ifndef SAFEHARBOR_TOOL_RECFMT_H
#define SAFEHARBOR_TOOL_RECFMT_H

/*
 * One request as text, the same words wherever the social worker reads it:
 * `show`, the inbox reader, and the list/inbox columns. Labels are aligned
 * ("Danger:       yes (URGENT...)"), times local, contact ways in her
 * language, the reporter of a friend request "Reported by"; then her case
 * lines (casework.c). Every word from the spool passes through termsafe.
 */

#include <stddef.h>
#include "safeharbor/record.h"

struct tool_ctx;
struct queue;
struct queue_item;

#define RECFMT_ENVELOPE 1        /* add the envelope's path (show) */

/* The request as text into buf (cap bytes, NUL-terminated, cut at cap-1);
 * returns its length. r may be NULL when it is not opened: then the text
 * says why. Holds student words: give it locked memory. */
size_t recfmt_text(struct tool_ctx *c, const struct queue *q, const struct queue_item *it,
                   const struct record *r, int flags, char *buf, size_t cap);

/* A cap that holds all of recfmt_text for r (case lines included). */
size_t recfmt_text_max(struct tool_ctx *c, const struct record *r);

/* Danger in a column: "URGENT", "not sure", "no". */
const char *recfmt_danger_short(enum record_danger d);
/* Danger on its line: "yes (URGENT: ...)", "not sure", "no". */
const char *recfmt_danger_long(enum record_danger d);
/* The label of a field for a request about a (friend requests: the Name is
 * the reporter's). */
const char *recfmt_field_label(enum record_field f, enum record_about a);
/* A contact-way choice as the kiosk's screens offer it (any language), in
 * the social worker's words; NULL when text is not one of the choices. */
const char *recfmt_contact(const char *text);

#endif
