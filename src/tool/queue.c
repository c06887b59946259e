/*
 * Loading the queue. Decisions: each opener (one per CPU, up to
 * QUEUE_MAX_WORKERS) decrypts one envelope at a time into its own reused
 * locked plaintext buffer and reused struct record, keeping only the
 * listing fields (so 10,000 envelopes fit in a few MiB); an envelope that
 * cannot be opened is kept with its reason, never dropped and never fatal;
 * copies of one record (same id, same bytes) are shown once, while two
 * different records claiming one id are both shown and flagged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safeharbor/fileio.h"
#include "queue.h"
#include "workpool.h"

int
queue_item_opened(const struct queue_item *it)
{
	return it->st == SH_OK || it->st == SH_ERR_SIGNATURE;
}

int
queue_item_trusted(const struct queue_item *it)
{
	return it->st == SH_OK && it->kiosk >= 0;
}

const char *
queue_state_str(enum spool_state s)
{
	switch (s) {
	case SPOOL_NEW: return "new";
	case SPOOL_SEEN: return "seen";
	case SPOOL_HANDLED: return "handled";
	}
	return "?";
}

const char *
queue_item_reason(const struct queue_item *it, char *buf, size_t size)
{
	const char *s = sh_status_str(it->st);

	if (it->st == SH_ERR_IO && it->err != 0)
		s = strerror(it->err);
	if (it->why != NULL && (it->st == SH_ERR_FORMAT || it->st == SH_ERR_VERSION ||
	                        it->st == SH_ERR_TOO_LARGE || it->st == SH_ERR_TRUNCATED)) {
		if (snprintf(buf, size, "%s (%s)", s, it->why) >= (int)size && size > 0)
			buf[size - 1] = '\0';
		return buf;
	}
	return s;
}

enum sh_status
queue_read_envelope(const struct queue *q, const struct spool_entry *e,
                    unsigned char *ct, size_t *ctlen, int *err)
{
	int dfd = e->in_cur ? q->sp.cur : q->sp.new;
	int rc;

	*err = 0;
	*ctlen = 0;
	if (dfd < 0) {
		*err = ENOENT;
		return SH_ERR_IO;
	}
	rc = fileio_read_file(dfd, e->name, ct, QUEUE_FILE_MAX, ctlen);
	if (rc == FILEIO_NOT_REGULAR)
		return SH_ERR_FORMAT;
	if (rc == FILEIO_TOO_LARGE)
		return SH_ERR_TOO_LARGE;
	if (rc != 0) {
		*err = errno;
		return SH_ERR_IO;
	}
	return SH_OK;
}

static void
fill_item(struct queue_item *it, const struct record *r, const struct kiosks *k)
{
	const struct kiosk_entry *ke;

	memcpy(it->id, r->id, sizeof(it->id));
	memcpy(it->created, r->created, sizeof(it->created));
	it->about = r->about;
	it->has_reply_to = r->has_reply_to;
	memcpy(it->reply_to, r->reply_to, sizeof(it->reply_to));
	memcpy(it->in_reply_to, r->in_reply_to, sizeof(it->in_reply_to));
	it->danger = r->danger;
	memcpy(it->kiosk_pk, r->kiosk_pk, sizeof(it->kiosk_pk));
	it->kiosk = -1;
	if (k != NULL && (ke = kiosks_find_pk(k, r->kiosk_pk)) != NULL)
		it->kiosk = (int)(ke - k->v);
}

static unsigned queue_nworkers;          /* 0: one per online CPU */

void
queue_set_workers(unsigned n)
{
	queue_nworkers = n;
}

/* What every opener shares: the items, the keys, who to tell progress. */
struct loader {
	struct queue_item *items;
	const struct queue *q;
	const struct age_unlock *u;
	const struct kiosks *k;
	queue_progress cb;
	void *cbctx;
};

/* One opener's buffers: ciphertext, locked plaintext, a parsed record. */
struct opener {
	struct loader *l;
	unsigned char *ct;
	unsigned char *pt;
	struct record *r;
};

static void
open_one(void *state, size_t i)
{
	struct opener *o = state;
	struct queue_item *it = &o->l->items[i];
	size_t ctlen;

	it->st = queue_read_envelope(o->l->q, &it->e, o->ct, &ctlen, &it->err);
	if (it->st == SH_OK)
		it->st = envelope_open(o->ct, ctlen, o->l->u, o->pt, o->r, it->digest, &it->why);
	if (queue_item_opened(it))
		fill_item(it, o->r, o->l->k);
	sodium_memzero(o->pt, SH_RECORD_SIZE);
	record_clear(o->r);
}

static void
opener_free(void *state)
{
	struct opener *o = state;

	free(o->ct);
	if (o->pt != NULL)
		sodium_free(o->pt);
	record_free(o->r);
	free(o);
}

static void *
opener_new(void *shared)
{
	struct opener *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return NULL;
	o->l = shared;
	o->ct = malloc(QUEUE_FILE_MAX);
	o->pt = sodium_malloc(SH_RECORD_SIZE);
	o->r = record_new();
	if (o->ct == NULL || o->pt == NULL || o->r == NULL) {
		opener_free(o);
		return NULL;
	}
	return o;
}

static void
progress(void *shared, size_t done, size_t total)
{
	struct loader *l = shared;

	if (l->cb != NULL)
		l->cb(l->cbctx, done, total);
}

/*
 * Opens every item, on as many openers as workpool_size gives. The
 * calling thread's opener reports progress.
 */
enum sh_status
queue_open_items(struct queue_item *items, size_t n, const struct queue *q,
         const struct age_unlock *u, const struct kiosks *k,
         queue_progress cb, void *cbctx)
{
	struct loader l = { items, q, u, k, cb, cbctx };
	struct workpool_job job;

	memset(&job, 0, sizeof(job));
	job.n = n;
	job.workers = workpool_size(n, queue_nworkers);
	job.shared = &l;
	job.init = opener_new;
	job.fini = opener_free;
	job.run = open_one;
	job.progress = progress;
	return workpool_run(&job) == 0 ? SH_OK : SH_ERR_NOMEM;
}

enum sh_status
queue_load(struct queue *q, const char *spool, const struct age_unlock *u,
           const struct kiosks *k, queue_progress cb, void *cbctx)
{
	struct spool_entry *ents = NULL;
	size_t n = 0, i;
	enum sh_status st;

	const char *why;

	memset(q, 0, sizeof(*q));
	q->sp.root = q->sp.tmp = q->sp.new = q->sp.cur = -1;
	if (strlen(spool) >= sizeof(q->spool))
		return SH_ERR_TOO_LARGE;
	memcpy(q->spool, spool, strlen(spool) + 1);
	if ((st = spool_open(&q->sp, spool, 0, &why)) != SH_OK) {
		q->why = why;
		return st;
	}
	if ((st = spool_scan_at(&q->sp, &ents, &n)) != SH_OK) {
		spool_close(&q->sp);
		return st;
	}
	if ((q->items = sodium_allocarray(n > 0 ? n : 1, sizeof(*q->items))) == NULL) {
		free(ents);
		spool_close(&q->sp);
		return SH_ERR_NOMEM;
	}
	memset(q->items, 0, (n > 0 ? n : 1) * sizeof(*q->items));
	q->n = n;
	for (i = 0; i < n; i++) {
		q->items[i].e = ents[i];
		q->items[i].kiosk = -1;
		q->items[i].st = SH_ERR_NO_MATCH;
	}
	free(ents);
	if (u != NULL && n > 0 &&
	    (st = queue_open_items(q->items, n, q, u, k, cb, cbctx)) != SH_OK) {
		queue_free(q);
		return st;
	}
	if (cb != NULL)
		cb(cbctx, n, n);
	queue_dedupe(q->items, q->n);
	queue_sort(q);
	queue_shortids(q);
	return SH_OK;
}

void
queue_free(struct queue *q)
{
	if (q->items != NULL)
		sodium_free(q->items);
	q->items = NULL;
	q->n = q->nvis = q->nopened = q->nrefused = 0;
	spool_close(&q->sp);
}

static int
cmp_id_digest(const void *va, const void *vb)
{
	const struct queue_item *a = *(const struct queue_item *const *)va;
	const struct queue_item *b = *(const struct queue_item *const *)vb;
	int c = strcmp(a->id, b->id);

	if (c != 0)
		return c;
	return memcmp(a->digest, b->digest, QUEUE_DIGEST_LEN);
}

/* The copy to keep: the furthest state (handled > seen > new), then cur/. */
static int
better_copy(const struct queue_item *a, const struct queue_item *b)
{
	if (a->e.state != b->e.state)
		return a->e.state > b->e.state;
	if (a->e.in_cur != b->e.in_cur)
		return a->e.in_cur > b->e.in_cur;
	return strcmp(a->e.name, b->e.name) < 0;
}

void
queue_dedupe(struct queue_item *items, size_t n)
{
	struct queue_item **v;
	size_t i, j, m = 0, g, best;

	for (i = 0; i < n; i++) {
		items[i].hidden = 0;
		items[i].conflict = 0;
		items[i].dups = 0;
		if (queue_item_opened(&items[i]))
			m++;
	}
	if (m < 2 || (v = malloc(m * sizeof(*v))) == NULL)
		return;
	for (i = 0, j = 0; i < n; i++)
		if (queue_item_opened(&items[i]))
			v[j++] = &items[i];
	qsort(v, m, sizeof(*v), cmp_id_digest);
	for (i = 0; i < m; i = g) {
		/* group of equal id */
		for (g = i + 1; g < m && strcmp(v[g]->id, v[i]->id) == 0; g++)
			;
		for (j = i + 1; j < g; j++)
			if (memcmp(v[j]->digest, v[i]->digest, QUEUE_DIGEST_LEN) != 0)
				break;
		if (j < g) {
			for (j = i; j < g; j++)
				v[j]->conflict = 1;
			continue;
		}
		best = i;
		for (j = i + 1; j < g; j++)
			if (better_copy(v[j], v[best]))
				best = j;
		for (j = i; j < g; j++)
			if (j != best)
				v[j]->hidden = 1;
		v[best]->dups = g - i - 1;
	}
	free(v);
}

static int
danger_rank(enum record_danger d)
{
	switch (d) {
	case RECORD_DANGER_YES: return 0;
	case RECORD_DANGER_UNSURE: return 1;
	case RECORD_DANGER_NO: return 2;
	}
	return 3;
}

int
queue_item_cmp(const struct queue_item *a, const struct queue_item *b)
{
	int oa = queue_item_opened(a), ob = queue_item_opened(b), c;

	if (a->hidden != b->hidden)
		return a->hidden ? 1 : -1;
	if (oa != ob)
		return oa ? -1 : 1;
	if (oa) {
		if (danger_rank(a->danger) != danger_rank(b->danger))
			return danger_rank(a->danger) < danger_rank(b->danger) ? -1 : 1;
		if ((c = strcmp(a->created, b->created)) != 0)
			return -c;
	}
	if (a->e.mtime != b->e.mtime)
		return a->e.mtime > b->e.mtime ? -1 : 1;
	if (oa && (c = strcmp(a->id, b->id)) != 0)
		return c;
	return strcmp(a->e.name, b->e.name);
}

static int
cmp_items(const void *a, const void *b)
{
	return queue_item_cmp(a, b);
}

void
queue_sort(struct queue *q)
{
	size_t i;

	if (q->n > 1)
		qsort(q->items, q->n, sizeof(q->items[0]), cmp_items);
	q->nvis = q->nopened = q->nrefused = 0;
	for (i = 0; i < q->n; i++) {
		if (q->items[i].hidden)
			continue;
		q->nvis++;
		if (queue_item_opened(&q->items[i]))
			q->nopened++;
		else
			q->nrefused++;
	}
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
queue_shortids(struct queue *q)
{
	const char **ids;
	size_t i, m = 0, lo, hi, mid, d = 0;

	for (i = 0; i < q->nvis; i++)
		q->items[i].shortlen = 0;
	if (q->nopened == 0 || (ids = malloc(q->nopened * sizeof(*ids))) == NULL) {
		for (i = 0; i < q->nvis; i++)
			q->items[i].shortlen = strlen(q->items[i].id);
		return;
	}
	for (i = 0; i < q->nvis; i++)
		if (queue_item_opened(&q->items[i]))
			ids[m++] = q->items[i].id;
	qsort(ids, m, sizeof(*ids), cmp_strp);
	/* distinct ids only (conflicting copies share one) */
	for (i = 0; i < m; i++)
		if (d == 0 || strcmp(ids[d - 1], ids[i]) != 0)
			ids[d++] = ids[i];
	for (i = 0; i < q->nvis; i++) {
		struct queue_item *it = &q->items[i];

		if (!queue_item_opened(it))
			continue;
		lo = 0;
		hi = d;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (strcmp(ids[mid], it->id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		it->shortlen = idprefix_unique_len(ids, d, lo, IDPREFIX_MIN);
	}
	free(ids);
}

static int
name_matches(const struct spool_entry *e, const char *arg)
{
	const char *slash = strrchr(arg, '/');

	if (slash != NULL)
		arg = slash + 1;
	return strcmp(e->name, arg) == 0 || strcmp(e->base, arg) == 0;
}

enum idprefix_result
queue_resolve(const struct queue *q, const char *arg, size_t *idx,
              size_t *cand, size_t maxcand, size_t *ncand)
{
	const char **ids;
	size_t *map, i, m = 0, found = 0;
	enum idprefix_result res;

	*ncand = 0;
	for (i = 0; i < q->n; i++) {
		const struct queue_item *it = &q->items[i];
		size_t j;

		if (!name_matches(&it->e, arg))
			continue;
		if (it->hidden) {       /* a copy: answer with the record shown */
			for (j = 0; j < q->nvis; j++)
				if (strcmp(q->items[j].id, it->id) == 0 &&
				    memcmp(q->items[j].digest, it->digest, QUEUE_DIGEST_LEN) == 0)
					break;
			if (j == q->nvis)
				continue;
			i = j;
		}
		*idx = i;
		*ncand = 1;
		return IDPREFIX_FOUND;
	}
	if (!idprefix_valid(arg))
		return strstr(arg, SPOOL_SUFFIX) != NULL ? IDPREFIX_UNKNOWN : IDPREFIX_INVALID;
	if (q->nopened == 0)
		return IDPREFIX_UNKNOWN;
	ids = malloc(q->nopened * sizeof(*ids));
	map = malloc(q->nopened * sizeof(*map));
	if (ids == NULL || map == NULL) {
		free(ids);
		free(map);
		return IDPREFIX_UNKNOWN;
	}
	for (i = 0; i < q->nvis; i++) {
		if (queue_item_opened(&q->items[i])) {
			map[m] = i;
			ids[m++] = q->items[i].id;
		}
	}
	res = idprefix_find(ids, m, arg, &found, cand, maxcand, ncand);
	if (res == IDPREFIX_FOUND)
		*idx = map[found];
	if (res == IDPREFIX_AMBIGUOUS && cand != NULL)
		for (i = 0; i < maxcand && i < *ncand; i++)
			cand[i] = map[cand[i]];
	free(ids);
	free(map);
	return res;
}

enum sh_status
queue_set_state(struct queue *q, size_t idx, enum spool_state s)
{
	struct queue_item *it = &q->items[idx];
	enum sh_status st = SH_OK, st2;
	size_t i;

	for (i = 0; i < q->n; i++) {
		struct queue_item *o = &q->items[i];

		if (i != idx && !(o->hidden && queue_item_opened(o) &&
		                  strcmp(o->id, it->id) == 0 &&
		                  memcmp(o->digest, it->digest, QUEUE_DIGEST_LEN) == 0))
			continue;
		if (o->e.in_cur && o->e.state == s)
			continue;
		if ((st2 = spool_set_state_at(&q->sp, &o->e, s)) != SH_OK && st == SH_OK)
			st = st2;
	}
	return st;
}

enum sh_status
queue_reopen(const struct queue *q, size_t idx, const struct age_unlock *u,
             unsigned char *ct, unsigned char *pt, struct record *r,
             const char **why, int *err)
{
	const struct queue_item *it = &q->items[idx];
	unsigned char digest[QUEUE_DIGEST_LEN];
	size_t ctlen;
	enum sh_status st;

	*why = NULL;
	if ((st = queue_read_envelope(q, &it->e, ct, &ctlen, err)) != SH_OK)
		return st;
	st = envelope_open(ct, ctlen, u, pt, r, digest, why);
	if (st != SH_OK && st != SH_ERR_SIGNATURE)
		return st;
	/* The trust the listing showed belongs to the bytes it read: these
	 * must be the same bytes (the digest covers the Kiosk line and the
	 * signature), or nothing is shown under that trust. */
	if (st != it->st || !queue_item_opened(it) ||
	    sodium_memcmp(digest, it->digest, sizeof(digest)) != 0) {
		record_clear(r);
		sodium_memzero(pt, SH_RECORD_SIZE);
		*why = NULL;
		return SH_ERR_CHANGED;
	}
	return st;
}

enum sh_status
queue_open_item(const struct queue *q, size_t idx, const struct age_unlock *u,
                struct record *r)
{
	unsigned char *ct, *pt;
	const char *why;
	int err;
	enum sh_status st;

	ct = malloc(QUEUE_FILE_MAX);
	pt = sodium_malloc(SH_RECORD_SIZE);
	if (ct == NULL || pt == NULL) {
		free(ct);
		if (pt != NULL)
			sodium_free(pt);
		return SH_ERR_NOMEM;
	}
	st = queue_reopen(q, idx, u, ct, pt, r, &why, &err);
	if (st == SH_ERR_IO)
		errno = err;
	sodium_memzero(pt, SH_RECORD_SIZE);
	sodium_free(pt);
	free(ct);
	return st;
}
