/*
 * The audit log's files (see audit_log.h). An append: lock the folder,
 * find the last entry and open it for its hash, seal the new entry, write
 * it to a temporary name, fsync, link it to the next number (never
 * replacing: a clash means someone else appended first, so start again),
 * fsync the folder.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "audit_log.h"
#include "casework.h"
#include "safeharbor/fileio.h"
#include "safeharbor/util.h"

#define ENTRY_FILE_MAX 4096       /* a sealed entry is about 750 bytes */
#define NAME_DIGITS 10
#define APPEND_TRIES 8

/* NNNNNNNNNN.age -> seq; -1 for any other name. */
static int
entry_name_seq(const char *name, uint64_t *seq)
{
	size_t i;

	if (strlen(name) != NAME_DIGITS + 4 || strcmp(name + NAME_DIGITS, ".age") != 0)
		return -1;
	*seq = 0;
	for (i = 0; i < NAME_DIGITS; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		*seq = *seq * 10 + (uint64_t)(name[i] - '0');
	}
	return 0;
}

static int
open_dir(struct tool_ctx *c, int create)
{
	char path[TOOL_PATH_MAX];
	int fd;

	if (util_snprintf(path, sizeof(path), "%s/" AUDIT_DIR, tool_need_spool(c)) != 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (create && mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

/* Sequence numbers of every entry file, sorted. */
static int
list_entries(int dirfd, uint64_t **seqs, size_t *n)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0;
	int fd = dup(dirfd);
	uint64_t s, *nv;

	*seqs = NULL;
	*n = 0;
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (entry_name_seq(de->d_name, &s) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(*seqs, cap * sizeof(*nv))) == NULL) {
				closedir(d);
				errno = ENOMEM;
				return -1;
			}
			*seqs = nv;
		}
		(*seqs)[(*n)++] = s;
	}
	closedir(d);
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Open entry seq into it (pt: AUDIT_ENTRY_SIZE bytes of locked memory). */
static void
read_entry(struct tool_ctx *c, int dirfd, uint64_t seq, unsigned char *pt, struct audit_item *it)
{
	char name[32];
	unsigned char ct[ENTRY_FILE_MAX];
	size_t ctlen = 0, ptlen = 0;
	const char *why = NULL;
	enum sh_status st;
	int rc;

	memset(it, 0, sizeof(*it));
	it->fileseq = seq;
	snprintf(name, sizeof(name), "%0*" PRIu64 ".age", NAME_DIGITS, seq);
	if ((rc = fileio_read_file(dirfd, name, ct, sizeof(ct), &ctlen)) != 0) {
		util_snprintf(it->why, sizeof(it->why), "cannot read: %s",
		              rc == FILEIO_NOT_REGULAR ? "not a regular file" :
		              rc == FILEIO_TOO_LARGE ? "too large for an audit entry" : strerror(errno));
		return;
	}
	/* what links the next entry when its writer cannot open this one */
	crypto_generichash(it->cthash, sizeof(it->cthash), ct, ctlen, NULL, 0);
	it->read = 1;
	st = age_decrypt_into(&c->unlock, ct, ctlen, pt, AUDIT_ENTRY_SIZE, &ptlen);
	if (st == SH_ERR_NO_MATCH) {
		util_snprintf(it->why, sizeof(it->why), "is sealed to keys you do not hold (written "
		              "without the shared recipients, or not by one of you)");
		return;
	}
	if (st != SH_OK) {
		util_snprintf(it->why, sizeof(it->why), "cannot be opened: %s (altered or damaged)",
		              sh_status_str(st));
		return;
	}
	if (audit_parse(pt, ptlen, &it->e, &why) != 0) {
		util_snprintf(it->why, sizeof(it->why), "not a valid entry: %s", why);
		sodium_memzero(pt, AUDIT_ENTRY_SIZE);
		return;
	}
	audit_hash(pt, it->hash);
	sodium_memzero(pt, AUDIT_ENTRY_SIZE);
	it->ok = 1;
}

static void
login_name(char out[AUDIT_USER_MAX + 1])
{
	struct passwd *pw = getpwuid(getuid());
	const char *s = pw != NULL ? pw->pw_name : "";
	size_t i;

	for (i = 0; s[i] != '\0' && i < AUDIT_USER_MAX; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[i]) == NULL) {
			i = 0;
			break;
		}
		out[i] = s[i];
	}
	out[i] = '\0';
}

/* Durably, never replacing (EEXIST: someone else took the number). */
static int
write_entry(struct tool_ctx *c, uint64_t seq, const unsigned char *ct, size_t ctlen)
{
	char path[TOOL_PATH_MAX];

	if (util_snprintf(path, sizeof(path), "%s/" AUDIT_DIR "/%0*" PRIu64 ".age", c->spool,
	                  NAME_DIGITS, seq) != 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return fileio_write_file(path, ct, ctlen, 0600, 0);
}

static int
append(struct tool_ctx *c, const char *action, const char *id, const char *detail,
       char *why, size_t whysize, int quiet)
{
	struct age_recipient *r = NULL;
	struct audit_entry *e = NULL;
	struct audit_item *last = NULL;
	unsigned char *pt = NULL, *ct = NULL;
	uint64_t *seqs = NULL, seq;
	size_t nr, nseqs, ctlen, key;
	int dirfd = -1, rc = -1, tries;
	char age1[AGE_RECIPIENT_STRLEN + 1];
	struct age_recipient me;

	why[0] = '\0';
	if (c->unlock.nids == 0) {
		util_snprintf(why, whysize, "no identity loaded");
		return -1;
	}
	if ((r = calloc(KEYS_MAX_RECIPIENTS, sizeof(*r))) == NULL ||
	    (e = sodium_malloc(sizeof(*e))) == NULL || (last = sodium_malloc(sizeof(*last))) == NULL ||
	    (pt = sodium_malloc(AUDIT_ENTRY_SIZE)) == NULL) {
		util_snprintf(why, whysize, "out of memory");
		goto out;
	}
	key = tool_seal_recipients(c, r, &nr);
	if ((dirfd = open_dir(c, 1)) < 0 || flock(dirfd, LOCK_EX) != 0) {
		util_snprintf(why, whysize, "%s/" AUDIT_DIR ": %s", c->spool, strerror(errno));
		goto out;
	}
	for (tries = 0; tries < APPEND_TRIES; tries++) {
		free(seqs);
		if (list_entries(dirfd, &seqs, &nseqs) != 0) {
			util_snprintf(why, whysize, "%s/" AUDIT_DIR ": %s", c->spool, strerror(errno));
			goto out;
		}
		memset(e, 0, sizeof(*e));
		seq = 0;
		if (nseqs > 0) {
			qsort(seqs, nseqs, sizeof(*seqs), cmp_u64);
			read_entry(c, dirfd, seqs[nseqs - 1], pt, last);
			seq = seqs[nseqs - 1] + 1;
			if (last->ok)
				memcpy(e->prev, last->hash, sizeof(e->prev));
			else if (last->read)
				memcpy(e->prev, last->cthash, sizeof(e->prev));
			if (!last->ok && !quiet)
				warnx_("audit log: entry %" PRIu64 " %s; the next entry links to %s "
				       "(safeharbor verify reports it)", last->fileseq, last->why,
				       last->read ? "its file's bytes" : "nothing");
		}
		e->seq = seq;
		e->time = time(NULL);
		age_identity_recipient(&c->unlock.ids[key], &me);
		age_recipient_format(&me, age1);
		memcpy(e->by, age1, sizeof(age1));
		login_name(e->user);
		util_snprintf(e->action, sizeof(e->action), "%s", action);
		util_snprintf(e->id, sizeof(e->id), "%s", id != NULL ? id : "");
		util_snprintf(e->detail, sizeof(e->detail), "%s", detail != NULL ? detail : "");
		randombytes_buf(e->nonce, sizeof(e->nonce));
		if (audit_format(e, pt) != 0) {
			util_snprintf(why, whysize, "cannot record '%s': bad entry", action);
			goto out;
		}
		free(ct);
		ct = NULL;
		if (age_encrypt_mem(r, nr, pt, AUDIT_ENTRY_SIZE, &ct, &ctlen) != SH_OK) {
			util_snprintf(why, whysize, "cannot seal the entry");
			goto out;
		}
		if (write_entry(c, seq, ct, ctlen) == 0) {
			rc = 0;
			goto out;
		}
		if (errno != EEXIST) {
			util_snprintf(why, whysize, "%s/" AUDIT_DIR ": cannot write: %s", c->spool,
			              strerror(errno));
			goto out;
		}
	}
	util_snprintf(why, whysize, "%s/" AUDIT_DIR ": others kept appending; gave up", c->spool);
out:
	if (dirfd >= 0)
		close(dirfd);
	free(seqs);
	free(ct);
	free(r);
	if (pt != NULL)
		sodium_free(pt);
	if (e != NULL)
		sodium_free(e);
	if (last != NULL)
		sodium_free(last);
	return rc;
}

int
audit_append_quiet(struct tool_ctx *c, const char *action, const char *id,
                   const char *detail, char *why, size_t whysize)
{
	return append(c, action, id, detail, why, whysize, 1);
}

int
audit_append(struct tool_ctx *c, const char *action, const char *id, const char *detail)
{
	char why[512];

	if (append(c, action, id, detail, why, sizeof(why), 0) == 0)
		return 0;
	warnx_("audit log: %s not recorded: %s", action, why);
	return -1;
}

int
audit_load(struct tool_ctx *c, struct audit_log *log)
{
	uint64_t *seqs = NULL;
	unsigned char *pt;
	size_t n = 0, i;
	int dirfd;

	log->v = NULL;
	log->n = 0;
	if ((dirfd = open_dir(c, 0)) < 0) {
		if (errno == ENOENT)
			return 0;
		warnx_("%s/" AUDIT_DIR ": %s", c->spool, strerror(errno));
		return -1;
	}
	if (list_entries(dirfd, &seqs, &n) != 0) {
		warnx_("%s/" AUDIT_DIR ": %s", c->spool, strerror(errno));
		close(dirfd);
		return -1;
	}
	qsort(seqs, n, sizeof(*seqs), cmp_u64);
	if (n > 0 && ((log->v = sodium_allocarray(n, sizeof(*log->v))) == NULL ||
	              (pt = sodium_malloc(AUDIT_ENTRY_SIZE)) == NULL))
		die(TOOL_EXIT_FAIL, "out of memory");
	for (i = 0; i < n; i++)
		read_entry(c, dirfd, seqs[i], pt, &log->v[i]);
	if (n > 0)
		sodium_free(pt);
	log->n = n;
	free(seqs);
	close(dirfd);
	return 0;
}

void
audit_log_free(struct audit_log *log)
{
	if (log->v != NULL)
		sodium_free(log->v);
	log->v = NULL;
	log->n = 0;
}

size_t
audit_check(const struct audit_log *log, FILE *out, const char *prefix)
{
	static const unsigned char zero[AUDIT_HASH_LEN];
	const struct audit_item *it, *prev = NULL;
	uint64_t want = 0;
	size_t i, problems = 0;

	for (i = 0; i < log->n; i++, prev = it, want = it->fileseq + 1) {
		it = &log->v[i];
		if (it->fileseq > want) {
			if (it->fileseq == want + 1)
				fprintf(out, "%sentry %" PRIu64 " is missing (removed)\n", prefix, want);
			else
				fprintf(out, "%sentries %" PRIu64 " to %" PRIu64 " are missing (removed)\n",
				        prefix, want, it->fileseq - 1);
			problems++;
		}
		if (!it->ok) {
			fprintf(out, "%s" AUDIT_DIR "/%0*" PRIu64 ".age %s\n", prefix, NAME_DIGITS,
			        it->fileseq, it->why);
			problems++;
			continue;
		}
		if (it->e.seq != it->fileseq) {
			fprintf(out, "%s" AUDIT_DIR "/%0*" PRIu64 ".age holds entry %" PRIu64
			        ": entries were moved or swapped\n", prefix, NAME_DIGITS, it->fileseq,
			        it->e.seq);
			problems++;
			continue;
		}
		/* An entry whose writer could not open the one before (sealed to
		 * keys she does not hold: two social workers whose `recipients`
		 * differ) links to that file's bytes: still bound to it, so a
		 * removal or a swap shows, but anyone could have written such a
		 * link, so it is said. */
		if (it->fileseq > 0 && prev != NULL && prev->read && prev->fileseq + 1 == it->fileseq &&
		    sodium_memcmp(it->e.prev, prev->cthash, AUDIT_HASH_LEN) == 0) {
			fprintf(out, "%snote: entry %" PRIu64 " links to entry %" PRIu64 " by its file's "
			        "bytes: its writer could not open it (give everyone the same "
			        "recipients)\n", prefix, it->fileseq, prev->fileseq);
			continue;
		}
		if (it->fileseq == 0 ? sodium_memcmp(it->e.prev, zero, AUDIT_HASH_LEN) != 0 :
		    prev != NULL && prev->ok && prev->fileseq + 1 == it->fileseq &&
		    sodium_memcmp(it->e.prev, prev->hash, AUDIT_HASH_LEN) != 0) {
			fprintf(out, "%sentry %" PRIu64 " does not follow the entry before it: an entry "
			        "was replaced, removed or reordered\n", prefix, it->fileseq);
			problems++;
		}
	}
	return problems;
}
