#ifndef SAFEHARBOR_TOOL_PASSLINES_H
#define SAFEHARBOR_TOOL_PASSLINES_H

/*
 * A --passphrase-file holds one passphrase per line (SPEC §6): LF or CRLF
 * ends a line, empty lines are skipped, a last line needs no newline.
 */

#include <stddef.h>

#define PASSLINES_MAX 16         /* passphrases kept from one file */
#define PASSLINES_LEN_MAX 1023   /* longer lines are skipped */

/* Fills start[i], len[i] (byte offsets into buf) for each passphrase, at
 * most PASSLINES_MAX; returns how many. */
size_t passlines_split(const char *buf, size_t n, size_t start[PASSLINES_MAX],
                       size_t len[PASSLINES_MAX]);

#endif
