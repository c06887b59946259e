#ifndef SAFEHARBOR_TERMSAFE_H
#define SAFEHARBOR_TERMSAFE_H

/*
 * The one printer for text that reaches the social worker's terminal.
 * Names and fields come from files anyone with write access to a spool can
 * make, so every byte that a terminal could act on is shown as a visible
 * escape instead: C0 controls, DEL, C1 controls (U+0080..U+009F), bidi and
 * other format controls that reorder or hide text (U+200B..U+200F,
 * U+202A..U+202E, U+2066..U+2069, U+FEFF), and bytes that are not valid
 * UTF-8 ("\x1b", "\u202e"). Valid UTF-8 text in any script passes unchanged.
 */

#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>

/* Keep LF and TAB (a message body); otherwise they are escaped too, so one
 * call prints exactly one line. */
#define TERMSAFE_MULTILINE 1u

/* Sanitise len bytes of s into out (always NUL-terminated when size > 0).
 * Returns the length the full result needs (as snprintf), so a result >=
 * size means it was cut, never in the middle of a character or escape. */
size_t termsafe_copy(char *out, size_t size, const char *s, size_t len, unsigned flags);

/* Write len bytes of s to f, sanitised. */
void termsafe_write(FILE *f, const char *s, size_t len, unsigned flags);
void termsafe_puts(FILE *f, const char *s);

/* printf, then the whole result sanitised (no line breaks survive), then
 * one "\n". Returns 0, or -1 if the line could not be formatted. */
int termsafe_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int termsafe_vline(FILE *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
