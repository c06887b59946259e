#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/spool.h"

static char top[256];

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	snprintf(top, sizeof(top), "/tmp/sh-test-spool-XXXXXX");
	cr_assert_not_null(mkdtemp(top));
}

static void
teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		cr_log_warn("cleanup failed");
}

TestSuite(spool, .init = setup, .fini = teardown);

static void
path_of(char *out, size_t size, const char *a, const char *b)
{
	if (b != NULL)
		snprintf(out, size, "%s/%s/%s", top, a, b);
	else
		snprintf(out, size, "%s/%s", top, a);
}

/* Number of entries in top/sub, not counting dot entries; first name out. */
static int
count_dir(const char *sub, char *first, size_t firstsize)
{
	char p[512];
	struct dirent *de;
	DIR *d;
	int n = 0;

	path_of(p, sizeof(p), sub, NULL);
	if ((d = opendir(p)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == 0 && first != NULL)
			snprintf(first, firstsize, "%s", de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void
touch(const char *sub, const char *name, const char *content)
{
	char p[512];
	FILE *f;

	path_of(p, sizeof(p), sub, name);
	f = fopen(p, "w");
	cr_assert_not_null(f, "create %s", p);
	fputs(content, f);
	fclose(f);
}

static int
is_hex_name(const char *s)
{
	size_t i;

	if (strlen(s) != SPOOL_NAME_HEX + 4 || strcmp(s + SPOOL_NAME_HEX, ".age") != 0)
		return 0;
	for (i = 0; i < SPOOL_NAME_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

Test(spool, init_creates_maildir)
{
	char p[512];
	struct stat st;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_init(top), SH_OK, "idempotent");
	path_of(p, sizeof(p), "tmp", NULL);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0700);
	path_of(p, sizeof(p), "new", NULL);
	cr_assert_eq(stat(p, &st), 0);
	path_of(p, sizeof(p), "cur", NULL);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(spool_check_writable(top), SH_OK);
}

Test(spool, init_refuses_file_in_place_of_dir)
{
	touch("", "new", "x");
	cr_assert_eq(spool_init(top), SH_ERR_IO);
	cr_assert_eq(spool_check_writable(top), SH_ERR_IO, "new/ is not a directory");
}

Test(spool, deliver_one_file)
{
	unsigned char data[1000];
	char name[SPOOL_NAME_MAX], first[256], p[512];
	struct stat st;
	time_t now = time(NULL);
	FILE *f;
	unsigned char back[sizeof(data) + 1];

	randombytes_buf(data, sizeof(data));
	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_deliver(top, data, sizeof(data), name), SH_OK);
	cr_assert(is_hex_name(name), "name %s", name);
	cr_assert_eq(count_dir("new", first, sizeof(first)), 1);
	cr_assert_str_eq(first, name);
	cr_assert_eq(count_dir("tmp", NULL, 0), 0);
	cr_assert_eq(count_dir("cur", NULL, 0), 0);
	path_of(p, sizeof(p), "new", name);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	cr_assert_eq(st.st_size, (off_t)sizeof(data));
	cr_assert_eq(st.st_mtime % 3600, 0, "mtime is coarse");
	cr_assert(st.st_mtime <= now && st.st_mtime > now - 3600 - 2);
	cr_assert_eq(st.st_mtim.tv_nsec, 0);
	f = fopen(p, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(back, 1, sizeof(back), f), sizeof(data));
	fclose(f);
	cr_assert_eq(memcmp(back, data, sizeof(data)), 0);
}

Test(spool, names_are_unique)
{
	char names[20][SPOOL_NAME_MAX];
	int i, j;

	cr_assert_eq(spool_init(top), SH_OK);
	for (i = 0; i < 20; i++) {
		cr_assert_eq(spool_deliver(top, (const unsigned char *)"x", 1, names[i]), SH_OK);
		cr_assert(is_hex_name(names[i]));
		for (j = 0; j < i; j++)
			cr_assert_str_neq(names[i], names[j]);
	}
	cr_assert_eq(count_dir("new", NULL, 0), 20);
	cr_assert_eq(count_dir("tmp", NULL, 0), 0);
}

Test(spool, deliver_without_tmp_fails_cleanly)
{
	char p[512];

	cr_assert_eq(spool_init(top), SH_OK);
	path_of(p, sizeof(p), "tmp", NULL);
	cr_assert_eq(rmdir(p), 0);
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"abc", 3, NULL), SH_ERR_IO);
	cr_assert_eq(errno, ENOENT, "errno kept");
	cr_assert_eq(count_dir("new", NULL, 0), 0);
	cr_assert_neq(spool_check_writable(top), SH_OK);
}

Test(spool, deliver_when_new_is_a_file_fails_cleanly)
{
	char p[512];

	cr_assert_eq(spool_init(top), SH_OK);
	path_of(p, sizeof(p), "new", NULL);
	cr_assert_eq(rmdir(p), 0);
	touch("", "new", "not a dir");
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"abc", 3, NULL), SH_ERR_IO);
	cr_assert_eq(count_dir("tmp", NULL, 0), 0, "tmp file removed");
	cr_assert_eq(spool_check_writable(top), SH_ERR_IO);
}

Test(spool, deliver_to_missing_spool)
{
	char p[512];

	path_of(p, sizeof(p), "nope", NULL);
	cr_assert_eq(spool_deliver(p, (const unsigned char *)"abc", 3, NULL), SH_ERR_IO);
}

/* A deterministic randombytes so the next name is known in advance. */
static unsigned char fixed_byte = 0xab;

static const char *
fixed_name(void)
{
	return "fixed";
}

static uint32_t
fixed_random(void)
{
	return 0;
}

static void
fixed_buf(void *const buf, const size_t size)
{
	memset(buf, fixed_byte, size);
}

static struct randombytes_implementation fixed_impl = {
	.implementation_name = fixed_name,
	.random = fixed_random,
	.stir = NULL,
	.uniform = NULL,
	.buf = fixed_buf,
	.close = NULL,
};

Test(spool, excl_collision_in_tmp_fails_and_keeps_the_other_file)
{
	char expected[SPOOL_NAME_MAX], p[512];
	struct stat st;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(randombytes_set_implementation(&fixed_impl), 0);
	memset(expected, 0, sizeof(expected));
	for (int i = 0; i < SPOOL_NAME_HEX; i++)
		expected[i] = "ab"[i % 2];
	strcat(expected, ".age");
	touch("tmp", expected, "someone else's");
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"abc", 3, NULL), SH_ERR_IO);
	cr_assert_eq(errno, EEXIST);
	cr_assert_eq(count_dir("new", NULL, 0), 0);
	path_of(p, sizeof(p), "tmp", expected);
	cr_assert_eq(stat(p, &st), 0, "the other writer's file is untouched");
	cr_assert_eq(st.st_size, 14);
}

Test(spool, collision_in_new_never_replaces)
{
	char expected[SPOOL_NAME_MAX], p[512];
	struct stat st;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(randombytes_set_implementation(&fixed_impl), 0);
	memset(expected, 0, sizeof(expected));
	for (int i = 0; i < SPOOL_NAME_HEX; i++)
		expected[i] = "ab"[i % 2];
	strcat(expected, ".age");
	touch("new", expected, "first");
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"second!", 7, NULL), SH_ERR_IO);
	path_of(p, sizeof(p), "new", expected);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_size, 5, "existing envelope not replaced");
	cr_assert_eq(count_dir("tmp", NULL, 0), 0);
	cr_assert_eq(count_dir("new", NULL, 0), 1);
}

Test(spool, scan_lists_ours_and_skips_junk)
{
	char name[SPOOL_NAME_MAX];
	struct spool_entry *e = NULL;
	size_t n = 0, i;
	int seen_new = 0, seen_cur = 0, handled = 0;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"1", 1, name), SH_OK);
	touch("new", ".hidden.age", "x");
	touch("new", "README", "x");
	touch("new", "notes.txt", "x");
	touch("new", "bad:name.age", "x");
	touch("cur", "0123456789abcdef0123456789abcdef.age:2,S", "xx");
	touch("cur", "fedcba9876543210fedcba9876543210.age:2,RS", "xxx");
	touch("cur", "11111111111111111111111111111111.age:2,S1", "x");
	touch("cur", "22222222222222222222222222222222.age:1,S", "x");
	touch("tmp", "33333333333333333333333333333333.age", "x");
	{
		char p[512];
		path_of(p, sizeof(p), "cur", "44444444444444444444444444444444.age");
		cr_assert_eq(mkdir(p, 0700), 0);   /* a directory is not an entry */
	}
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	cr_assert_eq(n, 3);
	for (i = 0; i < n; i++) {
		if (!e[i].in_cur) {
			seen_new++;
			cr_assert_str_eq(e[i].name, name);
			cr_assert_str_eq(e[i].base, name);
			cr_assert_eq(e[i].state, SPOOL_NEW);
			cr_assert_eq(e[i].size, 1);
		} else if (e[i].state == SPOOL_SEEN) {
			seen_cur++;
			cr_assert_str_eq(e[i].base, "0123456789abcdef0123456789abcdef.age");
			cr_assert_eq(e[i].size, 2);
		} else {
			handled++;
			cr_assert_eq(e[i].state, SPOOL_HANDLED);
			cr_assert_str_eq(e[i].name, "fedcba9876543210fedcba9876543210.age:2,RS");
		}
	}
	cr_assert_eq(seen_new + seen_cur + handled, 3);
	cr_assert_eq(seen_new, 1);
	cr_assert_eq(seen_cur, 1);
	cr_assert_eq(handled, 1);
	free(e);
}

Test(spool, scan_missing_spool)
{
	char p[512];
	struct spool_entry *e = NULL;
	size_t n = 7;

	path_of(p, sizeof(p), "absent", NULL);
	cr_assert_eq(spool_scan(p, &e, &n), SH_ERR_NOT_FOUND);
	cr_assert_null(e);
	cr_assert_eq(n, 0);
}

Test(spool, scan_empty_spool)
{
	struct spool_entry *e = NULL;
	size_t n = 7;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	cr_assert_eq(n, 0);
	free(e);
}

Test(spool, set_state_transitions)
{
	char name[SPOOL_NAME_MAX], want[SPOOL_NAME_MAX + 8], first[256], p[512];
	struct spool_entry *e = NULL;
	size_t n = 0;
	struct stat st;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"env", 3, name), SH_OK);
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	cr_assert_eq(n, 1);

	cr_assert_eq(spool_set_state(top, &e[0], SPOOL_SEEN), SH_OK);
	snprintf(want, sizeof(want), "%s:2,S", name);
	cr_assert_str_eq(e[0].name, want);
	cr_assert_eq(e[0].in_cur, 1);
	cr_assert_eq(e[0].state, SPOOL_SEEN);
	cr_assert_eq(count_dir("new", NULL, 0), 0);
	cr_assert_eq(count_dir("cur", first, sizeof(first)), 1);
	cr_assert_str_eq(first, want);

	cr_assert_eq(spool_set_state(top, &e[0], SPOOL_HANDLED), SH_OK);
	snprintf(want, sizeof(want), "%s:2,RS", name);
	cr_assert_str_eq(e[0].name, want);
	cr_assert_eq(count_dir("cur", first, sizeof(first)), 1);
	cr_assert_str_eq(first, want);
	path_of(p, sizeof(p), "cur", want);
	cr_assert_eq(stat(p, &st), 0);

	cr_assert_eq(spool_set_state(top, &e[0], SPOOL_NEW), SH_OK);
	snprintf(want, sizeof(want), "%s:2,", name);
	cr_assert_str_eq(e[0].name, want);
	cr_assert_eq(e[0].state, SPOOL_NEW);
	cr_assert_eq(count_dir("cur", first, sizeof(first)), 1);
	cr_assert_str_eq(first, want);
	free(e);

	/* The scan agrees with what set_state did, and setting the same
	 * state again is harmless. */
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(e[0].state, SPOOL_NEW);
	cr_assert_eq(e[0].in_cur, 1);
	cr_assert_eq(spool_set_state(top, &e[0], SPOOL_NEW), SH_OK);
	cr_assert_eq(spool_set_state(top, &e[0], SPOOL_HANDLED), SH_OK);
	free(e);
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	cr_assert_eq(n, 1);
	cr_assert_eq(e[0].state, SPOOL_HANDLED);
	cr_assert_str_eq(e[0].base, name);
	free(e);
}

Test(spool, set_state_on_vanished_file)
{
	char name[SPOOL_NAME_MAX], p[512];
	struct spool_entry *e = NULL;
	size_t n = 0;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"env", 3, name), SH_OK);
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	path_of(p, sizeof(p), "new", name);
	cr_assert_eq(unlink(p), 0);
	cr_assert_eq(spool_set_state(top, &e[0], SPOOL_SEEN), SH_ERR_NOT_FOUND);
	cr_assert_eq(e[0].in_cur, 0, "entry unchanged");
	free(e);
}

Test(spool, entry_path)
{
	struct spool_entry e;
	char out[512], small[8];

	memset(&e, 0, sizeof(e));
	snprintf(e.name, sizeof(e.name), "abc.age:2,S");
	e.in_cur = 1;
	cr_assert_eq(spool_entry_path("/s", &e, out, sizeof(out)), SH_OK);
	cr_assert_str_eq(out, "/s/cur/abc.age:2,S");
	e.in_cur = 0;
	cr_assert_eq(spool_entry_path("/s", &e, out, sizeof(out)), SH_OK);
	cr_assert_str_eq(out, "/s/new/abc.age:2,S");
	cr_assert_eq(spool_entry_path("/s", &e, small, sizeof(small)), SH_ERR_TOO_LARGE);
}

Test(spool, stale_tmp)
{
	char p[512], **names = NULL;
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };
	time_t now = time(NULL);
	size_t n = 0, i;

	cr_assert_eq(spool_init(top), SH_OK);
	touch("tmp", "old1", "x");
	touch("tmp", "fresh", "x");
	path_of(p, sizeof(p), "tmp", "old1");
	ts[0].tv_sec = ts[1].tv_sec = now - 48 * 3600;
	cr_assert_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
	cr_assert_eq(spool_stale_tmp(top, now, 36 * 3600, &names, &n), SH_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(names[0], "old1");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	cr_assert_eq(spool_stale_tmp(top, now + 100 * 3600, 36 * 3600, &names, &n), SH_OK);
	cr_assert_eq(n, 2);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

Test(spool, write_failure_midway_leaves_nothing)
{
	struct rlimit rl = { 4096, 4096 };
	unsigned char *data = calloc(1, 64 * 1024);

	cr_assert_not_null(data);
	cr_assert_eq(spool_init(top), SH_OK);
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	cr_assert_eq(spool_deliver(top, data, 64 * 1024, NULL), SH_ERR_IO);
	cr_assert_eq(errno, EFBIG, "errno kept");
	cr_assert_eq(count_dir("tmp", NULL, 0), 0);
	cr_assert_eq(count_dir("new", NULL, 0), 0);
	free(data);
}

/* A full disk: a 64 KiB tmpfs (needs root and mount rights; skipped
 * otherwise). */
static char mnt[300];

static void
unmount_small(void)
{
	if (mnt[0] != '\0')
		umount2(mnt, MNT_DETACH);
	teardown();
}

Test(spool, full_disk_reports_nospace, .fini = unmount_small)
{
	unsigned char *data = calloc(1, 256 * 1024);

	cr_assert_not_null(data);
	snprintf(mnt, sizeof(mnt), "%s/small", top);
	cr_assert_eq(mkdir(mnt, 0700), 0);
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") != 0) {
		mnt[0] = '\0';
		cr_skip_test("cannot mount a small tmpfs here");
	}
	cr_assert_eq(spool_init(mnt), SH_OK);
	cr_assert_eq(spool_deliver(mnt, data, 256 * 1024, NULL), SH_ERR_NOSPACE);
	cr_assert(errno == ENOSPC || errno == EDQUOT);
	{
		char p[512];
		struct dirent *de;
		DIR *d;
		int n = 0;
		const char *subs[] = { "tmp", "new" };
		for (int i = 0; i < 2; i++) {
			snprintf(p, sizeof(p), "%s/%s", mnt, subs[i]);
			d = opendir(p);
			cr_assert_not_null(d);
			while ((de = readdir(d)) != NULL)
				n += de->d_name[0] != '.';
			closedir(d);
		}
		cr_assert_eq(n, 0, "nothing left in tmp/ or new/");
	}
	/* a small envelope still fits after the failure */
	cr_assert_eq(spool_deliver(mnt, data, 1024, NULL), SH_OK);
	free(data);
}

Test(spool, file_names_listed_and_refused)
{
	char base[SPOOL_NAME_MAX], flags[8];

	cr_assert_eq(spool_parse_name("0a1B-_z.age", base, flags, sizeof(flags)), 0);
	cr_assert_str_eq(base, "0a1B-_z.age");
	cr_assert_str_eq(flags, "");
	cr_assert_eq(spool_parse_name("abc.age:2,RS", base, flags, sizeof(flags)), 0);
	cr_assert_str_eq(base, "abc.age");
	cr_assert_str_eq(flags, "RS");
	cr_assert_eq(spool_parse_name("abc.age:2,", base, flags, sizeof(flags)), 0);
	cr_assert_str_eq(flags, "");
	cr_assert_eq(spool_parse_name(".age", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name(".hidden.age", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name("a b.age", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name("abc.age.tmp", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name("abc.age:1,S", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name("abc.age:2,S1", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name("abc.age:2,ABCDEFGH", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name("abc.AGE", base, flags, sizeof(flags)), -1);
	cr_assert_eq(spool_parse_name("a1234567890123456789012345678901234567890123456789012345678901.age",
	                              base, flags, sizeof(flags)), -1);
}

/* Issue 11, class 2: a move never replaces a file already holding its
 * target name; both stay, and the scan marks the clash. */
Test(spool, set_state_never_replaces_and_clash_is_marked)
{
	char name[SPOOL_NAME_MAX], p[512], target[SPOOL_NAME_MAX + 8];
	struct spool_entry *e = NULL;
	size_t n = 0, i, clashes = 0;
	struct stat st;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"genuine", 7, name), SH_OK);
	snprintf(target, sizeof(target), "%s:2,S", name);
	touch("cur", target, "read already");           /* a request already seen */
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	cr_assert_eq(n, 2);
	for (i = 0; i < n; i++)
		clashes += e[i].clash != 0;
	cr_assert_eq(clashes, 2, "both files of one name are marked");
	for (i = 0; i < n && e[i].in_cur; i++)
		;
	cr_assert_lt(i, n);
	cr_assert_eq(spool_set_state(top, &e[i], SPOOL_SEEN), SH_ERR_EXISTS);
	path_of(p, sizeof(p), "cur", target);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_size, 12, "the file in cur/ was replaced");
	path_of(p, sizeof(p), "new", name);
	cr_assert_eq(stat(p, &st), 0, "the file in new/ was lost");
	free(e);
}

/* Class 3: links are not followed, and only delivery names are removed. */
Test(spool, open_refuses_links_and_remove_tmp_only_delivery_names)
{
	char p[512], out[512];
	struct spool sp;
	const char *why = NULL;

	cr_assert_eq(spool_init(top), SH_OK);
	touch("tmp", "0123456789abcdef0123456789abcdef.age", "x");
	touch("tmp", "notes.txt", "mine");
	cr_assert_eq(spool_open(&sp, top, SPOOL_NEED_TMP, &why), SH_OK);
	cr_assert_eq(spool_remove_tmp(&sp, "notes.txt"), SH_ERR_USAGE);
	cr_assert_eq(spool_remove_tmp(&sp, "../new"), SH_ERR_USAGE);
	cr_assert_eq(spool_remove_tmp(&sp, "0123456789abcdef0123456789abcdef.age"), SH_OK);
	spool_close(&sp);
	path_of(p, sizeof(p), "tmp", "notes.txt");
	cr_assert_eq(access(p, F_OK), 0);

	path_of(p, sizeof(p), "cur", NULL);
	cr_assert_eq(rmdir(p), 0);
	snprintf(out, sizeof(out), "%s/tmp", top);
	cr_assert_eq(symlink(out, p), 0);
	cr_assert_eq(spool_open(&sp, top, 0, &why), SH_ERR_PERM);
	cr_assert_str_eq(why, "cur/ is a symbolic link (not followed)");
	cr_assert_eq(sp.root, -1);
	cr_assert_eq(unlink(p), 0);
	cr_assert_eq(mkdir(p, 0777), 0);
	cr_assert_eq(chmod(p, 0777), 0);
	cr_assert_eq(spool_open(&sp, top, 0, &why), SH_ERR_PERM);
	cr_assert_str_eq(why, "cur/ is writable by everyone");
	cr_assert_eq(chmod(p, 01777), 0);
	cr_assert_eq(spool_open(&sp, top, 0, &why), SH_OK, "sticky is fine");
	spool_close(&sp);
}

/* Class 8: a Syncthing conflict copy is listed (and marked), not hidden. */
Test(spool, sync_conflict_copies_are_listed)
{
	char name[SPOOL_NAME_MAX], copy[SPOOL_NAME_MAX], base[40];
	struct spool_entry *e = NULL;
	size_t n = 0, i, marked = 0;

	cr_assert_eq(spool_init(top), SH_OK);
	cr_assert_eq(spool_deliver(top, (const unsigned char *)"genuine", 7, name), SH_OK);
	snprintf(base, sizeof(base), "%.32s", name);
	snprintf(copy, sizeof(copy), "%s.sync-conflict-20261203-101010-ABCDEFG.age", base);
	touch("new", copy, "the other side");
	snprintf(copy, sizeof(copy), "%s.sync-conflict-20261203-101011-QWERTY7.age:2,S", base);
	touch("cur", copy, "and a seen one");
	touch("new", "x.sync-conflict-2026.age", "not a conflict name");
	cr_assert_eq(spool_scan(top, &e, &n), SH_OK);
	cr_assert_eq(n, 3);
	for (i = 0; i < n; i++) {
		marked += e[i].sync_conflict != 0;
		if (e[i].sync_conflict && e[i].in_cur)
			cr_assert_eq(e[i].state, SPOOL_SEEN);
	}
	cr_assert_eq(marked, 2);
	free(e);
}
