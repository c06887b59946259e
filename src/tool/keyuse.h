#ifndef SAFEHARBOR_TOOL_KEYUSE_H
#define SAFEHARBOR_TOOL_KEYUSE_H

/*
 * Which of her keys opens an envelope, and which keys are current (their
 * age1... is in the recipients she seals to now) or retired. Used by rekey
 * and verify after a key rotation.
 */

#include <stddef.h>
#include "safeharbor/age.h"

struct tool_ctx;

/* The loaded identity (index in c->unlock) that opens the envelope ct,
 * trying each alone; -1 when none does. pt: SH_RECORD_SIZE bytes of
 * locked scratch, wiped. */
int keyuse_opener(const struct tool_ctx *c, const unsigned char *ct, size_t ctlen,
                  unsigned char *pt);

/* "age1abcdefgh...wxyz (FILE)" for identity j. */
void keyuse_name(const struct tool_ctx *c, int j, char *out, size_t size);

/* current[j] = 1 when identity j's recipient is among r[0..nr). Returns
 * how many are. */
size_t keyuse_current(const struct tool_ctx *c, const struct age_recipient *r, size_t nr,
                      int *current);

/* Number of recipient stanzas in an envelope's header (0 if malformed). */
size_t keyuse_stanzas(const unsigned char *ct, size_t ctlen);

#endif
