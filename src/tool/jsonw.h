#ifndef SAFEHARBOR_JSONW_H
#define SAFEHARBOR_JSONW_H

/*
 * A small streaming JSON writer (RFC 8259). Strings are escaped: quote,
 * backslash, every control character (as \n, \t, ... or \u00XX), DEL, and
 * invalid UTF-8 becomes U+FFFD, so the output is always valid UTF-8 JSON
 * whatever the input. Output is indented two spaces per level. Errors are
 * sticky: check jsonw_finish() once at the end.
 */

#include <stdio.h>
#include <stddef.h>

#define JSONW_MAX_DEPTH 16

struct jsonw {
	FILE *f;
	int depth;
	int count[JSONW_MAX_DEPTH];   /* members written at each level */
	int after_key;
	int err;
};

void jsonw_init(struct jsonw *w, FILE *f);
void jsonw_begin_object(struct jsonw *w);
void jsonw_end_object(struct jsonw *w);
void jsonw_begin_array(struct jsonw *w);
void jsonw_end_array(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_string(struct jsonw *w, const char *s);
void jsonw_string_n(struct jsonw *w, const char *s, size_t len);
void jsonw_int(struct jsonw *w, long long v);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);
/* Convenience: key + value. s NULL writes null. */
void jsonw_kv_string(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_int(struct jsonw *w, const char *key, long long v);
void jsonw_kv_bool(struct jsonw *w, const char *key, int v);
/* Ends the document with a newline and flushes. 0 ok, -1 on any error. */
int jsonw_finish(struct jsonw *w);

#endif
