#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "safeharbor/keys.h"

#define DATA "tests/data/keys/"
#define ID_LINE "AGE-SECRET-KEY-13JWHPUCKMZX4RW9VH259QYGK8PF6LV0V6VUZ4FA6Q4DH6SKXFFCQZ0KARP"
#define ID_PUB "age1wwdrgyqkta3sel5wesvhmeec68p0pjwcwxjuv6cn4yplpn8r55lqdjgcgr"
#define ID_PASS "correct horse battery"

static char top[256];
static struct keys_identities *ids;

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	snprintf(top, sizeof(top), "/tmp/sh-test-keys-XXXXXX");
	cr_assert_not_null(mkdtemp(top));
	ids = keys_identities_new();
	cr_assert_not_null(ids);
}

static void
teardown(void)
{
	char cmd[512];

	keys_identities_free(ids);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		cr_log_warn("cleanup failed");
}

TestSuite(keys, .init = setup, .fini = teardown);

static void
tpath(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", top, name);
}

static void
write_file(const char *name, const void *data, size_t len, mode_t mode)
{
	char p[512];
	int fd;

	tpath(p, sizeof(p), name);
	fd = open(p, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	cr_assert_geq(fd, 0, "create %s", p);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* Copy a fixture into the temp dir with mode. */
static void
fixture(const char *src, const char *name, mode_t mode)
{
	char *buf = NULL;
	size_t len = 0;

	if (access(src, R_OK) != 0)
		cr_skip_test("fixtures need the top of the tree as working directory");
	cr_assert_eq(keys_read_file_secure(src, KEYS_MAX_FILE, &buf, &len), SH_OK);
	write_file(name, buf, len, mode);
	sodium_free(buf);
}

static int
count_entries(void)
{
	DIR *d = opendir(top);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
assert_pub(const struct keys_identities *set, size_t i, const char *want)
{
	struct age_unlock u;
	struct age_recipient r;
	char s[AGE_RECIPIENT_STRLEN + 1];

	memset(&u, 0, sizeof(u));
	keys_identities_unlock(set, &u);
	cr_assert_gt(u.nids, i);
	age_identity_recipient(&u.ids[i], &r);
	age_recipient_format(&r, s);
	cr_assert_str_eq(s, want);
}

Test(keys, parse_age_keygen_output)
{
	static const char text[] =
		"# created: 2026-11-29T08:24:47Z\n"
		"# public key: " ID_PUB "\n"
		ID_LINE "\n";
	size_t errline = 99;

	cr_assert_eq(keys_parse_identities(text, sizeof(text) - 1, ids, &errline), SH_OK);
	cr_assert_eq(errline, 0);
	cr_assert_eq(keys_identities_count(ids), 1);
	assert_pub(ids, 0, ID_PUB);
}

Test(keys, parse_identities_line_rules)
{
	static const char crlf[] = "# c\r\n\r\n" ID_LINE "\r\n";
	static const char nolf[] = ID_LINE;
	static const char two[] = ID_LINE "\n#\n\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQSQ5HUG7\n";
	size_t errline;

	cr_assert_eq(keys_parse_identities(crlf, sizeof(crlf) - 1, ids, &errline), SH_OK);
	cr_assert_eq(keys_parse_identities(nolf, sizeof(nolf) - 1, ids, &errline), SH_OK);
	cr_assert_eq(keys_identities_count(ids), 2);
	/* A second key with a bad checksum: nothing from this text is kept. */
	cr_assert_eq(keys_parse_identities(two, sizeof(two) - 1, ids, &errline), SH_ERR_FORMAT);
	cr_assert_eq(errline, 4);
	cr_assert_eq(keys_identities_count(ids), 2, "no partial add");
}

Test(keys, parse_identities_rejects_junk)
{
	static const struct { const char *text; size_t errline; } bad[] = {
		{ "", 0 },
		{ "# only a comment\n\n", 0 },
		{ " " ID_LINE "\n", 1 },                     /* no trimming */
		{ ID_LINE " \n", 1 },
		{ "# c\n" ID_LINE "\r\r\n", 2 },
		{ "\n\nhello\n", 3 },
		{ "age1wwdrgyqkta3sel5wesvhmeec68p0pjwcwxjuv6cn4yplpn8r55lqdjgcgr\n", 1 },
		{ "age-secret-key-13jwhpuckmzx4rw9vh259qygk8pf6lv0v6vuz4fa6q4dh6skxffcqz0karp\n", 1 },
		{ "AGE-SECRET-KEY-13JWHPUCKMZX4RW9VH259QYGK8PF6LV0V6VUZ4FA6Q4DH6SKXFFCQZ0KARQ\n", 1 },
		{ "AGE-PLUGIN-YUBIKEY-1QQQQQQ\n", 1 },
		{ "-----BEGIN AGE ENCRYPTED FILE-----\n", 1 },
	};
	size_t i, errline;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errline = 77;
		cr_assert_eq(keys_parse_identities(bad[i].text, strlen(bad[i].text), ids, &errline),
		             SH_ERR_FORMAT, "case %zu", i);
		cr_assert_eq(errline, bad[i].errline, "case %zu line %zu", i, errline);
		cr_assert_eq(keys_identities_count(ids), 0);
	}
	{
		static const char nul[] = ID_LINE "\n\0\n";
		cr_assert_eq(keys_parse_identities(nul, sizeof(nul) - 1, ids, &errline), SH_ERR_FORMAT);
		cr_assert_eq(errline, 2);
	}
}

Test(keys, too_many_identities)
{
	size_t per = sizeof(ID_LINE), n = KEYS_MAX_IDENTITIES + 1, i, errline;
	char *text = malloc(per * n);

	cr_assert_not_null(text);
	for (i = 0; i < n; i++) {
		memcpy(text + i * per, ID_LINE, per - 1);
		text[i * per + per - 1] = '\n';
	}
	cr_assert_eq(keys_parse_identities(text, per * (n - 1), ids, &errline), SH_OK);
	cr_assert_eq(keys_identities_count(ids), KEYS_MAX_IDENTITIES);
	keys_identities_free(ids);
	ids = keys_identities_new();
	cr_assert_eq(keys_parse_identities(text, per * n, ids, &errline), SH_ERR_TOO_LARGE);
	cr_assert_eq(errline, n);
	cr_assert_eq(keys_identities_count(ids), 0);
	free(text);
}

Test(keys, identities_add)
{
	struct age_identity *id = sodium_malloc(sizeof(*id));
	char s[AGE_RECIPIENT_STRLEN + 1];
	struct age_recipient r;

	cr_assert_not_null(id);
	age_identity_generate(id);
	cr_assert_eq(keys_identities_add(ids, id), SH_OK);
	cr_assert_eq(keys_identities_count(ids), 1);
	age_identity_recipient(id, &r);
	age_recipient_format(&r, s);
	assert_pub(ids, 0, s);
	sodium_free(id);
}

Test(keys, load_plain_identity_file_and_permissions)
{
	char p[512];
	int plain = -1, enc = -1;

	fixture(DATA "identity.txt", "id.txt", 0600);
	tpath(p, sizeof(p), "id.txt");
	cr_assert_eq(keys_identity_file_is_encrypted(p, &enc), SH_OK);
	cr_assert_eq(enc, 0);
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_OK);
	cr_assert_eq(plain, 1);
	assert_pub(ids, 0, ID_PUB);

	cr_assert_eq(chmod(p, 0644), 0);
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_ERR_PERM);
	cr_assert_eq(chmod(p, 0640), 0);
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_ERR_PERM);
	cr_assert_eq(chmod(p, 0602), 0);
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_ERR_PERM);
	cr_assert_eq(chmod(p, 0400), 0);
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_OK);
	cr_assert_eq(keys_identities_count(ids), 2);

	tpath(p, sizeof(p), "absent");
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_ERR_NOT_FOUND);
	cr_assert_eq(keys_identity_file_is_encrypted(p, &enc), SH_ERR_NOT_FOUND);
	cr_assert_eq(keys_load_identity_file(top, NULL, 0, ids, &plain), SH_ERR_IO,
	             "a directory");
}

Test(keys, load_junk_identity_file)
{
	char p[512];
	int plain;

	write_file("junk", "hello\n", 6, 0600);
	tpath(p, sizeof(p), "junk");
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_ERR_FORMAT);
	cr_assert_eq(keys_identities_count(ids), 0);
	write_file("armored", "-----BEGIN AGE ENCRYPTED FILE-----\n", 35, 0600);
	tpath(p, sizeof(p), "armored");
	cr_assert_eq(keys_load_identity_file(p, "x", 1, ids, &plain), SH_ERR_FORMAT);
}

/* Made by stock `age -p` (scrypt logN 18: about a second and 256 MiB). */
Test(keys, load_identity_encrypted_by_stock_age, .timeout = 60)
{
	char p[512];
	int plain = -1, enc = -1;

	fixture(DATA "identity.age", "id.age", 0600);
	tpath(p, sizeof(p), "id.age");
	cr_assert_eq(keys_identity_file_is_encrypted(p, &enc), SH_OK);
	cr_assert_eq(enc, 1);
	cr_assert_eq(keys_load_identity_file(p, NULL, 0, ids, &plain), SH_ERR_PASSPHRASE);
	cr_assert_eq(keys_load_identity_file(p, ID_PASS, strlen(ID_PASS), ids, &plain), SH_OK);
	cr_assert_eq(plain, 0);
	cr_assert_eq(keys_identities_count(ids), 1);
	assert_pub(ids, 0, ID_PUB);
}

Test(keys, write_identity_round_trip)
{
	struct age_identity *id = sodium_malloc(sizeof(*id));
	struct age_recipient r;
	char p[512], pub[AGE_RECIPIENT_STRLEN + 1];
	struct stat st;
	int plain = -1, enc = -1;
	unsigned char *pt = NULL;
	size_t ptlen = 0, len;
	char *ct;
	struct age_unlock u;

	cr_assert_not_null(id);
	age_identity_generate(id);
	age_identity_recipient(id, &r);
	age_recipient_format(&r, pub);
	tpath(p, sizeof(p), "identity.age");
	cr_assert_eq(keys_write_identity(p, id, "pw", 2, 10), SH_OK);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	cr_assert_eq(count_entries(), 1, "no temporary file left");
	cr_assert_eq(keys_identity_file_is_encrypted(p, &enc), SH_OK);
	cr_assert_eq(enc, 1);

	cr_assert_eq(keys_load_identity_file(p, "pW", 2, ids, &plain), SH_ERR_PASSPHRASE);
	cr_assert_eq(keys_identities_count(ids), 0);
	cr_assert_eq(keys_load_identity_file(p, "pw", 2, ids, &plain), SH_OK);
	cr_assert_eq(plain, 0);
	assert_pub(ids, 0, pub);

	/* The plaintext is exactly what age-keygen writes. */
	cr_assert_eq(keys_read_file_secure(p, KEYS_MAX_FILE, &ct, &len), SH_OK);
	cr_assert_eq(memcmp(ct, "age-encryption.org/v1\n-> scrypt ", 32), 0);
	memset(&u, 0, sizeof(u));
	u.passphrase = "pw";
	u.passlen = 2;
	cr_assert_eq(age_decrypt_to_secure(&u, (unsigned char *)ct, len, 4096, &pt, &ptlen), SH_OK);
	{
		char id_line[AGE_IDENTITY_STRLEN + 1], want[256];
		int n;
		age_identity_format(id, id_line);
		cr_assert_eq(memcmp(pt, "# created: ", 11), 0);
		cr_assert_eq(pt[11 + 20], '\n', "RFC 3339 time, UTC");
		cr_assert_eq(pt[11 + 19], 'Z');
		n = snprintf(want, sizeof(want), "# public key: %s\n%s\n", pub, id_line);
		cr_assert_eq(ptlen, 32 + (size_t)n);
		cr_assert_eq(memcmp(pt + 32, want, (size_t)n), 0);
		sodium_memzero(id_line, sizeof(id_line));
		sodium_memzero(want, sizeof(want));
	}
	sodium_free(pt);
	sodium_free(ct);

	/* Never overwrite. */
	cr_assert_eq(keys_write_identity(p, id, "other", 5, 10), SH_ERR_EXISTS);
	cr_assert_eq(keys_load_identity_file(p, "pw", 2, ids, &plain), SH_OK, "old file intact");
	cr_assert_eq(count_entries(), 1);
	/* A directory that does not exist: nothing created anywhere. */
	tpath(p, sizeof(p), "nodir/identity.age");
	cr_assert_eq(keys_write_identity(p, id, "pw", 2, 10), SH_ERR_NOT_FOUND);
	cr_assert_eq(count_entries(), 1);
	sodium_free(id);
}

/* Stock age opens what keys_write_identity wrote (driven through a pty,
 * since age reads passphrases only from a terminal). */
Test(keys, stock_age_opens_written_identity, .timeout = 60)
{
	struct age_identity *id = sodium_malloc(sizeof(*id));
	char p[512], out[512], cmd[2048], line[AGE_IDENTITY_STRLEN + 1], got[512];
	FILE *f;
	size_t n;
	int rc;

	if (system("command -v age >/dev/null && command -v python3 >/dev/null") != 0)
		cr_skip_test("age or python3 not installed");
	cr_assert_not_null(id);
	age_identity_generate(id);
	tpath(p, sizeof(p), "w.age");
	tpath(out, sizeof(out), "w.txt");
	cr_assert_eq(keys_write_identity(p, id, "s3cret", 6, 10), SH_OK);
	snprintf(cmd, sizeof(cmd),
	         "python3 -c 'import os,pty,sys\n"
	         "try: pid,fd=pty.fork()\n"
	         "except OSError: sys.exit(77)\n"
	         "if pid==0: os.execvp(\"age\",[\"age\",\"-d\",\"-o\",sys.argv[2],sys.argv[1]])\n"
	         "buf=b\"\"\n"
	         "while b\"passphrase\" not in buf: buf+=os.read(fd,100)\n"
	         "os.write(fd,b\"s3cret\\n\")\n"
	         "try:\n"
	         "  while os.read(fd,100): pass\n"
	         "except OSError: pass\n"
	         "sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid,0)[1]))' '%s' '%s'",
	         p, out);
	rc = system(cmd);
	if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
		cr_skip_test("no pseudo-terminal available");
	cr_assert_eq(rc, 0, "age -d failed");
	f = fopen(out, "r");
	cr_assert_not_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	age_identity_format(id, line);
	cr_assert(strstr(got, line) != NULL, "age's plaintext holds the key");
	cr_assert(strncmp(got, "# created: ", 11) == 0);
	sodium_memzero(line, sizeof(line));
	sodium_memzero(got, sizeof(got));
	sodium_free(id);
}

Test(keys, recipients)
{
	static const char text[] =
		"# social worker\r\n" ID_PUB "\r\n\n# backup\n"
		"age1zylgqzcyz6quvvmvwfnjh3nr7uzzptd7zg5rawr49ld6dedak30smwd5sx\n";
	struct age_recipient r[4];
	char s[AGE_RECIPIENT_STRLEN + 1];
	size_t n = 9, errline = 9;

	cr_assert_eq(keys_parse_recipients(text, sizeof(text) - 1, r, 4, &n, &errline), SH_OK);
	cr_assert_eq(n, 2);
	cr_assert_eq(errline, 0);
	age_recipient_format(&r[0], s);
	cr_assert_str_eq(s, ID_PUB);
	cr_assert_eq(keys_parse_recipients(text, sizeof(text) - 1, r, 1, &n, &errline),
	             SH_ERR_TOO_LARGE);
	cr_assert_eq(errline, 5);
	cr_assert_eq(keys_parse_recipients("# none\n", 7, r, 4, &n, &errline), SH_ERR_FORMAT);
	cr_assert_eq(keys_parse_recipients(ID_PUB "\n" ID_LINE "\n", 63 + 75, r, 4, &n, &errline),
	             SH_ERR_FORMAT);
	cr_assert_eq(errline, 2);
	cr_assert_eq(keys_parse_recipients(" " ID_PUB "\n", 64, r, 4, &n, &errline), SH_ERR_FORMAT);
	cr_assert_eq(keys_parse_recipients("AGE1WWDRGYQKTA3SEL5WESVHMEEC68P0PJWCWXJUV6CN4YPLPN8R55LQDJGCGR",
	                                   62, r, 4, &n, &errline), SH_ERR_FORMAT);
}

Test(keys, load_recipients_file)
{
	struct age_recipient r[KEYS_MAX_RECIPIENTS];
	char p[512];
	size_t n = 0, errline;

	fixture(DATA "identity.pub", "rcpt.txt", 0644);   /* public: any mode */
	tpath(p, sizeof(p), "rcpt.txt");
	cr_assert_eq(keys_load_recipients(p, r, KEYS_MAX_RECIPIENTS, &n, &errline), SH_OK);
	cr_assert_eq(n, 1);
	tpath(p, sizeof(p), "none.txt");
	cr_assert_eq(keys_load_recipients(p, r, KEYS_MAX_RECIPIENTS, &n, &errline),
	             SH_ERR_NOT_FOUND);
}

Test(keys, read_file_secure)
{
	char p[512], *buf = NULL;
	size_t len = 0;

	write_file("f", "abc\0def", 7, 0644);
	tpath(p, sizeof(p), "f");
	cr_assert_eq(keys_read_file_secure(p, 7, &buf, &len), SH_OK);
	cr_assert_eq(len, 7);
	cr_assert_eq(memcmp(buf, "abc\0def", 8), 0, "NUL-terminated");
	sodium_free(buf);
	cr_assert_eq(keys_read_file_secure(p, 6, &buf, &len), SH_ERR_TOO_LARGE);
	cr_assert_eq(keys_read_file_secure(top, 100, &buf, &len), SH_ERR_IO);
	write_file("empty", "", 0, 0600);
	tpath(p, sizeof(p), "empty");
	cr_assert_eq(keys_read_file_secure(p, 100, &buf, &len), SH_OK);
	cr_assert_eq(len, 0);
	cr_assert_eq(buf[0], '\0');
	sodium_free(buf);
}

Test(keys, kiosk_token)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char back[crypto_sign_PUBLICKEYBYTES];
	char tok[KEYS_KIOSK_STRLEN + 1], bad[KEYS_KIOSK_STRLEN + 1];
	size_t i;

	crypto_sign_keypair(pk, sk);
	keys_kiosk_format(pk, tok);
	cr_assert_eq(strlen(tok), KEYS_KIOSK_STRLEN);
	cr_assert_eq(strncmp(tok, "shkiosk1", 8), 0);
	cr_assert_eq(keys_kiosk_parse(tok, KEYS_KIOSK_STRLEN, back), SH_OK);
	cr_assert_eq(memcmp(pk, back, sizeof(pk)), 0);
	for (i = 0; i < KEYS_KIOSK_STRLEN; i++)
		bad[i] = (char)(tok[i] >= 'a' && tok[i] <= 'z' ? tok[i] - 32 : tok[i]);
	bad[KEYS_KIOSK_STRLEN] = '\0';
	cr_assert_eq(keys_kiosk_parse(bad, KEYS_KIOSK_STRLEN, back), SH_ERR_FORMAT, "uppercase");
	memcpy(bad, tok, sizeof(bad));
	bad[20] = bad[20] == 'q' ? 'p' : 'q';
	cr_assert_eq(keys_kiosk_parse(bad, KEYS_KIOSK_STRLEN, back), SH_ERR_FORMAT, "checksum");
	cr_assert_eq(keys_kiosk_parse(tok, KEYS_KIOSK_STRLEN - 1, back), SH_ERR_FORMAT);
	cr_assert_eq(keys_kiosk_parse(ID_PUB, strlen(ID_PUB), back), SH_ERR_FORMAT);
}

Test(keys, signing_create_load_sign)
{
	struct keys_signing *k = keys_signing_new(), *l = keys_signing_new();
	char p[512], *text = NULL, tok[KEYS_KIOSK_STRLEN + 1], want[128];
	unsigned char sig[crypto_sign_BYTES];
	struct stat st;
	size_t len;
	char *line;

	cr_assert_not_null(k);
	cr_assert_not_null(l);
	tpath(p, sizeof(p), "kiosk.key");
	cr_assert_eq(keys_signing_create(p, k), SH_OK);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	cr_assert_eq(count_entries(), 1);

	cr_assert_eq(keys_read_file_secure(p, 4096, &text, &len), SH_OK);
	keys_kiosk_format(k->pk, tok);
	snprintf(want, sizeof(want), "# safeharbor kiosk signing key\n# public key: %s\n", tok);
	cr_assert_eq(strncmp(text, want, strlen(want)), 0, "%s", text);
	line = text + strlen(want);
	cr_assert_eq(strncmp(line, "SAFEHARBOR-KIOSK-SECRET-KEY-1", 29), 0);
	cr_assert_eq(strlen(line), 88);
	cr_assert_eq(line[87], '\n');
	for (size_t i = 0; i < 87; i++)
		cr_assert(!(line[i] >= 'a' && line[i] <= 'z'), "uppercase");
	cr_assert_eq(keys_signing_parse(text, len, l), SH_OK);
	cr_assert_eq(memcmp(k->pk, l->pk, sizeof(k->pk)), 0);
	cr_assert_eq(memcmp(k->sk, l->sk, sizeof(k->sk)), 0);

	/* lowercase key line, second key line, no key, wrong HRP */
	line[40] = (char)(line[40] >= 'A' && line[40] <= 'Z' ? line[40] + 32 : line[40]);
	if (line[40] >= 'a' && line[40] <= 'z')
		cr_assert_eq(keys_signing_parse(text, len, l), SH_ERR_FORMAT);
	cr_assert_eq(keys_signing_parse("# x\n", 4, l), SH_ERR_FORMAT);
	cr_assert_eq(keys_signing_parse(ID_LINE "\n", 75, l), SH_ERR_FORMAT);
	sodium_free(text);

	cr_assert_eq(keys_signing_load(p, l), SH_OK);
	cr_assert_eq(memcmp(k->pk, l->pk, sizeof(k->pk)), 0);
	crypto_sign_detached(sig, NULL, (const unsigned char *)"m", 1, l->sk);
	cr_assert_eq(crypto_sign_verify_detached(sig, (const unsigned char *)"m", 1, k->pk), 0);

	cr_assert_eq(keys_signing_create(p, l), SH_ERR_EXISTS);
	cr_assert_eq(keys_signing_load(p, l), SH_OK, "file unchanged");
	cr_assert_eq(memcmp(k->pk, l->pk, sizeof(k->pk)), 0);
	cr_assert_eq(chmod(p, 0644), 0);
	cr_assert_eq(keys_signing_load(p, l), SH_ERR_PERM);
	cr_assert_eq(chmod(p, 0604), 0);
	cr_assert_eq(keys_signing_load(p, l), SH_ERR_PERM);
	tpath(p, sizeof(p), "absent.key");
	cr_assert_eq(keys_signing_load(p, l), SH_ERR_NOT_FOUND);
	keys_signing_free(k);
	keys_signing_free(l);
}

Test(keys, signing_parse_two_keys_refused)
{
	struct keys_signing *k = keys_signing_new(), *l = keys_signing_new();
	char p[512], *text = NULL, *two;
	size_t len;

	tpath(p, sizeof(p), "k");
	cr_assert_eq(keys_signing_create(p, k), SH_OK);
	cr_assert_eq(keys_read_file_secure(p, 4096, &text, &len), SH_OK);
	two = malloc(2 * len);
	cr_assert_not_null(two);
	memcpy(two, text, len);
	memcpy(two + len, text, len);
	cr_assert_eq(keys_signing_parse(two, 2 * len, l), SH_ERR_FORMAT);
	cr_assert_eq(keys_signing_parse(text, len - 1, l), SH_OK, "no final newline is fine");
	text[len - 2] = text[len - 2] == 'Q' ? 'P' : 'Q';
	cr_assert_eq(keys_signing_parse(text, len, l), SH_ERR_FORMAT, "checksum");
	free(two);
	sodium_free(text);
	keys_signing_free(k);
	keys_signing_free(l);
}
