/*
 * Case items in the spool (casefile.h).
 *
 * Decisions:
 * - case/ is its own Maildir (tmp/, new/) so spool_deliver's durable
 *   delivery (O_EXCL in tmp/, fsync, coarse mtime, rename, fsync new/) and
 *   random names serve it unchanged, and the request scan never sees it.
 * - Items are immutable: a changed outcome is a new item, the latest wins
 *   and the earlier ones stay as its history.
 * - case/ and new/ are opened without following links and files read with
 *   openat(O_NOFOLLOW), bounded; anyone may write into a shared spool.
 * - The index keeps no text: 10,000 notes would not fit in locked memory.
 */
#include <dirent.h>
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

/* dir/sub opened as a directory, never through a link. */
static int
open_sub(int dfd, const char *sub)
{
	return openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static enum sh_status
read_item(int dfd, const char *name, unsigned char *ct, size_t *len, int *err)
{
	struct stat sb;
	int fd;

	*err = 0;
	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0) {
		*err = errno;
		return SH_ERR_IO;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)QUEUE_FILE_MAX) {
		*err = errno;
		close(fd);
		return *err != 0 ? SH_ERR_IO : !S_ISREG(sb.st_mode) ? SH_ERR_FORMAT : SH_ERR_TOO_LARGE;
	}
	if (fileio_read_upto(fd, ct, QUEUE_FILE_MAX, len) != 0) {
		*err = errno;
		close(fd);
		return SH_ERR_IO;
	}
	close(fd);
	return SH_OK;
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

static enum sh_status
list_names(int dfd, struct casefile *cf)
{
	char base[SPOOL_NAME_MAX], flags[8];
	struct case_entry *nv;
	struct dirent *de;
	size_t cap = 0;
	DIR *d;
	int fd2;

	if ((fd2 = dup(dfd)) < 0 || (d = fdopendir(fd2)) == NULL) {
		if (fd2 >= 0)
			close(fd2);
		return SH_ERR_IO;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || spool_parse_name(de->d_name, base, flags, sizeof(flags)) != 0)
			continue;
		if (cf->n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = sodium_allocarray(cap, sizeof(*nv))) == NULL) {
				closedir(d);
				return SH_ERR_NOMEM;
			}
			if (cf->v != NULL) {
				memcpy(nv, cf->v, cf->n * sizeof(*nv));
				sodium_free(cf->v);
			}
			cf->v = nv;
		}
		memset(&cf->v[cf->n], 0, sizeof(cf->v[cf->n]));
		util_snprintf(cf->v[cf->n].name, sizeof(cf->v[cf->n].name), "%s", de->d_name);
		cf->n++;
	}
	if (errno != 0) {
		int e = errno;
		closedir(d);
		errno = e;
		return SH_ERR_IO;
	}
	closedir(d);
	return SH_OK;
}

enum sh_status
casefile_load(struct casefile *cf, const struct age_unlock *u)
{
	unsigned char *ct = NULL, *pt = NULL;
	struct caserec *c = NULL;
	enum sh_status st;
	int dfd, nfd;
	size_t i;

	if ((dfd = open(cf->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? SH_OK : SH_ERR_IO;
	nfd = open_sub(dfd, "new");
	close(dfd);
	if (nfd < 0)
		return errno == ENOENT ? SH_OK : SH_ERR_IO;
	if ((st = list_names(nfd, cf)) != SH_OK)
		goto out;
	ct = malloc(QUEUE_FILE_MAX);
	pt = sodium_malloc(SH_RECORD_SIZE);
	c = caserec_new();
	if (ct == NULL || pt == NULL || c == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < cf->n; i++) {
		struct case_entry *e = &cf->v[i];

		e->st = open_item(cf, nfd, e, u, ct, pt, c);
		if (!opened(e))
			continue;
		memcpy(e->id, c->id, sizeof(e->id));
		memcpy(e->request, c->request, sizeof(e->request));
		e->created = c->created;
		e->kind = c->kind;
		e->value = c->value;
		cf->nopened++;
	}
	if (cf->n > 1)
		qsort(cf->v, cf->n, sizeof(*cf->v), cmp_entry);
	st = SH_OK;
out:
	close(nfd);
	caserec_free(c);
	if (pt != NULL)
		sodium_free(pt);
	free(ct);
	return st;
}

/* The folder and its tmp/ and new/ must be real directories, not links. */
static enum sh_status
ensure_dirs(const char *dir)
{
	static const char *const subs[] = { "", "/tmp", "/new" };
	char path[SPOOL_PATH_MAX];
	struct stat sb;
	enum sh_status st;
	size_t i;

	if (lstat(dir, &sb) != 0) {
		if (errno != ENOENT)
			return SH_ERR_IO;
	} else if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return SH_ERR_IO;
	}
	if ((st = spool_init(dir)) != SH_OK)
		return st;
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (util_snprintf(path, sizeof(path), "%s%s", dir, subs[i]) != 0)
			return SH_ERR_TOO_LARGE;
		if (lstat(path, &sb) != 0)
			return SH_ERR_IO;
		if (!S_ISDIR(sb.st_mode)) {
			errno = ENOTDIR;
			return SH_ERR_IO;
		}
	}
	return SH_OK;
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
	if (st == SH_OK && (st = ensure_dirs(cf->dir)) == SH_OK)
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
	unsigned char *ct, *pt;
	enum sh_status st;
	int dfd, nfd;

	if ((dfd = open(cf->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return SH_ERR_IO;
	nfd = open_sub(dfd, "new");
	close(dfd);
	if (nfd < 0)
		return SH_ERR_IO;
	ct = malloc(QUEUE_FILE_MAX);
	pt = sodium_malloc(SH_RECORD_SIZE);
	if (ct == NULL || pt == NULL)
		st = SH_ERR_NOMEM;
	else
		st = open_item(cf, nfd, &e, u, ct, pt, c);
	/* the same file must still say the same thing */
	if ((st == SH_OK || st == SH_ERR_SIGNATURE) && strcmp(c->id, cf->v[idx].id) != 0)
		st = SH_ERR_FORMAT;
	close(nfd);
	if (pt != NULL)
		sodium_free(pt);
	free(ct);
	return st;
}

enum sh_status
casefile_remove_request(struct casefile *cf, const char *request, size_t *removed)
{
	size_t first, n, i;
	int dfd, nfd;
	enum sh_status st = SH_OK;

	*removed = 0;
	if ((n = casefile_find(cf, request, &first)) == 0)
		return SH_OK;
	if ((dfd = open(cf->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return SH_ERR_IO;
	nfd = open_sub(dfd, "new");
	close(dfd);
	if (nfd < 0)
		return SH_ERR_IO;
	for (i = first; i < first + n; i++) {
		if (unlinkat(nfd, cf->v[i].name, 0) != 0 && errno != ENOENT) {
			st = SH_ERR_IO;
			continue;
		}
		(*removed)++;
	}
	if (fsync(nfd) != 0 && st == SH_OK)
		st = SH_ERR_IO;
	close(nfd);
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
