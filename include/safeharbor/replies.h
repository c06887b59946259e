#ifndef SAFEHARBOR_REPLIES_H
#define SAFEHARBOR_REPLIES_H

/*
 * The replies folder (SPEC §9): sealed reply records, one file each, named
 * from the reply key so that only someone with the code can tell which
 * files answer which request. Every file has the same size. The tool
 * writes into it durably (fileio's one writer: an invisible file until it
 * is complete); kiosks read it, never write.
 *
 *   <dir>/<32 hex>.age      name = BLAKE2b-128("safeharbor/reply-name/v1",
 *                                  reply public key, slot); slots 0..15
 */

#include <stddef.h>
#include <time.h>
#include "safeharbor/age.h"
#include "safeharbor/keys.h"
#include "safeharbor/reply.h"
#include "safeharbor/status.h"

#define REPLIES_NAME_HEX 32
#define REPLIES_NAME_LEN (REPLIES_NAME_HEX + 4)     /* + ".age" */
#define REPLIES_SLOTS 16                           /* answers per request */
#define REPLIES_PATH_MAX 4096
#define REPLIES_DEFAULT_DAYS 30

/* The file name of a reply key's slot. */
void replies_name(const struct age_recipient *rk, unsigned slot,
                  char out[REPLIES_NAME_LEN + 1]);

/* Size of every reply file. */
size_t replies_file_size(void);

/* Seal pt (a serialized reply, SH_REPLY_SIZE bytes) to rk and store it in
 * the first free slot: written invisibly, fsync'd, linked into place
 * without replacing anything, folder fsync'd (fileio_write_file).
 * *slot_out gets the slot. SH_ERR_EXISTS when every slot is taken,
 * SH_ERR_NOT_FOUND when dir does not exist, SH_ERR_NOSPACE, SH_ERR_IO. */
enum sh_status replies_store(const char *dir, const struct age_recipient *rk,
                             const unsigned char *pt, unsigned *slot_out);

/* How many slots of rk hold a file (no decryption; for "answered"). */
unsigned replies_count(const char *dir, const struct age_recipient *rk);

/* What a reader accepts. */
struct replies_trust {
	const unsigned char (*staff)[crypto_sign_PUBLICKEYBYTES];
	size_t nstaff;
	time_t now;
	unsigned max_age_days;          /* 0: no expiry */
};

/* Open every slot of id's key in dir (files opened without following
 * links, exactly replies_file_size() bytes, decrypted into locked memory)
 * and keep the newest reply whose signature verifies by a trusted staff
 * key and that has not expired. SH_OK with *out filled, or SH_ERR_NOT_FOUND
 * when there is none (missing folder, no file, wrong key, untrusted or
 * expired ones: all alike). *refused (may be NULL) counts files that were
 * there but refused (tampered, truncated, unknown signer), for logs. */
enum sh_status replies_find(const char *dir, const struct age_identity *id,
                            const struct replies_trust *t, struct reply *out,
                            unsigned *refused);

/* Open one reply file's bytes with id into r (no trust decision):
 * SH_OK / SH_ERR_SIGNATURE as reply_parse, or the age error. */
enum sh_status replies_open_mem(const struct age_identity *id,
                                const unsigned char *ct, size_t ctlen,
                                struct reply *r, const char **why);

#endif
