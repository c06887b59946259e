#ifndef SAFEHARBOR_FILEIO_H
#define SAFEHARBOR_FILEIO_H

/* The read and write loops every file-handling module needs: they retry
 * EINTR and short transfers so callers only see done or failed. */

#include <stddef.h>
#include <sys/types.h>

/* Read until EOF or cap bytes; *got says how many. 0, or -1 with errno. */
int fileio_read_upto(int fd, void *buf, size_t cap, size_t *got);

/* Write all len bytes. 0, or -1 with errno (EIO for a zero-byte write). */
int fileio_write_all(int fd, const void *data, size_t len);

/* The one bounded reader for files that come from others (envelopes,
 * replies): open name at dirfd without following a link and without
 * blocking on a FIFO, require a regular file of at most cap bytes, read it
 * all into buf. 0; FILEIO_NOT_REGULAR; FILEIO_TOO_LARGE; or -1 with errno
 * (ELOOP for a link). */
#define FILEIO_NOT_REGULAR (-2)
#define FILEIO_TOO_LARGE (-3)
int fileio_read_file(int dirfd, const char *name, void *buf, size_t cap, size_t *len);

/*
 * The one durable writer for files the product makes (keys, the kiosks
 * file, export; the spool's Maildir delivery is the same steps across
 * tmp/ and new/). The file is invisible until committed: an anonymous
 * O_TMPFILE in the target's folder where the file system has them, else a
 * hidden random name that every exit path removes, a fatal signal included
 * (fileio_out_on_signal). Commit: fsync the file, link it into place
 * (never replacing, EEXIST) or rename over the old one (FILEIO_REPLACE),
 * fsync the folder.
 */
#define FILEIO_REPLACE 1u
struct fileio_out {
	int dirfd;
	int fd;                 /* write here; -1 once committed or aborted */
	char name[256];         /* final name in dirfd */
	char tmp[64];           /* "" for an anonymous O_TMPFILE */
};
/* -1 with errno (EEXIST when the file exists and FILEIO_REPLACE is not
 * given: checked here too, so nothing is written in vain). */
int fileio_out_open(struct fileio_out *o, const char *path, mode_t mode, unsigned flags);
/* 0 committed and closed. -1 with errno: closed and removed, except for
 * EEXIST without FILEIO_REPLACE, where the complete file is kept unnamed
 * so the caller may commit it under another name (fileio_out_name) or
 * abort. */
int fileio_out_commit(struct fileio_out *o, unsigned flags);
/* Commit under another name in the same folder. -1/EINVAL for a path. */
int fileio_out_name(struct fileio_out *o, const char *name);
void fileio_out_abort(struct fileio_out *o);
/* Remove the named temporary of the file being written, if any: call
 * from a SIGINT/SIGTERM/SIGHUP handler (async-signal-safe). */
void fileio_out_on_signal(void);
/* Whether O_TMPFILE may be used (default yes); tests turn it off to
 * exercise the named-temporary path. Process-wide. */
void fileio_set_tmpfile(int enabled);
/* open + write len bytes + commit. 0, or -1 with errno. */
int fileio_write_file(const char *path, const void *data, size_t len, mode_t mode,
                      unsigned flags);

/* fsync, through a hook tests may replace to count or fail the calls
 * (a delivery that skips a flush is then caught without strace). */
int fileio_fsync(int fd);
typedef int (*fileio_fsync_fn)(int fd);
/* NULL restores fsync(2). Process-wide: for tests only. */
void fileio_set_fsync(fileio_fsync_fn fn);

#endif
