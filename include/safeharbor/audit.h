#ifndef SAFEHARBOR_AUDIT_H
#define SAFEHARBOR_AUDIT_H

/*
 * The audit log's entries (SPEC §11): one fixed-size plaintext per state
 * change, sealed like a request (the sealing and the files are the tool's,
 * src/tool/audit_log.c). Each entry holds the BLAKE2b-256 hash of the whole
 * plaintext of the one before, so removing, reordering, replacing or
 * editing an entry breaks the chain; the hash covers a random nonce and
 * sealed words, so nobody without a key can forge a link.
 *
 *     SAFEHARBOR-AUDIT 1
 *     Seq: 42
 *     Time: 2026-12-03T13:45:12Z
 *     By: age1...              (the recipient of the key that acted)
 *     User: alice              (login name, or -)
 *     Action: handled
 *     Id: 32 hex digits, or -
 *     Detail: printable ASCII, or -
 *     Nonce: 32 hex digits
 *     Prev: 64 hex digits      (zeros for the first entry)
 *     (NUL padding to AUDIT_ENTRY_SIZE)
 */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define AUDIT_ENTRY_SIZE 512
#define AUDIT_HASH_LEN 32
#define AUDIT_NONCE_LEN 16
#define AUDIT_USER_MAX 32
#define AUDIT_ACTION_MAX 16
#define AUDIT_DETAIL_MAX 160
#define AUDIT_ID_HEX 32

struct audit_entry {
	uint64_t seq;
	time_t time;
	char by[64];                         /* age1... (62 characters) */
	char user[AUDIT_USER_MAX + 1];       /* "" when unknown */
	char action[AUDIT_ACTION_MAX + 1];
	char id[AUDIT_ID_HEX + 1];           /* "" when none */
	char detail[AUDIT_DETAIL_MAX + 1];   /* "" when none */
	unsigned char nonce[AUDIT_NONCE_LEN];
	unsigned char prev[AUDIT_HASH_LEN];
};

/* Whether an action name is one the log knows: seen, handled, open, note,
 * outcome, referred, reply, export, purge, rekey. */
int audit_action_known(const char *action);

/* Serialise into exactly AUDIT_ENTRY_SIZE bytes. Fields that do not fit
 * their rules (see audit_parse) are refused: -1, else 0. */
int audit_format(const struct audit_entry *e, unsigned char out[AUDIT_ENTRY_SIZE]);

/* Parse a plaintext strictly: exact field order, syntax, lengths, NUL
 * padding. 0, or -1 with *why. */
int audit_parse(const unsigned char *in, size_t len, struct audit_entry *e, const char **why);

/* The chain hash of a plaintext (BLAKE2b-256 over all of it). */
void audit_hash(const unsigned char pt[AUDIT_ENTRY_SIZE], unsigned char out[AUDIT_HASH_LEN]);

#endif
