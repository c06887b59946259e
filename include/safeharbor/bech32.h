#ifndef SAFEHARBOR_BECH32_H
#define SAFEHARBOR_BECH32_H

/* Bech32 (BIP173, not Bech32m), as age uses it for its keys. */

#include <stddef.h>
#include "safeharbor/status.h"

/* Encode 8-bit data under a lowercase hrp; out gets a lowercase,
 * NUL-terminated string. SH_ERR_TOO_LARGE if outsize is too small. */
enum sh_status bech32_encode(const char *hrp, const unsigned char *data, size_t len,
                             char *out, size_t outsize);

/* Decode a Bech32 string of slen bytes (not necessarily NUL-terminated).
 * Rejects mixed case, bad checksum, bad characters, non-zero padding.
 * hrp_out gets the lowercased hrp. SH_OK or SH_ERR_FORMAT. */
enum sh_status bech32_decode(const char *s, size_t slen,
                             char *hrp_out, size_t hrpmax,
                             unsigned char *data, size_t datamax, size_t *datalen);

#endif
