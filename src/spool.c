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
	rc = fileio_fsync(fd);
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
	struct spool sp;
	const char *why;
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
	/* delivery refuses links and unsafe owners: so does the check */
	if (spool_open(&sp, dir, SPOOL_NEED_TMP, &why) != SH_OK) {
		errno = EPERM;
		return SH_ERR_IO;
	}
	spool_close(&sp);
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

/* A name spool_deliver makes: 32 lowercase hex digits + ".age". */
static int
is_delivery_name(const char *name)
{
	size_t i;

	if (strlen(name) != SPOOL_NAME_HEX + sizeof(SPOOL_SUFFIX) - 1 ||
	    strcmp(name + SPOOL_NAME_HEX, SPOOL_SUFFIX) != 0)
		return 0;
	for (i = 0; i < SPOOL_NAME_HEX; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	return 1;
}

/* A folder of the spool: a real directory (the fd was opened O_NOFOLLOW),
 * owned by us or root, not writable by everyone unless sticky. */
static enum sh_status
check_dir(int fd, const char *what, const char **why)
{
	static char msg[4][96];
	static int slot;
	struct stat st;
	char *m;

	if (fstat(fd, &st) != 0)
		return SH_ERR_IO;
	m = msg[slot++ % 4];
	if (!S_ISDIR(st.st_mode)) {
		snprintf(m, sizeof(msg[0]), "%s is not a directory", what);
		*why = m;
		return SH_ERR_PERM;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(m, sizeof(msg[0]), "%s belongs to another user (uid %lu)", what,
		         (unsigned long)st.st_uid);
		*why = m;
		return SH_ERR_PERM;
	}
	/* sticky (as /tmp): others may add names but not move or remove ours */
	if ((st.st_mode & S_IWOTH) != 0 && (st.st_mode & S_ISVTX) == 0) {
		snprintf(m, sizeof(msg[0]), "%s is writable by everyone", what);
		*why = m;
		return SH_ERR_PERM;
	}
	return SH_OK;
}

/* Open a folder without following a link; a link is SH_ERR_PERM. */
static enum sh_status
open_dir_at(int at, const char *path, const char *what, int *out, const char **why)
{
	static char msg[4][96];
	static int slot;
	int fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	enum sh_status st;
	struct stat sb;

	*out = -1;
	if (fd < 0) {
		if ((errno == ELOOP || errno == ENOTDIR) &&
		    fstatat(at, path, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode)) {
			char *m = msg[slot++ % 4];
			snprintf(m, sizeof(msg[0]), "%s is a symbolic link (not followed)", what);
			*why = m;
			return SH_ERR_PERM;
		}
		if (errno == ENOTDIR) {
			char *m = msg[slot++ % 4];
			snprintf(m, sizeof(msg[0]), "%s is not a directory", what);
			*why = m;
			return SH_ERR_PERM;
		}
		return errno_status(errno) == SH_ERR_NOSPACE ? SH_ERR_IO : errno_status(errno);
	}
	if ((st = check_dir(fd, what, why)) != SH_OK) {
		close(fd);
		return st;
	}
	*out = fd;
	return SH_OK;
}

void
spool_close(struct spool *sp)
{
	int *fds[] = { &sp->root, &sp->tmp, &sp->new, &sp->cur };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

enum sh_status
spool_open(struct spool *sp, const char *dir, unsigned need, const char **why)
{
	static const char *const names[] = { "tmp", "new", "cur" };
	int *fds[] = { &sp->tmp, &sp->new, &sp->cur };
	static const unsigned needs[] = { SPOOL_NEED_TMP, ~0u, SPOOL_NEED_CUR };
	static const char *const whats[] = { "tmp/", "new/", "cur/" };
	enum sh_status st;
	size_t i;

	*why = NULL;
	sp->root = sp->tmp = sp->new = sp->cur = -1;
	if (dir == NULL || *dir == '\0')
		return SH_ERR_USAGE;
	if ((st = open_dir_at(AT_FDCWD, dir, "the spool", &sp->root, why)) != SH_OK)
		return st;
	for (i = 0; i < 3; i++) {
		st = open_dir_at(sp->root, names[i], whats[i], fds[i], why);
		if (st == SH_ERR_NOT_FOUND && !(need & needs[i]))
			continue;
		if (st != SH_OK) {
			if (st == SH_ERR_NOT_FOUND) {
				static char m[32];
				snprintf(m, sizeof(m), "%s is missing", whats[i]);
				*why = m;
			}
			spool_close(sp);
			return st;
		}
	}
	return SH_OK;
}

/* Move without ever replacing: renameat2(RENAME_NOREPLACE) where the
 * kernel and file system support it, else link + unlink (a link never
 * replaces). EEXIST when the target name is taken. */
static int
move_noreplace(int fromdir, const char *from, int todir, const char *to)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(fromdir, from, todir, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
#endif
	if (linkat(fromdir, from, todir, to, 0) != 0)
		return -1;
	if (unlinkat(fromdir, from, 0) != 0) {
		int e = errno;
		(void)unlinkat(todir, to, 0);
		errno = e;
		return -1;
	}
	return 0;
}

enum sh_status
spool_deliver(const char *dir, const unsigned char *data, size_t len,
              char name_out[SPOOL_NAME_MAX])
{
	char name[SPOOL_NAME_MAX];
	struct timespec ts[2];
	struct spool sp;
	const char *why;
	time_t now;
	int fd, e;
	enum sh_status st;

	if (dir == NULL || (data == NULL && len > 0))
		return SH_ERR_USAGE;
	if ((st = spool_open(&sp, dir, SPOOL_NEED_TMP, &why)) != SH_OK) {
		if (st == SH_ERR_PERM)
			errno = EPERM;
		else if (st == SH_ERR_NOT_FOUND)
			errno = ENOENT;
		return SH_ERR_IO;
	}
	random_name(name);
	fd = openat(sp.tmp, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		e = errno;
		spool_close(&sp);
		errno = e;
		return errno_status(e) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
	}
	now = time(NULL);
	now -= now % SPOOL_TIME_GRAIN;
	ts[0].tv_sec = ts[1].tv_sec = now;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	/* The coarse time is set after the last write (which sets mtime) and
	 * before the fsync, so one flush makes the data and the time durable
	 * together. */
	if (fileio_write_all(fd, data, len) != 0 || futimens(fd, ts) != 0 ||
	    fileio_fsync(fd) != 0)
		goto fail_open;
	if (close(fd) != 0) {
		fd = -1;
		goto fail_open;
	}
	fd = -1;
	if (move_noreplace(sp.tmp, name, sp.new, name) != 0)
		goto fail_open;
	if (fileio_fsync(sp.new) != 0) {
		/* Not durable: take it back so nothing claims success. */
		e = errno;
		unlinkat(sp.new, name, 0);
		spool_close(&sp);
		errno = e;
		return errno_status(e) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
	}
	spool_close(&sp);
	if (name_out != NULL)
		memcpy(name_out, name, sizeof(name));
	return SH_OK;

fail_open:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(sp.tmp, name, 0);
	spool_close(&sp);
	errno = e;
	return errno_status(e) == SH_ERR_NOSPACE ? SH_ERR_NOSPACE : SH_ERR_IO;
}

int
spool_parse_name(const char *name, char base[SPOOL_NAME_MAX], char *flags, size_t flagsmax)
{
	const char *colon = strchr(name, ':');
	size_t blen = colon != NULL ? (size_t)(colon - name) : strlen(name);
	size_t slen = sizeof(SPOOL_SUFFIX) - 1, i, flen;

	if (strlen(name) >= SPOOL_PLAIN_MAX || blen <= slen ||
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

/*
 * Syncthing keeps both sides of a conflict, renaming one
 * "BASE.sync-conflict-YYYYMMDD-HHMMSS-DEVICE" + extension, where the
 * extension of "x.age:2,S" is ".age:2,S". Such a copy is listed (marked),
 * never hidden: it may be the genuine request. 0 and base/flags as
 * spool_parse_name (base keeps the conflict part, so it stays unique).
 */
static int
parse_sync_conflict(const char *name, char base[SPOOL_NAME_MAX], char *flags, size_t flagsmax)
{
	static const char mark[] = ".sync-conflict-";
	const char *m = strstr(name, mark), *p, *ext;
	char plain[SPOOL_NAME_MAX];
	size_t i, blen;

	if (m == NULL || m == name || strlen(name) >= SPOOL_NAME_MAX)
		return -1;
	p = m + sizeof(mark) - 1;
	for (i = 0; i < 15; i++)        /* YYYYMMDD-HHMMSS */
		if (!(i == 8 ? p[i] == '-' : (p[i] >= '0' && p[i] <= '9')))
			return -1;
	if (p[15] != '-')
		return -1;
	for (ext = p + 16; (*ext >= 'A' && *ext <= 'Z') || (*ext >= '0' && *ext <= '9'); ext++)
		;
	if (ext == p + 16 || strncmp(ext, SPOOL_SUFFIX, sizeof(SPOOL_SUFFIX) - 1) != 0)
		return -1;
	/* the name without the conflict part must be a spool name */
	blen = (size_t)(m - name);
	memcpy(plain, name, blen);
	snprintf(plain + blen, sizeof(plain) - blen, "%s", ext);
	if (spool_parse_name(plain, base, flags, flagsmax) != 0)
		return -1;
	blen = (size_t)(strchr(ext, ':') != NULL ? strchr(ext, ':') - name : (ptrdiff_t)strlen(name));
	memcpy(base, name, blen);
	base[blen] = '\0';
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

static int
cmp_base(const void *a, const void *b)
{
	const struct spool_entry *const *x = a, *const *y = b;

	return strcmp((*x)->base, (*y)->base);
}

/* Marks every entry whose base name another entry also has. */
static void
mark_clashes(struct spool_entry *list, size_t n)
{
	struct spool_entry **v;
	size_t i;

	if (n < 2 || (v = malloc(n * sizeof(*v))) == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = &list[i];
	qsort(v, n, sizeof(*v), cmp_base);
	for (i = 0; i + 1 < n; i++)
		if (strcmp(v[i]->base, v[i + 1]->base) == 0)
			v[i]->clash = v[i + 1]->clash = 1;
	free(v);
}

static enum sh_status
scan_sub(int subfd, int in_cur, struct spool_entry **list, size_t *n, size_t *cap)
{
	char flags[SPOOL_NAME_MAX];
	struct spool_entry *e;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dfd, conflict;

	/* a descriptor of our own: closedir closes it, and reading starts at
	 * the beginning */
	if ((dfd = openat(subfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return SH_ERR_IO;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return SH_ERR_IO;
	}
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
		conflict = 0;
		if (spool_parse_name(de->d_name, e->base, flags, sizeof(flags)) != 0) {
			if (parse_sync_conflict(de->d_name, e->base, flags, sizeof(flags)) != 0)
				continue;
			conflict = 1;
		}
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;       /* vanished (moved by another reader) */
		if (!S_ISREG(st.st_mode))
			continue;
		memcpy(e->name, de->d_name, strlen(de->d_name) + 1);
		e->in_cur = in_cur;
		e->sync_conflict = conflict;
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
spool_scan_at(const struct spool *sp, struct spool_entry **entries, size_t *n)
{
	struct spool_entry *list = NULL;
	size_t count = 0, cap = 0;
	enum sh_status st = SH_OK;

	if (sp == NULL || entries == NULL || n == NULL)
		return SH_ERR_USAGE;
	*entries = NULL;
	*n = 0;
	if (sp->new < 0)
		return SH_ERR_NOT_FOUND;
	st = scan_sub(sp->new, 0, &list, &count, &cap);
	/* a spool synced without cur/ yet has none */
	if (st == SH_OK && sp->cur >= 0)
		st = scan_sub(sp->cur, 1, &list, &count, &cap);
	if (st != SH_OK) {
		free(list);
		return st;
	}
	mark_clashes(list, count);
	if (count > 1)
		qsort(list, count, sizeof(*list), cmp_entry);
	*entries = list;
	*n = count;
	return SH_OK;
}

enum sh_status
spool_scan(const char *dir, struct spool_entry **entries, size_t *n)
{
	struct spool sp;
	const char *why;
	enum sh_status st;

	if (dir == NULL || entries == NULL || n == NULL)
		return SH_ERR_USAGE;
	*entries = NULL;
	*n = 0;
	if ((st = spool_open(&sp, dir, 0, &why)) != SH_OK)
		return st;
	st = spool_scan_at(&sp, entries, n);
	spool_close(&sp);
	return st;
}

int
spool_open_entry(const struct spool *sp, const struct spool_entry *e)
{
	int dfd = e->in_cur ? sp->cur : sp->new;

	if (dfd < 0) {
		errno = ENOENT;
		return -1;
	}
	return openat(dfd, e->name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
}

enum sh_status
spool_entry_path(const char *dir, const struct spool_entry *e,
                 char *out, size_t outsize)
{
	if (dir == NULL || e == NULL || out == NULL)
		return SH_ERR_USAGE;
	return join(out, outsize, dir, e->in_cur ? "cur" : "new", e->name);
}

/* cur/, made (and opened without following links) on first use. */
static enum sh_status
ensure_cur(struct spool *sp)
{
	const char *why;
	enum sh_status st;

	if (sp->cur >= 0)
		return SH_OK;
	if (mkdirat(sp->root, "cur", 0700) == 0) {
		if (fileio_fsync(sp->root) != 0)
			return SH_ERR_IO;
	} else if (errno != EEXIST) {
		return SH_ERR_IO;
	}
	st = open_dir_at(sp->root, "cur", "cur/", &sp->cur, &why);
	return st == SH_OK ? SH_OK : SH_ERR_IO;
}

enum sh_status
spool_set_state_at(const struct spool *csp, struct spool_entry *e, enum spool_state state)
{
	struct spool *sp = (struct spool *)csp;   /* may gain cur/ */
	char name[SPOOL_NAME_MAX];
	const char *flags;
	int n, fromdir;

	if (sp == NULL || e == NULL)
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
	if (ensure_cur(sp) != SH_OK)
		return SH_ERR_IO;
	fromdir = e->in_cur ? sp->cur : sp->new;
	if (fromdir < 0)
		return SH_ERR_NOT_FOUND;
	if (!e->in_cur || strcmp(e->name, name) != 0) {
		if (move_noreplace(fromdir, e->name, sp->cur, name) != 0) {
			if (errno == EEXIST)
				return SH_ERR_EXISTS;
			return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
		}
	}
	if (fileio_fsync(sp->cur) != 0 || (!e->in_cur && fileio_fsync(sp->new) != 0))
		return SH_ERR_IO;
	memcpy(e->name, name, (size_t)n + 1);
	e->in_cur = 1;
	e->state = state;
	return SH_OK;
}

enum sh_status
spool_set_state(const char *dir, struct spool_entry *e, enum spool_state state)
{
	struct spool sp;
	const char *why;
	enum sh_status st;

	if (dir == NULL || e == NULL)
		return SH_ERR_USAGE;
	if ((st = spool_open(&sp, dir, 0, &why)) != SH_OK)
		return st == SH_ERR_NOT_FOUND ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	st = spool_set_state_at(&sp, e, state);
	spool_close(&sp);
	return st;
}

enum sh_status
spool_stale_tmp_at(const struct spool *sp, time_t now, time_t max_age,
                   char ***names, size_t *n)
{
	char **list = NULL, **nl;
	size_t count = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dfd;

	if (sp == NULL || names == NULL || n == NULL)
		return SH_ERR_USAGE;
	*names = NULL;
	*n = 0;
	if (sp->tmp < 0)
		return SH_ERR_NOT_FOUND;
	if ((dfd = openat(sp->tmp, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return SH_ERR_IO;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return SH_ERR_IO;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
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

enum sh_status
spool_stale_tmp(const char *dir, time_t now, time_t max_age, char ***names, size_t *n)
{
	struct spool sp;
	const char *why;
	enum sh_status st;

	if (dir == NULL || names == NULL || n == NULL)
		return SH_ERR_USAGE;
	*names = NULL;
	*n = 0;
	if ((st = spool_open(&sp, dir, SPOOL_NEED_TMP, &why)) != SH_OK)
		return st == SH_ERR_NOT_FOUND ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	st = spool_stale_tmp_at(&sp, now, max_age, names, n);
	spool_close(&sp);
	return st;
}

enum sh_status
spool_remove_tmp(const struct spool *sp, const char *name)
{
	if (sp == NULL || name == NULL || !is_delivery_name(name))
		return SH_ERR_USAGE;
	if (sp->tmp < 0)
		return SH_ERR_NOT_FOUND;
	if (unlinkat(sp->tmp, name, 0) != 0)
		return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	return SH_OK;
}
