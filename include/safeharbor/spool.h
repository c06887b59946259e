#ifndef SAFEHARBOR_SPOOL_H
#define SAFEHARBOR_SPOOL_H

/*
 * The queue: a Maildir (tmp/, new/, cur/). Delivery follows mdeliver: a
 * random 128-bit name opened O_EXCL|0600 in tmp/, write, fsync, coarse
 * mtime, rename into new/, fsync new/. A crash leaves a complete envelope in
 * new/ or none. State is kept only in Maildir ":2," flags: S (seen) and
 * R ("replied", Maildir's word for answered) meaning handled.
 */

#include <stddef.h>
#include <time.h>
#include "safeharbor/status.h"

#define SPOOL_NAME_HEX 32
#define SPOOL_SUFFIX ".age"
#define SPOOL_PLAIN_MAX 64         /* a spool name: base + suffix + ":2," + flags */
#define SPOOL_NAME_MAX 128         /* room for a Syncthing conflict copy's name too */
#define SPOOL_PATH_MAX 4096

/* Create tmp/ new/ cur/ (mode 0700) where missing. */
enum sh_status spool_init(const char *dir);

/* Check that dir is a usable spool we can write: tmp/ and new/ exist and
 * are writable directories. */
enum sh_status spool_check_writable(const char *dir);

/* Deliver len bytes durably. name_out (may be NULL) receives the file name
 * in new/. On failure nothing is left in new/ and the tmp file is removed;
 * SH_ERR_NOSPACE for ENOSPC/EDQUOT, SH_ERR_IO otherwise (errno kept). */
enum sh_status spool_deliver(const char *dir, const unsigned char *data, size_t len,
                             char name_out[SPOOL_NAME_MAX]);

/*
 * An open spool. Anyone who can write into a shared spool may plant links,
 * so the folder and its subfolders are opened once, without following
 * links (O_DIRECTORY|O_NOFOLLOW), checked to be owned by us (or root) and
 * not writable by everyone (unless sticky), and every later open, rename and unlink is an
 * *at() call on these descriptors: nothing outside the spool is reached.
 */
struct spool {
	int root;
	int tmp, new, cur;       /* -1 when missing */
};

/* What spool_open requires to exist (tmp/ and cur/ are otherwise optional;
 * new/ is always required). */
#define SPOOL_NEED_TMP 1u
#define SPOOL_NEED_CUR 2u

/* SH_ERR_NOT_FOUND (no such spool or new/), SH_ERR_PERM (a link, owned by
 * another user, or writable by everyone: *why says which and where),
 * SH_ERR_IO (errno). On failure nothing is left open. */
enum sh_status spool_open(struct spool *sp, const char *dir, unsigned need,
                          const char **why);
void spool_close(struct spool *sp);

enum spool_state { SPOOL_NEW, SPOOL_SEEN, SPOOL_HANDLED };

struct spool_entry {
	char name[SPOOL_NAME_MAX];     /* file name without directory */
	char base[SPOOL_NAME_MAX];     /* name without ":2,flags" */
	int in_cur;                    /* 0: new/, 1: cur/ */
	enum spool_state state;        /* from directory and flags */
	time_t mtime;                  /* coarse receive time */
	off_t size;
	int clash;                     /* another file has the same base name */
	int sync_conflict;             /* a Syncthing "*.sync-conflict-*" copy */
};

/* A file name the spool lists (names in a shared spool come from anyone):
 * [A-Za-z0-9_-]+ ".age", then optionally ":2," and letters. Fills base
 * (the name without ":2,...") and flags (at most flagsmax - 1 letters),
 * both NUL-terminated. 0, or -1 for any other name. */
int spool_parse_name(const char *name, char base[SPOOL_NAME_MAX], char *flags,
                     size_t flagsmax);

/* List every *.age file in new/ and cur/ (skips dot files, tmp/), and the
 * Syncthing conflict copies of them ("X.sync-conflict-D-T-ID.age", marked
 * sync_conflict, never hidden). Files sharing one base name (in new/ and
 * cur/, or twice in cur/ with other flags) are each marked clash.
 * *entries is malloc'd; free with free(). Missing spool: SH_ERR_NOT_FOUND. */
enum sh_status spool_scan(const char *dir, struct spool_entry **entries, size_t *n);
enum sh_status spool_scan_at(const struct spool *sp, struct spool_entry **entries,
                             size_t *n);

/* Open an entry for reading: O_RDONLY|O_NOFOLLOW|O_NONBLOCK at its
 * folder's descriptor. -1 with errno. */
int spool_open_entry(const struct spool *sp, const struct spool_entry *e);

/* Full path of an entry into out (SH_ERR_TOO_LARGE if it does not fit). */
enum sh_status spool_entry_path(const char *dir, const struct spool_entry *e,
                                char *out, size_t outsize);

/* Move an entry to cur/ with flags for state (SEEN -> ":2,S", HANDLED ->
 * ":2,RS", NEW stays in cur/ with ":2," flags cleared). Never replaces:
 * renameat2(RENAME_NOREPLACE), or link + unlink where the file system
 * cannot promise that; a file already holding the target name is
 * SH_ERR_EXISTS and both files stay. e is updated. */
enum sh_status spool_set_state(const char *dir, struct spool_entry *e,
                               enum spool_state state);
enum sh_status spool_set_state_at(const struct spool *sp, struct spool_entry *e,
                                  enum spool_state state);

/* Stale files in tmp/ older than max_age seconds (left by a crash). */
enum sh_status spool_stale_tmp(const char *dir, time_t now, time_t max_age,
                               char ***names, size_t *n);
enum sh_status spool_stale_tmp_at(const struct spool *sp, time_t now, time_t max_age,
                                  char ***names, size_t *n);
/* Remove one file from tmp/ by name (unlinkat on tmp/). Only names a
 * delivery makes (32 hex digits + ".age") are removed: SH_ERR_USAGE for
 * any other. */
enum sh_status spool_remove_tmp(const struct spool *sp, const char *name);

#endif
