#ifndef SAFEHARBOR_TOOL_TEXTBUF_H
#define SAFEHARBOR_TOOL_TEXTBUF_H

/*
 * A bounded text buffer for the readers' text (a request, its case
 * lines): what does not fit is cut, the text stays NUL-terminated. The
 * caller owns p (locked memory when it holds student or case words).
 */

#include <stddef.h>

struct textbuf {
	char *p;
	size_t cap, len;
};

void textbuf_put(struct textbuf *b, const char *s, size_t n);
void textbuf_puts(struct textbuf *b, const char *s);
/* Words from the spool: through termsafe (flags as termsafe_copy), so the
 * text is safe for any terminal whoever prints it. */
void textbuf_put_safe(struct textbuf *b, const char *s, size_t n, unsigned flags);

#endif
