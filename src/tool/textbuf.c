/* The bounded text buffer (see textbuf.h). */
#include <string.h>

#include "safeharbor/termsafe.h"
#include "textbuf.h"

void
textbuf_put(struct textbuf *b, const char *s, size_t n)
{
	if (b->cap == 0)
		return;
	if (n > b->cap - 1 - b->len)
		n = b->cap - 1 - b->len;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
textbuf_puts(struct textbuf *b, const char *s)
{
	textbuf_put(b, s, strlen(s));
}

void
textbuf_put_safe(struct textbuf *b, const char *s, size_t n, unsigned flags)
{
	size_t room = b->cap - b->len, need;

	if (b->cap == 0)
		return;
	need = termsafe_copy(b->p + b->len, room, s, n, flags);
	b->len += need < room ? need : strlen(b->p + b->len);
}
