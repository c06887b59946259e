#ifndef SAFEHARBOR_KEYS_H
#define SAFEHARBOR_KEYS_H

/*
 * Key files: the social worker's identities (age-keygen plain files and
 * `age -p` passphrase-protected ones), recipients files (`age -R` format),
 * and the kiosk's Ed25519 signing key. Secrets live in sodium_malloc memory.
 */

#include <stddef.h>
#include <sodium.h>
#include "safeharbor/age.h"
#include "safeharbor/status.h"

#define KEYS_MAX_IDENTITIES 64
#define KEYS_MAX_RECIPIENTS 64
#define KEYS_MAX_FILE (1u << 20)      /* identity / recipients / key files */
/* Kiosk public key token: Bech32 with HRP "shkiosk", 66 characters. */
#define KEYS_KIOSK_HRP "shkiosk"
#define KEYS_KIOSK_STRLEN 66

/* A set of identities in sodium_malloc memory. */
struct keys_identities;

struct keys_identities *keys_identities_new(void);
void keys_identities_free(struct keys_identities *ids);
size_t keys_identities_count(const struct keys_identities *ids);
/* Borrowed view for age_decrypt_*: fills u->ids and u->nids. */
void keys_identities_unlock(const struct keys_identities *ids, struct age_unlock *u);
enum sh_status keys_identities_add(struct keys_identities *ids, const struct age_identity *id);

/* Parse identity-file text (age-keygen format: '#' comments, empty lines,
 * AGE-SECRET-KEY-1 lines; CR before LF tolerated). Adds to ids. On error
 * *errline is the 1-based line at fault. */
enum sh_status keys_parse_identities(const char *text, size_t len,
                                     struct keys_identities *ids, size_t *errline);

/* Load an identity file. Refuses (SH_ERR_PERM) a file readable or writable
 * by group or others. If the file is age-encrypted (scrypt), passphrase is
 * used; *was_plain is set to 1 for a plain age-keygen file (caller warns).
 * Wrong passphrase -> SH_ERR_PASSPHRASE. */
enum sh_status keys_load_identity_file(const char *path,
                                       const char *passphrase, size_t passlen,
                                       struct keys_identities *ids, int *was_plain);

/* Whether the file at path is passphrase-protected (starts with the age
 * header). SH_OK and *encrypted set, or an error for unreadable files. */
enum sh_status keys_identity_file_is_encrypted(const char *path, int *encrypted);

/* Write one identity, passphrase-protected (scrypt, logn), exactly as
 * `age-keygen | age -p` would: created O_EXCL, mode 0600, fsync'd.
 * SH_ERR_EXISTS if the path exists; no partial file on error. */
enum sh_status keys_write_identity(const char *path, const struct age_identity *id,
                                   const char *passphrase, size_t passlen, int logn);

/* Recipients files (`age -R`): '#' comments, empty lines, age1 lines. */
enum sh_status keys_parse_recipients(const char *text, size_t len,
                                     struct age_recipient *out, size_t max,
                                     size_t *n, size_t *errline);
enum sh_status keys_load_recipients(const char *path, struct age_recipient *out,
                                    size_t max, size_t *n, size_t *errline);

/* Kiosk signing key (Ed25519). Secret part in sodium_malloc memory. */
struct keys_signing {
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
};
struct keys_signing *keys_signing_new(void);
void keys_signing_free(struct keys_signing *k);
/* Create a new key file (O_EXCL, 0600, fsync'd). SH_ERR_EXISTS if present. */
enum sh_status keys_signing_create(const char *path, struct keys_signing *out);
/* Load; SH_ERR_PERM if readable by group or others. */
enum sh_status keys_signing_load(const char *path, struct keys_signing *out);
enum sh_status keys_signing_parse(const char *text, size_t len, struct keys_signing *out);

/* Public key token "shkiosk1...". */
void keys_kiosk_format(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                       char out[KEYS_KIOSK_STRLEN + 1]);
enum sh_status keys_kiosk_parse(const char *s, size_t len,
                                unsigned char pk[crypto_sign_PUBLICKEYBYTES]);

/* Staff keys (SPEC §9): the Ed25519 key that signs replies, derived from
 * an age identity (HKDF-SHA256 of its secret, info "safeharbor/staff-key/v1"),
 * so it needs no file of its own; a new identity after rotation has a new
 * staff key, which kiosks add to staff_keys beside the old one. Public
 * token "shstaff1...", 66 characters. */
#define KEYS_STAFF_HRP "shstaff"
#define KEYS_STAFF_STRLEN 66
#define KEYS_MAX_STAFF 64
void keys_staff_derive(const struct age_identity *id, struct keys_signing *out);
void keys_staff_format(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                       char out[KEYS_STAFF_STRLEN + 1]);
enum sh_status keys_staff_parse(const char *s, size_t len,
                                unsigned char pk[crypto_sign_PUBLICKEYBYTES]);
/* A staff_keys file: '#' comments, empty lines, shstaff1 lines (CR before
 * LF tolerated), at least one key. */
enum sh_status keys_parse_staff(const char *text, size_t len,
                                unsigned char (*out)[crypto_sign_PUBLICKEYBYTES],
                                size_t max, size_t *n, size_t *errline);

/* Read a whole small file (at most max bytes) into sodium_malloc memory,
 * NUL-terminated. Free with sodium_free. */
enum sh_status keys_read_file_secure(const char *path, size_t max,
                                     char **out, size_t *len);

#endif
