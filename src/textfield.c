/*
 * UTF-8 editing buffer for typed answers (see textfield.h).
 *
 * Decisions: the text is always valid UTF-8 of allowed characters, because
 * nothing else can get in; the cursor always sits on a character boundary
 * that is not inside a combining sequence. The buffer is sodium_malloc'd
 * once at its full size and wiped with sodium_memzero, so no reallocation
 * ever leaves a copy behind.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <sodium.h>

#include "safeharbor/textfield.h"

struct textfield {
	char *buf;                 /* max_bytes + 1, NUL-terminated */
	size_t len;
	size_t cur;
	size_t nchars;
	size_t max_chars;
	size_t max_bytes;
	int multiline;
};

size_t
textfield_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1fu;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0fu;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07u;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0u) != 0x80u)
			return 0;
		c = (c << 6) | (u[i] & 0x3fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int
textfield_char_ok(uint32_t cp, int multiline)
{
	if (cp == '\n')
		return multiline;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 0;
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* explicit bidi embeddings, overrides and isolates: they would reorder
	 * what the social worker reads */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return wcwidth((wchar_t)cp) >= 0;
}

unsigned
textfield_cp_width(uint32_t cp)
{
	int w;

	if (cp == '\n')
		return 0;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1u : (unsigned)w;
}

size_t
textfield_str_width(const char *s, size_t len)
{
	size_t pos = 0, w = 0, n;
	uint32_t cp;

	while (pos < len) {
		n = textfield_utf8_decode(s + pos, len - pos, &cp);
		if (n == 0) {
			w++;
			pos++;
			continue;
		}
		w += textfield_cp_width(cp);
		pos += n;
	}
	return w;
}

struct textfield *
textfield_new(size_t max_chars, size_t max_bytes, int multiline)
{
	struct textfield *tf;

	if (sodium_init() < 0 || (tf = sodium_malloc(sizeof *tf)) == NULL)
		return NULL;
	memset(tf, 0, sizeof *tf);
	if ((tf->buf = sodium_malloc(max_bytes + 1)) == NULL) {
		sodium_free(tf);
		return NULL;
	}
	sodium_memzero(tf->buf, max_bytes + 1);
	tf->max_chars = max_chars;
	tf->max_bytes = max_bytes;
	tf->multiline = multiline;
	return tf;
}

void
textfield_clear(struct textfield *tf)
{
	if (tf == NULL)
		return;
	sodium_memzero(tf->buf, tf->max_bytes + 1);
	tf->len = tf->cur = tf->nchars = 0;
}

void
textfield_free(struct textfield *tf)
{
	if (tf == NULL)
		return;
	textfield_clear(tf);
	sodium_free(tf->buf);
	sodium_free(tf);
}

/* The code point starting at pos, or 0 at the end. */
static uint32_t
cp_at(const struct textfield *tf, size_t pos, size_t *adv)
{
	uint32_t cp = 0;

	*adv = pos < tf->len ? textfield_utf8_decode(tf->buf + pos, tf->len - pos, &cp) : 0;
	return *adv == 0 ? 0 : cp;
}

static size_t
prev_cp(const struct textfield *tf, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && ((unsigned char)tf->buf[pos] & 0xc0u) == 0x80u)
		pos--;
	return pos;
}

static int
is_mark(uint32_t cp)
{
	return cp != '\n' && cp != 0 && textfield_cp_width(cp) == 0;
}

/* Start of the character (base + marks) that ends at pos. */
static size_t
prev_char(const struct textfield *tf, size_t pos)
{
	size_t adv, p = prev_cp(tf, pos);

	while (p > 0 && is_mark(cp_at(tf, p, &adv))) {
		size_t q = prev_cp(tf, p);
		if (cp_at(tf, q, &adv) == '\n')
			break;
		p = q;
	}
	return p;
}

/* End of the character (base + marks) that starts at pos. */
static size_t
next_char(const struct textfield *tf, size_t pos)
{
	size_t adv;

	if (pos >= tf->len)
		return tf->len;
	cp_at(tf, pos, &adv);
	pos += adv == 0 ? 1 : adv;
	while (pos < tf->len && is_mark(cp_at(tf, pos, &adv)))
		pos += adv;
	return pos;
}

static size_t
count_cps(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0u) != 0x80u)
			n++;
	return n;
}

enum sh_status
textfield_insert(struct textfield *tf, uint32_t cp)
{
	char enc[4];
	size_t n;

	if (!textfield_char_ok(cp, tf->multiline))
		return SH_ERR_FORMAT;
	n = utf8_encode(cp, enc);
	if (tf->nchars + 1 > tf->max_chars || tf->len + n > tf->max_bytes)
		return SH_ERR_TOO_LARGE;
	memmove(tf->buf + tf->cur + n, tf->buf + tf->cur, tf->len - tf->cur);
	memcpy(tf->buf + tf->cur, enc, n);
	sodium_memzero(enc, sizeof enc);
	tf->len += n;
	tf->cur += n;
	tf->nchars++;
	tf->buf[tf->len] = '\0';
	return SH_OK;
}

enum sh_status
textfield_set(struct textfield *tf, const char *s, size_t len)
{
	size_t pos = 0, n;
	uint32_t cp;

	while (pos < len) {
		n = textfield_utf8_decode(s + pos, len - pos, &cp);
		if (n == 0 || !textfield_char_ok(cp, tf->multiline))
			return SH_ERR_FORMAT;
		pos += n;
	}
	if (len > tf->max_bytes || count_cps(s, len) > tf->max_chars)
		return SH_ERR_TOO_LARGE;
	textfield_clear(tf);
	memcpy(tf->buf, s, len);
	tf->len = tf->cur = len;
	tf->nchars = count_cps(s, len);
	return SH_OK;
}

static void
cut(struct textfield *tf, size_t from, size_t to)
{
	size_t gone = to - from;

	tf->nchars -= count_cps(tf->buf + from, gone);
	memmove(tf->buf + from, tf->buf + to, tf->len - to);
	sodium_memzero(tf->buf + tf->len - gone, gone);
	tf->len -= gone;
	tf->buf[tf->len] = '\0';
}

int
textfield_backspace(struct textfield *tf)
{
	size_t p;

	if (tf->cur == 0)
		return 0;
	p = prev_char(tf, tf->cur);
	cut(tf, p, tf->cur);
	tf->cur = p;
	return 1;
}

int
textfield_delete(struct textfield *tf)
{
	if (tf->cur >= tf->len)
		return 0;
	cut(tf, tf->cur, next_char(tf, tf->cur));
	return 1;
}

void
textfield_left(struct textfield *tf)
{
	tf->cur = prev_char(tf, tf->cur);
}

void
textfield_right(struct textfield *tf)
{
	tf->cur = next_char(tf, tf->cur);
}

static size_t
line_start(const struct textfield *tf, size_t pos)
{
	while (pos > 0 && tf->buf[pos - 1] != '\n')
		pos--;
	return pos;
}

static size_t
line_end(const struct textfield *tf, size_t pos)
{
	while (pos < tf->len && tf->buf[pos] != '\n')
		pos++;
	return pos;
}

void
textfield_home(struct textfield *tf)
{
	tf->cur = line_start(tf, tf->cur);
}

void
textfield_end(struct textfield *tf)
{
	tf->cur = line_end(tf, tf->cur);
}

/* Move to column col (display columns) of the line starting at start. */
static size_t
to_column(const struct textfield *tf, size_t start, size_t col)
{
	size_t pos = start, end = line_end(tf, start), w = 0, nx;

	while (pos < end) {
		nx = next_char(tf, pos);
		w += textfield_str_width(tf->buf + pos, nx - pos);
		if (w > col)
			break;
		pos = nx;
	}
	return pos;
}

void
textfield_up(struct textfield *tf)
{
	size_t s = line_start(tf, tf->cur);
	size_t col = textfield_str_width(tf->buf + s, tf->cur - s);

	if (s == 0)
		return;
	tf->cur = to_column(tf, line_start(tf, s - 1), col);
}

void
textfield_down(struct textfield *tf)
{
	size_t s = line_start(tf, tf->cur);
	size_t col = textfield_str_width(tf->buf + s, tf->cur - s);
	size_t e = line_end(tf, tf->cur);

	if (e >= tf->len)
		return;
	tf->cur = to_column(tf, e + 1, col);
}

const char *
textfield_data(const struct textfield *tf, size_t *len)
{
	if (len != NULL)
		*len = tf->len;
	return tf->buf;
}

size_t
textfield_len(const struct textfield *tf)
{
	return tf->len;
}

size_t
textfield_chars(const struct textfield *tf)
{
	return tf->nchars;
}

size_t
textfield_max_chars(const struct textfield *tf)
{
	return tf->max_chars;
}

size_t
textfield_cursor(const struct textfield *tf)
{
	return tf->cur;
}

size_t
textfield_wrap(const struct textfield *tf, unsigned width, size_t *starts, size_t max)
{
	size_t pos = 0, start = 0, brk = 0, col = 0, n = 1, adv;
	int havebrk = 0;
	uint32_t cp;

	if (max == 0)
		return 0;
	starts[0] = 0;
	if (width == 0)
		width = 1;
	while (pos < tf->len && n < max) {
		cp = cp_at(tf, pos, &adv);
		if (adv == 0)
			adv = 1;
		if (cp == '\n') {
			pos += adv;
			start = pos;
			starts[n++] = start;
			col = 0;
			havebrk = 0;
			continue;
		}
		unsigned w = textfield_cp_width(cp);
		if (col + w > width && col > 0) {
			if (cp == ' ') {       /* let the space hang */
				pos += adv;
				start = pos;
				starts[n++] = start;
				col = 0;
				havebrk = 0;
				continue;
			}
			start = havebrk ? brk : pos;
			starts[n++] = start;
			col = textfield_str_width(tf->buf + start, pos - start);
			havebrk = 0;
			if (col + w > width && col > 0 && n < max) {
				start = pos;
				starts[n++] = start;
				col = 0;
			}
		}
		col += w;
		pos += adv;
		if (cp == ' ') {
			brk = pos;
			havebrk = 1;
		}
	}
	return n;
}

/* Move to the wrapped line dir (-1 / +1) away, keeping the column. */
static void
move_wrapped(struct textfield *tf, unsigned width, int dir)
{
	size_t *starts, n, i, cur = 0, col, a, b, pos, nx, w, max = tf->nchars + 2;

	/* line offsets are not secret: ordinary memory is fine */
	if ((starts = malloc(max * sizeof *starts)) == NULL) {
		if (dir < 0)
			textfield_up(tf);
		else
			textfield_down(tf);
		return;
	}
	n = textfield_wrap(tf, width, starts, max);
	for (i = 0; i < n; i++)
		if (starts[i] <= tf->cur)
			cur = i;
	if ((dir < 0 && cur == 0) || (dir > 0 && cur + 1 >= n)) {
		free(starts);
		return;
	}
	col = textfield_str_width(tf->buf + starts[cur], tf->cur - starts[cur]);
	i = dir < 0 ? cur - 1 : cur + 1;
	a = starts[i];
	b = i + 1 < n ? starts[i + 1] : tf->len;
	/* the end of a line is before its newline or the space it wrapped at */
	if (b > a && i + 1 < n && (tf->buf[b - 1] == '\n' || tf->buf[b - 1] == ' '))
		b--;
	for (pos = a, w = 0; pos < b; pos = nx) {
		nx = next_char(tf, pos);
		w += textfield_str_width(tf->buf + pos, nx - pos);
		if (w > col)
			break;
	}
	free(starts);
	tf->cur = pos;
}

void
textfield_up_wrapped(struct textfield *tf, unsigned width)
{
	move_wrapped(tf, width, -1);
}

void
textfield_down_wrapped(struct textfield *tf, unsigned width)
{
	move_wrapped(tf, width, 1);
}
