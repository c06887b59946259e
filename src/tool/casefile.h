#ifndef SAFEHARBOR_TOOL_CASEFILE_H
#define SAFEHARBOR_TOOL_CASEFILE_H

/*
 * The social worker's case items (notes, outcomes, referrals, changes of
 * state) in her spool: SPOOL/case/ is a Maildir of its own (tmp/, new/),
 * each item one age envelope to the same recipients as the requests, of
 * the same size, under a random name, never renamed or flagged. Nothing
 * about a student is in a name, a flag or a size.
 *
 * casefile_load opens every item into a sorted index without the note
 * texts (they are opened again on demand); the index says, per request,
 * what show/list/stats need. purge removes a request's items through
 * casefile_remove_request.
 */

#include <stddef.h>
#include <time.h>
#include "safeharbor/age.h"
#include "safeharbor/caserec.h"
#include "safeharbor/spool.h"
#include "safeharbor/status.h"

#define CASEFILE_DIR "case"

struct case_entry {
	char name[SPOOL_NAME_MAX];        /* in case/new/ (or cur/: refused) */
	int in_cur;
	enum sh_status st;                /* SH_OK: ours; SH_ERR_SIGNATURE: another key */
	const char *why;                  /* detail for a refused item, or NULL */
	int err;                          /* errno for SH_ERR_IO */
	char id[SH_RECORD_ID_HEX + 1];
	char request[SH_RECORD_ID_HEX + 1];
	time_t created;
	enum caserec_kind kind;
	int value;
};

struct casefile {
	char dir[SPOOL_PATH_MAX];         /* SPOOL/case */
	struct case_entry *v;             /* opened ones sorted by request, time, id;
	                                     refused ones after them */
	size_t n, nopened;
	unsigned char (*keys)[CASEREC_KEY_LEN];  /* one per identity, locked memory */
	size_t nkeys;
	const char *why;                  /* why case/ itself was refused, or NULL */
};

/* What one request's verified items add up to. */
struct case_summary {
	int outcome;                      /* latest outcome, -1: none */
	time_t outcome_at;
	unsigned referred;                /* bit per enum caserec_referral */
	size_t notes;
	size_t foreign;                   /* items written with a key we do not hold */
	time_t first;                     /* first note/outcome/referral/handled, 0: none */
};

/* Derive the MAC keys of u's identities into cf (needed before add/load). */
enum sh_status casefile_init(struct casefile *cf, const char *spool, const struct age_unlock *u);
void casefile_free(struct casefile *cf);

/* Open every item (a missing case/ is an empty index). SH_ERR_IO when the
 * folder cannot be listed (or is a link); single items never fail it. */
enum sh_status casefile_load(struct casefile *cf, const struct age_unlock *u);

/* Seal c (created now unless set) with the key of identity `key` and
 * deliver it durably into case/ (made 0700 where missing). */
enum sh_status casefile_add(struct casefile *cf, const struct age_recipient *r, size_t nr,
                            size_t key, struct caserec *c);

/* The opened items of one request: *first and the count (0: none). */
size_t casefile_find(const struct casefile *cf, const char *request, size_t *first);
void casefile_summary(const struct casefile *cf, const char *request, struct case_summary *s);

/* Open one item again, with its text. */
enum sh_status casefile_open(const struct casefile *cf, size_t idx, const struct age_unlock *u,
                             struct caserec *c);

/* After a key rotation (rekey): seal item idx (ours, SH_OK) again to r,
 * MAC'd with key `key`, keeping its id and time, and replace its file
 * whole under the same name. On failure the old file is kept. */
enum sh_status casefile_reseal(const struct casefile *cf, size_t idx, const struct age_unlock *u,
                               const struct age_recipient *r, size_t nr, size_t key);

/* Remove every item of a request (for purge); *removed counts them. */
enum sh_status casefile_remove_request(struct casefile *cf, const char *request,
                                       size_t *removed);

/* Why an item was refused, as a short phrase. */
const char *casefile_reason(const struct case_entry *e, char *buf, size_t size);

#endif
