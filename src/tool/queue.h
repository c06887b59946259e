#ifndef SAFEHARBOR_QUEUE_H
#define SAFEHARBOR_QUEUE_H

/*
 * The social worker's view of the spool: every envelope in new/ and cur/,
 * opened into reused locked buffers (one per CPU), reduced to the few
 * fields a listing needs (no names, no message), deduplicated by record id
 * and sorted: urgent first (Danger yes, then not sure), newest first, and
 * envelopes that cannot be opened last, each with its reason. Full records
 * are opened again on demand (show, export, inbox).
 *
 * The item array lives in sodium_malloc memory: About and Danger are
 * already sensitive.
 */

#include <stddef.h>
#include <time.h>
#include <sodium.h>
#include "safeharbor/age.h"
#include "safeharbor/envelope.h"
#include "safeharbor/record.h"
#include "safeharbor/spool.h"
#include "safeharbor/status.h"
#include "idprefix.h"
#include "kiosks.h"
#include "workpool.h"

#define QUEUE_FILE_MAX (256u * 1024u)   /* larger files are refused unread */
#define QUEUE_DIGEST_LEN ENVELOPE_DIGEST_LEN
#define QUEUE_MAX_WORKERS WORKPOOL_MAX  /* openers in queue_load */

struct queue_item {
	struct spool_entry e;
	enum sh_status st;        /* SH_OK or SH_ERR_SIGNATURE: opened */
	const char *why;          /* detail for a refused record, or NULL */
	int err;                  /* errno for SH_ERR_IO */
	char id[SH_RECORD_ID_HEX + 1];
	char created[SH_CREATED_LEN + 1];
	enum record_about about;
	int has_reply_to;         /* the student can be answered (SPEC §9) */
	unsigned char reply_to[AGE_KEY_LEN];
	char in_reply_to[SH_RECORD_ID_HEX + 1];  /* About: reply: the request */
	enum record_danger danger;
	unsigned char kiosk_pk[crypto_sign_PUBLICKEYBYTES];
	int kiosk;                /* index in the enrolled list, -1: none */
	unsigned char digest[QUEUE_DIGEST_LEN];  /* of the plaintext */
	size_t dups;              /* hidden copies of this record */
	int hidden;               /* this is a copy of another item */
	int conflict;             /* another envelope has the same id, other content */
	size_t shortlen;          /* shown id length */
};

struct queue {
	char spool[SPOOL_PATH_MAX];
	struct spool sp;          /* opened once by queue_load; every file by *at() */
	struct queue_item *items; /* sodium_allocarray; visible ones first */
	size_t n;                 /* all items */
	size_t nvis;              /* visible (sorted) items: items[0..nvis) */
	size_t nopened;           /* visible items that opened */
	size_t nrefused;          /* visible items that did not */
	const char *why;          /* queue_load's refusal of the spool, or NULL */
};

typedef void (*queue_progress)(void *ctx, size_t done, size_t total);

/* Whether an item was opened (record parsed; signature maybe bad). */
int queue_item_opened(const struct queue_item *it);
/* Signature valid and kiosk enrolled. */
int queue_item_trusted(const struct queue_item *it);
/* "new", "seen", "handled". */
const char *queue_state_str(enum spool_state s);
/* Why an item was refused, as a short phrase (static or from strerror). */
const char *queue_item_reason(const struct queue_item *it, char *buf, size_t size);

/* Read an envelope (regular, not a link, at most QUEUE_FILE_MAX bytes)
 * from its folder in q's spool into ct. SH_ERR_IO with *err = errno,
 * SH_ERR_FORMAT (not a regular file), SH_ERR_TOO_LARGE. */
enum sh_status queue_read_envelope(const struct queue *q, const struct spool_entry *e,
                                   unsigned char *ct, size_t *ctlen, int *err);

/* Open a listed item again for display (show, inbox, export): read its
 * file, decrypt, parse, and check that these are the very bytes the
 * listing judged (same digest, same verdict), so the trust shown with
 * them is theirs. SH_ERR_CHANGED when the file was replaced since. On
 * success r holds the record; pt is wiped by the caller. */
enum sh_status queue_reopen(const struct queue *q, size_t idx, const struct age_unlock *u,
                            unsigned char *ct, unsigned char *pt, struct record *r,
                            const char **why, int *err);

/* Scan and open the whole spool. u NULL: nothing is decrypted (every item
 * is left with st SH_ERR_NO_MATCH). k may be NULL. SH_ERR_NOT_FOUND /
 * SH_ERR_IO from the scan; individual envelopes never fail the load. */
enum sh_status queue_load(struct queue *q, const char *spool, const struct age_unlock *u,
                          const struct kiosks *k, queue_progress cb, void *cbctx);
void queue_free(struct queue *q);
/* The opening step of queue_load on items[0..n) (their e set, st
 * SH_ERR_NO_MATCH): for a reload that opens only new envelopes. */
enum sh_status queue_open_items(struct queue_item *items, size_t n, const struct queue *q,
                                const struct age_unlock *u, const struct kiosks *k,
                                queue_progress cb, void *cbctx);
/* Bring a loaded queue up to date with its spool (queue_refresh.c):
 * envelopes that appeared are opened (only those), vanished ones dropped,
 * renamed ones (state set elsewhere) updated; then deduplicated and sorted
 * again. *added and *added_urgent (either may be NULL) count the new
 * visible requests and the urgent ones among them. On error q is unchanged. */
enum sh_status queue_refresh(struct queue *q, const struct age_unlock *u,
                             const struct kiosks *k, size_t *added, size_t *added_urgent);
/* Openers queue_load uses; 0 (the default) means one per online CPU, and
 * one alone for small spools. For tests and benchmarks. */
void queue_set_workers(unsigned n);

/* Pure steps of queue_load, exposed for tests: dedupe marks hidden copies
 * and conflicts, sort orders (visible first) and counts, shortids fills
 * shortlen. */
void queue_dedupe(struct queue_item *items, size_t n);
int queue_item_cmp(const struct queue_item *a, const struct queue_item *b);
void queue_sort(struct queue *q);
void queue_shortids(struct queue *q);

/* Find an item by id prefix or envelope file name (with or without the
 * ":2," flags). Returns an idprefix_result; *idx gets the item on
 * IDPREFIX_FOUND, cand the candidates on IDPREFIX_AMBIGUOUS. */
enum idprefix_result queue_resolve(const struct queue *q, const char *arg, size_t *idx,
                                   size_t *cand, size_t maxcand, size_t *ncand);

/* Set the state of an item and of its hidden copies. */
enum sh_status queue_set_state(struct queue *q, size_t idx, enum spool_state s);

/* queue_reopen with buffers of its own. r from record_new(). */
enum sh_status queue_open_item(const struct queue *q, size_t idx,
                               const struct age_unlock *u, struct record *r);

#endif
