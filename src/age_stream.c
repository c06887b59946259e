/*
 * age STREAM payload: 64 KiB plaintext chunks, ChaCha20-Poly1305 (ietf),
 * nonce = 11-byte big-endian counter || last-chunk flag.
 * Reader decisions (as age v1.1.1): fill every chunk by looping reads; a
 * short chunk is the final one; a full chunk is tried as non-final, then as
 * final; a final chunk must be followed by EOF; an empty final chunk is only
 * valid as the whole payload (counter 0); plaintext goes to the sink only
 * after its chunk authenticates. Memory use is constant (two chunk buffers).
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

enum sh_status
age_stream_decrypt(const unsigned char fk[AGE_FILE_KEY_LEN], struct age_src *src,
                   age_sink sink, void *ctx)
{
	unsigned char pnonce[AGE_NONCE_LEN], nonce[12];
	unsigned char *key = NULL, *pt = NULL, *ct = NULL;
	unsigned long long counter = 0, ptlen;
	enum sh_status st;
	size_t got;

	if ((st = age_src_read(src, pnonce, sizeof pnonce, &got)) != SH_OK)
		return st;
	if (got < sizeof pnonce)
		return SH_ERR_FORMAT;     /* age counts a short nonce as a header failure */
	key = sodium_malloc(32);
	pt = sodium_malloc(AGE_CHUNK_SIZE);
	ct = malloc(AGE_ENC_CHUNK + 1);
	if (key == NULL || pt == NULL || ct == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	payload_key(fk, pnonce, key);
	for (;;) {
		int last;

		if ((st = age_src_read(src, ct, AGE_ENC_CHUNK, &got)) != SH_OK)
			goto out;
		if (got == 0) {
			st = SH_ERR_TRUNCATED;
			goto out;
		}
		if (got < AGE_TAG_LEN || (got == AGE_TAG_LEN && counter != 0)) {
			st = SH_ERR_PAYLOAD;
			goto out;
		}
		last = got < AGE_ENC_CHUNK;
		nonce_set(nonce, counter, last);
		if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, &ptlen, NULL, ct, got,
		                                              NULL, 0, nonce, key) != 0) {
			if (last) {
				st = SH_ERR_PAYLOAD;
				goto out;
			}
			last = 1;
			nonce_set(nonce, counter, 1);
			if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, &ptlen, NULL, ct, got,
			                                              NULL, 0, nonce, key) != 0) {
				st = SH_ERR_PAYLOAD;
				goto out;
			}
		}
		if (sink != NULL && ptlen > 0 && sink(ctx, pt, (size_t)ptlen) != 0) {
			st = SH_ERR_IO;
			goto out;
		}
		sodium_memzero(pt, (size_t)ptlen);
		if (last) {
			/* A full final chunk must still be followed by EOF. */
			if (got == AGE_ENC_CHUNK) {
				unsigned char extra;

				if ((st = age_src_read(src, &extra, 1, &got)) != SH_OK)
					goto out;
				if (got != 0) {
					st = SH_ERR_TRAILING;
					goto out;
				}
			}
			st = SH_OK;
			goto out;
		}
		counter++;
	}
out:
	if (pt != NULL) {
		sodium_memzero(pt, AGE_CHUNK_SIZE);
		sodium_free(pt);
	}
	if (key != NULL) {
		sodium_memzero(key, 32);
		sodium_free(key);
	}
	free(ct);
	return st;
}

/* Fills buf with up to n plaintext bytes from memory or the source. */
static enum sh_status
next_plain(const unsigned char **pt, size_t *ptleft, struct age_src *in,
           unsigned char *buf, size_t n, size_t *got)
{
	if (*pt != NULL) {
		size_t k = *ptleft < n ? *ptleft : n;

		memcpy(buf, *pt, k);
		*pt += k;
		*ptleft -= k;
		*got = k;
		return SH_OK;
	}
	return age_src_read(in, buf, n, got);
}

enum sh_status
age_stream_encrypt(const unsigned char fk[AGE_FILE_KEY_LEN],
                   const unsigned char *pt, size_t ptlen,
                   struct age_src *in, struct age_out *out)
{
	unsigned char pnonce[AGE_NONCE_LEN], nonce[12];
	unsigned char *key = NULL, *buf = NULL, *ct = NULL;
	unsigned long long counter = 0, ctlen;
	enum sh_status st;
	size_t got, nextgot;
	int have_next = 0;
	static const unsigned char empty_pt[1];

	if (pt == NULL && in == NULL)
		pt = empty_pt;
	key = sodium_malloc(32);
	buf = sodium_malloc(AGE_CHUNK_SIZE + 1);
	ct = malloc(AGE_ENC_CHUNK);
	if (key == NULL || buf == NULL || ct == NULL) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	randombytes_buf(pnonce, sizeof pnonce);
	payload_key(fk, pnonce, key);
	if ((st = age_out_write(out, pnonce, sizeof pnonce)) != SH_OK)
		goto out;
	/* buf[AGE_CHUNK_SIZE] holds one look-ahead byte: a chunk is final
	 * exactly when nothing follows it. */
	if ((st = next_plain(&pt, &ptlen, in, buf, AGE_CHUNK_SIZE, &got)) != SH_OK)
		goto out;
	for (;;) {
		int last;

		nextgot = 0;
		if (got == AGE_CHUNK_SIZE &&
		    (st = next_plain(&pt, &ptlen, in, buf + AGE_CHUNK_SIZE, 1,
		                     &nextgot)) != SH_OK)
			goto out;
		have_next = nextgot == 1;
		last = !have_next;
		nonce_set(nonce, counter, last);
		crypto_aead_chacha20poly1305_ietf_encrypt(ct, &ctlen, buf, got, NULL, 0,
		                                          NULL, nonce, key);
		if ((st = age_out_write(out, ct, (size_t)ctlen)) != SH_OK)
			goto out;
		if (last)
			break;
		if (++counter == 0) {
			st = SH_ERR_TOO_LARGE;
			goto out;
		}
		buf[0] = buf[AGE_CHUNK_SIZE];
		if ((st = next_plain(&pt, &ptlen, in, buf + 1, AGE_CHUNK_SIZE - 1,
		                     &got)) != SH_OK)
			goto out;
		got += 1;
	}
	st = SH_OK;
out:
	if (buf != NULL) {
		sodium_memzero(buf, AGE_CHUNK_SIZE + 1);
		sodium_free(buf);
	}
	if (key != NULL) {
		sodium_memzero(key, 32);
		sodium_free(key);
	}
	free(ct);
	return st;
}
