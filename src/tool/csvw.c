/*
 * RFC 4180 CSV writer. Decisions: CRLF row ends as the RFC says; quote only
 * when needed; neutralise spreadsheet formulas with a leading apostrophe
 * (OWASP "CSV injection") because exports are opened in spreadsheets.
 */
#include <stdio.h>
#include <string.h>

#include "csvw.h"

void
csvw_init(struct csvw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

static void
putch(struct csvw *w, int c)
{
	if (fputc(c, w->f) == EOF)
		w->err = 1;
}

void
csvw_field_n(struct csvw *w, const char *s, size_t len)
{
	int quote = 0, formula = 0;
	size_t i;

	if (w->nfields++ > 0)
		putch(w, ',');
	if (len > 0 && strchr("=+-@\t\r", s[0]) != NULL)
		formula = 1;
	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		quote = 1;
	if (quote)
		putch(w, '"');
	if (formula)
		putch(w, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			putch(w, '"');
		putch(w, (unsigned char)s[i]);
	}
	if (quote)
		putch(w, '"');
}

void
csvw_field(struct csvw *w, const char *s)
{
	csvw_field_n(w, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

void
csvw_end_row(struct csvw *w)
{
	putch(w, '\r');
	putch(w, '\n');
	w->nfields = 0;
}

int
csvw_finish(struct csvw *w)
{
	if (fflush(w->f) == EOF || ferror(w->f))
		w->err = 1;
	return w->err ? -1 : 0;
}
