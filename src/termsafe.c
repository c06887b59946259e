/*
 * Terminal-safe printing (see termsafe.h). Decisions: an escape is made
 * visible rather than dropped, so two names that differ only in a control
 * byte still look different; the decoder follows RFC 3629 strictly (no
 * overlong forms, surrogates or code points past U+10FFFF) and an invalid
 * byte is escaped alone, so decoding resynchronises on the next byte.
 * Non-goals: width or shaping (curses and the terminal do that).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/termsafe.h"

#define TERMSAFE_LINE_MAX 4096
#define TERMSAFE_CHUNK 256

/* Length of the valid UTF-8 sequence at p (1..4) and its code point, or 0. */
static size_t
utf8_decode(const unsigned char *p, size_t len, unsigned long *cp)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t need, i;
	unsigned long v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1; v = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2; v = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3; v = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < need + 1)
		return 0;
	for (i = 1; i <= need; i++) {
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
			return 0;
		v = (v << 6) | (p[i] & 0x3Fu);
	}
	*cp = v;
	return need + 1;
}

static int
is_unsafe(unsigned long cp, unsigned flags)
{
	if (cp == '\n' || cp == '\t')
		return !(flags & TERMSAFE_MULTILINE);
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

size_t
termsafe_copy(char *out, size_t size, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[12];
	size_t i = 0, o = 0, n, elen;
	unsigned long cp;
	int full = 0;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			elen = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			n = 1;
		} else if (is_unsafe(cp, flags)) {
			elen = (size_t)snprintf(esc, sizeof(esc), cp < 0x100 ? "\\x%02lx" : "\\u%04lx", cp);
		} else {
			memcpy(esc, p + i, n);
			elen = n;
		}
		/* all of an escape or character, or none of it */
		if (!full && o + elen < size) {
			memcpy(out + o, esc, elen);
			out[o + elen] = '\0';
		} else {
			full = 1;
		}
		o += elen;
		i += n;
	}
	if (size > 0 && o == 0)
		out[0] = '\0';
	return o;
}

void
termsafe_write(FILE *f, const char *s, size_t len, unsigned flags)
{
	char buf[TERMSAFE_CHUNK * 6 + 1];
	size_t chunk, need;

	/* in pieces cut between characters (a character split in two would
	 * be shown as two invalid bytes); at most 6 output bytes per input */
	while (len > 0) {
		chunk = len > TERMSAFE_CHUNK ? TERMSAFE_CHUNK : len;
		while (chunk < len && chunk > TERMSAFE_CHUNK - 3 &&
		       ((unsigned char)s[chunk] & 0xC0) == 0x80)
			chunk--;
		need = termsafe_copy(buf, sizeof(buf), s, chunk, flags);
		fwrite(buf, 1, need, f);
		s += chunk;
		len -= chunk;
	}
}

void
termsafe_puts(FILE *f, const char *s)
{
	termsafe_write(f, s, strlen(s), 0);
}

int
termsafe_vline(FILE *f, const char *fmt, va_list ap)
{
	char buf[TERMSAFE_LINE_MAX], *big = NULL;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0) {
		va_end(aq);
		return -1;
	}
	if ((size_t)n >= sizeof(buf)) {
		if ((big = malloc((size_t)n + 1)) == NULL) {
			va_end(aq);
			return -1;
		}
		(void)vsnprintf(big, (size_t)n + 1, fmt, aq);
	}
	va_end(aq);
	termsafe_write(f, big != NULL ? big : buf, (size_t)n, 0);
	fputc('\n', f);
	free(big);
	return 0;
}

int
termsafe_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = termsafe_vline(f, fmt, ap);
	va_end(ap);
	return rc;
}
