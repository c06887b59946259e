#ifndef SAFEHARBOR_TOOL_TEXTFOLD_H
#define SAFEHARBOR_TOOL_TEXTFOLD_H

/*
 * Case- and accent-blind text for searching Latin-script names: "José
 * Núñez", "JOSE NUNEZ" and "jose nunez" fold to the same bytes. Unicode
 * case folding and canonical decomposition come from libunistring; then
 * the combining diacritical marks (U+0300..U+036F, the accents Latin
 * letters decompose into) are dropped. Other scripts keep their marks.
 * Folded text is student words: it lives in sodium_malloc memory.
 */

#include <stddef.h>

/* The folded form of len bytes of UTF-8, NUL-terminated, in sodium_malloc
 * memory (free with sodium_free); *outlen its length. Invalid UTF-8 bytes
 * are kept as they are (folded ASCII-only). NULL when out of memory. */
char *textfold(const char *s, size_t len, size_t *outlen);

/* Whether hay contains needle once both are folded. An empty needle
 * matches nothing. */
int textfold_contains(const char *hay, size_t haylen, const char *needle, size_t nlen);

#endif
