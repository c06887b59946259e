#ifndef SAFEHARBOR_CSVW_H
#define SAFEHARBOR_CSVW_H

/*
 * CSV writer (RFC 4180): fields separated by commas, rows ended by CRLF,
 * a field quoted when it holds a comma, quote, CR, LF or leading/trailing
 * space, quotes doubled. A field that starts with = + - @ TAB or CR gets a
 * leading apostrophe so a spreadsheet does not run it as a formula (a
 * student's words are data, never code). Bytes are copied as they are
 * (UTF-8 stays UTF-8). Errors are sticky.
 */

#include <stdio.h>
#include <stddef.h>

struct csvw {
	FILE *f;
	int nfields;    /* in the current row */
	int err;
};

void csvw_init(struct csvw *w, FILE *f);
void csvw_field(struct csvw *w, const char *s);
void csvw_field_n(struct csvw *w, const char *s, size_t len);
void csvw_end_row(struct csvw *w);
/* Flushes. 0 ok, -1 on any error. */
int csvw_finish(struct csvw *w);

#endif
