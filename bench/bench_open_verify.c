/*
 * The social worker's read path: open, decrypt (age, X25519) and parse +
 * verify (record_parse, Ed25519) 10,000 envelopes from a spool, against the
 * floor: reading the same files plus one bare crypto_scalarmult each (the
 * one X25519 operation no age reader can skip). Target: at most 1.3x.
 * Envelopes are sealed to two recipients, the reader's key first.
 *
 * Two views, both printed:
 * - the whole spool through queue_load, exactly as `safeharbor list` opens
 *   it (one opener per CPU), in wall time against the bare floor run as a
 *   plain loop on one thread; and the same with a single opener;
 * - per envelope on one thread (the library calls in a loop, one locked
 *   buffer reused, as each opener does), against the bare floor and
 *   against a floor that also includes the one Ed25519 verification every
 *   signed record needs (SPEC 2.5). That signature check alone costs about
 *   as much as the X25519, so no single-threaded reader can get under
 *   about 2x of the bare floor.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "safeharbor/keys.h"
#include "../src/tool/queue.h"
#include "safeharbor/record.h"
#include "safeharbor/spool.h"
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

static ssize_t
read_file(const char *path, unsigned char *buf, size_t max)
{
	size_t got = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while (got < max && (r = read(fd, buf + got, max - got)) > 0)
		got += (size_t)r;
	close(fd);
	return (ssize_t)got;
}

/* The floor over entries [lo, hi): read each file and do one X25519 that
 * depends on the bytes read; with a signature, also one Ed25519
 * verification each. */
struct floor {
	const char *dir;
	const struct spool_entry *e;
	unsigned char *buf;
	size_t envsize;
	unsigned char sk[32], pk[32];
	unsigned acc;
	const unsigned char *sig, *msg, *sigpk;   /* sig NULL: X25519 only */
	size_t msglen;
};

static int
floor_run(struct floor *f, size_t lo, size_t hi)
{
	char path[512];
	unsigned char q[32];
	size_t i;

	for (i = lo; i < hi; i++) {
		if (spool_entry_path(f->dir, &f->e[i], path, sizeof(path)) != SH_OK ||
		    read_file(path, f->buf, f->envsize + 1) < 0)
			return -1;
		f->pk[0] ^= f->buf[100];
		if (crypto_scalarmult(q, f->sk, f->pk) != 0)
			f->pk[0] ^= 1;
		f->acc += q[0];
		if (f->sig != NULL &&
		    crypto_sign_verify_detached(f->sig, f->msg, f->msglen, f->sigpk) != 0)
			return -1;
	}
	return 0;
}

int
main(void)
{
	char dir[] = "/tmp/sh-bench-open-XXXXXX", path[512], cmd[128];
	struct age_recipient rc[2];
	struct age_identity *ids;
	struct age_unlock u;
	struct keys_signing *k;
	struct record *r;
	struct spool_entry *e = NULL;
	struct floor bare, withsig;
	unsigned char *rec, *ct, *buf, *pt;
	const unsigned char *end;
	unsigned char sig[crypto_sign_BYTES];
	size_t ctlen, n = 0, i, lo, ptlen, envsize, siglen;
	double t0, c0, t_open = 0, t_bare = 0, t_floor = 0, c_open = 0, c_bare = 0, c_floor = 0;
	double w_bare[REPS], w_queue[REPS], w_queue1[REPS], c1, c_record = 0;
	int rep;
	ssize_t got;
	int fd, ok = 0;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL || spool_init(dir) != SH_OK)
		return 1;
	k = keys_signing_new();
	r = record_new();
	ids = sodium_malloc(2 * sizeof(*ids));
	rec = sodium_malloc(SH_RECORD_SIZE);
	pt = sodium_malloc(SH_RECORD_SIZE);
	if (k == NULL || r == NULL || ids == NULL || rec == NULL || pt == NULL)
		return 1;
	crypto_sign_keypair(k->pk, k->sk);
	for (i = 0; i < 2; i++) {
		age_identity_generate(&ids[i]);
		age_identity_recipient(&ids[i], &rc[i]);
	}
	envsize = age_encrypted_size(2, SH_RECORD_SIZE);
	if ((buf = malloc(envsize + 1)) == NULL)
		return 1;

	/* Set-up (not timed): N envelopes written straight into new/ without
	 * fsync; the timed part reads them from the page cache. */
	for (i = 0; i < N; i++) {
		record_clear(r);
		r->about = (enum record_about)(i % 3);
		if (record_set_field(r, RECORD_NAME, "Student", 7) != SH_OK ||
		    record_set_message(r, "please find me", 14) != SH_OK ||
		    record_serialize(r, k, time(NULL), rec) != SH_OK ||
		    age_encrypt_mem(rc, 2, rec, SH_RECORD_SIZE, &ct, &ctlen) != SH_OK)
			return 1;
		snprintf(path, sizeof(path), "%s/new/%032zx.age", dir, i);
		if ((fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600)) < 0 ||
		    write(fd, ct, ctlen) != (ssize_t)ctlen || close(fd) != 0)
			return 1;
		free(ct);
	}
	if (spool_scan(dir, &e, &n) != SH_OK || n != N)
		return 1;

	memset(&u, 0, sizeof(u));
	u.ids = ids;
	u.nids = 1;
	memset(&bare, 0, sizeof(bare));
	bare.dir = dir;
	bare.e = e;
	bare.buf = buf;
	bare.envsize = envsize;
	randombytes_buf(bare.sk, sizeof(bare.sk));
	crypto_scalarmult_base(bare.pk, bare.sk);
	/* The floor's Ed25519 verification: one real record signature. */
	if (record_serialize(r, k, time(NULL), rec) != SH_OK ||
	    (end = memmem(rec, SH_RECORD_SIZE, "Signature: ", 11)) == NULL ||
	    sodium_base642bin(sig, sizeof(sig), (const char *)end + 11, 88, NULL, &siglen,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return 1;
	withsig = bare;
	withsig.sig = sig;
	withsig.msg = rec;
	withsig.msglen = (size_t)(end - rec);
	withsig.sigpk = k->pk;

	/* The three loops run interleaved, ROUND envelopes at a time, so that
	 * load from other processes on a shared machine falls on all three
	 * alike. Wall time and process CPU time are both reported; CPU time
	 * does not count time spent descheduled. */
	for (lo = 0; lo < n; lo += ROUND) {
		size_t hi = lo + ROUND < n ? lo + ROUND : n;

		t0 = now_s();
		c0 = cpu_s();
		for (i = lo; i < hi; i++) {
			if (spool_entry_path(dir, &e[i], path, sizeof(path)) != SH_OK ||
			    (got = read_file(path, buf, envsize + 1)) < 0)
				return 1;
			if (age_decrypt_into(&u, buf, (size_t)got, pt, SH_RECORD_SIZE,
			                     &ptlen) != SH_OK)
				return 1;
			c1 = cpu_s();
			if (record_parse(pt, ptlen, r, NULL) == SH_OK)
				ok++;
			c_record += cpu_s() - c1;
			sodium_memzero(pt, ptlen);
		}
		t_open += now_s() - t0;
		c_open += cpu_s() - c0;

		t0 = now_s();
		c0 = cpu_s();
		if (floor_run(&bare, lo, hi) != 0)
			return 1;
		t_bare += now_s() - t0;
		c_bare += cpu_s() - c0;

		/* The same floor plus the one Ed25519 verification a signed
		 * record needs, so the figure above can be read against both. */
		t0 = now_s();
		c0 = cpu_s();
		if (floor_run(&withsig, lo, hi) != 0)
			return 1;
		t_floor += now_s() - t0;
		c_floor += cpu_s() - c0;
	}
	if (ok != N) {
		fprintf(stderr, "only %d of %d verified\n", ok, N);
		return 1;
	}

	/* The whole spool as the tool loads it, against the bare floor as a
	 * plain one-thread loop over the same files; REPS rounds, medians. */
	for (rep = 0; rep < REPS; rep++) {
		struct queue q;
		unsigned w;

		t0 = now_s();
		if (floor_run(&bare, 0, n) != 0)
			return 1;
		w_bare[rep] = now_s() - t0;
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

	printf("(b) open+decrypt+verify %d envelopes as `safeharbor list` loads them "
	       "(%ld openers): %.2f s, %.1f us/envelope  "
	       "(peer: read + bare crypto_scalarmult, one thread: %.1f us, ratio: %.2fx, "
	       "target: <= 1.3x) [%u]\n",
	       N, sysconf(_SC_NPROCESSORS_ONLN) < QUEUE_MAX_WORKERS ?
	       sysconf(_SC_NPROCESSORS_ONLN) : QUEUE_MAX_WORKERS,
	       median3(w_queue), median3(w_queue) / N * 1e6, median3(w_bare) / N * 1e6,
	       median3(w_queue) / median3(w_bare), (bare.acc ^ withsig.acc) & 1);
	printf("    one opener: %.1f us/envelope, ratio to the bare floor %.2fx\n",
	       median3(w_queue1) / N * 1e6, median3(w_queue1) / median3(w_bare));
	printf("    per envelope on one thread (library loop, CPU time): %.1f us; "
	       "bare floor %.1f us (ratio %.2fx); floor incl. one Ed25519 verify %.1f us "
	       "(ratio %.2fx; that floor is %.2fx the bare one)\n",
	       c_open / N * 1e6, c_bare / N * 1e6, c_open / c_bare, c_floor / N * 1e6,
	       c_open / c_floor, c_floor / c_bare);
	printf("    of which record parse + Ed25519 verify %.1f us; read + age open and "
	       "authentication alone %.1f us (ratio to the bare floor %.2fx)\n",
	       c_record / N * 1e6, (c_open - c_record) / N * 1e6, (c_open - c_record) / c_bare);
	printf("    (same, wall time: open %.1f us, bare %.1f us, floor %.1f us)\n",
	       t_open / N * 1e6, t_bare / N * 1e6, t_floor / N * 1e6);

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
