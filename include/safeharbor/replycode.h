#ifndef SAFEHARBOR_REPLYCODE_H
#define SAFEHARBOR_REPLYCODE_H

/*
 * The student's reply code (SPEC §9): a few lowercase ASCII words from a
 * per-language list, joined by hyphens, and the X25519 reply key derived
 * from it with Argon2id. The code is a secret: it lives only in the
 * caller's locked memory and is never stored or sent; only the public half
 * of the derived key goes into the record (Reply-To).
 *
 * The derivation depends only on the normalised code, never on the list it
 * came from, so a code made in Spanish opens on an English screen too.
 */

#include <stddef.h>
#include "safeharbor/age.h"
#include "safeharbor/status.h"

#define REPLYCODE_MIN_WORDS 4
#define REPLYCODE_MAX_WORDS 6
#define REPLYCODE_MIN_BITS 44
#define REPLYCODE_WORD_MIN 3              /* letters in a list word */
#define REPLYCODE_WORD_MAX 8
#define REPLYCODE_LIST_MIN 512            /* words a list needs (5 x 9 bits) */
#define REPLYCODE_LIST_MAX 8192
/* A normalised code: up to 6 words of up to 12 letters and 5 hyphens
 * (typed words may be longer than list words; they simply open nothing). */
#define REPLYCODE_TYPED_WORD_MAX 12
#define REPLYCODE_MAX (REPLYCODE_MAX_WORDS * (REPLYCODE_TYPED_WORD_MAX + 1))
#define REPLYCODE_INPUT_MAX 256           /* bytes a student may type */

/* Argon2id cost: part of the format (a code must give the same key on
 * every kiosk and in the tool), so fixed here, not configured. */
#define REPLYCODE_ARGON_OPS 6ULL
#define REPLYCODE_ARGON_MEM (64u * 1024u * 1024u)
/* The salt: the same for every kiosk of every program and across key
 * rotation (it is not derived from any key). 16 bytes. */
#define REPLYCODE_SALT "safeharbor-rk-v1"

struct replycode_words;

/* Parse a word list: '#' comment lines, one word a line, lowercase a-z,
 * REPLYCODE_WORD_MIN..MAX letters, no repeats, REPLYCODE_LIST_MIN..MAX
 * words. On error *errline is the 1-based line (0: whole file) and *why a
 * static reason. */
enum sh_status replycode_words_parse(const char *text, size_t len,
                                     struct replycode_words **out,
                                     size_t *errline, const char **why);
void replycode_words_free(struct replycode_words *w);
size_t replycode_words_count(const struct replycode_words *w);
/* Words a code from a list of n words needs for REPLYCODE_MIN_BITS
 * (0 when n is too small). */
unsigned replycode_words_needed(size_t n);
/* Whether word (a-z letters, len bytes) is in the list. */
int replycode_words_has(const struct replycode_words *w, const char *word, size_t len);

/* A fresh random code into out (at least REPLYCODE_MAX + 1 bytes; caller's
 * locked memory). */
enum sh_status replycode_make(const struct replycode_words *w, char *out, size_t outsize);

/* Forgive what a person changes when typing a code: case, any run of
 * spaces, hyphens, dots, commas, underscores or slashes between words (and
 * around them), accents on Latin letters (á -> a, ñ -> n, also as combining
 * marks). The result is REPLYCODE_MIN..MAX_WORDS words of a-z joined by
 * single hyphens, NUL-terminated in out (REPLYCODE_MAX + 1 bytes).
 * SH_ERR_FORMAT for anything else (digits, other scripts, too few or too
 * many words, a word over REPLYCODE_TYPED_WORD_MAX letters, bad UTF-8),
 * SH_ERR_TOO_LARGE over REPLYCODE_INPUT_MAX bytes. out is wiped on error. */
enum sh_status replycode_normalize(const char *in, size_t len,
                                   char out[REPLYCODE_MAX + 1], size_t *outlen);

/* The reply key of a normalised code: Argon2id(code, REPLYCODE_SALT,
 * REPLYCODE_ARGON_OPS, REPLYCODE_ARGON_MEM) is the X25519 secret key.
 * out is a secret (sodium_malloc it). SH_ERR_NOMEM if Argon2id cannot get
 * its memory. */
enum sh_status replycode_derive(const char *code, size_t len, struct age_identity *out);

#endif
