/*
 * Runs every age test vector in tests/data/age/ (C2SP/CCTV) through both
 * readers (memory and fd, the fd fed through a pipe in small pieces) and
 * checks the outcome class and the SHA-256 of exactly the plaintext
 * released to the sink. armor_* and hybrid* (features safeharbor does not
 * implement) are skipped by name and counted.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <sodium.h>
#include <zlib.h>

#include "safeharbor/age.h"

#define MAX_V_IDS 8
#define MAX_V_PASS 8

struct vector {
	char name[256];
	char expect[32];
	char payload[65];
	int has_payload, zlib, unknown;
	struct age_identity ids[MAX_V_IDS];
	size_t nids;
	char pass[MAX_V_PASS][128];
	size_t npass;
	unsigned char *body;
	size_t bodylen;
};

static const char *
data_dir(char *buf, size_t size)
{
	const char *top = getenv("SH_TOP");
	char exe[PATH_MAX];
	ssize_t n;

	if (top != NULL && *top != '\0') {
		if (snprintf(buf, size, "%s/tests/data/age", top) < (int)size &&
		    access(buf, R_OK) == 0)
			return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if (snprintf(buf, size, "%s/../../tests/data/age", exe) < (int)size &&
			    access(buf, R_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, size, "tests/data/age");
	return buf;
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, r;

	cr_assert_not_null(f, "open %s: %s", path, strerror(errno));
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

static unsigned char *
inflate_all(const unsigned char *in, size_t inlen, size_t *outlen)
{
	z_stream z;
	size_t cap = inlen * 4 + 1024;
	unsigned char *out = malloc(cap);
	int rc;

	memset(&z, 0, sizeof z);
	cr_assert_eq(inflateInit(&z), Z_OK);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)inlen;
	for (;;) {
		z.next_out = out + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END)
			break;
		cr_assert(rc == Z_OK || rc == Z_BUF_ERROR, "inflate: %d", rc);
		if (z.avail_out == 0) {
			cap *= 2;
			out = realloc(out, cap);
			cr_assert_not_null(out);
		} else {
			cr_assert_fail("truncated zlib stream");
		}
	}
	*outlen = z.total_out;
	inflateEnd(&z);
	return out;
}

static void
copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	cr_assert_lt(n, size, "metadata value too long: %s", src);
	memcpy(dst, src, n + 1);
}

static void
parse_vector(const char *dir, const char *name, struct vector *v)
{
	char path[PATH_MAX];
	unsigned char *raw;
	size_t len, pos = 0;

	memset(v, 0, sizeof *v);
	copy_field(v->name, sizeof v->name, name);
	cr_assert_lt(snprintf(path, sizeof path, "%s/%s", dir, name), (int)sizeof path);
	raw = read_file(path, &len);
	for (;;) {
		unsigned char *nl = memchr(raw + pos, '\n', len - pos);
		size_t l;
		char line[512];

		cr_assert_not_null(nl, "%s: no blank line after the metadata", name);
		l = (size_t)(nl - (raw + pos));
		if (l == 0) {
			pos++;
			break;
		}
		cr_assert_lt(l, sizeof line, "%s: long metadata line", name);
		memcpy(line, raw + pos, l);
		line[l] = '\0';
		pos += l + 1;
		if (strncmp(line, "expect: ", 8) == 0) {
			copy_field(v->expect, sizeof v->expect, line + 8);
		} else if (strncmp(line, "payload: ", 9) == 0) {
			copy_field(v->payload, sizeof v->payload, line + 9);
			v->has_payload = 1;
		} else if (strncmp(line, "identity: ", 10) == 0) {
			cr_assert_lt(v->nids, MAX_V_IDS);
			cr_assert_eq(age_identity_parse(line + 10, strlen(line + 10),
			                                &v->ids[v->nids]), SH_OK,
			             "%s: identity does not parse", name);
			v->nids++;
		} else if (strncmp(line, "passphrase: ", 12) == 0) {
			cr_assert_lt(v->npass, MAX_V_PASS);
			copy_field(v->pass[v->npass++], sizeof v->pass[0], line + 12);
		} else if (strcmp(line, "compressed: zlib") == 0) {
			v->zlib = 1;
		} else if (strncmp(line, "file key: ", 10) == 0 ||
		           strncmp(line, "comment: ", 9) == 0) {
			/* informational */
		} else {
			v->unknown = 1;
		}
	}
	if (v->zlib) {
		v->body = inflate_all(raw + pos, len - pos, &v->bodylen);
	} else {
		v->bodylen = len - pos;
		v->body = malloc(v->bodylen + 1);
		memcpy(v->body, raw + pos, v->bodylen);
	}
	free(raw);
}

static const char *
status_class(enum sh_status st)
{
	switch (st) {
	case SH_OK:
		return "success";
	case SH_ERR_FORMAT:
	case SH_ERR_VERSION:
	case SH_ERR_TOO_LARGE:
		return "header failure";
	case SH_ERR_NO_MATCH:
	case SH_ERR_PASSPHRASE:
		return "no match";
	case SH_ERR_HEADER_MAC:
		return "HMAC failure";
	case SH_ERR_PAYLOAD:
	case SH_ERR_TRUNCATED:
	case SH_ERR_TRAILING:
		return "payload failure";
	default:
		return "other";
	}
}

static int
hash_sink(void *ctx, const unsigned char *buf, size_t len)
{
	crypto_hash_sha256_update(ctx, buf, len);
	return 0;
}

/* Feeds v->body through a pipe, header byte by byte, the rest in blocks. */
static enum sh_status
decrypt_via_pipe(const struct age_unlock *u, const struct vector *v,
                 crypto_hash_sha256_state *hs)
{
	int p[2], status;
	pid_t pid;
	enum sh_status st;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		size_t off = 0;

		close(p[0]);
		while (off < v->bodylen) {
			size_t n = off < 1024 ? 1 : v->bodylen - off;
			ssize_t w = write(p[1], v->body + off, n);

			if (w <= 0)
				_exit(0);   /* reader stopped early: fine */
			off += (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	st = age_decrypt_fd(u, p[0], hash_sink, hs);
	close(p[0]);
	waitpid(pid, &status, 0);
	return st;
}

static int
check_vector(const struct vector *v, int use_fd)
{
	struct age_unlock u = { 0 };
	crypto_hash_sha256_state hs;
	unsigned char digest[32];
	char hex[65];
	enum sh_status st = SH_ERR_NO_MATCH;
	size_t pi = 0;
	int bad = 0;

	u.ids = v->ids;
	u.nids = v->nids;
	do {
		if (v->npass > 0) {
			u.passphrase = v->pass[pi];
			u.passlen = strlen(v->pass[pi]);
		}
		crypto_hash_sha256_init(&hs);
		st = use_fd ? decrypt_via_pipe(&u, v, &hs)
		            : age_decrypt_mem(&u, v->body, v->bodylen, hash_sink, &hs);
	} while (st == SH_ERR_PASSPHRASE && ++pi < v->npass);
	crypto_hash_sha256_final(&hs, digest);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	if (strcmp(status_class(st), v->expect) != 0) {
		cr_log_error("%s (%s): got %s (%s), want %s", v->name, use_fd ? "fd" : "mem",
		             status_class(st), sh_status_str(st), v->expect);
		bad = 1;
	}
	if (v->has_payload && strcmp(hex, v->payload) != 0) {
		cr_log_error("%s (%s): payload hash %s, want %s", v->name,
		             use_fd ? "fd" : "mem", hex, v->payload);
		bad = 1;
	}
	/* No payload line: nothing may have been released (sha256 of ""). */
	if (!v->has_payload &&
	    strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") != 0) {
		cr_log_error("%s (%s): released plaintext on %s", v->name,
		             use_fd ? "fd" : "mem", v->expect);
		bad = 1;
	}
	return bad;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(age_vectors, all_cctv_vectors)
{
	char dirbuf[PATH_MAX];
	const char *dir = data_dir(dirbuf, sizeof dirbuf);
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[512];
	size_t n = 0, i, ran = 0, skipped = 0, failed = 0;
	struct vector *v;

	cr_assert_geq(sodium_init(), 0);
	v = sodium_malloc(sizeof *v);
	cr_assert_not_null(d, "cannot open vector dir %s (set SH_TOP)", dir);
	cr_assert_not_null(v);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "PROVENANCE.txt") == 0)
			continue;
		cr_assert_lt(n, 512);
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	for (i = 0; i < n; i++) {
		if (strncmp(names[i], "armor_", 6) == 0 || strncmp(names[i], "hybrid", 6) == 0) {
			skipped++;
			free(names[i]);
			continue;
		}
		parse_vector(dir, names[i], v);
		if (v->unknown) {
			skipped++;
			cr_log_warn("%s: unknown metadata key, skipped", names[i]);
		} else {
			failed += (size_t)check_vector(v, 0);
			failed += (size_t)check_vector(v, 1);
			ran++;
		}
		free(v->body);
		free(names[i]);
	}
	sodium_memzero(v, sizeof *v);
	sodium_free(v);
	printf("age vectors: %zu run, %zu skipped (armor_*, hybrid*), %zu failures\n",
	       ran, skipped, failed);
	cr_assert_eq(failed, 0, "%zu vector checks failed", failed);
	/* 143 files: 92 run, 33 armor + 18 hybrid skipped. */
	cr_assert_eq(ran, 92, "ran %zu vectors, want 92", ran);
	cr_assert_eq(skipped, 51);
}
