/*
 * Every product file that is read by path goes through fileio's one
 * bounded no-follow reader: the kiosk config, the kiosks file, the tool's
 * key files, the screens. A FIFO must not hang any of them (each test has a
 * timeout: the old readers blocked in open), a link planted by someone
 * else is refused with a message that says so, an oversize file is refused
 * before it is read. A link the user or root made stays usable where that
 * is a real set-up (configs, keys).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/config.h"
#include "safeharbor/fileio.h"
#include "safeharbor/keys.h"
#include "safeharbor/screens.h"
#include "../../src/tool/kiosks.h"

static char top[] = "/tmp/sh-test-readers-XXXXXX";

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	cr_assert_not_null(mkdtemp(top));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		cr_log_warn("cleanup failed");
}

TestSuite(readers, .init = setup, .fini = teardown, .timeout = 10);

static const char *
tp(const char *name)
{
	static char p[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", top, name);
	return p[i];
}

static void
put(const char *name, const char *text, mode_t mode)
{
	FILE *f = fopen(tp(name), "w");

	cr_assert_not_null(f);
	cr_assert_eq(fputs(text, f) >= 0, 1);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(tp(name), mode), 0);
}

static void
put_big(const char *name, size_t size)
{
	FILE *f = fopen(tp(name), "w");

	cr_assert_not_null(f);
	for (size_t i = 0; i < size; i++)
		fputc(i % 64 == 63 ? '\n' : '#', f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(tp(name), 0600), 0);
}

/* A link owned by someone else: as root (the CI container) hand it to
 * nobody; otherwise it is ours, which is not root's either. */
static int
other_link(const char *target, const char *name)
{
	cr_assert_eq(symlink(target, tp(name)), 0);
	if (geteuid() != 0)
		return 0;
	cr_assert_eq(lchown(tp(name), 65534, 65534), 0);
	return 1;
}

struct last { int n; char file[512], msg[128]; };

static void
rep(void *ctx, int severity, const char *file, int line, const char *key, const char *msg)
{
	struct last *l = ctx;

	(void)severity;
	(void)line;
	(void)key;
	l->n++;
	snprintf(l->file, sizeof(l->file), "%s", file);
	snprintf(l->msg, sizeof(l->msg), "%s", msg);
}

static void
srep(void *ctx, const char *file, unsigned line, const char *msg)
{
	rep(ctx, 1, file, (int)line, "", msg);
}

Test(readers, path_reader_follows_only_trusted_links)
{
	char buf[16];
	size_t len;

	put("f", "hello", 0600);
	cr_assert_eq(symlink(tp("f"), tp("l")), 0);
	cr_assert_eq(fileio_read_path(tp("l"), 0, buf, sizeof(buf), &len, NULL), -1);
	cr_assert_eq(errno, ELOOP);
	cr_assert_str_eq(fileio_read_why(-1), "is a symbolic link (not followed)");
	/* our own link: followed with LINK_MINE; with LINK_ROOT only as root */
	cr_assert_eq(fileio_read_path(tp("l"), FILEIO_LINK_MINE, buf, sizeof(buf), &len, NULL), 0);
	cr_assert_eq(len, 5);
	cr_assert_eq(memcmp(buf, "hello", 5), 0);
	cr_assert_eq(fileio_read_path(tp("l"), FILEIO_LINK_ROOT, buf, sizeof(buf), &len, NULL),
	             geteuid() == 0 ? 0 : -1);
	/* someone else's link: never followed */
	if (other_link(tp("f"), "lo")) {
		cr_assert_eq(fileio_read_path(tp("lo"), FILEIO_LINK_MINE, buf, sizeof(buf), &len,
		                              NULL), -1);
		cr_assert_eq(errno, ELOOP);
		cr_assert_eq(fileio_read_path(tp("lo"), FILEIO_LINK_ROOT, buf, sizeof(buf), &len,
		                              NULL), -1);
	}
	/* the target is still held to the rules */
	cr_assert_eq(mkfifo(tp("fifo"), 0600), 0);
	cr_assert_eq(symlink(tp("fifo"), tp("lf")), 0);
	cr_assert_eq(fileio_read_path(tp("lf"), FILEIO_LINK_MINE, buf, sizeof(buf), &len, NULL),
	             FILEIO_NOT_REGULAR);
	cr_assert_str_eq(fileio_read_why(FILEIO_NOT_REGULAR), "not a regular file");
	put_big("big", 17);
	cr_assert_eq(fileio_read_path(tp("big"), 0, buf, sizeof(buf), &len, NULL),
	             FILEIO_TOO_LARGE);
}

static const char conf[] = "[kiosk]\nspool = spool\n";

Test(readers, kiosk_config_link_fifo_and_size)
{
	struct kiosk_config c;
	struct last l = { 0 };

	put("kiosk.conf", conf, 0644);
	other_link(tp("kiosk.conf"), "link.conf");
	config_defaults(&c);
	/* a link root did not make is not followed */
	cr_assert_eq(config_load(tp("link.conf"), &c, rep, &l), SH_ERR_FORMAT);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.file, tp("link.conf"));
	cr_assert_str_eq(l.msg, "is a symbolic link (not followed)");
	/* root's link (an admin's, a config manager's) is */
	if (geteuid() == 0) {
		cr_assert_eq(symlink(tp("kiosk.conf"), tp("root.conf")), 0);
		cr_assert_eq(config_load(tp("root.conf"), &c, rep, &l), SH_OK);
	}
	cr_assert_eq(mkfifo(tp("fifo.conf"), 0600), 0);
	memset(&l, 0, sizeof(l));
	cr_assert_eq(config_load(tp("fifo.conf"), &c, rep, &l), SH_ERR_FORMAT);
	cr_assert_str_eq(l.msg, "not a regular file");
	put_big("big.conf", (1u << 16) + 1);
	memset(&l, 0, sizeof(l));
	cr_assert_eq(config_load(tp("big.conf"), &c, rep, &l), SH_ERR_FORMAT);
	cr_assert_str_eq(l.msg, "file too large");
	cr_assert_eq(config_load(tp("kiosk.conf"), &c, rep, &l), SH_OK);
}

Test(readers, kiosks_file_link_fifo_and_size)
{
	struct kiosks k;
	size_t line;
	const char *why;

	kiosks_init(&k);
	put("kiosks", "", 0600);
	cr_assert_eq(symlink(tp("kiosks"), tp("kiosks.link")), 0);
	cr_assert_eq(kiosks_load(tp("kiosks.link"), &k, &line, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "is a symbolic link (not followed)");
	cr_assert_eq(mkfifo(tp("kiosks.fifo"), 0600), 0);
	cr_assert_eq(kiosks_load(tp("kiosks.fifo"), &k, &line, &why), SH_ERR_FORMAT);
	cr_assert_str_eq(why, "not a regular file");
	put_big("kiosks.big", KIOSKS_FILE_MAX + 1);
	cr_assert_eq(kiosks_load(tp("kiosks.big"), &k, &line, &why), SH_ERR_TOO_LARGE);
	cr_assert_str_eq(why, "file too large");
	cr_assert_eq(kiosks_load(tp("kiosks"), &k, &line, &why), SH_OK);
	cr_assert_eq(kiosks_load(tp("absent"), &k, &line, &why), SH_OK, "no file: no kiosks");
	kiosks_free(&k);
}

Test(readers, key_files_fifo_size_and_own_link)
{
	struct keys_identities *ids = keys_identities_new();
	struct age_recipient r[4];
	size_t n, line;
	char *buf = NULL, *id = NULL;
	size_t len = 0, idlen = 0;
	int plain, enc;

	cr_assert_not_null(ids);
	if (access("tests/data/keys/identity.txt", R_OK) != 0)
		cr_skip_test("fixtures need the top of the tree as working directory");
	cr_assert_eq(keys_read_file_secure("tests/data/keys/identity.txt", KEYS_MAX_FILE,
	                                   &id, &idlen), SH_OK);
	put("id.txt", id, 0600);
	sodium_free(id);
	/* a key the user keeps elsewhere and links: still works */
	cr_assert_eq(symlink(tp("id.txt"), tp("id.link")), 0);
	cr_assert_eq(keys_load_identity_file(tp("id.link"), NULL, 0, ids, &plain), SH_OK);
	cr_assert_eq(keys_identity_file_is_encrypted(tp("id.link"), &enc), SH_OK);
	/* another user's link to it: refused */
	if (other_link(tp("id.txt"), "id.other")) {
		cr_assert_eq(keys_load_identity_file(tp("id.other"), NULL, 0, ids, &plain), SH_ERR_IO);
		cr_assert_str_eq(fileio_read_why(-1), "is a symbolic link (not followed)",
		                 "the message safeharbor and --check print");
	}
	/* a FIFO: refused at once, never waited on */
	cr_assert_eq(mkfifo(tp("id.fifo"), 0600), 0);
	cr_assert_eq(keys_load_identity_file(tp("id.fifo"), NULL, 0, ids, &plain), SH_ERR_IO);
	cr_assert_eq(keys_identity_file_is_encrypted(tp("id.fifo"), &enc), SH_ERR_IO);
	cr_assert_eq(keys_load_recipients(tp("id.fifo"), r, 4, &n, &line), SH_ERR_IO);
	cr_assert_eq(keys_read_file_secure(tp("id.fifo"), KEYS_MAX_FILE, &buf, &len), SH_ERR_IO);
	/* over the cap: refused, not cut short */
	put_big("big", 100);
	cr_assert_eq(keys_read_file_secure(tp("big"), 99, &buf, &len), SH_ERR_TOO_LARGE);
	cr_assert_eq(keys_read_file_secure(tp("big"), 100, &buf, &len), SH_OK);
	cr_assert_eq(len, 100);
	sodium_free(buf);
	keys_identities_free(ids);
}

Test(readers, screen_fifo_does_not_hang_the_kiosk)
{
	char cmd[1200];
	struct screens *s = screens_new();
	struct last l = { 0 };

	cr_assert_not_null(s);
	if (access("screens/en/about.txt", R_OK) != 0)
		cr_skip_test("screens need the top of the tree as working directory");
	snprintf(cmd, sizeof(cmd), "cp -r screens/en '%s/en' && rm '%s/en/about.txt'", top, top);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(mkfifo(tp("en/about.txt"), 0600), 0);
	cr_assert_neq(screens_load(s, top, "en", "2 school days", srep, &l), SH_OK);
	cr_assert_str_eq(l.file, tp("en/about.txt"));
	cr_assert_str_eq(l.msg, "cannot read this file");
	screens_free(s);
}
