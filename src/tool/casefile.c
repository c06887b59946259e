/*
 * Case items in the spool (casefile.h).
 *
 * Decisions:
 * - case/ is its own Maildir (tmp/, new/) so spool_deliver's durable
 *   delivery (O_EXCL in tmp/, fsync, coarse mtime, rename, fsync new/) and
 *   random names serve it unchanged, and the request scan never sees it.
 * - Items are immutable: a changed outcome is a new item, the latest wins
 *   and the earlier ones stay as its history.
 * - case/ is opened as the spool is (spool_open: no links, owner and mode
 *   checked, *at() calls) and files read with the one bounded no-follow
 *   reader; anyone may write into a shared spool.
 * - The index keeps no text: 10,000 notes would not fit in locked memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/fileio.h"
#include "safeharbor/util.h"
#include "casefile.h"
#include "workpool.h"
#include "queue.h"

enum sh_status
casefile_init(struct casefile *cf, const char *spool, const struct age_unlock *u)
{
	size_t i;

	memset(cf, 0, sizeof(*cf));
	if (util_snprintf(cf->dir, sizeof(cf->dir), "%s/%s", spool, CASEFILE_DIR) != 0)
		return SH_ERR_TOO_LARGE;
	if (u->nids == 0)
		return SH_OK;
	if ((cf->keys = sodium_allocarray(u->nids, CASEREC_KEY_LEN)) == NULL)
		return SH_ERR_NOMEM;
	for (i = 0; i < u->nids; i++)
		caserec_key(&u->ids[i], cf->keys[i]);
	cf->nkeys = u->nids;
	return SH_OK;
}

void
casefile_free(struct casefile *cf)
{
	if (cf->keys != NULL) {
		sodium_memzero(cf->keys, cf->nkeys * CASEREC_KEY_LEN);
		sodium_free(cf->keys);
	}
	if (cf->v != NULL) {
		sodium_memzero(cf->v, cf->n * sizeof(*cf->v));
		sodium_free(cf->v);
	}
	memset(cf, 0, sizeof(*cf));
}

static enum sh_status
read_item(int dfd, const char *name, unsigned char *ct, size_t *len, int *err)
{
	int rc = fileio_read_file(dfd, name, ct, QUEUE_FILE_MAX, len);

	*err = rc == -1 ? errno : 0;
	return rc == 0 ? SH_OK : rc == FILEIO_NOT_REGULAR ? SH_ERR_FORMAT :
	       rc == FILEIO_TOO_LARGE ? SH_ERR_TOO_LARGE : SH_ERR_IO;
}

/* Read, decrypt and parse one item into c. */
static enum sh_status
open_item(const struct casefile *cf, int dfd, struct case_entry *e, const struct age_unlock *u,
          unsigned char *ct, unsigned char *pt, struct caserec *c)
{
	size_t ctlen = 0, ptlen = 0;
	enum sh_status st;

	e->why = NULL;
	if ((st = read_item(dfd, e->name, ct, &ctlen, &e->err)) != SH_OK)
		return st;
	st = age_decrypt_into(u, ct, ctlen, pt, SH_RECORD_SIZE, &ptlen);
	if (st == SH_OK)
		st = caserec_parse(pt, ptlen, (const unsigned char (*)[CASEREC_KEY_LEN])cf->keys,
		                   cf->nkeys, c, NULL, &e->why);
	sodium_memzero(pt, SH_RECORD_SIZE);
	return st;
}

static int
opened(const struct case_entry *e)
{
	return e->st == SH_OK || e->st == SH_ERR_SIGNATURE;
}

static int
cmp_entry(const void *va, const void *vb)
{
	const struct case_entry *a = va, *b = vb;
	int r;

	if (opened(a) != opened(b))
		return opened(a) ? -1 : 1;
	if (!opened(a))
		return strcmp(a->name, b->name);
	if ((r = strcmp(a->request, b->request)) != 0)
		return r;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* case/ opened the way the spool is (no links, *at() calls on its
 * folders); *missing when there is none yet. */
static enum sh_status
open_dir(const struct casefile *cf, struct spool *sp, int *missing)
{
	const char *why = NULL;
	enum sh_status st = spool_open(sp, cf->dir, 0, &why);

	/* the one field a reader may set: why case/ was refused */
	((struct casefile *)cf)->why = why;
	*missing = st == SH_ERR_NOT_FOUND;
	if (st == SH_ERR_PERM)
		errno = EPERM;
	return st;
}

/* One reader's buffers: ciphertext, locked plaintext, a parsed item. */
struct reader {
	const struct casefile *cf;
	const struct age_unlock *u;
	const struct spool *sp;
	unsigned char *ct, *pt;
	struct caserec *c;
};

static void
reader_free(void *state)
{
	struct reader *r = state;

	free(r->ct);
	if (r->pt != NULL)
		sodium_free(r->pt);
	caserec_free(r->c);
	free(r);
}

/* shared: a reader to copy cf, u and sp from */
static void *
reader_new(void *shared)
{
	struct reader *r = malloc(sizeof(*r));

	if (r == NULL)
		return NULL;
	*r = *(const struct reader *)shared;
	r->ct = malloc(QUEUE_FILE_MAX);
	r->pt = sodium_malloc(SH_RECORD_SIZE);
	r->c = caserec_new();
	if (r->ct == NULL || r->pt == NULL || r->c == NULL) {
		reader_free(r);
		return NULL;
	}
	return r;
}

/* Items are never renamed: anything in cur/ is not ours, and is read (and
 * refused) where it is. Each entry is written by the worker that claimed it. */
static void
load_one(void *state, size_t i)
{
	struct reader *r = state;
	struct case_entry *e = &r->cf->v[i];

	e->st = open_item(r->cf, e->in_cur ? r->sp->cur : r->sp->new, e, r->u, r->ct, r->pt, r->c);
	if (opened(e) && e->in_cur) {
		e->st = SH_ERR_FORMAT;
		e->why = "a case item outside case/new";
	}
	if (!opened(e))
		return;
	memcpy(e->id, r->c->id, sizeof(e->id));
	memcpy(e->request, r->c->request, sizeof(e->request));
	e->created = r->c->created;
	e->kind = r->c->kind;
	e->value = r->c->value;
	sodium_memzero(r->c, sizeof(*r->c));
}

enum sh_status
casefile_load(struct casefile *cf, const struct age_unlock *u)
{
	struct spool_entry *list = NULL;
	struct workpool_job job;
	struct reader shared;
	struct spool sp;
	enum sh_status st;
	size_t i, n = 0;
	int missing;

	if ((st = open_dir(cf, &sp, &missing)) != SH_OK)
		return missing ? SH_OK : st;
	if ((st = spool_scan_at(&sp, &list, &n)) != SH_OK)
		goto out;
	if (n == 0)
		goto out;
	if ((cf->v = sodium_allocarray(n, sizeof(*cf->v))) == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	memset(cf->v, 0, n * sizeof(*cf->v));
	for (i = 0; i < n; i++) {
		memcpy(cf->v[i].name, list[i].name, sizeof(cf->v[i].name));
		cf->v[i].in_cur = list[i].in_cur;
	}
	cf->n = n;
	memset(&shared, 0, sizeof(shared));
	shared.cf = cf;
	shared.u = u;
	shared.sp = &sp;
	memset(&job, 0, sizeof(job));
	job.n = n;
	job.workers = workpool_size(n, 0);
	job.shared = &shared;
	job.init = reader_new;
	job.fini = reader_free;
	job.run = load_one;
	if (workpool_run(&job) != 0) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		cf->nopened += opened(&cf->v[i]) ? 1 : 0;
	if (n > 1)
		qsort(cf->v, n, sizeof(*cf->v), cmp_entry);
out:
	spool_close(&sp);
	free(list);
	return st;
}

/* case/ is made (0700, with tmp/ new/ cur/) only where nothing is: a
 * link planted under that name is never followed (spool_deliver opens
 * what is there without following links). */
static enum sh_status
ensure_dir(const char *dir)
{
	struct stat sb;

	if (lstat(dir, &sb) == 0)
		return SH_OK;
	if (errno != ENOENT)
		return SH_ERR_IO;
	return spool_init(dir);
}

enum sh_status
casefile_add(struct casefile *cf, const struct age_recipient *r, size_t nr, size_t key,
             struct caserec *c)
{
	unsigned char *pt, *ct = NULL;
	size_t ctlen = 0;
	enum sh_status st;

	if (key >= cf->nkeys || nr == 0)
		return SH_ERR_USAGE;
	if (c->created == 0)
		c->created = time(NULL);
	if ((pt = sodium_malloc(SH_RECORD_SIZE)) == NULL)
		return SH_ERR_NOMEM;
	st = caserec_serialize(c, cf->keys[key], pt);
	if (st == SH_OK)
		st = age_encrypt_mem(r, nr, pt, SH_RECORD_SIZE, &ct, &ctlen);
	sodium_memzero(pt, SH_RECORD_SIZE);
	sodium_free(pt);
	if (st == SH_OK && (st = ensure_dir(cf->dir)) == SH_OK)
		st = spool_deliver(cf->dir, ct, ctlen, NULL);
	free(ct);
	return st;
}

size_t
casefile_find(const struct casefile *cf, const char *request, size_t *first)
{
	size_t lo = 0, hi = cf->nopened, mid, n = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(cf->v[mid].request, request) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < cf->nopened && strcmp(cf->v[lo + n].request, request) == 0)
		n++;
	return n;
}

void
casefile_summary(const struct casefile *cf, const char *request, struct case_summary *s)
{
	size_t first, n, i;

	memset(s, 0, sizeof(*s));
	s->outcome = -1;
	n = casefile_find(cf, request, &first);
	for (i = first; i < first + n; i++) {
		const struct case_entry *e = &cf->v[i];

		if (e->st != SH_OK) {
			s->foreign++;
			continue;
		}
		switch (e->kind) {
		case CASE_NOTE: s->notes++; break;
		case CASE_OUTCOME: s->outcome = e->value; s->outcome_at = e->created; break;
		case CASE_REFERRED: s->referred |= 1u << e->value; break;
		case CASE_STATE:
		case CASE_NKINDS:
			break;
		}
		/* reopening a request is no handling of it */
		if (!(e->kind == CASE_STATE && e->value == CSTATE_OPEN) && s->first == 0)
			s->first = e->created;
	}
}

enum sh_status
casefile_open(const struct casefile *cf, size_t idx, const struct age_unlock *u,
              struct caserec *c)
{
	struct case_entry e = cf->v[idx];
	struct reader shared, *r;
	struct spool sp;
	enum sh_status st;
	int missing;

	if ((st = open_dir(cf, &sp, &missing)) != SH_OK)
		return st;
	memset(&shared, 0, sizeof(shared));
	shared.cf = cf;
	if ((r = reader_new(&shared)) == NULL)
		st = SH_ERR_NOMEM;
	else
		st = open_item(cf, e.in_cur ? sp.cur : sp.new, &e, u, r->ct, r->pt, c);
	/* the same file must still say the same thing */
	if ((st == SH_OK || st == SH_ERR_SIGNATURE) && strcmp(c->id, cf->v[idx].id) != 0)
		st = SH_ERR_CHANGED;
	if (r != NULL)
		reader_free(r);
	spool_close(&sp);
	return st;
}

enum sh_status
casefile_reseal(const struct casefile *cf, size_t idx, const struct age_unlock *u,
                const struct age_recipient *r, size_t nr, size_t key)
{
	char path[SPOOL_PATH_MAX + SPOOL_NAME_MAX + 8];
	const struct case_entry *e = &cf->v[idx];
	struct fileio_out o;
	struct timespec ts[2];
	struct caserec *c;
	struct stat sb;
	unsigned char *pt = NULL, *ct = NULL;
	size_t ctlen = 0;
	enum sh_status st;

	if (e->st != SH_OK || e->in_cur || key >= cf->nkeys)
		return SH_ERR_USAGE;
	if (util_snprintf(path, sizeof(path), "%s/new/%s", cf->dir, e->name) != 0)
		return SH_ERR_TOO_LARGE;
	if (lstat(path, &sb) != 0)
		return SH_ERR_IO;
	if ((c = caserec_new()) == NULL || (pt = sodium_malloc(SH_RECORD_SIZE)) == NULL) {
		caserec_free(c);
		return SH_ERR_NOMEM;
	}
	/* the same id and time, MAC'd with her current key */
	st = casefile_open(cf, idx, u, c);
	if (st == SH_OK)
		st = caserec_serialize(c, cf->keys[key], pt);
	if (st == SH_OK)
		st = age_encrypt_mem(r, nr, pt, SH_RECORD_SIZE, &ct, &ctlen);
	sodium_memzero(pt, SH_RECORD_SIZE);
	sodium_free(pt);
	caserec_free(c);
	if (st != SH_OK)
		return st;
	/* replaced whole under its own name, its coarse time kept */
	ts[0] = sb.st_atim;
	ts[1] = sb.st_mtim;
	st = SH_ERR_IO;
	if (fileio_out_open(&o, path, 0600, FILEIO_REPLACE) == 0) {
		if (fileio_write_all(o.fd, ct, ctlen) == 0 && futimens(o.fd, ts) == 0 &&
		    fileio_out_commit(&o, FILEIO_REPLACE) == 0)
			st = SH_OK;
		else
			fileio_out_abort(&o);
	}
	free(ct);
	return st;
}

enum sh_status
casefile_remove_request(struct casefile *cf, const char *request, size_t *removed)
{
	size_t first, n, i;
	struct spool sp;
	enum sh_status st;
	int missing, dfd;

	*removed = 0;
	if ((n = casefile_find(cf, request, &first)) == 0)
		return SH_OK;
	if ((st = open_dir(cf, &sp, &missing)) != SH_OK)
		return st;
	for (i = first; i < first + n; i++) {
		dfd = cf->v[i].in_cur ? sp.cur : sp.new;
		if (unlinkat(dfd, cf->v[i].name, 0) != 0 && errno != ENOENT) {
			st = SH_ERR_IO;
			continue;
		}
		(*removed)++;
	}
	if (fileio_fsync(sp.new) != 0 && st == SH_OK)
		st = SH_ERR_IO;
	spool_close(&sp);
	return st;
}

const char *
casefile_reason(const struct case_entry *e, char *buf, size_t size)
{
	if (e->st == SH_ERR_IO) {
		util_snprintf(buf, size, "cannot read: %s", strerror(e->err));
		return buf;
	}
	if (e->why != NULL && e->why[0] != '\0')
		return e->why;
	return sh_status_str(e->st);
}
