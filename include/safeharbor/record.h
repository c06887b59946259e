#ifndef SAFEHARBOR_RECORD_H
#define SAFEHARBOR_RECORD_H

/*
 * The record: what a student asked for, as readable UTF-8 text, signed by
 * the kiosk (Ed25519) and NUL-padded to exactly SH_RECORD_SIZE bytes so that
 * every envelope to the same recipients has the same size (SPEC §5).
 *
 *   SAFEHARBOR-RECORD 1
 *   Id: <32 hex>
 *   Created: YYYY-MM-DDTHH:MMZ
 *   Kiosk: shkiosk1...
 *   About: self|friend|info|test|reply
 *   Reply-To: age1...    (optional: the reply key's public half, SPEC §9)
 *   In-Reply-To: <32 hex> (when, and only when, About is reply)
 *   Danger: yes|no|unsure
 *   Language: en
 *   Name: ...            (optional fields, in the order of enum record_field)
 *   Message-Length: N
 *   <blank line>
 *   <N bytes of message>\n
 *   Signature: <base64 Ed25519 over every byte above this line>\n
 *   <NUL padding>
 *
 * A struct record holds a student's words: allocate it with record_new()
 * (sodium_malloc) and release it with record_free() (wipes).
 */

#include <stddef.h>
#include <time.h>
#include <sodium.h>
#include "safeharbor/status.h"
#include "safeharbor/keys.h"

#define SH_RECORD_SIZE 16384
#define SH_RECORD_ID_HEX 32
#define SH_FIELD_MAX_CHARS 60           /* characters a student may type */
#define SH_FIELD_MAX (SH_FIELD_MAX_CHARS * 4)  /* bytes, UTF-8 worst case */
#define SH_LANGUAGE_MAX 8               /* "en", "es", "pt-BR" */
#define SH_MESSAGE_MAX_CHARS 2000
#define SH_MESSAGE_MAX (SH_MESSAGE_MAX_CHARS * 4)
#define SH_CREATED_LEN 17               /* 2026-11-29T08:00Z */
#define SH_CREATED_GRAIN 3600           /* the writer's Created is to the hour */

/* reply: a student writing back to an answer (with In-Reply-To). */
enum record_about { RECORD_ABOUT_SELF, RECORD_ABOUT_FRIEND, RECORD_ABOUT_INFO, RECORD_ABOUT_TEST,
                    RECORD_ABOUT_REPLY };
#define RECORD_ABOUT_N 5
enum record_danger { RECORD_DANGER_NO, RECORD_DANGER_YES, RECORD_DANGER_UNSURE };

enum record_field {
	RECORD_NAME,
	RECORD_GRADE,
	RECORD_TEACHER,
	RECORD_BEST_TIME,
	RECORD_CONTACT_WAY,
	RECORD_FRIEND_NAME,
	RECORD_FRIEND_GRADE,
	RECORD_NFIELDS
};

struct record {
	char id[SH_RECORD_ID_HEX + 1];
	char created[SH_CREATED_LEN + 1];
	char kiosk[KEYS_KIOSK_STRLEN + 1];
	unsigned char kiosk_pk[crypto_sign_PUBLICKEYBYTES];
	enum record_about about;
	int has_reply_to;                               /* Reply-To present */
	unsigned char reply_to[AGE_KEY_LEN];            /* its X25519 public key */
	char in_reply_to[SH_RECORD_ID_HEX + 1];         /* "" unless About is reply */
	enum record_danger danger;
	char language[SH_LANGUAGE_MAX + 1];
	char field[RECORD_NFIELDS][SH_FIELD_MAX + 1];   /* "" when absent */
	size_t message_len;
	char message[SH_MESSAGE_MAX + 1];               /* NUL-terminated too */
	size_t used;              /* record_parse: bytes before the NUL padding */
};

struct record *record_new(void);
void record_free(struct record *r);
/* Wipe every answer (sodium_memzero) and reset to defaults. */
void record_clear(struct record *r);

/* Field names as they appear in the record ("Name", "Best-Time", ...). */
const char *record_field_name(enum record_field f);
const char *record_about_str(enum record_about a);   /* "self" ... */
const char *record_danger_str(enum record_danger d); /* "yes" ... */

/* Validate one value: UTF-8, no control characters (the message may hold
 * LF and TAB), within its byte and character limits. */
enum sh_status record_check_text(const char *s, size_t len, size_t max_bytes,
                                 size_t max_chars, int multiline);
enum sh_status record_set_field(struct record *r, enum record_field f,
                                const char *s, size_t len);
enum sh_status record_set_message(struct record *r, const char *s, size_t len);
enum sh_status record_set_language(struct record *r, const char *lang);
/* A Language value: [a-z]{2,3}(-[A-Za-z0-9]{2,8})?, at most SH_LANGUAGE_MAX
 * bytes (the config's languages key uses the same rule). */
enum sh_status record_check_language(const char *s, size_t len);

/* Give the record a fresh random id, the creation time (rounded down to
 * the hour, UTC, from now), and the kiosk key; serialize, sign and pad into out
 * (sodium_malloc'd by the caller or stack memory the caller wipes). */
enum sh_status record_serialize(struct record *r, const struct keys_signing *k,
                                time_t now, unsigned char out[SH_RECORD_SIZE]);

/* Parse strictly. SH_OK: structure and signature valid. SH_ERR_SIGNATURE:
 * structure valid, r filled, but the signature does not verify (show as
 * "not from an enrolled kiosk"). SH_ERR_FORMAT / SH_ERR_VERSION /
 * SH_ERR_TOO_LARGE otherwise; *why gets a short static reason. */
enum sh_status record_parse(const unsigned char *buf, size_t len,
                            struct record *r, const char **why);

#endif
