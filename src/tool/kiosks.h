#ifndef SAFEHARBOR_KIOSKS_H
#define SAFEHARBOR_KIOSKS_H

/*
 * The social worker's list of enrolled kiosks: a plain text file next to
 * her identity (~/.config/safeharbor/kiosks), one kiosk per line,
 *
 *     # comment
 *     library-1 shkiosk1...
 *
 * NAME is 1..32 of [A-Za-z0-9._-]; KEY is the token `safeharbor-kiosk
 * --enroll` prints. Names and keys are unique. The tool uses it to name the
 * kiosk a record came from and to flag records from any other key.
 */

#include <stddef.h>
#include <sodium.h>
#include "safeharbor/keys.h"
#include "safeharbor/status.h"

#define KIOSKS_NAME_MAX 32
#define KIOSKS_MAX 1024
#define KIOSKS_FILE_MAX (256u * 1024u)

struct kiosk_entry {
	char name[KIOSKS_NAME_MAX + 1];
	char key[KEYS_KIOSK_STRLEN + 1];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
};

struct kiosks {
	struct kiosk_entry *v;    /* malloc'd; public data */
	size_t n;
};

void kiosks_init(struct kiosks *k);
void kiosks_free(struct kiosks *k);

int kiosks_name_valid(const char *name);

/* Parse file text. SH_ERR_FORMAT with *errline (1-based) and *why set on
 * the first bad line; SH_ERR_TOO_LARGE over KIOSKS_MAX entries. */
enum sh_status kiosks_parse(const char *text, size_t len, struct kiosks *k,
                            size_t *errline, const char **why);

/* Load path; a missing file is an empty list (SH_OK). SH_ERR_PERM if the
 * file is writable by group or others (anyone could enroll a forger). */
enum sh_status kiosks_load(const char *path, struct kiosks *k,
                           size_t *errline, const char **why);

/* Write the whole list atomically (temporary file, fsync, rename), mode
 * 0600; the directory is created 0700 when missing. */
enum sh_status kiosks_save(const char *path, const struct kiosks *k);

/* SH_OK, SH_ERR_EXISTS (name or key already there: *why says which),
 * SH_ERR_FORMAT (bad name or key). */
enum sh_status kiosks_add(struct kiosks *k, const char *name, const char *key,
                          const char **why);
/* SH_OK or SH_ERR_NOT_FOUND. */
enum sh_status kiosks_remove(struct kiosks *k, const char *name);

/* Entry whose key is pk, or NULL. */
const struct kiosk_entry *kiosks_find_pk(const struct kiosks *k,
                                         const unsigned char pk[crypto_sign_PUBLICKEYBYTES]);

#endif
