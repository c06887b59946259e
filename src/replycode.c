/*
 * Reply codes: word lists, making a code, normalising what a student
 * types, deriving the reply key (SPEC §9).
 *
 * Decisions:
 * - Words are drawn with randombytes_uniform (no modulo bias); a code has
 *   as many words as its list needs for 44 bits (5 from a list of 512 or
 *   more, 4 from 2048 or more).
 * - Normalisation is a small table for the Latin letters a Spanish or
 *   Western European keyboard types (U+00C0..U+017F) plus dropping
 *   combining marks (U+0300..U+036F): codes are ASCII, so that is all the
 *   folding they need; a Unicode library would bring nothing more.
 * - Argon2id with a fixed cost and a fixed salt: the key must come out the
 *   same on every kiosk and in the tool, whatever their config.
 * Non-goals: spelling correction (a typo derives another key, which opens
 * nothing: the same as "no answer yet").
 */
#include <string.h>
#include <sodium.h>

#include "safeharbor/replycode.h"

_Static_assert(sizeof(REPLYCODE_SALT) - 1 == crypto_pwhash_SALTBYTES, "salt size");
_Static_assert(REPLYCODE_ARGON_MEM >= 64u * 1024u * 1024u, "SPEC: at least 64 MiB");

struct replycode_words {
	size_t n;
	char w[REPLYCODE_LIST_MAX][REPLYCODE_WORD_MAX + 1];
};

void
replycode_words_free(struct replycode_words *w)
{
	if (w != NULL)
		sodium_free(w);
}

size_t
replycode_words_count(const struct replycode_words *w)
{
	return w != NULL ? w->n : 0;
}

unsigned
replycode_words_needed(size_t n)
{
	unsigned k;
	double bits = 0;
	size_t v;

	if (n < 2)
		return 0;
	for (v = n; v > 1; v >>= 1)
		bits += 1;   /* floor(log2 n): a safe lower bound */
	for (k = REPLYCODE_MIN_WORDS; k <= REPLYCODE_MAX_WORDS; k++)
		if (bits * k >= REPLYCODE_MIN_BITS)
			return k;
	return 0;
}

int
replycode_words_has(const struct replycode_words *w, const char *word, size_t len)
{
	size_t i;

	if (w == NULL || len > REPLYCODE_WORD_MAX)
		return 0;
	for (i = 0; i < w->n; i++)
		if (strlen(w->w[i]) == len && memcmp(w->w[i], word, len) == 0)
			return 1;
	return 0;
}

#define WFAIL(reason) do { *why = (reason); goto fail; } while (0)

enum sh_status
replycode_words_parse(const char *text, size_t len, struct replycode_words **out,
                      size_t *errline, const char **why)
{
	struct replycode_words *w;
	const char *p = text, *end = text + len, *nl;
	const char *dummy;
	size_t line = 0, wl, i;

	if (why == NULL)
		why = &dummy;
	*errline = 0;
	*out = NULL;
	if (text == NULL || sodium_init() < 0)
		return SH_ERR_USAGE;
	if ((w = sodium_malloc(sizeof(*w))) == NULL)
		return SH_ERR_NOMEM;
	w->n = 0;
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		wl = (size_t)((nl != NULL ? nl : end) - p);
		if (wl > 0 && p[wl - 1] == '\r')
			wl--;
		if (wl > 0 && p[0] != '#') {
			*errline = line;
			if (wl < REPLYCODE_WORD_MIN || wl > REPLYCODE_WORD_MAX)
				WFAIL("a word must have 3 to 8 letters");
			for (i = 0; i < wl; i++)
				if (p[i] < 'a' || p[i] > 'z')
					WFAIL("a word may only have the letters a to z, lowercase");
			if (replycode_words_has(w, p, wl))
				WFAIL("this word is already in the list");
			if (w->n == REPLYCODE_LIST_MAX)
				WFAIL("too many words (at most 8192)");
			memcpy(w->w[w->n], p, wl);
			w->w[w->n][wl] = '\0';
			w->n++;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	*errline = 0;
	if (w->n < REPLYCODE_LIST_MIN)
		WFAIL("too few words (at least 512, so that a code has 44 bits)");
	*out = w;
	return SH_OK;
fail:
	sodium_free(w);
	return SH_ERR_FORMAT;
}

enum sh_status
replycode_make(const struct replycode_words *w, char *out, size_t outsize)
{
	unsigned k = replycode_words_needed(replycode_words_count(w)), i;
	size_t pos = 0, wl;
	const char *word;

	if (k == 0 || out == NULL || outsize < REPLYCODE_MAX + 1)
		return SH_ERR_USAGE;
	for (i = 0; i < k; i++) {
		word = w->w[randombytes_uniform((uint32_t)w->n)];
		wl = strlen(word);
		if (i > 0)
			out[pos++] = '-';
		memcpy(out + pos, word, wl);
		pos += wl;
	}
	out[pos] = '\0';
	return SH_OK;
}

/* U+00C0..U+00FF and U+0100..U+017F to a base letter; '.' for none. */
static const char latin1[] =
	"aaaaaa.ceeeeiiiidnooooo.ouuuuy.."
	"aaaaaa.ceeeeiiiidnooooo.ouuuuy.y";
static const char latin_ext_a[] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkkkllllllllll"
	"nnnnnnnnnoooooo..rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
_Static_assert(sizeof(latin1) - 1 == 0x40 && sizeof(latin_ext_a) - 1 == 0x80, "fold tables");

/* Decode one UTF-8 code point (strict); returns its length or 0. */
static size_t
utf8_next(const unsigned char *p, size_t n, unsigned long *cp)
{
	size_t need, i;
	unsigned long c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1; c = p[0] & 0x1Fu;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2; c = p[0] & 0x0Fu;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3; c = p[0] & 0x07u;
	} else {
		return 0;
	}
	if (n <= need)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3Fu);
	}
	if ((need == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (need == 3 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return need + 1;
}

/* 'a'..'z' for a letter, ' ' for a separator, 0 to skip, -1 refused. */
static int
fold(unsigned long c)
{
	if (c >= 'a' && c <= 'z')
		return (int)c;
	if (c >= 'A' && c <= 'Z')
		return (int)(c - 'A' + 'a');
	if (c == ' ' || c == '\t' || c == '-' || c == '_' || c == '.' || c == ',' ||
	    c == '/' || c == 0xA0 || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
	    c == 0x3000)
		return ' ';
	if (c >= 0x300 && c <= 0x36F)
		return 0;
	if (c >= 0xC0 && c <= 0xFF && latin1[c - 0xC0] != '.')
		return latin1[c - 0xC0];
	if (c >= 0x100 && c <= 0x17F && latin_ext_a[c - 0x100] != '.')
		return latin_ext_a[c - 0x100];
	return -1;
}

enum sh_status
replycode_normalize(const char *in, size_t len, char out[REPLYCODE_MAX + 1], size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, pos = 0, wl = 0, step;
	unsigned words = 0;
	unsigned long cp;
	int f;
	enum sh_status st = SH_ERR_FORMAT;

	*outlen = 0;
	if (in == NULL && len > 0)
		return SH_ERR_USAGE;
	if (len > REPLYCODE_INPUT_MAX)
		return SH_ERR_TOO_LARGE;
	while (i < len) {
		if ((step = utf8_next(p + i, len - i, &cp)) == 0)
			goto fail;
		i += step;
		if ((f = fold(cp)) < 0)
			goto fail;
		if (f == 0)
			continue;
		if (f == ' ') {
			wl = 0;
			continue;
		}
		if (wl == 0) {
			if (words == REPLYCODE_MAX_WORDS)
				goto fail;
			if (words > 0)
				out[pos++] = '-';
			words++;
		}
		if (++wl > REPLYCODE_TYPED_WORD_MAX)
			goto fail;
		out[pos++] = (char)f;
	}
	if (words < REPLYCODE_MIN_WORDS)
		goto fail;
	out[pos] = '\0';
	*outlen = pos;
	return SH_OK;
fail:
	sodium_memzero(out, REPLYCODE_MAX + 1);
	return st;
}

enum sh_status
replycode_derive(const char *code, size_t len, struct age_identity *out)
{
	if (code == NULL || out == NULL || len == 0 || len > REPLYCODE_MAX)
		return SH_ERR_USAGE;
	if (sodium_init() < 0)
		return SH_ERR_NOMEM;
	if (crypto_pwhash(out->sk, sizeof(out->sk), code, len,
	                  (const unsigned char *)REPLYCODE_SALT, REPLYCODE_ARGON_OPS,
	                  REPLYCODE_ARGON_MEM, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_memzero(out, sizeof(*out));
		return SH_ERR_NOMEM;
	}
	crypto_scalarmult_base(out->pk, out->sk);
	return SH_OK;
}
