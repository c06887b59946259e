#ifndef SAFEHARBOR_REPLY_H
#define SAFEHARBOR_REPLY_H

/*
 * The reply record: the social worker's answer to one request, signed by
 * her staff key (Ed25519) and NUL-padded to exactly SH_REPLY_SIZE bytes, so
 * every reply file has one size (SPEC §9). Sealed as age v1 to the
 * request's Reply-To key (replies.h stores it).
 *
 *   SAFEHARBOR-REPLY 1
 *   In-Reply-To: <32 hex, the request's Id>
 *   Created: YYYY-MM-DDTHH:00Z      (to the hour)
 *   Staff: shstaff1...
 *   Text-Length: N
 *   <blank line>
 *   <N bytes of text>\n
 *   Signature: <base64 Ed25519 by Staff over every byte above this line>\n
 *   <NUL padding>
 *
 * struct reply holds the answer: reply_new() (sodium_malloc), reply_free()
 * (wipes).
 */

#include <stddef.h>
#include <time.h>
#include <sodium.h>
#include "safeharbor/keys.h"
#include "safeharbor/record.h"
#include "safeharbor/status.h"

#define SH_REPLY_SIZE 16384
/* An answer fits one 80x24 kiosk screen, wide characters included. */
#define SH_REPLY_TEXT_MAX_CHARS 500
#define SH_REPLY_TEXT_MAX (SH_REPLY_TEXT_MAX_CHARS * 4)

struct reply {
	char in_reply_to[SH_RECORD_ID_HEX + 1];
	char created[SH_CREATED_LEN + 1];
	char staff[KEYS_STAFF_STRLEN + 1];
	unsigned char staff_pk[crypto_sign_PUBLICKEYBYTES];
	size_t text_len;
	char text[SH_REPLY_TEXT_MAX + 1];      /* NUL-terminated too */
};

struct reply *reply_new(void);
void reply_free(struct reply *r);
void reply_clear(struct reply *r);

/* Validated UTF-8 text (LF and TAB allowed), 1..SH_REPLY_TEXT_MAX_CHARS
 * characters. SH_ERR_FORMAT (empty, bad UTF-8, control characters),
 * SH_ERR_TOO_LARGE. */
enum sh_status reply_set_text(struct reply *r, const char *s, size_t len);
/* The kiosk's answer area on its smallest screen (80x24): SH_REPLY_KIOSK_ROWS
 * rows of SH_REPLY_KIOSK_COLS columns, below the title and a body of up to
 * two lines, above two options, the status row and the help bar. */
#define SH_REPLY_KIOSK_COLS 74
#define SH_REPLY_KIOSK_ROWS 13
/* Rows the NUL-terminated text takes wrapped as the kiosk wraps it
 * (screens_wrap at SH_REPLY_KIOSK_COLS); *rows may be NULL. 1 if it fits
 * the kiosk's answer area, 0 if the student would not see all of it. */
int reply_fits_kiosk(const char *text, size_t *rows);
/* in_reply_to: 32 lowercase hex digits. */
enum sh_status reply_set_in_reply_to(struct reply *r, const char *id);

/* Fill Created (now, to the hour) and Staff, serialize, sign, pad. */
enum sh_status reply_serialize(struct reply *r, const struct keys_signing *staff,
                               time_t now, unsigned char out[SH_REPLY_SIZE]);

/* Parse strictly (one canonical form). SH_OK: structure and signature
 * valid. SH_ERR_SIGNATURE: structure valid, r filled, signature bad.
 * SH_ERR_VERSION, SH_ERR_FORMAT, SH_ERR_TOO_LARGE otherwise, with a short
 * static reason in *why; r is wiped then. */
enum sh_status reply_parse(const unsigned char *buf, size_t len, struct reply *r,
                           const char **why);

/* Created as a time (UTC); (time_t)-1 if unset. */
time_t reply_created_time(const struct reply *r);

#endif
