/*
 * Streaming JSON writer. Decisions: always valid UTF-8 out (bad bytes
 * become U+FFFD rather than failing an export); two-space indentation so a
 * person can read an export and a script can parse it; no floats needed.
 */
#include <stdio.h>
#include <string.h>

#include "jsonw.h"

void
jsonw_init(struct jsonw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

static void
put(struct jsonw *w, const char *s)
{
	if (fputs(s, w->f) == EOF)
		w->err = 1;
}

static void
putch(struct jsonw *w, int c)
{
	if (fputc(c, w->f) == EOF)
		w->err = 1;
}

static void
indent(struct jsonw *w)
{
	int i;

	putch(w, '\n');
	for (i = 0; i < w->depth; i++)
		put(w, "  ");
}

/* Separator and indentation before a value or key. */
static void
before_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth - 1]++ > 0)
			putch(w, ',');
		indent(w);
	}
}

static void
open_level(struct jsonw *w, int c)
{
	before_value(w);
	putch(w, c);
	if (w->depth >= JSONW_MAX_DEPTH) {
		w->err = 1;
		return;
	}
	w->count[w->depth++] = 0;
}

static void
close_level(struct jsonw *w, int c)
{
	if (w->depth <= 0) {
		w->err = 1;
		return;
	}
	w->depth--;
	if (w->count[w->depth] > 0)
		indent(w);
	putch(w, c);
}

void
jsonw_begin_object(struct jsonw *w)
{
	open_level(w, '{');
}

void
jsonw_end_object(struct jsonw *w)
{
	close_level(w, '}');
}

void
jsonw_begin_array(struct jsonw *w)
{
	open_level(w, '[');
}

void
jsonw_end_array(struct jsonw *w)
{
	close_level(w, ']');
}

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid.
 * Rejects overlongs, surrogates and code points above U+10FFFF. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void
write_escaped(struct jsonw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char esc[8];
	size_t i = 0, l;

	putch(w, '"');
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"': put(w, "\\\""); i++; continue;
		case '\\': put(w, "\\\\"); i++; continue;
		case '\n': put(w, "\\n"); i++; continue;
		case '\r': put(w, "\\r"); i++; continue;
		case '\t': put(w, "\\t"); i++; continue;
		case '\b': put(w, "\\b"); i++; continue;
		case '\f': put(w, "\\f"); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(w, esc);
			i++;
			continue;
		}
		if ((l = utf8_len(s + i, n - i)) == 0) {
			put(w, "\\ufffd");
			i++;
			continue;
		}
		if (fwrite(s + i, 1, l, w->f) != l)
			w->err = 1;
		i += l;
	}
	putch(w, '"');
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	before_value(w);
	write_escaped(w, key, strlen(key));
	put(w, ": ");
	w->after_key = 1;
}

void
jsonw_string_n(struct jsonw *w, const char *s, size_t len)
{
	before_value(w);
	write_escaped(w, s, len);
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	if (s == NULL) {
		jsonw_null(w);
		return;
	}
	jsonw_string_n(w, s, strlen(s));
}

void
jsonw_int(struct jsonw *w, long long v)
{
	before_value(w);
	if (fprintf(w->f, "%lld", v) < 0)
		w->err = 1;
}

void
jsonw_bool(struct jsonw *w, int v)
{
	before_value(w);
	put(w, v ? "true" : "false");
}

void
jsonw_null(struct jsonw *w)
{
	before_value(w);
	put(w, "null");
}

void
jsonw_kv_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void
jsonw_kv_int(struct jsonw *w, const char *key, long long v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void
jsonw_kv_bool(struct jsonw *w, const char *key, int v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

int
jsonw_finish(struct jsonw *w)
{
	if (w->depth != 0 || w->after_key)
		w->err = 1;
	putch(w, '\n');
	if (fflush(w->f) == EOF || ferror(w->f))
		w->err = 1;
	return w->err ? -1 : 0;
}
