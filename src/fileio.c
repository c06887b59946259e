#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safeharbor/fileio.h"

int
fileio_read_upto(int fd, void *buf, size_t cap, size_t *got)
{
	unsigned char *p = buf;
	size_t n = 0;
	ssize_t r;

	while (n < cap) {
		r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*got = n;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*got = n;
	return 0;
}

int
fileio_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static fileio_fsync_fn fsync_hook;

void
fileio_set_fsync(fileio_fsync_fn fn)
{
	fsync_hook = fn;
}

int
fileio_fsync(int fd)
{
	return fsync_hook != NULL ? fsync_hook(fd) : fsync(fd);
}

int
fileio_read_file(int dirfd, const char *name, void *buf, size_t cap, size_t *len)
{
	struct stat sb;
	int fd, rc, e;

	*len = 0;
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0)
		return -1;
	if (fstat(fd, &sb) != 0) {
		rc = -1;
	} else if (!S_ISREG(sb.st_mode)) {
		rc = FILEIO_NOT_REGULAR;
	} else if (sb.st_size > (off_t)cap) {
		rc = FILEIO_TOO_LARGE;
	} else if ((rc = fileio_read_upto(fd, buf, cap, len)) == 0 && *len == cap) {
		/* grew after the fstat: one byte more tells */
		unsigned char extra;
		size_t more;
		if (fileio_read_upto(fd, &extra, 1, &more) == 0 && more > 0)
			rc = FILEIO_TOO_LARGE;
	}
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int no_tmpfile;

void
fileio_set_tmpfile(int enabled)
{
	no_tmpfile = !enabled;
}

/* The named temporary being written, for the signal path: one at a time. */
static volatile sig_atomic_t pending_dirfd = -1;
static char pending_tmp[64];

void
fileio_out_on_signal(void)
{
	if (pending_dirfd >= 0 && pending_tmp[0] != '\0')
		(void)unlinkat(pending_dirfd, pending_tmp, 0);
}

static void
pending_clear(void)
{
	pending_dirfd = -1;
	pending_tmp[0] = '\0';
}

/* Split path into its folder (opened) and last name. */
static int
open_parent(const char *path, char *name, size_t namesize)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int n;

	if (slash == NULL)
		n = snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		n = snprintf(dir, sizeof(dir), "/");
	else
		n = snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	n = snprintf(name, namesize, "%s", slash != NULL ? slash + 1 : path);
	if (n <= 0 || (size_t)n >= namesize) {
		errno = n <= 0 ? EISDIR : ENAMETOOLONG;
		return -1;
	}
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int
fileio_out_open(struct fileio_out *o, const char *path, mode_t mode, unsigned flags)
{
	unsigned char rnd[8];
	char hex[sizeof(rnd) * 2 + 1];
	struct stat sb;
	int e;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if ((o->dirfd = open_parent(path, o->name, sizeof(o->name))) < 0)
		return -1;
	if (!(flags & FILEIO_REPLACE) && fstatat(o->dirfd, o->name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		close(o->dirfd);
		errno = EEXIST;
		return -1;
	}
	/* an anonymous file is named through /proc/self/fd at commit: only
	 * where that exists */
	if (!no_tmpfile && access("/proc/self/fd", X_OK) == 0)
		o->fd = openat(o->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (o->fd < 0) {
		/* no O_TMPFILE here: a hidden name, removed on every path */
		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
		snprintf(o->tmp, sizeof(o->tmp), ".safeharbor-%s.tmp", hex);
		memcpy(pending_tmp, o->tmp, sizeof(pending_tmp));
		pending_dirfd = o->dirfd;
		o->fd = openat(o->dirfd, o->tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
		               mode);
		if (o->fd < 0) {
			e = errno;
			pending_clear();
			close(o->dirfd);
			errno = e;
			return -1;
		}
	}
	if (fchmod(o->fd, mode) != 0) {
		e = errno;
		fileio_out_abort(o);
		errno = e;
		return -1;
	}
	return 0;
}

void
fileio_out_abort(struct fileio_out *o)
{
	int e = errno;

	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp[0] != '\0')
		(void)unlinkat(o->dirfd, o->tmp, 0);
	pending_clear();
	o->tmp[0] = '\0';
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
	errno = e;
}

/* Give the anonymous file a name in its folder. */
static int
link_tmpfile(struct fileio_out *o, const char *to)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	return linkat(AT_FDCWD, proc, o->dirfd, to, AT_SYMLINK_FOLLOW);
}

int
fileio_out_commit(struct fileio_out *o, unsigned flags)
{
	unsigned char rnd[8];
	char hex[sizeof(rnd) * 2 + 1], side[64];
	int rc = -1;

	if (fileio_fsync(o->fd) != 0)
		goto fail;
	if (o->tmp[0] == '\0') {
		if (!(flags & FILEIO_REPLACE)) {
			if (link_tmpfile(o, o->name) != 0) {
				if (errno == EEXIST)
					return -1;      /* kept: the caller may try another name */
				goto fail;
			}
		} else {
			/* linkat never replaces: link beside, then rename over */
			randombytes_buf(rnd, sizeof(rnd));
			sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
			snprintf(side, sizeof(side), ".safeharbor-%s.tmp", hex);
			if (link_tmpfile(o, side) != 0)
				goto fail;
			memcpy(o->tmp, side, sizeof(o->tmp));
			memcpy(pending_tmp, side, sizeof(pending_tmp));
			pending_dirfd = o->dirfd;
			if (renameat(o->dirfd, side, o->dirfd, o->name) != 0)
				goto fail;
			o->tmp[0] = '\0';
		}
	} else if (flags & FILEIO_REPLACE) {
		if (renameat(o->dirfd, o->tmp, o->dirfd, o->name) != 0)
			goto fail;
		o->tmp[0] = '\0';
	} else {
		if (linkat(o->dirfd, o->tmp, o->dirfd, o->name, 0) != 0) {
			if (errno == EEXIST)
				return -1;      /* kept: the caller may try another name */
#ifdef RENAME_NOREPLACE
			/* file systems without hard links */
			if ((errno != EPERM && errno != ENOTSUP) ||
			    renameat2(o->dirfd, o->tmp, o->dirfd, o->name, RENAME_NOREPLACE) != 0)
				goto fail;
#else
			goto fail;
#endif
		} else {
			(void)unlinkat(o->dirfd, o->tmp, 0);
		}
		o->tmp[0] = '\0';
	}
	pending_clear();
	if (fileio_fsync(o->dirfd) != 0) {
		int e = errno;
		(void)unlinkat(o->dirfd, o->name, 0);
		errno = e;
		goto fail;
	}
	rc = 0;
fail:
	fileio_out_abort(o);
	return rc;
}

int
fileio_out_name(struct fileio_out *o, const char *name)
{
	if (strchr(name, '/') != NULL || strlen(name) >= sizeof(o->name)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(o->name, name, strlen(name) + 1);
	return 0;
}

int
fileio_write_file(const char *path, const void *data, size_t len, mode_t mode,
                  unsigned flags)
{
	struct fileio_out o;

	if (fileio_out_open(&o, path, mode, flags) != 0)
		return -1;
	if (fileio_write_all(o.fd, data, len) != 0) {
		fileio_out_abort(&o);
		return -1;
	}
	if (fileio_out_commit(&o, flags) != 0) {
		fileio_out_abort(&o);     /* after EEXIST the file is still ours */
		return -1;
	}
	return 0;
}
