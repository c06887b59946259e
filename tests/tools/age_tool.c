/*
 * age_tool: test-only CLI over the age module, for interop tests with the
 * real age binary and for benchmarks. Not installed.
 *   age_tool keygen                      identity in age-keygen format
 *   age_tool encrypt -r AGE1... [-r ...] <in >out   (age_encrypt_fd)
 *   age_tool encrypt-mem -r AGE1... [-r ...] <in >out (age_encrypt_mem)
 *   age_tool decrypt -i IDFILE [-i ...]  <in >out   (plain identity file)
 *   age_tool encrypt-pass PASSFILE LOGN  <in >out
 *   age_tool decrypt-pass PASSFILE       <in >out
 * PASSFILE: the passphrase is its first line (without the newline).
 * Exit: 0 ok, 1 refused (prints the status), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/age.h"

#define MAX_IDS 16

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: age_tool keygen | encrypt[-mem] -r R... | decrypt -i F... |\n"
	        "       encrypt-pass PASSFILE LOGN | decrypt-pass PASSFILE\n");
	exit(2);
}

static _Noreturn void
fail(const char *what, enum sh_status st)
{
	fprintf(stderr, "age_tool: %s: %s\n", what, sh_status_str(st));
	exit(1);
}

/* Reads a whole file (or stdin for NULL) into malloc'd memory. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	int fd = path == NULL ? 0 : open(path, O_RDONLY);
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (fd < 0) {
		fprintf(stderr, "age_tool: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				exit(2);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			perror("age_tool: read");
			exit(2);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (path != NULL)
		close(fd);
	*len = n;
	return buf;
}

static int
write_sink(void *ctx, const unsigned char *buf, size_t len)
{
	int fd = *(int *)ctx;

	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Identity file: LF lines, optional CR, '#' comments and blank lines. */
static size_t
load_identities(const char *path, struct age_identity *ids, size_t n, size_t max)
{
	size_t len, i = 0, added = 0;
	unsigned char *buf = slurp(path, &len);

	while (i < len) {
		size_t j = i, l;

		while (j < len && buf[j] != '\n')
			j++;
		l = j - i;
		if (l > 0 && buf[i + l - 1] == '\r')
			l--;
		if (l > 0 && buf[i] != '#') {
			if (n + added == max)
				usage();
			if (age_identity_parse((const char *)buf + i, l, &ids[n + added]) != SH_OK) {
				fprintf(stderr, "age_tool: %s: malformed identity\n", path);
				exit(1);
			}
			added++;
		}
		i = j + 1;
	}
	sodium_memzero(buf, len);
	free(buf);
	if (added == 0) {
		fprintf(stderr, "age_tool: %s: no identities\n", path);
		exit(1);
	}
	return added;
}

static char *
read_pass(const char *path, size_t *len)
{
	size_t n;
	unsigned char *buf = slurp(path, &n);
	char *p = sodium_malloc(n + 1);
	size_t l = 0;

	if (p == NULL)
		exit(2);
	while (l < n && buf[l] != '\n')
		l++;
	if (l > 0 && buf[l - 1] == '\r')
		l--;
	memcpy(p, buf, l);
	p[l] = '\0';
	sodium_memzero(buf, n);
	free(buf);
	*len = l;
	return p;
}

static int
cmd_keygen(void)
{
	struct age_identity *id = sodium_malloc(sizeof *id);
	struct age_recipient r;
	char *s = sodium_malloc(AGE_IDENTITY_STRLEN + 1);
	char pub[AGE_RECIPIENT_STRLEN + 1], ts[32];
	time_t now = time(NULL);
	struct tm tm;

	if (id == NULL || s == NULL)
		exit(2);
	age_identity_generate(id);
	age_identity_recipient(id, &r);
	age_recipient_format(&r, pub);
	age_identity_format(id, s);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("# created: %s\n# public key: %s\n%s\n", ts, pub, s);
	sodium_free(s);
	sodium_free(id);
	return 0;
}

int
main(int argc, char **argv)
{
	enum sh_status st;
	int out = 1;

	if (sodium_init() < 0 || argc < 2)
		usage();
	if (strcmp(argv[1], "keygen") == 0)
		return cmd_keygen();
	if (strcmp(argv[1], "encrypt") == 0 || strcmp(argv[1], "encrypt-mem") == 0) {
		struct age_recipient r[AGE_MAX_STANZAS];
		size_t nr = 0;
		int i;

		for (i = 2; i + 1 < argc && strcmp(argv[i], "-r") == 0; i += 2) {
			if (nr == AGE_MAX_STANZAS ||
			    age_recipient_parse(argv[i + 1], strlen(argv[i + 1]), &r[nr]) != SH_OK) {
				fprintf(stderr, "age_tool: bad recipient: %s\n", argv[i + 1]);
				return 2;
			}
			nr++;
		}
		if (i != argc || nr == 0)
			usage();
		if (argv[1][7] == '-') {
			size_t len, outlen;
			unsigned char *in = slurp(NULL, &len), *ct;

			if ((st = age_encrypt_mem(r, nr, in, len, &ct, &outlen)) != SH_OK)
				fail("encrypt", st);
			if (write_sink(&out, ct, outlen) != 0)
				return 2;
			free(ct);
			free(in);
			return 0;
		}
		if ((st = age_encrypt_fd(r, nr, 0, 1)) != SH_OK)
			fail("encrypt", st);
		return 0;
	}
	if (strcmp(argv[1], "decrypt") == 0) {
		struct age_identity *ids = sodium_allocarray(MAX_IDS, sizeof *ids);
		struct age_unlock u = { 0 };
		size_t nids = 0;
		int i;

		if (ids == NULL)
			return 2;
		for (i = 2; i + 1 < argc && strcmp(argv[i], "-i") == 0; i += 2)
			nids += load_identities(argv[i + 1], ids, nids, MAX_IDS);
		if (i != argc || nids == 0)
			usage();
		u.ids = ids;
		u.nids = nids;
		st = age_decrypt_fd(&u, 0, write_sink, &out);
		sodium_free(ids);
		if (st != SH_OK)
			fail("decrypt", st);
		return 0;
	}
	if (strcmp(argv[1], "encrypt-pass") == 0 && argc == 4) {
		size_t passlen, len, outlen;
		char *pass = read_pass(argv[2], &passlen);
		unsigned char *in = slurp(NULL, &len), *ct;

		st = age_encrypt_passphrase_mem(pass, passlen, atoi(argv[3]), in, len, &ct, &outlen);
		sodium_free(pass);
		sodium_memzero(in, len);
		free(in);
		if (st != SH_OK)
			fail("encrypt", st);
		if (write_sink(&out, ct, outlen) != 0)
			return 2;
		free(ct);
		return 0;
	}
	if (strcmp(argv[1], "decrypt-pass") == 0 && argc == 3) {
		struct age_unlock u = { 0 };
		size_t passlen;
		char *pass = read_pass(argv[2], &passlen);

		u.passphrase = pass;
		u.passlen = passlen;
		st = age_decrypt_fd(&u, 0, write_sink, &out);
		sodium_free(pass);
		if (st != SH_OK)
			fail("decrypt", st);
		return 0;
	}
	usage();
}
