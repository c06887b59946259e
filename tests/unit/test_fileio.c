/*
 * fileio: the one durable writer and the bounded no-follow reader. fsync
 * goes through a hook, so these tests see which files and folders were
 * flushed (by inode) without strace: a delivery or a write that skipped a
 * flush fails here, and a failing flush must leave nothing behind.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/fileio.h"
#include "safeharbor/spool.h"

static char dir[] = "/tmp/sh-test-fileio-XXXXXX";
static ino_t synced[64];
static size_t nsynced;
static int fail_after = -1;     /* fail the (n+1)th fsync; -1 never */

static int
counting_fsync(int fd)
{
	struct stat st;

	if (fail_after == 0) {
		errno = EIO;
		return -1;
	}
	if (fail_after > 0)
		fail_after--;
	if (fstat(fd, &st) == 0 && nsynced < 64)
		synced[nsynced++] = st.st_ino;
	return fsync(fd);
}

static int
was_synced(const char *path)
{
	struct stat st;
	size_t i;

	cr_assert_eq(stat(path, &st), 0, "%s", path);
	for (i = 0; i < nsynced; i++)
		if (synced[i] == st.st_ino)
			return 1;
	return 0;
}

static size_t
count(const char *sub)
{
	char p[512];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	snprintf(p, sizeof(p), "%s/%s", dir, sub);
	cr_assert_not_null(d = opendir(p));
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.' || strncmp(de->d_name, ".safeharbor-", 12) == 0;
	closedir(d);
	return n;
}

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	cr_assert_not_null(mkdtemp(dir));
	nsynced = 0;
	fail_after = -1;
	fileio_set_fsync(counting_fsync);
}

static void
teardown(void)
{
	char cmd[128];

	fileio_set_fsync(NULL);
	fileio_set_tmpfile(1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(fileio, .init = setup, .fini = teardown);

Test(fileio, delivery_flushes_the_envelope_and_new)
{
	char name[SPOOL_NAME_MAX], p[512];

	cr_assert_eq(spool_init(dir), SH_OK);
	nsynced = 0;
	cr_assert_eq(spool_deliver(dir, (const unsigned char *)"envelope", 8, name), SH_OK);
	snprintf(p, sizeof(p), "%s/new/%s", dir, name);
	cr_assert(was_synced(p), "the envelope itself was not fsync'd");
	snprintf(p, sizeof(p), "%s/new", dir);
	cr_assert(was_synced(p), "new/ was not fsync'd after the rename");
}

Test(fileio, delivery_with_a_failing_flush_leaves_nothing)
{
	int n;

	cr_assert_eq(spool_init(dir), SH_OK);
	/* first the file's flush fails, then new/'s */
	for (n = 0; n < 2; n++) {
		fail_after = n;
		cr_assert_neq(spool_deliver(dir, (const unsigned char *)"envelope", 8, NULL), SH_OK,
		              "fsync %d failed, yet the delivery claimed success", n + 1);
		cr_assert_eq(count("tmp"), 0);
		cr_assert_eq(count("new"), 0);
	}
}

Test(fileio, write_file_flushes_file_and_folder_and_never_replaces)
{
	char p[512];
	unsigned char buf[16];
	size_t len;
	int dfd;

	snprintf(p, sizeof(p), "%s/key", dir);
	cr_assert_eq(fileio_write_file(p, "secret", 6, 0600, 0), 0);
	cr_assert(was_synced(p), "the file was not fsync'd");
	cr_assert(was_synced(dir), "its folder was not fsync'd");
	cr_assert_eq(fileio_write_file(p, "other", 5, 0600, 0), -1);
	cr_assert_eq(errno, EEXIST);
	cr_assert_eq(fileio_write_file(p, "newer", 5, 0600, FILEIO_REPLACE), 0);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	cr_assert_eq(fileio_read_file(dfd, "key", buf, sizeof(buf), &len), 0);
	cr_assert_eq(len, 5);
	cr_assert_eq(memcmp(buf, "newer", 5), 0);
	close(dfd);
	cr_assert_eq(count(""), 1, "no temporary file left");
}

Test(fileio, a_failing_flush_leaves_no_file)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/export.json", dir);
	fail_after = 0;
	cr_assert_eq(fileio_write_file(p, "plaintext", 9, 0600, 0), -1);
	cr_assert_eq(count(""), 0, "a failed write left a file");
}

Test(fileio, reader_refuses_links_fifos_and_large_files)
{
	unsigned char buf[8];
	size_t len;
	char p[512];
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	FILE *f;

	cr_assert(dfd >= 0);
	snprintf(p, sizeof(p), "%s/big", dir);
	cr_assert_not_null(f = fopen(p, "w"));
	fputs("123456789", f);
	fclose(f);
	cr_assert_eq(fileio_read_file(dfd, "big", buf, sizeof(buf), &len), FILEIO_TOO_LARGE);
	cr_assert_eq(symlinkat("big", dfd, "link"), 0);
	cr_assert_eq(fileio_read_file(dfd, "link", buf, sizeof(buf), &len), -1);
	cr_assert_eq(errno, ELOOP);
	cr_assert_eq(mkfifoat(dfd, "fifo", 0600), 0);
	cr_assert_eq(fileio_read_file(dfd, "fifo", buf, sizeof(buf), &len), FILEIO_NOT_REGULAR);
	close(dfd);
}

/* Where O_TMPFILE cannot be used the file has a hidden name while it is
 * written: a commit renames nothing else, an abort and the signal path
 * remove it, so an interrupted export leaves no plaintext either way. */
Test(fileio, named_temporary_is_removed_on_abort_and_on_signal)
{
	struct fileio_out o;
	char p[512];

	fileio_set_tmpfile(0);
	snprintf(p, sizeof(p), "%s/export.json", dir);
	cr_assert_eq(fileio_out_open(&o, p, 0600, 0), 0);
	cr_assert_neq(o.tmp[0], '\0', "a named temporary");
	cr_assert_eq(fileio_write_all(o.fd, "plaintext", 9), 0);
	cr_assert_eq(count(""), 1);
	fileio_out_on_signal();         /* what the SIGTERM handler does */
	cr_assert_eq(count(""), 0, "the signal path left the temporary");
	fileio_out_abort(&o);

	cr_assert_eq(fileio_out_open(&o, p, 0600, 0), 0);
	fileio_out_abort(&o);
	cr_assert_eq(count(""), 0, "abort left the temporary");

	cr_assert_eq(fileio_write_file(p, "done", 4, 0600, 0), 0);
	cr_assert_eq(count(""), 1, "only the file itself");
	cr_assert(was_synced(p));
	fileio_set_tmpfile(1);
}
