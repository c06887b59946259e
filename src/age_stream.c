/*
 * age STREAM payload: 64 KiB plaintext chunks, ChaCha20-Poly1305 (ietf),
 * nonce = 11-byte big-endian counter || last-chunk flag.
 * Reader decisions (as age v1.1.1): fill every chunk by looping reads; a
 * short chunk is the final one; a full chunk is tried as non-final, then as
 * final; a final chunk must be followed by EOF; an empty final chunk is only
 * valid as the whole payload (counter 0); plaintext goes to the sink only
 * after its chunk authenticates. Single-threaded and one chunk at a time:
 * input comes from anyone, and no product file is larger than one chunk
 * (a threaded batch reader once here served only a bulk benchmark).
 * Memory use is constant: one ciphertext chunk and one locked plaintext
 * chunk.
 * Writer: the final chunk carries 1..65536 bytes, or 0 for empty input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "age_internal.h"

enum sh_status
age_src_read(struct age_src *s, unsigned char *buf, size_t n, size_t *got)
{
	size_t have = 0;

	if (s->mempos < s->memlen) {
		size_t k = s->memlen - s->mempos;

		if (k > n)
			k = n;
		memcpy(buf, s->mem + s->mempos, k);
		s->mempos += k;
		have = k;
	}
	while (have < n && s->fd >= 0) {
		ssize_t r = read(s->fd, buf + have, n - have);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			*got = have;
			return SH_ERR_IO;
		}
		if (r == 0)
			break;
		have += (size_t)r;
	}
	*got = have;
	return SH_OK;
}

enum sh_status
age_out_write(struct age_out *o, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	if (o->fd < 0) {
		if (n > o->cap - o->pos)
			return SH_ERR_TOO_LARGE;
		memcpy(o->mem + o->pos, p, n);
		o->pos += n;
		return SH_OK;
	}
	while (n > 0) {
		ssize_t w = write(o->fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == ENOSPC || errno == EDQUOT ? SH_ERR_NOSPACE : SH_ERR_IO;
		}
		p += w;
		n -= (size_t)w;
		o->pos += (size_t)w;
	}
	return SH_OK;
}

static void
nonce_set(unsigned char nonce[12], unsigned long long counter, int last)
{
	int i;

	memset(nonce, 0, 3);
	for (i = 0; i < 8; i++)
		nonce[10 - i] = (unsigned char)(counter >> (8 * i));
	nonce[11] = last ? 1 : 0;
}

static enum sh_status
payload_key(const unsigned char fk[AGE_FILE_KEY_LEN], const unsigned char nonce[16],
            unsigned char key[32])
{
	age_hkdf_sha256(fk, AGE_FILE_KEY_LEN, nonce, AGE_NONCE_LEN, "payload", key);
	return SH_OK;
}

/* Authenticates a chunk without writing plaintext (libsodium's detached
 * decryption only verifies when given no output). */
static int
chunk_verify(const unsigned char *key, const unsigned char *ct, size_t len,
             unsigned long long counter, int last)
{
	unsigned char nonce[12];
	size_t n = len - AGE_TAG_LEN;

	nonce_set(nonce, counter, last);
	if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(NULL, NULL, ct, n, ct + n,
	                                                       NULL, 0, nonce, key) == 0)
		return 1;
	nonce_set(nonce, counter, 1);
	return !last && crypto_aead_chacha20poly1305_ietf_decrypt_detached(NULL, NULL, ct, n,
	                                                                   ct + n, NULL, 0,
	                                                                   nonce, key) == 0;
}

enum { CHUNK_BAD, CHUNK_MORE, CHUNK_LAST, CHUNK_TOO_LARGE };

/* One chunk of len bytes into pt (room: ptcap bytes). */
static int
chunk_decrypt(const unsigned char *key, const unsigned char *ct, size_t len,
              unsigned long long counter, unsigned char *pt, size_t ptcap,
              unsigned long long *ptlen)
{
	unsigned char nonce[12];
	int last = len < AGE_ENC_CHUNK;

	*ptlen = 0;
	/* An empty final chunk is only valid as the whole payload. */
	if (len < AGE_TAG_LEN || (len == AGE_TAG_LEN && counter != 0))
		return CHUNK_BAD;
	if (len - AGE_TAG_LEN > ptcap)
		/* No room: too large only if it authenticates (as a bounded
		 * sink would see it); otherwise a payload failure. */
		return chunk_verify(key, ct, len, counter, last) ? CHUNK_TOO_LARGE : CHUNK_BAD;
	nonce_set(nonce, counter, last);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, ptlen, NULL, ct, len, NULL, 0,
	                                              nonce, key) == 0)
		return last ? CHUNK_LAST : CHUNK_MORE;
	if (last)
		return CHUNK_BAD;
	/* A full chunk may still be the final one. */
	nonce_set(nonce, counter, 1);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, ptlen, NULL, ct, len, NULL, 0,
	                                              nonce, key) == 0)
		return CHUNK_LAST;
	return CHUNK_BAD;
}

/*
 * One chunk at a time, on the calling thread: read it (or point at it in
 * memory), authenticate it into one locked chunk buffer (or straight into
 * the caller's direct buffer), release it. The files this library reads
 * for the product are one chunk each; anything larger is just more of the
 * same loop, at a constant 128 KiB of memory.
 */
enum sh_status
age_stream_decrypt(const unsigned char fk[AGE_FILE_KEY_LEN], struct age_src *src,
                   age_sink sink, void *ctx, struct age_direct *direct)
{
	unsigned char pnonce[AGE_NONCE_LEN];
	unsigned char key[32];           /* wiped before return */
	unsigned char *ctbuf = NULL, *own = NULL, *pt, extra;
	const unsigned char *ct;
	unsigned long long counter, ptlen;
	size_t got, ptcap, off;
	enum sh_status st;
	int res;

	if ((st = age_src_read(src, pnonce, sizeof pnonce, &got)) != SH_OK)
		return st;
	if (got < sizeof pnonce)
		return SH_ERR_FORMAT;     /* age counts a short nonce as a header failure */
	if (src->fd >= 0 && (ctbuf = malloc(AGE_ENC_CHUNK)) == NULL)
		return SH_ERR_NOMEM;
	if (direct == NULL && (own = sodium_malloc(AGE_CHUNK_SIZE)) == NULL) {
		free(ctbuf);
		return SH_ERR_NOMEM;
	}
	payload_key(fk, pnonce, key);
	if (direct != NULL)
		direct->len = 0;
	for (counter = 0;; counter++) {
		if (src->fd < 0) {
			/* memory: authenticate the chunk where it is, no copy */
			got = src->memlen - src->mempos;
			if (got > AGE_ENC_CHUNK)
				got = AGE_ENC_CHUNK;
			ct = src->mem + src->mempos;
			src->mempos += got;
		} else {
			if ((st = age_src_read(src, ctbuf, AGE_ENC_CHUNK, &got)) != SH_OK)
				goto out;
			ct = ctbuf;
		}
		if (got == 0) {
			/* no final chunk yet, and nothing more */
			st = SH_ERR_TRUNCATED;
			goto out;
		}
		if (direct != NULL) {
			off = (size_t)counter * AGE_CHUNK_SIZE;
			pt = direct->buf + (off <= direct->cap ? off : 0);
			ptcap = off <= direct->cap ? direct->cap - off : 0;
		} else {
			pt = own;
			ptcap = AGE_CHUNK_SIZE;
		}
		res = chunk_decrypt(key, ct, got, counter, pt, ptcap, &ptlen);
		if (res == CHUNK_BAD || res == CHUNK_TOO_LARGE) {
			st = res == CHUNK_BAD ? SH_ERR_PAYLOAD : SH_ERR_TOO_LARGE;
			goto out;
		}
		if (direct != NULL)
			direct->len = (size_t)counter * AGE_CHUNK_SIZE + (size_t)ptlen;
		else if (sink != NULL && ptlen > 0 && sink(ctx, pt, (size_t)ptlen) != 0) {
			st = SH_ERR_IO;
			goto out;
		}
		if (res == CHUNK_MORE)
			continue;
		/* The final chunk must be followed by EOF (a short chunk
		 * already was: sources are read to the full chunk or EOF). */
		st = SH_OK;
		if (got == AGE_ENC_CHUNK) {
			if ((st = age_src_read(src, &extra, 1, &got)) == SH_OK && got != 0)
				st = SH_ERR_TRAILING;
		}
		goto out;
	}
out:
	if (own != NULL) {
		sodium_memzero(own, AGE_CHUNK_SIZE);
		sodium_free(own);
	}
	free(ctbuf);
	sodium_memzero(key, sizeof key);
	return st;
}

/* Memory to memory: each chunk is sealed straight from the caller's
 * plaintext into the output, so no plaintext copy is made at all. */
static enum sh_status
encrypt_mem_chunks(const unsigned char *key, const unsigned char *pt, size_t ptlen,
                   struct age_out *out)
{
	static const unsigned char none[1];
	unsigned char nonce[12];
	unsigned long long counter = 0, ctlen;
	size_t off = 0;

	for (;;) {
		size_t n = ptlen - off < AGE_CHUNK_SIZE ? ptlen - off : AGE_CHUNK_SIZE;
		int last = off + n == ptlen;

		if (n + AGE_TAG_LEN > out->cap - out->pos)
			return SH_ERR_TOO_LARGE;
		nonce_set(nonce, counter++, last);
		crypto_aead_chacha20poly1305_ietf_encrypt(out->mem + out->pos, &ctlen,
		                                          n > 0 ? pt + off : none, n, NULL, 0,
		                                          NULL, nonce, key);
		out->pos += (size_t)ctlen;
		off += n;
		if (last)
			return SH_OK;
	}
}

/* From a source: a chunk is final exactly when nothing follows it, so one
 * byte is read ahead (kept in buf[AGE_CHUNK_SIZE]). */
static enum sh_status
encrypt_src_chunks(const unsigned char *key, struct age_src *in, struct age_out *out)
{
	unsigned char nonce[12], *buf, *ct;
	unsigned long long counter = 0, ctlen;
	enum sh_status st;
	size_t got, nextgot;

	buf = sodium_malloc(AGE_CHUNK_SIZE + 1);
	ct = malloc(AGE_ENC_CHUNK);
	if (buf == NULL || ct == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	if ((st = age_src_read(in, buf, AGE_CHUNK_SIZE, &got)) != SH_OK)
		goto out;
	for (;;) {
		int last;

		nextgot = 0;
		if (got == AGE_CHUNK_SIZE &&
		    (st = age_src_read(in, buf + AGE_CHUNK_SIZE, 1, &nextgot)) != SH_OK)
			goto out;
		last = nextgot == 0;
		nonce_set(nonce, counter++, last);
		crypto_aead_chacha20poly1305_ietf_encrypt(ct, &ctlen, buf, got, NULL, 0,
		                                          NULL, nonce, key);
		if ((st = age_out_write(out, ct, (size_t)ctlen)) != SH_OK || last)
			goto out;
		buf[0] = buf[AGE_CHUNK_SIZE];
		if ((st = age_src_read(in, buf + 1, AGE_CHUNK_SIZE - 1, &got)) != SH_OK)
			goto out;
		got += 1;
	}
out:
	if (buf != NULL) {
		sodium_memzero(buf, AGE_CHUNK_SIZE + 1);
		sodium_free(buf);
	}
	free(ct);
	return st;
}

enum sh_status
age_stream_encrypt(const unsigned char fk[AGE_FILE_KEY_LEN],
                   const unsigned char *pt, size_t ptlen,
                   struct age_src *in, struct age_out *out)
{
	unsigned char pnonce[AGE_NONCE_LEN], key[32];
	enum sh_status st;

	randombytes_buf(pnonce, sizeof pnonce);
	if ((st = age_out_write(out, pnonce, sizeof pnonce)) != SH_OK)
		return st;
	payload_key(fk, pnonce, key);
	if (in == NULL && out->fd < 0) {
		st = encrypt_mem_chunks(key, pt, ptlen, out);
	} else if (in != NULL) {
		st = encrypt_src_chunks(key, in, out);
	} else {
		struct age_src src = { -1, pt, ptlen, 0 };

		st = encrypt_src_chunks(key, &src, out);
	}
	sodium_memzero(key, sizeof key);
	return st;
}
