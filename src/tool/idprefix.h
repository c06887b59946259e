#ifndef SAFEHARBOR_IDPREFIX_H
#define SAFEHARBOR_IDPREFIX_H

/*
 * Record ids are 32 lowercase hex digits. The tool shows the shortest
 * prefix that is unique in the queue (never shorter than IDPREFIX_MIN) and
 * accepts any unique prefix back. Pure functions, no I/O.
 */

#include <stddef.h>

#define IDPREFIX_MIN 8
#define IDPREFIX_MAX_CANDIDATES 10

enum idprefix_result {
	IDPREFIX_FOUND,       /* exactly one match */
	IDPREFIX_AMBIGUOUS,   /* several: candidates listed */
	IDPREFIX_UNKNOWN,     /* none */
	IDPREFIX_INVALID      /* not 1..32 hex digits */
};

/* Length of the shortest prefix of ids[i] shared by no other id in ids
 * (ids sorted ascending, distinct), at least min, at most strlen(ids[i]). */
size_t idprefix_unique_len(const char *const *sorted, size_t n, size_t i, size_t min);

/* Whether s is a plausible id prefix: 1..32 hex digits (either case). */
int idprefix_valid(const char *s);

/* Find prefix (case-insensitive) among ids (any order; equal ids count
 * once each). *found gets the index on IDPREFIX_FOUND; cand (may be NULL)
 * gets up to maxcand indexes on IDPREFIX_AMBIGUOUS and *ncand the total
 * number of matches. */
enum idprefix_result idprefix_find(const char *const *ids, size_t n, const char *prefix,
                                   size_t *found, size_t *cand, size_t maxcand,
                                   size_t *ncand);

#endif
