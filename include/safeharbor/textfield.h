#ifndef SAFEHARBOR_TEXTFIELD_H
#define SAFEHARBOR_TEXTFIELD_H

/*
 * A UTF-8 editing buffer for a student's words, in sodium_malloc memory.
 * Limits are enforced both in characters (code points, the unit record.c
 * counts) and in bytes. Only printable characters go in (no C0/C1 controls,
 * no DEL, no surrogates, nothing wcwidth() calls unprintable); a multi-line
 * field also takes LF. The cursor moves by whole characters: a base
 * character with the combining marks after it; backspace removes one such
 * character. Display widths use wcwidth(), so the caller must have set an
 * UTF-8 LC_CTYPE.
 */

#include <stddef.h>
#include <stdint.h>
#include "safeharbor/status.h"

struct textfield;

struct textfield *textfield_new(size_t max_chars, size_t max_bytes, int multiline);
void textfield_free(struct textfield *tf);
/* sodium_memzero the whole buffer; cursor to 0. */
void textfield_clear(struct textfield *tf);

/* SH_ERR_FORMAT: not allowed here; SH_ERR_TOO_LARGE: the field is full. */
enum sh_status textfield_insert(struct textfield *tf, uint32_t cp);
/* Insert UTF-8 text (validated, all or nothing). */
enum sh_status textfield_set(struct textfield *tf, const char *s, size_t len);
int textfield_backspace(struct textfield *tf);   /* 1 if something went */
int textfield_delete(struct textfield *tf);
void textfield_left(struct textfield *tf);
void textfield_right(struct textfield *tf);
void textfield_home(struct textfield *tf);      /* start of the line */
void textfield_end(struct textfield *tf);       /* end of the line */
void textfield_up(struct textfield *tf);        /* previous line, same column */
void textfield_down(struct textfield *tf);

/* The same by wrapped lines, as textfield_wrap(width) lays them out. */
void textfield_up_wrapped(struct textfield *tf, unsigned width);
void textfield_down_wrapped(struct textfield *tf, unsigned width);

const char *textfield_data(const struct textfield *tf, size_t *len);
size_t textfield_len(const struct textfield *tf);
size_t textfield_chars(const struct textfield *tf);
size_t textfield_max_chars(const struct textfield *tf);
size_t textfield_cursor(const struct textfield *tf);   /* byte offset */

/* Whether cp may be typed into a field (multiline: LF too). */
int textfield_char_ok(uint32_t cp, int multiline);

/* Decode one UTF-8 sequence from s (len > 0). Returns its length and sets
 * *cp, or 0 for an invalid / overlong / surrogate / truncated sequence. */
size_t textfield_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Display columns of cp (0 for combining marks, 2 for wide); never < 0. */
unsigned textfield_cp_width(uint32_t cp);
/* Display columns of a UTF-8 string (invalid bytes count 1). */
size_t textfield_str_width(const char *s, size_t len);

/* Soft-wrap the text into lines of at most width columns (words kept
 * whole when they fit; LF ends a line). starts[i] is each line's first
 * byte; returns the number of lines (at least 1), at most max. */
size_t textfield_wrap(const struct textfield *tf, unsigned width,
                      size_t *starts, size_t max);

#endif
