#ifndef SAFEHARBOR_CASEREC_H
#define SAFEHARBOR_CASEREC_H

/*
 * A case item: what the social worker keeps about one request (a note, an
 * outcome, a referral, a change of state), as readable UTF-8 text sealed
 * like a request (age, to the same recipients) and NUL-padded to the same
 * SH_RECORD_SIZE, so a case envelope looks like any other (SPEC §2.10, §10).
 *
 *   SAFEHARBOR-CASE 1
 *   Id: <32 hex>                   this item, random
 *   Request: <32 hex>              the request it belongs to
 *   Created: YYYY-MM-DDTHH:MM:SSZ
 *   Kind: note|outcome|referred|state
 *   Value: NAME                    every kind but note
 *   Text-Length: N                 note: 1..CASEREC_TEXT_MAX, others 0
 *   <blank line>
 *   <N bytes of text>\n
 *   Mac: <base64 HMAC-SHA-512-256 over every byte above this line>\n
 *   <NUL padding>
 *
 * The MAC key is derived from the identity that wrote the item, so someone
 * who can only write into the spool (and knows the public recipients)
 * cannot add an outcome that counts. A struct caserec holds her words:
 * keep it in sodium_malloc memory (caserec_new / caserec_free).
 */

#include <stddef.h>
#include <time.h>
#include <sodium.h>
#include "safeharbor/age.h"
#include "safeharbor/record.h"
#include "safeharbor/status.h"

#define CASEREC_TEXT_MAX_CHARS 3000
#define CASEREC_TEXT_MAX (CASEREC_TEXT_MAX_CHARS * 4)
#define CASEREC_KEY_LEN crypto_auth_KEYBYTES
#define CASEREC_MAX_KEYS 64

enum caserec_kind { CASE_NOTE, CASE_OUTCOME, CASE_REFERRED, CASE_STATE, CASE_NKINDS };

/* Outcome values, in the order the program reports them. */
enum caserec_outcome {
	OUTCOME_MET, OUTCOME_INFORMATION, OUTCOME_ASSAULT, OUTCOME_GROOMING,
	OUTCOME_TRAFFICKING, OUTCOME_NO_CONCERN, OUTCOME_NOT_FOUND, OUTCOME_N
};
enum caserec_referral { REFER_CPS, REFER_POLICE, REFER_SERVICES, REFER_N };
enum caserec_state { CSTATE_HANDLED, CSTATE_OPEN, CSTATE_N };

struct caserec {
	char id[SH_RECORD_ID_HEX + 1];
	char request[SH_RECORD_ID_HEX + 1];
	time_t created;
	enum caserec_kind kind;
	int value;                         /* outcome / referral / state; -1 for a note */
	size_t text_len;
	char text[CASEREC_TEXT_MAX + 1];   /* NUL-terminated too */
};

struct caserec *caserec_new(void);
void caserec_free(struct caserec *c);

const char *caserec_kind_str(enum caserec_kind k);
/* The value's name for a kind ("assault", "cps", "handled"), "" for a note. */
const char *caserec_value_str(enum caserec_kind k, int value);
/* The value named s for kind k, or -1. */
int caserec_value_parse(enum caserec_kind k, const char *s);
/* "met, information, assault, ..." for messages. */
const char *caserec_value_list(enum caserec_kind k);

/* The MAC key of one identity (a libsodium KDF subkey of its secret). */
void caserec_key(const struct age_identity *id, unsigned char key[CASEREC_KEY_LEN]);

/* Check a note's text: UTF-8, no control characters but LF and TAB, 1 to
 * CASEREC_TEXT_MAX bytes and CASEREC_TEXT_MAX_CHARS characters.
 * SH_ERR_TOO_LARGE, SH_ERR_FORMAT (also for an empty note). */
enum sh_status caserec_check_text(const char *s, size_t len);

/* Serialize with c->created, MAC and pad into out (locked memory the
 * caller wipes). c gets a fresh random id unless it has one (an item
 * sealed again after a key rotation keeps its id). SH_ERR_USAGE for a bad
 * kind, value or id, text errors as caserec_check_text. */
enum sh_status caserec_serialize(struct caserec *c, const unsigned char key[CASEREC_KEY_LEN],
                                 unsigned char out[SH_RECORD_SIZE]);

/* Parse strictly and check the MAC against each of nkeys keys. SH_OK: one
 * verified, *which gets its index (may be NULL). SH_ERR_SIGNATURE: well
 * formed, c filled, but written with no key we hold. SH_ERR_FORMAT /
 * SH_ERR_VERSION / SH_ERR_TOO_LARGE otherwise (c wiped, *why a short
 * static reason). */
enum sh_status caserec_parse(const unsigned char *buf, size_t len,
                             const unsigned char (*keys)[CASEREC_KEY_LEN], size_t nkeys,
                             struct caserec *c, size_t *which, const char **why);

#endif
