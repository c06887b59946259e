/*
 * The inbox stays open while sync delivers: showing one new arrival on a
 * queue of 10,000 must not reopen everything. Times queue_refresh (what
 * the inbox runs when new/ or cur/ changed) with one new envelope, and
 * with none (a request marked elsewhere), against a full queue_load of
 * the same spool. b_inbox.sh measures the same on the real screen.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "safeharbor/keys.h"
#include "safeharbor/record.h"
#include "safeharbor/spool.h"
#include "../src/tool/queue.h"
#include "bench_clock.h"

#define N 10000

static int
put(const char *dir, size_t i, struct record *r, struct keys_signing *k,
    const struct age_recipient *rc, unsigned char *rec)
{
	char path[512];
	unsigned char *ct;
	size_t ctlen;
	int fd, ok;

	record_clear(r);
	r->danger = i == N ? RECORD_DANGER_YES : RECORD_DANGER_NO;
	if (record_set_message(r, "please find me", 14) != SH_OK ||
	    record_serialize(r, k, time(NULL), rec) != SH_OK ||
	    age_encrypt_mem(rc, 1, rec, SH_RECORD_SIZE, &ct, &ctlen) != SH_OK)
		return -1;
	snprintf(path, sizeof(path), "%s/new/%032zx.age", dir, i);
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
	ok = fd >= 0 && write(fd, ct, ctlen) == (ssize_t)ctlen && close(fd) == 0;
	free(ct);
	return ok ? 0 : -1;
}

int
main(void)
{
	char dir[] = "/tmp/sh-bench-refresh-XXXXXX", cmd[128];
	struct age_identity *id;
	struct age_recipient rc;
	struct age_unlock u;
	struct keys_signing *k;
	struct record *r;
	struct queue q, full;
	unsigned char *rec;
	size_t i, added = 0, urgent = 0;
	double t0, t_load, t_one, t_none;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL || spool_init(dir) != SH_OK)
		return 1;
	k = keys_signing_new();
	r = record_new();
	id = sodium_malloc(sizeof(*id));
	rec = sodium_malloc(SH_RECORD_SIZE);
	if (k == NULL || r == NULL || id == NULL || rec == NULL)
		return 1;
	crypto_sign_keypair(k->pk, k->sk);
	age_identity_generate(id);
	age_identity_recipient(id, &rc);
	for (i = 0; i < N; i++)
		if (put(dir, i, r, k, &rc, rec) != 0)
			return 1;
	memset(&u, 0, sizeof(u));
	u.ids = id;
	u.nids = 1;

	if (queue_load(&q, dir, &u, NULL, NULL, NULL) != SH_OK || q.nvis != N)
		return 1;
	/* timed: the full load (as the inbox starts), one arrival, nothing new */
	t0 = now_s();
	if (queue_load(&full, dir, &u, NULL, NULL, NULL) != SH_OK)
		return 1;
	t_load = now_s() - t0;
	queue_free(&full);
	if (put(dir, N, r, k, &rc, rec) != 0)
		return 1;
	t0 = now_s();
	if (queue_refresh(&q, &u, NULL, &added, &urgent) != SH_OK || added != 1 || urgent != 1 ||
	    q.nvis != N + 1 || q.items[0].danger != RECORD_DANGER_YES)
		return 1;
	t_one = now_s() - t0;
	t0 = now_s();
	if (queue_refresh(&q, &u, NULL, &added, &urgent) != SH_OK || added != 0)
		return 1;
	t_none = now_s() - t0;
	printf("inbox_refresh_one_new_of_%d: %.1f ms  (full queue_load: %.1f ms, ratio: %.3f; "
	       "target: far below a full load)\n", N, t_one * 1e3, t_load * 1e3, t_one / t_load);
	printf("inbox_refresh_nothing_new_of_%d: %.1f ms\n", N, t_none * 1e3);
	queue_free(&q);
	record_free(r);
	keys_signing_free(k);
	sodium_free(id);
	sodium_free(rec);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
