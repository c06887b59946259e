/*
 * (b) The social worker's read path, per core: read one envelope (fileio's
 * bounded no-follow reader) and open it (envelope_open: age X25519 unwrap,
 * payload authentication, strict record parse, Ed25519 verify), against
 * the floor every signed record pays: the same read, one X25519 and one
 * Ed25519 verification. Target: at most 1.3x. Envelopes are sealed to two
 * recipients (envelope_seal), the reader's key first.
 *
 * Also the whole list of 10,000 as `safeharbor list` loads it (queue_load,
 * one opener per CPU, and one opener alone), wall time, median of three.
 *
 * The per-envelope loops run interleaved, ROUND envelopes at a time, so
 * load from other processes on a shared machine falls on both alike; CPU
 * time is the figure (it does not count time spent descheduled).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/envelope.h"
#include "safeharbor/fileio.h"
#include "safeharbor/keys.h"
#include "safeharbor/record.h"
#include "safeharbor/spool.h"
#include "../src/tool/queue.h"
#include "bench_clock.h"

#define N 10000
#define ROUND 500
#define REPS 3

static double
median3(const double v[REPS])
{
	double a = v[0], b = v[1], c = v[2];

	if (a > b) { double t = a; a = b; b = t; }
	if (b > c) { double t = b; b = c; c = t; }
	return a > b ? a : b;
}

/* The floor: read, one X25519 depending on the bytes read, one Ed25519
 * verification of a real record signature. */
struct floor {
	const struct spool *sp;
	const struct spool_entry *e;
	unsigned char *buf;
	unsigned char sk[32], pk[32];
	unsigned acc;
	const unsigned char *sig, *msg, *sigpk;
	size_t msglen;
};

static int
floor_run(struct floor *f, size_t lo, size_t hi)
{
	unsigned char q[32];
	size_t i, len;

	for (i = lo; i < hi; i++) {
		if (fileio_read_file(f->sp->new, f->e[i].name, f->buf, QUEUE_FILE_MAX, &len) != 0)
			return -1;
		f->pk[0] ^= f->buf[100];
		if (crypto_scalarmult(q, f->sk, f->pk) != 0)
			f->pk[0] ^= 1;
		f->acc += q[0];
		if (crypto_sign_verify_detached(f->sig, f->msg, f->msglen, f->sigpk) != 0)
			return -1;
	}
	return 0;
}

/* The product's path for one envelope. Returns how many verified. */
static long
open_run(const struct spool *sp, const struct spool_entry *e, size_t lo, size_t hi,
         const struct age_unlock *u, unsigned char *buf, unsigned char *pt, struct record *r)
{
	const char *why;
	size_t i, len;
	long ok = 0;

	for (i = lo; i < hi; i++) {
		if (fileio_read_file(sp->new, e[i].name, buf, QUEUE_FILE_MAX, &len) != 0)
			return -1;
		if (envelope_open(buf, len, u, pt, r, NULL, &why) == SH_OK)
			ok++;
		sodium_memzero(pt, SH_RECORD_SIZE);
		record_clear(r);
	}
	return ok;
}

int
main(void)
{
	char dir[] = "/tmp/sh-bench-open-XXXXXX", cmd[128];
	struct age_recipient rc[2];
	struct age_identity *ids;
	struct age_unlock u;
	struct keys_signing *k;
	struct record *r;
	struct spool_entry *e = NULL;
	struct spool sp;
	struct floor fl;
	unsigned char *rec, *ct, *buf, *pt, sig[crypto_sign_BYTES];
	const unsigned char *end;
	const char *why;
	size_t ctlen, n = 0, i, lo, siglen;
	double c0, c_open = 0, c_floor = 0, w_queue[REPS], w_queue1[REPS], t0;
	long ok = 0, got;
	int rep, fd;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL || spool_init(dir) != SH_OK)
		return 1;
	k = keys_signing_new();
	r = record_new();
	ids = sodium_malloc(2 * sizeof(*ids));
	rec = sodium_malloc(SH_RECORD_SIZE);
	pt = sodium_malloc(SH_RECORD_SIZE);
	buf = malloc(QUEUE_FILE_MAX);
	if (k == NULL || r == NULL || ids == NULL || rec == NULL || pt == NULL || buf == NULL)
		return 1;
	crypto_sign_keypair(k->pk, k->sk);
	for (i = 0; i < 2; i++) {
		age_identity_generate(&ids[i]);
		age_identity_recipient(&ids[i], &rc[i]);
	}

	/* Set-up (not timed): N envelopes written straight into new/ without
	 * fsync; the timed part reads them from the page cache. */
	if (spool_open(&sp, dir, 0, &why) != SH_OK)
		return 1;
	for (i = 0; i < N; i++) {
		char name[64];

		record_clear(r);
		r->about = (enum record_about)(i % 3);
		if (record_set_field(r, RECORD_NAME, "Student", 7) != SH_OK ||
		    record_set_message(r, "please find me", 14) != SH_OK ||
		    envelope_seal(r, k, rc, 2, time(NULL), rec, &ct, &ctlen) != SH_OK)
			return 1;
		snprintf(name, sizeof(name), "%032zx.age", i);
		if ((fd = openat(sp.new, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600)) < 0 ||
		    fileio_write_all(fd, ct, ctlen) != 0 || close(fd) != 0)
			return 1;
		free(ct);
	}
	if (spool_scan_at(&sp, &e, &n) != SH_OK || n != N)
		return 1;

	memset(&u, 0, sizeof(u));
	u.ids = ids;
	u.nids = 1;
	memset(&fl, 0, sizeof(fl));
	fl.sp = &sp;
	fl.e = e;
	fl.buf = buf;
	randombytes_buf(fl.sk, sizeof(fl.sk));
	crypto_scalarmult_base(fl.pk, fl.sk);
	if (record_serialize(r, k, time(NULL), rec) != SH_OK ||
	    (end = memmem(rec, SH_RECORD_SIZE, "Signature: ", 11)) == NULL ||
	    sodium_base642bin(sig, sizeof(sig), (const char *)end + 11, 88, NULL, &siglen,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return 1;
	fl.sig = sig;
	fl.msg = rec;
	fl.msglen = (size_t)(end - rec);
	fl.sigpk = k->pk;

	for (lo = 0; lo < n; lo += ROUND) {
		size_t hi = lo + ROUND < n ? lo + ROUND : n;

		c0 = cpu_s();
		if ((got = open_run(&sp, e, lo, hi, &u, buf, pt, r)) < 0)
			return 1;
		ok += got;
		c_open += cpu_s() - c0;
		c0 = cpu_s();
		if (floor_run(&fl, lo, hi) != 0)
			return 1;
		c_floor += cpu_s() - c0;
	}
	if (ok != N) {
		fprintf(stderr, "only %ld of %d verified\n", ok, N);
		return 1;
	}

	for (rep = 0; rep < REPS; rep++) {
		struct queue q;
		unsigned w;

		for (w = 0; w < 2; w++) {
			queue_set_workers(w == 0 ? 0 : 1);
			t0 = now_s();
			if (queue_load(&q, dir, &u, NULL, NULL, NULL) != SH_OK ||
			    q.n != N || q.nopened != N || q.nrefused != 0)
				return 1;
			(w == 0 ? w_queue : w_queue1)[rep] = now_s() - t0;
			queue_free(&q);
		}
	}
	queue_set_workers(0);

	printf("(b) open + verify one envelope, per core: %.1f us  (peer: read + X25519 + "
	       "one Ed25519 verify %.1f us, ratio: %.2fx, target: <= 1.3x) [%u]\n",
	       c_open / N * 1e6, c_floor / N * 1e6, c_open / c_floor, fl.acc & 1);
	printf("    list of %d (queue_load, %ld openers): %.3f s; one opener: %.3f s "
	       "(wall, median of %d)\n", N,
	       sysconf(_SC_NPROCESSORS_ONLN) < QUEUE_MAX_WORKERS ?
	       sysconf(_SC_NPROCESSORS_ONLN) : QUEUE_MAX_WORKERS,
	       median3(w_queue), median3(w_queue1), REPS);

	spool_close(&sp);
	free(e);
	free(buf);
	keys_signing_free(k);
	record_free(r);
	sodium_free(ids);
	sodium_free(rec);
	sodium_free(pt);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
