/*
 * age file encryption/decryption (src/age.c with the stream and stanza
 * code): round trips, exact sizes, size invariance, tampering, truncation,
 * trailing data, passphrases and the secure-memory convenience form.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <sodium.h>

#include "safeharbor/age.h"

struct collect {
	unsigned char *buf;
	size_t len, cap;
};

static int
collect_sink(void *ctx, const unsigned char *buf, size_t len)
{
	struct collect *c = ctx;

	cr_assert_leq(len, AGE_CHUNK_SIZE);
	if (c->len + len > c->cap) {
		c->cap = (c->len + len) * 2;
		c->buf = realloc(c->buf, c->cap);
		cr_assert_not_null(c->buf);
	}
	memcpy(c->buf + c->len, buf, len);
	c->len += len;
	return 0;
}

static struct age_identity *ids;   /* 3 identities, sodium_malloc'd */
static struct age_recipient rcpt[3];

static void
setup(void)
{
	int i;

	cr_assert_geq(sodium_init(), 0);
	ids = sodium_allocarray(3, sizeof *ids);
	cr_assert_not_null(ids);
	for (i = 0; i < 3; i++) {
		age_identity_generate(&ids[i]);
		age_identity_recipient(&ids[i], &rcpt[i]);
	}
}

static void
teardown(void)
{
	sodium_free(ids);
}

TestSuite(age, .init = setup, .fini = teardown);

static enum sh_status
dec(const struct age_identity *id, size_t nid, const unsigned char *in, size_t len,
    struct collect *c)
{
	struct age_unlock u = { 0 };

	u.ids = id;
	u.nids = nid;
	c->len = 0;
	return age_decrypt_mem(&u, in, len, collect_sink, c);
}

Test(age, size_formula)
{
	/* version 22 + stanza 98 each + MAC line 48 + nonce 16 + 16/chunk */
	cr_expect_eq(age_encrypted_size(1, 0), 22 + 98 + 48 + 16 + 16);
	cr_expect_eq(age_encrypted_size(2, 1), 22 + 196 + 48 + 16 + 1 + 16);
	cr_expect_eq(age_encrypted_size(1, 65536), 22 + 98 + 48 + 16 + 65536 + 16);
	cr_expect_eq(age_encrypted_size(1, 65537), 22 + 98 + 48 + 16 + 65537 + 32);
	cr_expect_eq(age_encrypted_size(3, 3 * 65536), 22 + 294 + 48 + 16 + 3 * 65536 + 48);
	cr_expect_eq(age_encrypted_size(1, (size_t)-1), (size_t)-1);
}

Test(age, round_trips)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 65535, 65536, 65537, 131072, 200000 };
	unsigned char *pt = malloc(200000), *ct;
	struct collect c = { 0 };
	size_t i, ctlen, nr, j;

	randombytes_buf(pt, 200000);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		for (nr = 1; nr <= 3; nr += 2) {
			cr_assert_eq(age_encrypt_mem(rcpt, nr, pt, sizes[i], &ct, &ctlen), SH_OK);
			cr_assert_eq(ctlen, age_encrypted_size(nr, sizes[i]));
			for (j = 0; j < nr; j++) {
				cr_assert_eq(dec(&ids[j], 1, ct, ctlen, &c), SH_OK, "size %zu", sizes[i]);
				cr_assert_eq(c.len, sizes[i]);
				cr_assert(sizes[i] == 0 || memcmp(c.buf, pt, sizes[i]) == 0);
			}
			if (nr == 1)
				cr_assert_eq(dec(&ids[1], 2, ct, ctlen, &c), SH_ERR_NO_MATCH);
			cr_assert_eq(dec(ids, 0, ct, ctlen, &c), SH_ERR_NO_MATCH);
			free(ct);
		}
	}
	free(pt);
	free(c.buf);
}

Test(age, fd_round_trip)
{
	size_t n = 3 * 65536 + 7, ctlen;
	unsigned char *pt = malloc(n), *ct;
	FILE *in = tmpfile(), *out = tmpfile();
	struct collect c = { 0 };
	struct age_unlock u = { 0 };

	cr_assert(in != NULL && out != NULL);
	randombytes_buf(pt, n);
	cr_assert_eq(fwrite(pt, 1, n, in), n);
	fflush(in);
	rewind(in);
	cr_assert_eq(age_encrypt_fd(rcpt, 2, fileno(in), fileno(out)), SH_OK);
	ctlen = (size_t)lseek(fileno(out), 0, SEEK_CUR);
	cr_assert_eq(ctlen, age_encrypted_size(2, n));
	cr_assert_eq(lseek(fileno(out), 0, SEEK_SET), 0);
	u.ids = &ids[1];
	u.nids = 1;
	cr_assert_eq(age_decrypt_fd(&u, fileno(out), collect_sink, &c), SH_OK);
	cr_assert_eq(c.len, n);
	cr_assert_eq(memcmp(c.buf, pt, n), 0);
	/* and the memory reader agrees */
	ct = malloc(ctlen);
	cr_assert_eq(pread(fileno(out), ct, ctlen, 0), (ssize_t)ctlen);
	cr_assert_eq(dec(&ids[0], 1, ct, ctlen, &c), SH_OK);
	cr_assert_eq(c.len, n);
	/* empty input through the fd writer: one empty final chunk */
	cr_assert_eq(ftruncate(fileno(in), 0), 0);
	cr_assert_eq(ftruncate(fileno(out), 0), 0);
	cr_assert_eq(lseek(fileno(in), 0, SEEK_SET), 0);
	cr_assert_eq(lseek(fileno(out), 0, SEEK_SET), 0);
	cr_assert_eq(age_encrypt_fd(rcpt, 1, fileno(in), fileno(out)), SH_OK);
	cr_assert_eq(lseek(fileno(out), 0, SEEK_CUR), (off_t)age_encrypted_size(1, 0));
	free(ct);
	free(pt);
	free(c.buf);
	fclose(in);
	fclose(out);
}

/* Envelopes of padded records: the size depends on nothing but the
 * padded length and the recipient count. */
Test(age, size_invariance)
{
	enum { PADDED = 16384 };
	unsigned char *pt = calloc(1, PADDED), *ct;
	size_t i, ctlen, want = age_encrypted_size(1, PADDED);
	struct collect c = { 0 };

	for (i = 0; i < 100; i++) {
		size_t msglen = (i * 163) % (PADDED - 4);

		memset(pt, 0, PADDED);
		pt[0] = (unsigned char)(msglen >> 8);
		pt[1] = (unsigned char)msglen;
		randombytes_buf(pt + 2, msglen);
		cr_assert_eq(age_encrypt_mem(rcpt, 1, pt, PADDED, &ct, &ctlen), SH_OK);
		cr_assert_eq(ctlen, want, "message %zu: envelope %zu, want %zu", msglen, ctlen, want);
		if (i % 25 == 0) {
			cr_assert_eq(dec(ids, 1, ct, ctlen, &c), SH_OK);
			cr_assert_eq(memcmp(c.buf, pt, PADDED), 0);
		}
		free(ct);
	}
	free(pt);
	free(c.buf);
}

static int
is_header_class(enum sh_status st)
{
	return st == SH_ERR_FORMAT || st == SH_ERR_VERSION || st == SH_ERR_TOO_LARGE;
}

Test(age, tamper_every_region)
{
	size_t n = 2 * 65536 + 5000, ctlen, hdrlen, pos;
	unsigned char *pt = malloc(n), *ct;
	struct collect c = { 0 };
	static const unsigned char flips[] = { 0x01, 0x20, 0x80 };
	size_t f, cases = 0;

	randombytes_buf(pt, n);
	cr_assert_eq(age_encrypt_mem(rcpt, 2, pt, n, &ct, &ctlen), SH_OK);
	cr_assert_eq(age_header_check(ct, ctlen, &hdrlen), SH_OK);
	cr_assert_eq(hdrlen, age_encrypted_size(2, 0) - 32);
	for (pos = 0; pos < ctlen; pos++) {
		/* whole header, MAC and nonce; in chunks the first/last 40 bytes
		 * and every 997th byte */
		size_t in_payload = pos >= hdrlen + 16 ? pos - hdrlen - 16 : 0;
		size_t chunk = in_payload / (AGE_CHUNK_SIZE + 16);
		size_t off = in_payload % (AGE_CHUNK_SIZE + 16);

		if (pos >= hdrlen + 16 && off > 40 && off + 40 < AGE_CHUNK_SIZE + 16 &&
		    pos + 40 < ctlen && pos % 997 != 0)
			continue;
		for (f = 0; f < sizeof flips; f++) {
			enum sh_status st;

			ct[pos] ^= flips[f];
			st = dec(&ids[1], 1, ct, ctlen, &c);
			ct[pos] ^= flips[f];
			cases++;
			if (pos < hdrlen - 48) {
				cr_assert(is_header_class(st) || st == SH_ERR_NO_MATCH ||
				          st == SH_ERR_HEADER_MAC, "pos %zu: %s", pos, sh_status_str(st));
				cr_assert_eq(c.len, 0);
			} else if (pos < hdrlen) {
				cr_assert(st == SH_ERR_FORMAT || st == SH_ERR_HEADER_MAC,
				          "MAC line pos %zu: %s", pos, sh_status_str(st));
				cr_assert_eq(c.len, 0);
			} else if (pos < hdrlen + 16) {
				cr_assert_eq(st, SH_ERR_PAYLOAD, "nonce pos %zu: %s", pos, sh_status_str(st));
				cr_assert_eq(c.len, 0);
			} else {
				cr_assert_eq(st, SH_ERR_PAYLOAD, "chunk %zu pos %zu: %s", chunk, pos,
				             sh_status_str(st));
				cr_assert_eq(c.len, chunk * AGE_CHUNK_SIZE, "released %zu before chunk %zu",
				             c.len, chunk);
				cr_assert(c.len == 0 || memcmp(c.buf, pt, c.len) == 0);
			}
		}
	}
	cr_assert_gt(cases, 1000);
	/* untouched file still opens */
	cr_assert_eq(dec(&ids[0], 1, ct, ctlen, &c), SH_OK);
	cr_assert_eq(c.len, n);
	free(ct);
	free(pt);
	free(c.buf);
}

Test(age, truncation)
{
	size_t n = 2 * 65536 + 5000, ctlen, hdrlen, len;
	unsigned char *pt = malloc(n), *ct;
	struct collect c = { 0 };

	randombytes_buf(pt, n);
	cr_assert_eq(age_encrypt_mem(rcpt, 2, pt, n, &ct, &ctlen), SH_OK);
	cr_assert_eq(age_header_check(ct, ctlen, &hdrlen), SH_OK);
	for (len = 0; len < ctlen; len += (len < hdrlen + 64 ? 1 : 509)) {
		unsigned char *p = malloc(len + 1);   /* exact: ASan catches overreads */
		enum sh_status st;

		memcpy(p, ct, len);
		st = dec(&ids[0], 1, p, len, &c);
		free(p);
		if (len < hdrlen + 16) {
			cr_assert_eq(st, SH_ERR_FORMAT, "len %zu: %s", len, sh_status_str(st));
			cr_assert_eq(c.len, 0);
		} else {
			size_t in_payload = len - hdrlen - 16;
			size_t full = in_payload / (AGE_CHUNK_SIZE + 16);
			size_t rest = in_payload % (AGE_CHUNK_SIZE + 16);

			cr_assert(st == (rest == 0 ? SH_ERR_TRUNCATED : SH_ERR_PAYLOAD),
			          "len %zu: %s", len, sh_status_str(st));
			cr_assert_eq(c.len, full * AGE_CHUNK_SIZE, "len %zu released %zu", len, c.len);
		}
	}
	/* exact chunk boundaries */
	for (len = hdrlen + 16; len < ctlen; len += AGE_CHUNK_SIZE + 16) {
		cr_assert_eq(dec(&ids[0], 1, ct, len, &c), SH_ERR_TRUNCATED, "len %zu", len);
		cr_assert_eq(c.len, (len - hdrlen - 16) / (AGE_CHUNK_SIZE + 16) * AGE_CHUNK_SIZE);
	}
	cr_assert_eq(dec(&ids[0], 1, ct, ctlen - 1, &c), SH_ERR_PAYLOAD);
	cr_assert_eq(dec(&ids[0], 1, ct, ctlen, &c), SH_OK);
	free(ct);
	free(pt);
	free(c.buf);
}

Test(age, trailing_data)
{
	size_t n = 2 * 65536, ctlen;
	unsigned char *pt = malloc(n), *ct, *big;
	struct collect c = { 0 };

	randombytes_buf(pt, n);
	/* a 64 KiB multiple ends with a full final chunk, no empty chunk */
	cr_assert_eq(age_encrypt_mem(rcpt, 1, pt, n, &ct, &ctlen), SH_OK);
	cr_assert_eq(ctlen, age_encrypted_size(1, 0) - 16 + n + 2 * 16);
	big = malloc(ctlen + 17);
	memcpy(big, ct, ctlen);
	big[ctlen] = 0;
	cr_assert_eq(dec(ids, 1, big, ctlen + 1, &c), SH_ERR_TRAILING);
	cr_assert_eq(c.len, n, "the authenticated final chunk is released first");
	memset(big + ctlen, 0, 17);
	cr_assert_eq(dec(ids, 1, big, ctlen + 17, &c), SH_ERR_TRAILING);
	free(ct);
	/* after a short final chunk, extra bytes make the chunk fail */
	cr_assert_eq(age_encrypt_mem(rcpt, 1, pt, 1000, &ct, &ctlen), SH_OK);
	memcpy(big, ct, ctlen);
	big[ctlen] = 0;
	cr_assert_eq(dec(ids, 1, big, ctlen + 1, &c), SH_ERR_PAYLOAD);
	cr_assert_eq(c.len, 0);
	free(ct);
	free(big);
	free(pt);
	free(c.buf);
}

Test(age, passphrase)
{
	static const char msg[] = "AGE-SECRET-KEY-1 would go here";
	unsigned char *ct;
	size_t ctlen, off;
	struct age_unlock u = { 0 };
	struct collect c = { 0 };

	cr_assert_eq(age_encrypt_passphrase_mem("hunter2", 7, 10, (const unsigned char *)msg,
	                                        sizeof msg, &ct, &ctlen), SH_OK);
	cr_assert_eq(age_header_check(ct, ctlen, &off), SH_OK);
	cr_assert_eq(memcmp(ct + 22, "-> scrypt ", 10), 0);
	cr_assert_eq(memcmp(ct + 22 + 10 + 22, " 10\n", 4), 0);
	cr_assert_eq(ctlen, off + 16 + sizeof msg + 16);
	u.passphrase = "hunter2";
	u.passlen = 7;
	cr_assert_eq(age_decrypt_mem(&u, ct, ctlen, collect_sink, &c), SH_OK);
	cr_assert_eq(c.len, sizeof msg);
	cr_assert_eq(memcmp(c.buf, msg, sizeof msg), 0);
	/* also with identities present */
	u.ids = ids;
	u.nids = 3;
	c.len = 0;
	cr_assert_eq(age_decrypt_mem(&u, ct, ctlen, collect_sink, &c), SH_OK);
	u.passphrase = "hunter3";
	cr_assert_eq(age_decrypt_mem(&u, ct, ctlen, collect_sink, &c), SH_ERR_PASSPHRASE);
	u.passlen = 6;
	u.passphrase = "hunter2";
	cr_assert_eq(age_decrypt_mem(&u, ct, ctlen, collect_sink, &c), SH_ERR_PASSPHRASE);
	u.passphrase = NULL;
	u.passlen = 0;
	cr_assert_eq(age_decrypt_mem(&u, ct, ctlen, collect_sink, &c), SH_ERR_NO_MATCH);
	/* a caller's work-factor cap */
	u.passphrase = "hunter2";
	u.passlen = 7;
	u.max_logn = 9;
	cr_assert_eq(age_decrypt_mem(&u, ct, ctlen, collect_sink, &c), SH_ERR_FORMAT);
	free(ct);
	/* bad work factors are refused by the writer */
	cr_assert_eq(age_encrypt_passphrase_mem("x", 1, 0, NULL, 0, &ct, &ctlen), SH_ERR_USAGE);
	cr_assert_eq(age_encrypt_passphrase_mem("x", 1, 23, NULL, 0, &ct, &ctlen), SH_ERR_USAGE);
	/* empty plaintext, passphrase */
	cr_assert_eq(age_encrypt_passphrase_mem("x", 1, 10, NULL, 0, &ct, &ctlen), SH_OK);
	u.passphrase = "x";
	u.passlen = 1;
	u.max_logn = 0;
	c.len = 0;
	cr_assert_eq(age_decrypt_mem(&u, ct, ctlen, collect_sink, &c), SH_OK);
	cr_assert_eq(c.len, 0);
	free(ct);
	free(c.buf);
}

Test(age, decrypt_to_secure)
{
	unsigned char pt[5000], *ct, *out;
	size_t ctlen, outlen;
	struct age_unlock u = { 0 };

	randombytes_buf(pt, sizeof pt);
	cr_assert_eq(age_encrypt_mem(rcpt, 1, pt, sizeof pt, &ct, &ctlen), SH_OK);
	u.ids = ids;
	u.nids = 1;
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, sizeof pt, &out, &outlen), SH_OK);
	cr_assert_eq(outlen, sizeof pt);
	cr_assert_eq(memcmp(out, pt, sizeof pt), 0);
	sodium_memzero(out, outlen);
	sodium_free(out);
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, sizeof pt - 1, &out, &outlen),
	             SH_ERR_TOO_LARGE);
	cr_assert_null(out);
	cr_assert_eq(outlen, 0);
	ct[ctlen - 1] ^= 1;
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, sizeof pt, &out, &outlen), SH_ERR_PAYLOAD);
	cr_assert_null(out);
	u.ids = &ids[1];
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, sizeof pt, &out, &outlen), SH_ERR_NO_MATCH);
	free(ct);
	/* empty plaintext */
	cr_assert_eq(age_encrypt_mem(rcpt, 1, NULL, 0, &ct, &ctlen), SH_OK);
	u.ids = ids;
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, 100, &out, &outlen), SH_OK);
	cr_assert_eq(outlen, 0);
	sodium_free(out);
	free(ct);
}

static int
abort_sink(void *ctx, const unsigned char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return -1;
}

Test(age, bad_arguments_and_sink_abort)
{
	unsigned char *ct;
	size_t ctlen;
	struct age_unlock u = { 0 };

	cr_expect_eq(age_encrypt_mem(rcpt, 0, NULL, 0, &ct, &ctlen), SH_ERR_USAGE);
	cr_expect_eq(age_encrypt_mem(NULL, 1, NULL, 0, &ct, &ctlen), SH_ERR_USAGE);
	cr_expect_eq(age_decrypt_mem(NULL, NULL, 0, NULL, NULL), SH_ERR_USAGE);
	cr_expect_eq(age_decrypt_fd(&u, -1, NULL, NULL), SH_ERR_USAGE);
	cr_assert_eq(age_encrypt_mem(rcpt, 1, (const unsigned char *)"hi", 2, &ct, &ctlen), SH_OK);
	u.ids = ids;
	u.nids = 1;
	cr_expect_eq(age_decrypt_mem(&u, ct, ctlen, abort_sink, NULL), SH_ERR_IO);
	free(ct);
}

/* Files of one reader batch and more (AGE_BATCH, 32 chunks): sizes at and
 * around 32 chunks (a batch edge), a bad chunk just after it, truncation at it,
 * trailing data after a final chunk that ends a batch; through memory and
 * a regular fd. */
Test(age, batch_boundaries)
{
	static const size_t sizes[] = { 32 * 65536, 32 * 65536 + 1, 33 * 65536 + 100 };
	size_t i, ctlen, hdrlen, n;
	unsigned char *pt = malloc(34 * 65536), *ct;
	struct collect c = { 0 };
	struct age_unlock u = { 0 };

	randombytes_buf(pt, 34 * 65536);
	u.ids = ids;
	u.nids = 1;
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		FILE *f = tmpfile();

		n = sizes[i];
		cr_assert_eq(age_encrypt_mem(rcpt, 1, pt, n, &ct, &ctlen), SH_OK);
		cr_assert_eq(age_header_check(ct, ctlen, &hdrlen), SH_OK);
		cr_assert_eq(dec(ids, 1, ct, ctlen, &c), SH_OK);
		cr_assert_eq(c.len, n);
		cr_assert_eq(memcmp(c.buf, pt, n), 0);
		/* regular file: the fd reader sizes its batch from fstat */
		cr_assert_eq(fwrite(ct, 1, ctlen, f), ctlen);
		fflush(f);
		rewind(f);
		c.len = 0;
		cr_assert_eq(age_decrypt_fd(&u, fileno(f), collect_sink, &c), SH_OK);
		cr_assert_eq(c.len, n);
		/* trailing byte after the final chunk */
		cr_assert_eq(fputc(0, f), 0);
		fflush(f);
		rewind(f);
		c.len = 0;
		cr_assert_eq(age_decrypt_fd(&u, fileno(f), collect_sink, &c),
		             n % 65536 == 0 ? SH_ERR_TRAILING : SH_ERR_PAYLOAD);
		cr_assert_eq(c.len, n % 65536 == 0 ? n : n / 65536 * 65536);
		fclose(f);
		/* cut after exactly 32 chunks */
		if (n > 32 * 65536) {
			cr_assert_eq(dec(ids, 1, ct, hdrlen + 16 + 32 * (65536 + 16), &c),
			             SH_ERR_TRUNCATED);
			cr_assert_eq(c.len, 32 * 65536);
		}
		/* a bad tag in the 33rd chunk: the first 32 are released */
		if (n > 32 * 65536) {
			ct[hdrlen + 16 + 32 * (65536 + 16) + 5] ^= 1;
			cr_assert_eq(dec(ids, 1, ct, ctlen, &c), SH_ERR_PAYLOAD);
			cr_assert_eq(c.len, 32 * 65536);
			ct[hdrlen + 16 + 32 * (65536 + 16) + 5] ^= 1;
		}
		/* a bad chunk in the middle of the first batch */
		ct[hdrlen + 16 + 7 * (65536 + 16) + 9] ^= 0x40;
		cr_assert_eq(dec(ids, 1, ct, ctlen, &c), SH_ERR_PAYLOAD);
		cr_assert_eq(c.len, 7 * 65536);
		cr_assert_eq(memcmp(c.buf, pt, c.len), 0);
		free(ct);
	}
	free(pt);
	free(c.buf);
}

Test(age, fd_header_limits)
{
	FILE *f = tmpfile();
	struct age_unlock u = { 0 };
	struct collect c = { 0 };
	size_t i;

	u.ids = ids;
	u.nids = 1;
	/* a body that never ends within AGE_MAX_HEADER */
	fputs("age-encryption.org/v1\n-> g\n", f);
	for (i = 0; i < AGE_MAX_HEADER / 65 + 10; i++)
		fputs("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", f);
	fflush(f);
	rewind(f);
	cr_assert_eq(age_decrypt_fd(&u, fileno(f), collect_sink, &c), SH_ERR_TOO_LARGE);
	/* no newline at all */
	cr_assert_eq(ftruncate(fileno(f), 0), 0);
	rewind(f);
	fputs("age-encryption.org/v1\n-> g", f);
	fflush(f);
	rewind(f);
	cr_assert_eq(age_decrypt_fd(&u, fileno(f), collect_sink, &c), SH_ERR_FORMAT);
	/* a wrong version line is refused at once */
	cr_assert_eq(ftruncate(fileno(f), 0), 0);
	rewind(f);
	fputs("age-encryption.org/v2\n", f);
	fflush(f);
	rewind(f);
	cr_assert_eq(age_decrypt_fd(&u, fileno(f), collect_sink, &c), SH_ERR_VERSION);
	cr_assert_eq(c.len, 0);
	fclose(f);
}

/* decrypt_to_secure authenticates straight into its result buffer: the
 * maxpt bound must hold in every chunk, with and without the helper. */
Test(age, decrypt_to_secure_bounds)
{
	size_t n = 5 * 65536 + 10, ctlen, outlen;
	unsigned char *pt = malloc(n), *ct, *out;
	struct age_unlock u = { 0 };

	randombytes_buf(pt, n);
	cr_assert_eq(age_encrypt_mem(rcpt, 1, pt, n, &ct, &ctlen), SH_OK);
	u.ids = ids;
	u.nids = 1;
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, n, &out, &outlen), SH_OK);
	cr_assert_eq(outlen, n);
	cr_assert_eq(memcmp(out, pt, n), 0);
	sodium_free(out);
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, (size_t)-1, &out, &outlen), SH_OK);
	cr_assert_eq(outlen, n);
	sodium_free(out);
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, n - 1, &out, &outlen), SH_ERR_TOO_LARGE);
	cr_assert_null(out);
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, 2 * 65536 + 5, &out, &outlen),
	             SH_ERR_TOO_LARGE);
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, 0, &out, &outlen), SH_ERR_TOO_LARGE);
	/* a bad chunk before the bound is a payload failure */
	ct[ctlen - 70000] ^= 1;
	cr_assert_eq(age_decrypt_to_secure(&u, ct, ctlen, n, &out, &outlen), SH_ERR_PAYLOAD);
	cr_assert_null(out);
	cr_assert_eq(outlen, 0);
	free(ct);
	free(pt);
}

static int
all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* decrypt_into: one caller buffer reused for many files (the queue's way);
 * on every error the whole buffer is wiped, including chunks that had
 * already authenticated before a later one failed. */
Test(age, decrypt_into_reused_buffer)
{
	size_t n = 3 * 65536 + 77, cap = 4 * 65536, ctlen, ct2len, outlen;
	unsigned char *pt = malloc(n), *ct, *ct2, *out = sodium_malloc(cap);
	struct age_unlock u = { 0 };

	cr_assert_not_null(out);
	randombytes_buf(pt, n);
	cr_assert_eq(age_encrypt_mem(rcpt, 2, pt, n, &ct, &ctlen), SH_OK);
	cr_assert_eq(age_encrypt_mem(rcpt + 1, 1, (const unsigned char *)"second", 6,
	                             &ct2, &ct2len), SH_OK);
	u.ids = ids;
	u.nids = 2;
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, cap, &outlen), SH_OK);
	cr_assert_eq(outlen, n);
	cr_assert_eq(memcmp(out, pt, n), 0);
	/* the same buffer, the next file (second identity) */
	cr_assert_eq(age_decrypt_into(&u, ct2, ct2len, out, cap, &outlen), SH_OK);
	cr_assert_eq(outlen, 6);
	cr_assert_eq(memcmp(out, "second", 6), 0);
	/* exactly big enough, then one byte short: too large, and wiped */
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, n, &outlen), SH_OK);
	cr_assert_eq(outlen, n);
	memset(out, 0xa5, cap);
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, n - 1, &outlen), SH_ERR_TOO_LARGE);
	cr_assert_eq(outlen, 0);
	cr_assert(all_zero(out, n - 1));
	cr_assert_eq(out[n - 1], 0xa5);     /* beyond outcap: untouched */
	/* a bad last chunk: three good chunks were written, all wiped */
	memset(out, 0xa5, cap);
	ct[ctlen - 20] ^= 1;
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, cap, &outlen), SH_ERR_PAYLOAD);
	cr_assert_eq(outlen, 0);
	cr_assert(all_zero(out, cap));
	ct[ctlen - 20] ^= 1;
	/* no matching identity, truncation, trailing data */
	u.ids = ids + 2;
	u.nids = 1;
	memset(out, 0xa5, cap);
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, cap, &outlen), SH_ERR_NO_MATCH);
	cr_assert(all_zero(out, cap));
	u.ids = ids;
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen - 1, out, cap, &outlen), SH_ERR_PAYLOAD);
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen - (77 + 16), out, cap, &outlen),
	             SH_ERR_TRUNCATED);
	cr_assert(all_zero(out, cap));
	/* a chunk with no room that does not authenticate is a payload
	 * failure, as with a bounded sink; only an authentic one is too large */
	ct[ctlen - 20] ^= 1;
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, 3 * 65536, &outlen), SH_ERR_PAYLOAD);
	ct[ctlen - 20] ^= 1;
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, 3 * 65536, &outlen), SH_ERR_TOO_LARGE);
	cr_assert(all_zero(out, 3 * 65536));
	ct[ctlen - 70000] ^= 1;             /* third chunk (full, not final) */
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, 2 * 65536, &outlen), SH_ERR_PAYLOAD);
	ct[ctlen - 70000] ^= 1;
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, 2 * 65536, &outlen), SH_ERR_TOO_LARGE);
	/* no buffer: fine for an empty plaintext only */
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, NULL, 0, &outlen), SH_ERR_TOO_LARGE);
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, NULL, 1, &outlen), SH_ERR_USAGE);
	free(ct);
	cr_assert_eq(age_encrypt_mem(rcpt, 1, NULL, 0, &ct, &ctlen), SH_OK);
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, NULL, 0, &outlen), SH_OK);
	cr_assert_eq(outlen, 0);
	cr_assert_eq(age_decrypt_into(&u, ct, ctlen, out, cap, &outlen), SH_OK);
	cr_assert_eq(outlen, 0);
	free(ct);
	free(ct2);
	free(pt);
	sodium_free(out);
}

/* Through a pipe the reader cannot size its buffers: it starts small and
 * grows once the data keeps coming. */
static enum sh_status
dec_pipe(const unsigned char *in, size_t len, struct collect *c)
{
	struct age_unlock u = { 0 };
	enum sh_status st;
	int p[2], status;
	pid_t pid;

	u.ids = ids;
	u.nids = 1;
	c->len = 0;
	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		size_t off = 0;

		close(p[0]);
		while (off < len) {
			ssize_t w = write(p[1], in + off, len - off < 10000 ? len - off : 10000);

			if (w <= 0)
				_exit(0);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	st = age_decrypt_fd(&u, p[0], collect_sink, c);
	close(p[0]);
	waitpid(pid, &status, 0);
	return st;
}

Test(age, pipe_sizes)
{
	static const size_t sizes[] = { 0, 1, 65536, 2 * 65536, 2 * 65536 + 1, 3 * 65536,
	                                 40 * 65536, 70 * 65536 + 3 };
	size_t i, ctlen, hdrlen, n;
	unsigned char *pt = malloc(71 * 65536), *ct, *big;
	struct collect c = { 0 };

	randombytes_buf(pt, 71 * 65536);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		n = sizes[i];
		cr_assert_eq(age_encrypt_mem(rcpt, 1, pt, n, &ct, &ctlen), SH_OK);
		cr_assert_eq(age_header_check(ct, ctlen, &hdrlen), SH_OK);
		cr_assert_eq(dec_pipe(ct, ctlen, &c), SH_OK, "n=%zu", n);
		cr_assert_eq(c.len, n);
		cr_assert(n == 0 || memcmp(c.buf, pt, n) == 0);
		/* trailing data */
		big = malloc(ctlen + 70000);
		memcpy(big, ct, ctlen);
		memset(big + ctlen, 0, 70000);
		cr_assert_eq(dec_pipe(big, ctlen + 70000, &c),
		             n % 65536 == 0 && n > 0 ? SH_ERR_TRAILING : SH_ERR_PAYLOAD, "n=%zu", n);
		free(big);
		if (n > 3 * 65536) {
			size_t k = n / 65536 - 1;   /* a chunk in the last batch */

			ct[hdrlen + 16 + k * (65536 + 16) + 3] ^= 1;
			cr_assert_eq(dec_pipe(ct, ctlen, &c), SH_ERR_PAYLOAD);
			cr_assert_eq(c.len, k * 65536);
			ct[hdrlen + 16 + k * (65536 + 16) + 3] ^= 1;
			cr_assert_eq(dec_pipe(ct, hdrlen + 16 + 34 * (65536 + 16), &c),
			             SH_ERR_TRUNCATED);
			cr_assert_eq(c.len, 34 * 65536);
		}
		free(ct);
	}
	free(pt);
	free(c.buf);
}
