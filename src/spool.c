/*
 * The queue: a Maildir spool, delivered to the way mblaze's mdeliver does.
 *
 * Decisions:
 * - Names are 128 random bits in lowercase hex plus ".age" (randombytes_buf),
 *   never pid, host or time: a name reveals nothing and never collides, so
 *   spools from many kiosks merge with any file transport.
 * - Delivery: O_EXCL|0600 in tmp/, write, fsync, mtime rounded down to the
 *   hour (UTC), close, rename into new/ (refusing to replace a file where
 *   the kernel lets us say so), fsync new/. A crash leaves a complete file
 *   in new/ or none; a failure removes what it created.
 * - State lives only in Maildir ":2," flags: "S" seen, "RS" handled (flags
 *   sorted, as Maildir requires), ":2," alone for "open again".
 * - Scans tolerate files that vanish under them (another reader moved it)
 *   and skip dot files and names that are not ours.
 * Non-goals: locking (renames are atomic), quota handling beyond reporting
 * ENOSPC/EDQUOT, Maildir++ folders.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/fileio.h"
#include "safeharbor/spool.h"

#define SPOOL_TIME_GRAIN 3600

static enum sh_status
errno_status(int e)
{
	if (e == ENOSPC || e == EDQUOT)
		return SH_ERR_NOSPACE;
	if (e == ENOENT)
		return SH_ERR_NOT_FOUND;
	return SH_ERR_IO;
}

/* dir + "/" + sub [+ "/" + name] into out. */
static enum sh_status
join(char *out, size_t outsize, const char *dir, const char *sub, const char *name)
{
	int n;

	if (name != NULL)
		n = snprintf(out, outsize, "%s/%s/%s", dir, sub, name);
	else
		n = snprintf(out, outsize, "%s/%s", dir, sub);
	if (n < 0 || (size_t)n >= outsize)
		return SH_ERR_TOO_LARGE;
	return SH_OK;
}

static int
fsync_dir(const char *path)
{
	int fd, rc, e;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int
fsync_parent(const char *path)
{
	char parent[SPOOL_PATH_MAX];
	const char *slash;
	size_t len;

	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	for (slash = NULL; len > 0; len--) {
		if (path[len - 1] == '/') {
			slash = path + len - 1;
			break;
		}
	}
	if (slash == NULL)
		return fsync_dir(".");
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= sizeof(parent)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(parent, path, len);
	parent[len] = '\0';
	return fsync_dir(parent);
}

/* 0: exists, 1: created (its parent then needs an fsync), -1: error. */
static int
make_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 1;
	if (errno != EEXIST)
		return -1;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

enum sh_status
spool_init(const char *dir)
{
	static const char *const subs[] = { "tmp", "new", "cur" };
	char path[SPOOL_PATH_MAX];
	size_t i;
	int made, created = 0;

	if (dir == NULL || *dir == '\0')
		return SH_ERR_USAGE;
	if ((made = make_dir(dir)) < 0)
		return errno_status(errno) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
	/* A folder is only durable once its parent is synced: without this a
	 * power cut after the first "sent" could lose new/ and the envelope. */
	if (made == 1 && fsync_parent(dir) != 0)
		return SH_ERR_IO;
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (join(path, sizeof(path), dir, subs[i], NULL) != SH_OK)
			return SH_ERR_TOO_LARGE;
		if ((made = make_dir(path)) < 0)
			return errno_status(errno) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
		created |= made;
	}
	if (created && fsync_dir(dir) != 0)
		return SH_ERR_IO;
	return SH_OK;
}

enum sh_status
spool_check_writable(const char *dir)
{
	static const char *const subs[] = { "tmp", "new" };
	char path[SPOOL_PATH_MAX];
	struct stat st;
	size_t i;

	if (dir == NULL || *dir == '\0')
		return SH_ERR_USAGE;
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (join(path, sizeof(path), dir, subs[i], NULL) != SH_OK)
			return SH_ERR_TOO_LARGE;
		if (stat(path, &st) != 0)
			return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return SH_ERR_IO;
		}
		if (access(path, W_OK | X_OK) != 0)
			return SH_ERR_IO;
	}
	return SH_OK;
}

static void
random_name(char out[SPOOL_NAME_MAX])
{
	unsigned char r[SPOOL_NAME_HEX / 2];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, SPOOL_NAME_HEX + 1, r, sizeof(r));
	memcpy(out + SPOOL_NAME_HEX, SPOOL_SUFFIX, sizeof(SPOOL_SUFFIX));
}

/* rename without replacing an existing target where the kernel and file
 * system can promise it; plain rename (as mdeliver) where they cannot. */
static int
rename_noreplace(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
#endif
	return rename(from, to);
}

enum sh_status
spool_deliver(const char *dir, const unsigned char *data, size_t len,
              char name_out[SPOOL_NAME_MAX])
{
	char name[SPOOL_NAME_MAX], tmppath[SPOOL_PATH_MAX], newpath[SPOOL_PATH_MAX];
	char newdir[SPOOL_PATH_MAX];
	struct timespec ts[2];
	time_t now;
	int fd, e;

	if (dir == NULL || (data == NULL && len > 0))
		return SH_ERR_USAGE;
	random_name(name);
	if (join(tmppath, sizeof(tmppath), dir, "tmp", name) != SH_OK ||
	    join(newpath, sizeof(newpath), dir, "new", name) != SH_OK ||
	    join(newdir, sizeof(newdir), dir, "new", NULL) != SH_OK)
		return SH_ERR_TOO_LARGE;

	fd = open(tmppath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return errno_status(errno) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
	now = time(NULL);
	now -= now % SPOOL_TIME_GRAIN;
	ts[0].tv_sec = ts[1].tv_sec = now;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	/* The coarse time is set after the last write (which sets mtime) and
	 * before the fsync, so one flush makes the data and the time durable
	 * together. */
	if (fileio_write_all(fd, data, len) != 0 || futimens(fd, ts) != 0 ||
	    fsync(fd) != 0)
		goto fail_open;
	if (close(fd) != 0) {
		fd = -1;
		goto fail_open;
	}
	fd = -1;
	if (rename_noreplace(tmppath, newpath) != 0)
		goto fail_open;
	if (fsync_dir(newdir) != 0) {
		/* Not durable: take it back so nothing claims success. */
		e = errno;
		unlink(newpath);
		errno = e;
		return errno_status(e) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
	}
	if (name_out != NULL)
		memcpy(name_out, name, sizeof(name));
	return SH_OK;

fail_open:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmppath);
	errno = e;
	return errno_status(e) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
}

int
spool_parse_name(const char *name, char base[SPOOL_NAME_MAX], char *flags, size_t flagsmax)
{
	const char *colon = strchr(name, ':');
	size_t blen = colon != NULL ? (size_t)(colon - name) : strlen(name);
	size_t slen = sizeof(SPOOL_SUFFIX) - 1, i, flen;

	if (strlen(name) >= SPOOL_NAME_MAX || blen <= slen ||
	    memcmp(name + blen - slen, SPOOL_SUFFIX, slen) != 0)
		return -1;
	for (i = 0; i < blen - slen; i++) {
		char c = name[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
			return -1;
	}
	memcpy(base, name, blen);
	base[blen] = '\0';
	flags[0] = '\0';
	if (colon == NULL)
		return 0;
	if (strncmp(colon, ":2,", 3) != 0)
		return -1;
	flen = strlen(colon + 3);
	if (flen >= flagsmax)
		return -1;
	for (i = 0; i < flen; i++) {
		char c = colon[3 + i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return -1;
	}
	memcpy(flags, colon + 3, flen + 1);
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct spool_entry *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

static enum sh_status
scan_sub(const char *dir, const char *sub, int in_cur,
         struct spool_entry **list, size_t *n, size_t *cap)
{
	char path[SPOOL_PATH_MAX], flags[SPOOL_NAME_MAX];
	struct spool_entry *e;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dfd;

	if (join(path, sizeof(path), dir, sub, NULL) != SH_OK)
		return SH_ERR_TOO_LARGE;
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	dfd = dirfd(d);
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				int saved = errno;
				closedir(d);
				errno = saved;
				return SH_ERR_IO;
			}
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			struct spool_entry *nl = realloc(*list, ncap * sizeof(**list));
			if (nl == NULL) {
				closedir(d);
				return SH_ERR_NOMEM;
			}
			*list = nl;
			*cap = ncap;
		}
		e = &(*list)[*n];
		memset(e, 0, sizeof(*e));
		if (spool_parse_name(de->d_name, e->base, flags, sizeof(flags)) != 0)
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;       /* vanished (moved by another reader) */
		if (!S_ISREG(st.st_mode))
			continue;
		memcpy(e->name, de->d_name, strlen(de->d_name) + 1);
		e->in_cur = in_cur;
		if (!in_cur)
			e->state = SPOOL_NEW;
		else if (strchr(flags, 'R') != NULL)
			e->state = SPOOL_HANDLED;
		else if (strchr(flags, 'S') != NULL)
			e->state = SPOOL_SEEN;
		else
			e->state = SPOOL_NEW;
		e->mtime = st.st_mtime;
		e->size = st.st_size;
		(*n)++;
	}
	closedir(d);
	return SH_OK;
}

enum sh_status
spool_scan(const char *dir, struct spool_entry **entries, size_t *n)
{
	struct spool_entry *list = NULL;
	size_t count = 0, cap = 0;
	enum sh_status st;
	struct stat sb;

	if (dir == NULL || entries == NULL || n == NULL)
		return SH_ERR_USAGE;
	*entries = NULL;
	*n = 0;
	if (stat(dir, &sb) != 0)
		return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	if (!S_ISDIR(sb.st_mode))
		return SH_ERR_NOT_FOUND;
	st = scan_sub(dir, "new", 0, &list, &count, &cap);
	if (st == SH_OK) {
		st = scan_sub(dir, "cur", 1, &list, &count, &cap);
		if (st == SH_ERR_NOT_FOUND)
			st = SH_OK;     /* a spool synced without cur/ yet */
	}
	if (st != SH_OK) {
		free(list);
		return st;
	}
	if (count > 1)
		qsort(list, count, sizeof(*list), cmp_entry);
	*entries = list;
	*n = count;
	return SH_OK;
}

enum sh_status
spool_entry_path(const char *dir, const struct spool_entry *e,
                 char *out, size_t outsize)
{
	if (dir == NULL || e == NULL || out == NULL)
		return SH_ERR_USAGE;
	return join(out, outsize, dir, e->in_cur ? "cur" : "new", e->name);
}

enum sh_status
spool_set_state(const char *dir, struct spool_entry *e, enum spool_state state)
{
	char from[SPOOL_PATH_MAX], to[SPOOL_PATH_MAX], curdir[SPOOL_PATH_MAX];
	char name[SPOOL_NAME_MAX], newdir[SPOOL_PATH_MAX];
	const char *flags;
	int n, made;

	if (dir == NULL || e == NULL)
		return SH_ERR_USAGE;
	switch (state) {
	case SPOOL_NEW: flags = ""; break;
	case SPOOL_SEEN: flags = "S"; break;
	case SPOOL_HANDLED: flags = "RS"; break;
	default: return SH_ERR_USAGE;
	}
	n = snprintf(name, sizeof(name), "%s:2,%s", e->base, flags);
	if (n < 0 || (size_t)n >= sizeof(name))
		return SH_ERR_TOO_LARGE;
	if (spool_entry_path(dir, e, from, sizeof(from)) != SH_OK ||
	    join(to, sizeof(to), dir, "cur", name) != SH_OK ||
	    join(curdir, sizeof(curdir), dir, "cur", NULL) != SH_OK ||
	    join(newdir, sizeof(newdir), dir, "new", NULL) != SH_OK)
		return SH_ERR_TOO_LARGE;
	if (strcmp(from, to) != 0) {
		if ((made = make_dir(curdir)) < 0 || (made == 1 && fsync_dir(dir) != 0))
			return SH_ERR_IO;
		if (rename(from, to) != 0)
			return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	}
	if (fsync_dir(curdir) != 0 || (!e->in_cur && fsync_dir(newdir) != 0))
		return SH_ERR_IO;
	memcpy(e->name, name, (size_t)n + 1);
	e->in_cur = 1;
	e->state = state;
	return SH_OK;
}

enum sh_status
spool_stale_tmp(const char *dir, time_t now, time_t max_age,
                char ***names, size_t *n)
{
	char path[SPOOL_PATH_MAX];
	char **list = NULL, **nl;
	size_t count = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (dir == NULL || names == NULL || n == NULL)
		return SH_ERR_USAGE;
	*names = NULL;
	*n = 0;
	if (join(path, sizeof(path), dir, "tmp", NULL) != SH_OK)
		return SH_ERR_TOO_LARGE;
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (st.st_mtime > now - max_age)
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nl = realloc(list, cap * sizeof(*list))) == NULL)
				goto nomem;
			list = nl;
		}
		if ((list[count] = strdup(de->d_name)) == NULL)
			goto nomem;
		count++;
	}
	closedir(d);
	*names = list;
	*n = count;
	return SH_OK;

nomem:
	closedir(d);
	for (i = 0; i < count; i++)
		free(list[i]);
	free(list);
	return SH_ERR_NOMEM;
}
