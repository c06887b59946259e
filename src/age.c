/*
 * age v1 file encryption and decryption: glue between the header parser
 * (age_header.c), the stanzas (age_keys.c) and STREAM (age_stream.c).
 * Decisions: the file key lives in sodium_malloc memory (writers) or a
 * wiped stack copy (readers, which run once per queued file); the header MAC is
 * checked after a stanza unwraps and before any payload byte is read; a
 * reader needs the whole header in memory (capped at AGE_MAX_HEADER) but
 * streams the payload. Non-goals: ASCII armor, plugins, post-quantum.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "age_internal.h"

static size_t
add_sz(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

size_t
age_encrypted_size(size_t nrecipients, size_t ptlen)
{
	size_t chunks = ptlen == 0 ? 1 : ptlen / AGE_CHUNK_SIZE + (ptlen % AGE_CHUNK_SIZE != 0);
	size_t n;

	if (nrecipients > SIZE_MAX / AGE_X25519_STANZA_LEN)
		return SIZE_MAX;
	n = add_sz(AGE_VERSION_LEN + AGE_MAC_LINE_LEN + AGE_NONCE_LEN,
	           nrecipients * AGE_X25519_STANZA_LEN);
	n = add_sz(n, ptlen);
	if (chunks > SIZE_MAX / AGE_TAG_LEN)
		return SIZE_MAX;
	return add_sz(n, chunks * AGE_TAG_LEN);
}

static void
b64_line(struct age_out *o, const unsigned char *bin, size_t len)
{
	char b64[sodium_base64_ENCODED_LEN(48, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];

	sodium_bin2base64(b64, sizeof b64, bin, len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	(void)age_out_write(o, b64, strlen(b64));
}

/* Appends the MAC line to a header in h->mem[0..pos). */
static void
finish_header(struct age_out *h, const unsigned char fk[AGE_FILE_KEY_LEN])
{
	unsigned char mac[32];

	(void)age_out_write(h, "---", 3);
	age_header_mac(fk, h->mem, h->pos, mac);
	(void)age_out_write(h, " ", 1);
	b64_line(h, mac, sizeof mac);
	(void)age_out_write(h, "\n", 1);
}

/* Builds the X25519 header into hdr (capacity from age_encrypted_size). */
static enum sh_status
x25519_header(const struct age_recipient *r, size_t nr,
              const unsigned char fk[AGE_FILE_KEY_LEN], struct age_out *h)
{
	unsigned char share[32], body[32];
	enum sh_status st;
	size_t i;

	(void)age_out_write(h, AGE_VERSION_LINE, AGE_VERSION_LEN);
	for (i = 0; i < nr; i++) {
		if ((st = age_x25519_wrap(&r[i], fk, share, body)) != SH_OK)
			return st;
		(void)age_out_write(h, "-> X25519 ", 10);
		b64_line(h, share, sizeof share);
		(void)age_out_write(h, "\n", 1);
		b64_line(h, body, sizeof body);
		(void)age_out_write(h, "\n", 1);
	}
	finish_header(h, fk);
	return SH_OK;
}

/* The common end of the in-memory writers: wipe and free the file key,
 * then hand the buffer over on success or free it on failure. */
static enum sh_status
mem_result(enum sh_status st, unsigned char *fk, struct age_out *o,
           unsigned char **out, size_t *outlen)
{
	if (fk != NULL) {
		sodium_memzero(fk, AGE_FILE_KEY_LEN);
		sodium_free(fk);
	}
	if (st != SH_OK) {
		free(o->mem);
		return st;
	}
	*out = o->mem;
	*outlen = o->pos;
	return SH_OK;
}

enum sh_status
age_encrypt_mem(const struct age_recipient *r, size_t nr,
                const unsigned char *pt, size_t ptlen,
                unsigned char **out, size_t *outlen)
{
	unsigned char *fk = NULL;
	struct age_out o = { -1, NULL, 0, 0 };
	enum sh_status st;
	size_t total;

	*out = NULL;
	*outlen = 0;
	if (r == NULL || nr == 0 || nr > AGE_MAX_STANZAS || (pt == NULL && ptlen > 0))
		return SH_ERR_USAGE;
	if (sodium_init() < 0)
		return SH_ERR_NOMEM;
	if ((total = age_encrypted_size(nr, ptlen)) == SIZE_MAX)
		return SH_ERR_TOO_LARGE;
	o.cap = total;
	o.mem = malloc(total);
	fk = sodium_malloc(AGE_FILE_KEY_LEN);
	if (o.mem == NULL || fk == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	randombytes_buf(fk, AGE_FILE_KEY_LEN);
	if ((st = x25519_header(r, nr, fk, &o)) != SH_OK)
		goto out;
	st = age_stream_encrypt(fk, pt, ptlen, NULL, &o);
	if (st == SH_OK && o.pos != total)
		st = SH_ERR_USAGE;      /* cannot happen: size formula and writer agree */
out:
	return mem_result(st, fk, &o, out, outlen);
}

enum sh_status
age_encrypt_fd(const struct age_recipient *r, size_t nr, int infd, int outfd)
{
	unsigned char *fk = NULL;
	struct age_out h = { -1, NULL, 0, 0 }, o = { outfd, NULL, 0, 0 };
	struct age_src in = { infd, NULL, 0, 0 };
	enum sh_status st;

	if (r == NULL || nr == 0 || nr > AGE_MAX_STANZAS || infd < 0 || outfd < 0)
		return SH_ERR_USAGE;
	if (sodium_init() < 0)
		return SH_ERR_NOMEM;
	h.cap = age_encrypted_size(nr, 0);
	h.mem = malloc(h.cap);
	fk = sodium_malloc(AGE_FILE_KEY_LEN);
	if (h.mem == NULL || fk == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	randombytes_buf(fk, AGE_FILE_KEY_LEN);
	if ((st = x25519_header(r, nr, fk, &h)) != SH_OK ||
	    (st = age_out_write(&o, h.mem, h.pos)) != SH_OK)
		goto out;
	st = age_stream_encrypt(fk, NULL, 0, &in, &o);
out:
	if (fk != NULL) {
		sodium_memzero(fk, AGE_FILE_KEY_LEN);
		sodium_free(fk);
	}
	free(h.mem);
	return st;
}

enum sh_status
age_encrypt_passphrase_mem(const char *pass, size_t passlen, int logn,
                           const unsigned char *pt, size_t ptlen,
                           unsigned char **out, size_t *outlen)
{
	unsigned char *fk = NULL, salt[16], body[32];
	struct age_out o = { -1, NULL, 0, 0 };
	enum sh_status st;
	char num[8];
	size_t total;

	*out = NULL;
	*outlen = 0;
	if (pass == NULL || logn < 1 || logn > AGE_SCRYPT_MAX_LOGN ||
	    (pt == NULL && ptlen > 0))
		return SH_ERR_USAGE;
	if (sodium_init() < 0)
		return SH_ERR_NOMEM;
	/* "-> scrypt " salt(22) " " logN LF body(43) LF, instead of X25519. */
	total = age_encrypted_size(0, ptlen);
	if (total == SIZE_MAX)
		return SH_ERR_TOO_LARGE;
	snprintf(num, sizeof num, "%d", logn);
	total = add_sz(total, 10 + 22 + 1 + strlen(num) + 1 + 43 + 1);
	if (total == SIZE_MAX)
		return SH_ERR_TOO_LARGE;
	o.cap = total;
	o.mem = malloc(total);
	fk = sodium_malloc(AGE_FILE_KEY_LEN);
	if (o.mem == NULL || fk == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	randombytes_buf(fk, AGE_FILE_KEY_LEN);
	if ((st = age_scrypt_wrap(pass, passlen, logn, fk, salt, body)) != SH_OK)
		goto out;
	(void)age_out_write(&o, AGE_VERSION_LINE, AGE_VERSION_LEN);
	(void)age_out_write(&o, "-> scrypt ", 10);
	b64_line(&o, salt, sizeof salt);
	(void)age_out_write(&o, " ", 1);
	(void)age_out_write(&o, num, strlen(num));
	(void)age_out_write(&o, "\n", 1);
	b64_line(&o, body, sizeof body);
	(void)age_out_write(&o, "\n", 1);
	finish_header(&o, fk);
	st = age_stream_encrypt(fk, pt, ptlen, NULL, &o);
	if (st == SH_OK && o.pos != total)
		st = SH_ERR_USAGE;
out:
	return mem_result(st, fk, &o, out, outlen);
}

/*
 * Finds the file key. Stanzas were structurally checked already. X25519:
 * every identity against every X25519 stanza; scrypt: the lone stanza with
 * the passphrase. Returns SH_OK, SH_ERR_NO_MATCH, SH_ERR_PASSPHRASE,
 * SH_ERR_FORMAT (low-order share) or SH_ERR_NOMEM.
 */
static enum sh_status
unwrap_file_key(const struct age_unlock *u, const unsigned char *hdr,
                const struct age_header *h, unsigned char fk[AGE_FILE_KEY_LEN])
{
	enum sh_status result = SH_ERR_NO_MATCH;
	size_t i, j, got;

	for (i = 0; i < h->nstanzas; i++) {
		const struct age_stanza *s = &h->st[i];
		const unsigned char *body = h->arena + s->bodyoff;

		if (age_arg_is(hdr, s, 0, "X25519")) {
			unsigned char share[33];

			if (age_b64_decode(share, sizeof share, hdr + s->argoff[1],
			                   s->arglen[1], &got) != 0 || got != 32)
				return SH_ERR_FORMAT;
			for (j = 0; j < u->nids; j++) {
				enum sh_status st = age_x25519_unwrap(&u->ids[j], share, body, fk);

				if (st != SH_ERR_NO_MATCH)
					return st;
			}
		} else if (age_arg_is(hdr, s, 0, "scrypt")) {
			unsigned char salt[17];
			int logn = age_scrypt_logn(hdr, s);
			int max = u->max_logn > 0 ? u->max_logn : AGE_SCRYPT_MAX_LOGN;

			if (u->passphrase == NULL)
				continue;
			if (logn < 0 || logn > max)
				return SH_ERR_FORMAT;
			if (age_b64_decode(salt, sizeof salt, hdr + s->argoff[1],
			                   s->arglen[1], &got) != 0 || got != 16)
				return SH_ERR_FORMAT;
			return age_scrypt_unwrap(u->passphrase, u->passlen, logn, salt, body, fk);
		}
	}
	return result;
}

/* After the header is parsed: unwrap, check the MAC, then the payload.
 * The file key is a wiped stack copy: small secrets do not pay for a
 * sodium_malloc (mmap, mprotect, mlock) on every file of a large queue. */
static enum sh_status
decrypt_after_header(const struct age_unlock *u, const unsigned char *hdr,
                     const struct age_header *h, struct age_src *src,
                     age_sink sink, void *ctx, struct age_direct *direct)
{
	unsigned char fk[AGE_FILE_KEY_LEN], mac[32];
	enum sh_status st;

	if ((st = age_header_structure(hdr, h, u->max_logn)) != SH_OK)
		return st;
	if ((st = unwrap_file_key(u, hdr, h, fk)) != SH_OK)
		goto out;
	age_header_mac(fk, hdr, h->mac_input_len, mac);
	if (sodium_memcmp(mac, h->mac, sizeof mac) != 0) {
		st = SH_ERR_HEADER_MAC;
		goto out;
	}
	st = age_stream_decrypt(fk, src, sink, ctx, direct);
out:
	sodium_memzero(fk, sizeof fk);
	return st;
}

static enum sh_status
decrypt_mem(const struct age_unlock *u, const unsigned char *in, size_t inlen,
            age_sink sink, void *ctx, struct age_direct *direct)
{
	struct age_header *h;
	struct age_src src = { -1, NULL, 0, 0 };
	enum sh_status st;

	if (u == NULL || (in == NULL && inlen > 0) || (u->nids > 0 && u->ids == NULL))
		return SH_ERR_USAGE;
	if (sodium_init() < 0)
		return SH_ERR_NOMEM;
	if ((h = malloc(sizeof *h)) == NULL)
		return SH_ERR_NOMEM;
	st = age_header_parse(in, inlen < AGE_MAX_HEADER ? inlen : AGE_MAX_HEADER, h);
	if (st == AGE_NEED_MORE)
		st = inlen > AGE_MAX_HEADER ? SH_ERR_TOO_LARGE : SH_ERR_FORMAT;
	if (st == SH_OK) {
		src.mem = in + h->payload_off;
		src.memlen = inlen - h->payload_off;
		st = decrypt_after_header(u, in, h, &src, sink, ctx, direct);
	}
	free(h);
	return st;
}

enum sh_status
age_decrypt_mem(const struct age_unlock *u, const unsigned char *in, size_t inlen,
                age_sink sink, void *ctx)
{
	return decrypt_mem(u, in, inlen, sink, ctx, NULL);
}

enum sh_status
age_decrypt_fd(const struct age_unlock *u, int fd, age_sink sink, void *ctx)
{
	struct age_header *h;
	struct age_src src = { fd, NULL, 0, 0 };
	unsigned char *buf;
	enum sh_status st;
	size_t n = 0;
	int parse = 1;

	if (u == NULL || fd < 0 || (u->nids > 0 && u->ids == NULL))
		return SH_ERR_USAGE;
	if (sodium_init() < 0)
		return SH_ERR_NOMEM;
	/* A hint for large files read from disk; fails harmlessly on pipes. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	h = malloc(sizeof *h);
	buf = malloc(AGE_MAX_HEADER);
	if (h == NULL || buf == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	/* Read in small steps and re-parse whenever a line is complete: headers
	 * are a few hundred bytes, and a header has at most a few thousand
	 * lines (stanza cap, 64-char body lines), so this stays cheap even
	 * when a pipe delivers one byte at a time. */
	for (;;) {
		ssize_t r;

		if (parse) {
			st = age_header_parse(buf, n, h);
			if (st != AGE_NEED_MORE)
				break;
		}
		if (n == AGE_MAX_HEADER) {
			if ((st = age_header_parse(buf, n, h)) == AGE_NEED_MORE)
				st = SH_ERR_TOO_LARGE;
			break;
		}
		r = read(fd, buf + n, AGE_MAX_HEADER - n < 4096 ? AGE_MAX_HEADER - n : 4096);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st = SH_ERR_IO;
			break;
		}
		if (r == 0) {
			if ((st = age_header_parse(buf, n, h)) == AGE_NEED_MORE)
				st = SH_ERR_FORMAT;
			break;
		}
		parse = memchr(buf + n, '\n', (size_t)r) != NULL;
		n += (size_t)r;
	}
	if (st == SH_OK) {
		src.mem = buf + h->payload_off;
		src.memlen = n - h->payload_off;
		st = decrypt_after_header(u, buf, h, &src, sink, ctx, NULL);
	}
out:
	free(h);
	free(buf);
	return st;
}

enum sh_status
age_decrypt_into(const struct age_unlock *u, const unsigned char *in, size_t inlen,
                 unsigned char *out, size_t outcap, size_t *outlen)
{
	static unsigned char none[1];    /* out == NULL: room for nothing */
	struct age_direct d = { none, 0, 0 };
	enum sh_status st;

	*outlen = 0;
	if (out == NULL && outcap > 0)
		return SH_ERR_USAGE;
	if (out != NULL) {
		d.buf = out;
		d.cap = outcap;
	}
	/* Chunks are authenticated straight into out; on any failure all of
	 * it is wiped, so nothing unauthenticated (or partial) is left. */
	st = decrypt_mem(u, in, inlen, NULL, NULL, &d);
	if (st != SH_OK) {
		if (out != NULL)
			sodium_memzero(out, outcap);
		return st;
	}
	*outlen = d.len;
	return SH_OK;
}

enum sh_status
age_decrypt_to_secure(const struct age_unlock *u, const unsigned char *in, size_t inlen,
                      size_t maxpt, unsigned char **out, size_t *outlen)
{
	enum sh_status st;
	unsigned char *buf;
	size_t cap;

	*out = NULL;
	*outlen = 0;
	/* The plaintext is never longer than the file. */
	cap = maxpt < inlen ? maxpt : inlen;
	if ((buf = sodium_malloc(cap > 0 ? cap : 1)) == NULL)
		return SH_ERR_NOMEM;
	st = age_decrypt_into(u, in, inlen, buf, cap, outlen);
	if (st != SH_OK) {
		sodium_free(buf);     /* age_decrypt_into wiped it */
		return st;
	}
	*out = buf;
	return SH_OK;
}
