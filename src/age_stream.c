/*
 * age STREAM payload: 64 KiB plaintext chunks, ChaCha20-Poly1305 (ietf),
 * nonce = 11-byte big-endian counter || last-chunk flag.
 * Reader decisions (as age v1.1.1): fill every chunk by looping reads; a
 * short chunk is the final one; a full chunk is tried as non-final, then as
 * final; a final chunk must be followed by EOF; an empty final chunk is only
 * valid as the whole payload (counter 0); plaintext goes to the sink only
 * after its chunk authenticates. Memory use is constant (at most two
 * batches of AGE_BATCH chunks: about 8 MiB, half of it locked plaintext;
 * records, one chunk each, use only what they need).
 * Writer: the final chunk carries 1..65536 bytes, or 0 for empty input.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * Chunks are read and authenticated in batches. For large payloads the
 * calling thread and one helper thread claim chunks of a batch from a
 * shared counter (so a descheduled helper only delays the chunk it holds),
 * and the caller reads the next batch into a second buffer while the helper
 * works. Plaintext is still released strictly in order, by the calling
 * thread, and only up to the first chunk that fails, exactly as reading one
 * chunk at a time would. If the helper cannot be started (e.g. under a
 * seccomp filter), the calling thread does all the work.
 */
#define AGE_BATCH 32
#define BATCH_CLOSED (((size_t)-1) / 2)

enum { CHUNK_BAD, CHUNK_MORE, CHUNK_LAST, CHUNK_TOO_LARGE };

struct chunkbuf {
	const unsigned char *in;         /* n ciphertext chunks, stride AGE_ENC_CHUNK:
	                                  * ct, or straight into a memory source */
	unsigned char *ct;               /* read buffer (fd sources only) */
	unsigned char *pt;               /* sodium_malloc, stride AGE_CHUNK_SIZE */
	size_t ptcap;                    /* bytes writable at pt */
	size_t n;
	int eof;                         /* the read that filled it hit EOF */
	unsigned long long counter0;
	size_t len[AGE_BATCH];
	unsigned long long ptlen[AGE_BATCH];
	int result[AGE_BATCH];
};

struct batch {
	const unsigned char *key;
	struct age_direct *direct;       /* NULL: plaintext buffers of our own */
	size_t cap;                      /* chunks per buffer */
	struct chunkbuf buf[2];
	struct chunkbuf *cur;            /* published to the helper */
	atomic_size_t n;                 /* chunks in *cur */
	atomic_size_t next;              /* next chunk to claim */
	atomic_size_t done;              /* chunks finished */
	pthread_mutex_t mu;
	pthread_cond_t cv;               /* helper: a new batch (or quit) */
	pthread_cond_t done_cv;          /* caller: the helper finished the batch */
	unsigned long gen;
	int quit, running;
	pthread_t th;
};

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

static void
chunk_decrypt(const unsigned char *key, struct chunkbuf *c, size_t i)
{
	unsigned char nonce[12];
	const unsigned char *ct = c->in + i * AGE_ENC_CHUNK;
	unsigned char *pt;
	unsigned long long counter = c->counter0 + i;
	size_t len = c->len[i];
	int last = len < AGE_ENC_CHUNK;

	c->result[i] = CHUNK_BAD;
	c->ptlen[i] = 0;
	/* An empty final chunk is only valid as the whole payload. */
	if (len < AGE_TAG_LEN || (len == AGE_TAG_LEN && counter != 0))
		return;
	if (i * AGE_CHUNK_SIZE + (len - AGE_TAG_LEN) > c->ptcap) {
		/* No room for it. Too large only if it authenticates (as a
		 * bounded sink would see it); otherwise a payload failure. */
		if (chunk_verify(key, ct, len, counter, last))
			c->result[i] = CHUNK_TOO_LARGE;
		return;
	}
	pt = c->pt + i * AGE_CHUNK_SIZE;
	nonce_set(nonce, counter, last);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, &c->ptlen[i], NULL, ct, len,
	                                              NULL, 0, nonce, key) == 0) {
		c->result[i] = last ? CHUNK_LAST : CHUNK_MORE;
		return;
	}
	if (last)
		return;
	/* A full chunk may still be the final one. */
	nonce_set(nonce, counter, 1);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, &c->ptlen[i], NULL, ct, len,
	                                              NULL, 0, nonce, key) == 0)
		c->result[i] = CHUNK_LAST;
}

static void
claim_chunks(struct batch *b)
{
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);

		if (i >= atomic_load(&b->n))
			return;
		chunk_decrypt(b->key, b->cur, i);
		if (atomic_fetch_add(&b->done, 1) + 1 == atomic_load(&b->n) && b->running) {
			/* The last chunk of the batch: the caller may be waiting. */
			pthread_mutex_lock(&b->mu);
			pthread_cond_signal(&b->done_cv);
			pthread_mutex_unlock(&b->mu);
		}
	}
}

static void *
batch_helper(void *arg)
{
	struct batch *b = arg;
	unsigned long seen = 0;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		while (!b->quit && b->gen == seen)
			pthread_cond_wait(&b->cv, &b->mu);
		if (b->quit)
			break;
		seen = b->gen;
		pthread_mutex_unlock(&b->mu);
		claim_chunks(b);
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

/* Hands c to the helper (if any); the caller then claims chunks too. */
static void
batch_publish(struct batch *b, struct chunkbuf *c)
{
	b->cur = c;
	atomic_store(&b->n, c->n);
	atomic_store(&b->done, 0);
	atomic_store(&b->next, 0);
	if (b->running && c->n >= 2) {
		pthread_mutex_lock(&b->mu);
		b->gen++;
		pthread_cond_signal(&b->cv);
		pthread_mutex_unlock(&b->mu);
	}
}

static void
batch_finish(struct batch *b)
{
	claim_chunks(b);
	/* The helper may still hold one chunk: sleep until it is done rather
	 * than spin (on a busy machine the helper may be descheduled). */
	if (atomic_load(&b->done) < b->cur->n) {
		pthread_mutex_lock(&b->mu);
		while (atomic_load(&b->done) < b->cur->n)
			pthread_cond_wait(&b->done_cv, &b->mu);
		pthread_mutex_unlock(&b->mu);
	}
	atomic_store(&b->next, BATCH_CLOSED);
}

static void
batch_stop(struct batch *b)
{
	if (!b->running)
		return;
	pthread_mutex_lock(&b->mu);
	b->quit = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->th, NULL);
	b->running = 0;
}

static enum sh_status
batch_fill(struct batch *b, struct chunkbuf *c, struct age_src *src,
           unsigned long long counter0)
{
	size_t got, i, want = b->cap * AGE_ENC_CHUNK;
	enum sh_status st = SH_OK;

	if (src->fd < 0) {
		/* Memory: authenticate the chunks where they are, no copy. */
		got = src->memlen - src->mempos < want ? src->memlen - src->mempos : want;
		c->in = src->mem + src->mempos;
		src->mempos += got;
	} else {
		st = age_src_read(src, c->ct, want, &got);
		c->in = c->ct;
	}
	c->n = 0;
	c->eof = got < want;
	c->counter0 = counter0;
	if (b->direct != NULL) {
		struct age_direct *d = b->direct;

		/* Chunk k of the payload lands at d->buf + k * AGE_CHUNK_SIZE. */
		if (counter0 < d->cap / AGE_CHUNK_SIZE + 1 &&
		    (size_t)counter0 * AGE_CHUNK_SIZE <= d->cap) {
			c->pt = d->buf + (size_t)counter0 * AGE_CHUNK_SIZE;
			c->ptcap = d->cap - (size_t)counter0 * AGE_CHUNK_SIZE;
		} else {
			c->pt = d->buf;
			c->ptcap = 0;
		}
	}
	if (st != SH_OK)
		return st;
	c->n = (got + AGE_ENC_CHUNK - 1) / AGE_ENC_CHUNK;
	for (i = 0; i < c->n; i++)
		c->len[i] = i + 1 < c->n ? AGE_ENC_CHUNK : got - i * AGE_ENC_CHUNK;
	return SH_OK;
}

/* Chunks worth buffering: a full batch, or fewer when the input is known
 * to be short (small records should not pay for megabytes of buffers).
 * 0: unknown (a pipe), start small and grow if the data keeps coming. */
static size_t
batch_cap(const struct age_src *src)
{
	size_t left = src->memlen - src->mempos;
	struct stat sb;
	off_t cur;

	if (src->fd >= 0) {
		if (fstat(src->fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    (cur = lseek(src->fd, 0, SEEK_CUR)) < 0 || sb.st_size < cur)
			return 0;
		left += (size_t)(sb.st_size - cur);
	}
	left = left / AGE_ENC_CHUNK + 1;
	return left < AGE_BATCH ? left : AGE_BATCH;
}

static void
batch_free_bufs(struct batch *b)
{
	int k;

	for (k = 0; k < 2; k++) {
		if (b->direct == NULL && b->buf[k].pt != NULL) {
			sodium_memzero(b->buf[k].pt, b->cap * AGE_CHUNK_SIZE);
			sodium_free(b->buf[k].pt);
		}
		free(b->buf[k].ct);
		b->buf[k].pt = NULL;
		b->buf[k].ct = NULL;
	}
}

/* Buffers for b->cap chunks (none for ciphertext in memory, none for
 * plaintext going straight to the caller); for large batches also the
 * helper thread, and then a second buffer to read ahead into. Returns the
 * buffer count. */
static int
batch_setup(struct batch *b, const struct age_src *src, int *sync_ok)
{
	int k, nbuf;

	if (b->cap >= 4 && !b->running && sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		if (!*sync_ok && pthread_mutex_init(&b->mu, NULL) == 0) {
			if (pthread_cond_init(&b->cv, NULL) != 0) {
				pthread_mutex_destroy(&b->mu);
			} else if (pthread_cond_init(&b->done_cv, NULL) != 0) {
				pthread_cond_destroy(&b->cv);
				pthread_mutex_destroy(&b->mu);
			} else {
				*sync_ok = 1;
			}
		}
		if (*sync_ok)
			b->running = pthread_create(&b->th, NULL, batch_helper, b) == 0;
	}
	nbuf = b->running ? 2 : 1;
	for (k = 0; k < nbuf; k++) {
		if (b->direct == NULL) {
			b->buf[k].pt = sodium_allocarray(b->cap, AGE_CHUNK_SIZE);
			if (b->buf[k].pt == NULL)
				return 0;
			b->buf[k].ptcap = b->cap * AGE_CHUNK_SIZE;
		}
		if (src->fd >= 0 && (b->buf[k].ct = malloc(b->cap * AGE_ENC_CHUNK)) == NULL)
			return 0;
	}
	return nbuf;
}

static void
batch_free(struct batch *b, int sync_ok)
{
	batch_stop(b);
	if (sync_ok) {
		pthread_cond_destroy(&b->cv);
		pthread_cond_destroy(&b->done_cv);
		pthread_mutex_destroy(&b->mu);
	}
	batch_free_bufs(b);
	free(b);
}

enum sh_status
age_stream_decrypt(const unsigned char fk[AGE_FILE_KEY_LEN], struct age_src *src,
                   age_sink sink, void *ctx, struct age_direct *direct)
{
	unsigned char pnonce[AGE_NONCE_LEN];
	unsigned char key[32];           /* wiped before return */
	struct batch *b = NULL;
	struct chunkbuf *cur, *ahead;
	enum sh_status st, readst;
	unsigned long long counter0;
	size_t got, i;
	int nbuf, sync_ok = 0, grow = 0;

	if ((st = age_src_read(src, pnonce, sizeof pnonce, &got)) != SH_OK)
		return st;
	if (got < sizeof pnonce)
		return SH_ERR_FORMAT;     /* age counts a short nonce as a header failure */
	if ((b = calloc(1, sizeof *b)) == NULL)
		return SH_ERR_NOMEM;
	payload_key(fk, pnonce, key);
	b->key = key;
	b->direct = direct;
	if (direct != NULL)
		direct->len = 0;
	b->cap = batch_cap(src);
	if (b->cap == 0) {
		b->cap = 2;
		grow = 1;
	}
	atomic_init(&b->n, 0);
	atomic_init(&b->next, BATCH_CLOSED);
	atomic_init(&b->done, 0);
	if ((nbuf = batch_setup(b, src, &sync_ok)) == 0) {
		st = SH_ERR_NOMEM;
		goto out;
	}
	cur = &b->buf[0];
	if ((st = batch_fill(b, cur, src, 0)) != SH_OK)
		goto out;
	for (;;) {
		int more;

		if (cur->n == 0) {
			/* No final chunk yet, and nothing more. */
			st = SH_ERR_TRUNCATED;
			goto out;
		}
		batch_publish(b, cur);
		ahead = NULL;
		readst = SH_OK;
		if (nbuf == 2 && !cur->eof) {
			ahead = cur == &b->buf[0] ? &b->buf[1] : &b->buf[0];
			readst = batch_fill(b, ahead, src, cur->counter0 + cur->n);
		}
		batch_finish(b);
		for (i = 0; i < cur->n; i++) {
			if (cur->result[i] == CHUNK_BAD || cur->result[i] == CHUNK_TOO_LARGE) {
				st = cur->result[i] == CHUNK_BAD ? SH_ERR_PAYLOAD : SH_ERR_TOO_LARGE;
				goto out;
			}
			if (direct != NULL)
				direct->len = (size_t)(cur->counter0 + i) * AGE_CHUNK_SIZE +
				              (size_t)cur->ptlen[i];
			else if (sink != NULL && cur->ptlen[i] > 0 &&
			         sink(ctx, cur->pt + i * AGE_CHUNK_SIZE,
			              (size_t)cur->ptlen[i]) != 0) {
				st = SH_ERR_IO;
				goto out;
			}
			if (cur->result[i] != CHUNK_LAST)
				continue;
			/* The final chunk must be followed by EOF. */
			if (i + 1 < cur->n) {
				st = SH_ERR_TRAILING;
				goto out;
			}
			more = 0;
			if (ahead != NULL) {
				if ((st = readst) != SH_OK)
					goto out;
				more = ahead->n > 0;
			} else if (!cur->eof) {
				unsigned char extra;

				if ((st = age_src_read(src, &extra, 1, &got)) != SH_OK)
					goto out;
				more = got != 0;
			}
			st = more ? SH_ERR_TRAILING : SH_OK;
			goto out;
		}
		if (cur->eof) {
			st = SH_ERR_TRUNCATED;
			goto out;
		}
		if (ahead != NULL) {
			if ((st = readst) != SH_OK)
				goto out;
			cur = ahead;
			continue;
		}
		counter0 = cur->counter0 + cur->n;
		if (grow) {
			/* A pipe that keeps delivering: switch to full batches. */
			grow = 0;
			batch_free_bufs(b);
			b->cap = AGE_BATCH;
			if ((nbuf = batch_setup(b, src, &sync_ok)) == 0) {
				st = SH_ERR_NOMEM;
				goto out;
			}
			cur = &b->buf[0];
		}
		if ((st = batch_fill(b, cur, src, counter0)) != SH_OK)
			goto out;
	}
out:
	batch_free(b, sync_ok);
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
