/*
 * queue_load on a real spool: every kind of envelope a shared spool can
 * hold, opened by one opener and by several threads, must give the same
 * item for every file (the parallel load only splits the work).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "safeharbor/keys.h"
#include "../../src/tool/kiosks.h"
#include "../../src/tool/queue.h"
#include "safeharbor/record.h"
#include "safeharbor/spool.h"

enum { N_ENROLLED = 60, N_STRANGER = 12, N_FORGED = 6, N_OTHER = 5, N_TRUNC = 4,
       N_JUNK = 3, N_COPIES = 3 };

static char dir[] = "/tmp/sh-test-queue-load-XXXXXX";
static struct age_identity ids[2];
static struct age_recipient rc[2];
static struct keys_signing *enrolled, *stranger;
static struct kiosks kk;
static size_t nfiles;

static void
put(const unsigned char *data, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/new/%04zu.age", dir, nfiles++);
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	cr_assert_eq(close(fd), 0);
}

/* A record sealed to `to`; forge flips a byte of the signed text after
 * signing, so the structure parses and the signature fails. */
static void
seal(struct keys_signing *k, const struct age_recipient *to, size_t i, int forge,
     size_t keep, size_t copies)
{
	struct record *r = record_new();
	unsigned char *rec = sodium_malloc(SH_RECORD_SIZE), *ct;
	char msg[64];
	size_t ctlen, c;

	cr_assert(r != NULL && rec != NULL);
	r->about = (enum record_about)(i % 3);
	r->danger = (enum record_danger)(i % 3);
	snprintf(msg, sizeof(msg), "message %zu", i);
	cr_assert_eq(record_set_field(r, RECORD_NAME, "Student", 7), SH_OK);
	cr_assert_eq(record_set_message(r, msg, strlen(msg)), SH_OK);
	cr_assert_eq(record_serialize(r, k, 1700000000 + (time_t)i * 60, rec), SH_OK);
	if (forge)
		((unsigned char *)memmem(rec, SH_RECORD_SIZE, "Student", 7))[0] = 'Z';
	cr_assert_eq(age_encrypt_mem(to, 1, rec, SH_RECORD_SIZE, &ct, &ctlen), SH_OK);
	for (c = 0; c < copies; c++)
		put(ct, keep < ctlen ? keep : ctlen);
	free(ct);
	sodium_free(rec);
	record_free(r);
}

static void
setup(void)
{
	char token[KEYS_KIOSK_STRLEN + 1];
	const char *why;
	size_t i;

	cr_assert(sodium_init() >= 0);
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(spool_init(dir), SH_OK);
	for (i = 0; i < 2; i++) {
		age_identity_generate(&ids[i]);
		age_identity_recipient(&ids[i], &rc[i]);
	}
	enrolled = keys_signing_new();
	stranger = keys_signing_new();
	cr_assert(enrolled != NULL && stranger != NULL);
	crypto_sign_keypair(enrolled->pk, enrolled->sk);
	crypto_sign_keypair(stranger->pk, stranger->sk);
	kiosks_init(&kk);
	keys_kiosk_format(enrolled->pk, token);
	cr_assert_eq(kiosks_add(&kk, "library-1", token, &why), SH_OK);

	for (i = 0; i < N_ENROLLED; i++)
		seal(enrolled, &rc[0], i, 0, SIZE_MAX, 1);
	for (i = 0; i < N_STRANGER; i++)
		seal(stranger, &rc[0], 100 + i, 0, SIZE_MAX, 1);
	for (i = 0; i < N_FORGED; i++)
		seal(enrolled, &rc[0], 200 + i, 1, SIZE_MAX, 1);
	for (i = 0; i < N_OTHER; i++)
		seal(enrolled, &rc[1], 300 + i, 0, SIZE_MAX, 1);
	for (i = 0; i < N_TRUNC; i++)
		seal(enrolled, &rc[0], 400 + i, 0, 1000 + i * 4000, 1);
	for (i = 0; i < N_JUNK; i++)
		put((const unsigned char *)"not an age file\n", 16);
	seal(enrolled, &rc[0], 500, 0, SIZE_MAX, N_COPIES);
}

static void
teardown(void)
{
	char cmd[128];

	kiosks_free(&kk);
	keys_signing_free(enrolled);
	keys_signing_free(stranger);
	queue_set_workers(0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(queue_load, .init = setup, .fini = teardown);

static void
load_with(unsigned workers, struct queue *q)
{
	struct age_unlock u;

	memset(&u, 0, sizeof(u));
	u.ids = ids;
	u.nids = 1;
	queue_set_workers(workers);
	cr_assert_eq(queue_load(q, dir, &u, &kk, NULL, NULL), SH_OK);
}

static const struct queue_item *
by_name(const struct queue *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (strcmp(q->items[i].e.name, name) == 0)
			return &q->items[i];
	cr_assert_fail("%s missing", name);
	return NULL;
}

Test(queue_load, every_kind_of_envelope_counted_and_placed)
{
	struct queue q;
	size_t i, trusted = 0, stranger_n = 0, forged = 0, nomatch = 0, other = 0;

	load_with(4, &q);
	cr_assert_eq(q.n, nfiles);
	/* the copies collapse into one visible item */
	cr_assert_eq(q.nvis, nfiles - (N_COPIES - 1));
	cr_assert_eq(q.nopened, N_ENROLLED + N_STRANGER + N_FORGED + 1);
	cr_assert_eq(q.nrefused, N_OTHER + N_TRUNC + N_JUNK);
	for (i = 0; i < q.nvis; i++) {
		const struct queue_item *it = &q.items[i];

		if (queue_item_trusted(it))
			trusted++;
		else if (it->st == SH_OK && it->kiosk < 0)
			stranger_n++;
		else if (it->st == SH_ERR_SIGNATURE)
			forged++;
		else if (it->st == SH_ERR_NO_MATCH)
			nomatch++;
		else
			other++;
		/* opened items first, refused last */
		if (i > 0 && queue_item_opened(it))
			cr_assert(queue_item_opened(&q.items[i - 1]));
	}
	cr_assert_eq(trusted, N_ENROLLED + 1);
	cr_assert_eq(stranger_n, N_STRANGER);
	cr_assert_eq(forged, N_FORGED);
	cr_assert_eq(nomatch, N_OTHER);
	cr_assert_eq(other, N_TRUNC + N_JUNK);
	queue_free(&q);
}

Test(queue_load, threads_give_the_same_items_as_one_opener)
{
	struct queue one, many;
	size_t i;

	load_with(1, &one);
	load_with(QUEUE_MAX_WORKERS, &many);
	cr_assert_eq(one.n, many.n);
	cr_assert_eq(one.nvis, many.nvis);
	for (i = 0; i < one.n; i++) {
		const struct queue_item *a = &one.items[i], *b = by_name(&many, a->e.name);

		cr_assert_eq(a->st, b->st, "%s", a->e.name);
		cr_assert_eq(a->why == NULL, b->why == NULL, "%s", a->e.name);
		if (a->why != NULL)
			cr_assert_str_eq(a->why, b->why);
		cr_assert_str_eq(a->id, b->id);
		cr_assert_str_eq(a->created, b->created);
		cr_assert_eq(a->about, b->about);
		cr_assert_eq(a->danger, b->danger);
		cr_assert_eq(a->kiosk, b->kiosk);
		cr_assert_eq(a->hidden, b->hidden);
		cr_assert_eq(a->dups, b->dups);
		cr_assert_eq(sodium_memcmp(a->digest, b->digest, sizeof(a->digest)), 0);
	}
	/* and in the same order */
	for (i = 0; i < one.nvis; i++)
		cr_assert_str_eq(one.items[i].e.name, many.items[i].e.name);
	queue_free(&one);
	queue_free(&many);
}

/* Replace the signature of a serialized record after editing its text. */
static void
resign(unsigned char *rec, const struct keys_signing *k)
{
	unsigned char *line = memmem(rec, SH_RECORD_SIZE, "\nSignature: ", 12);
	unsigned char sig[crypto_sign_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];

	cr_assert_not_null(line);
	crypto_sign_detached(sig, NULL, rec, (size_t)(line + 1 - rec), k->sk);
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	memcpy(line + 12, b64, strlen(b64));
}

Test(queue_load, one_id_with_other_signed_text_is_a_conflict_not_a_copy)
{
	struct record *r = record_new();
	unsigned char *rec = sodium_malloc(SH_RECORD_SIZE), *ct;
	struct queue q;
	size_t ctlen, i, conflicts = 0, shown = 0;

	cr_assert_eq(record_set_message(r, "meet me", 7), SH_OK);
	cr_assert_eq(record_serialize(r, enrolled, 1800000000, rec), SH_OK);
	cr_assert_eq(age_encrypt_mem(rc, 1, rec, SH_RECORD_SIZE, &ct, &ctlen), SH_OK);
	put(ct, ctlen);
	free(ct);
	/* same Id, one byte of the message changed, validly signed again */
	((unsigned char *)memmem(rec, SH_RECORD_SIZE, "meet me", 7))[1] = 'a';
	resign(rec, enrolled);
	cr_assert_eq(age_encrypt_mem(rc, 1, rec, SH_RECORD_SIZE, &ct, &ctlen), SH_OK);
	put(ct, ctlen);
	free(ct);

	load_with(0, &q);
	cr_assert_eq(q.nvis, nfiles - (N_COPIES - 1));
	for (i = 0; i < q.nvis; i++) {
		if (q.items[i].conflict) {
			conflicts++;
			shown += queue_item_trusted(&q.items[i]) ? 1u : 0u;
		}
	}
	cr_assert_eq(conflicts, 2);
	cr_assert_eq(shown, 2);
	queue_free(&q);
	sodium_free(rec);
	record_free(r);
}

/* Issue 11, class 1: what show, the inbox and export print as trust comes
 * from the bytes they display. A file swapped after the listing (here: an
 * enrolled kiosk's envelope replaced by a stranger's) is refused, and the
 * same file left alone still opens. */
Test(queue_load, reopen_refuses_a_file_swapped_since_listed)
{
	struct record *r = record_new();
	struct queue q;
	char from[512], to[512], tmp[512];
	size_t i, enrolled_idx = SIZE_MAX, stranger_idx = SIZE_MAX;
	struct age_unlock u;

	cr_assert_not_null(r);
	load_with(1, &q);
	for (i = 0; i < q.nvis; i++) {
		if (queue_item_trusted(&q.items[i]) && !q.items[i].dups && enrolled_idx == SIZE_MAX)
			enrolled_idx = i;
		else if (q.items[i].st == SH_OK && q.items[i].kiosk < 0 && stranger_idx == SIZE_MAX)
			stranger_idx = i;
	}
	cr_assert(enrolled_idx != SIZE_MAX && stranger_idx != SIZE_MAX);
	memset(&u, 0, sizeof(u));
	u.ids = ids;
	u.nids = 1;
	cr_assert_eq(queue_open_item(&q, enrolled_idx, &u, r), SH_OK);
	snprintf(from, sizeof(from), "%s/new/%s", dir, q.items[stranger_idx].e.name);
	snprintf(to, sizeof(to), "%s/new/%s", dir, q.items[enrolled_idx].e.name);
	snprintf(tmp, sizeof(tmp), "%s/swap", dir);
	cr_assert_eq(link(from, tmp), 0);
	cr_assert_eq(rename(tmp, to), 0);
	cr_assert_eq(queue_open_item(&q, enrolled_idx, &u, r), SH_ERR_CHANGED);
	cr_assert_eq(r->id[0], '\0', "nothing of the swapped record is handed out");
	cr_assert_eq(queue_open_item(&q, stranger_idx, &u, r), SH_OK);
	queue_free(&q);
	record_free(r);
}

/* A reload merges what changed and opens only the new envelopes: the
 * result equals a fresh load, except an old envelope rewritten in place is
 * not read again (proof that nothing known is reopened). */
Test(queue_load, refresh_opens_only_new_envelopes)
{
	struct queue q, fresh;
	size_t added = 0, urgent = 0, i, j, compared = 0, before = nfiles;
	char path[600];
	enum sh_status st;
	int fd;

	load_with(2, &q);
	cr_assert_eq(queue_refresh(&q, NULL, &kk, &added, &urgent), SH_OK);
	cr_assert_eq(added, 0);
	/* two arrivals, one urgent (danger = i % 3: 601 -> yes, 603 -> no) */
	seal(enrolled, &rc[0], 601, 0, SIZE_MAX, 1);
	seal(enrolled, &rc[0], 603, 0, SIZE_MAX, 1);
	/* one seen elsewhere (renamed into cur/), one removed */
	for (i = 0; i < q.n && strcmp(q.items[i].e.name, "0001.age") != 0; i++)
		;
	cr_assert_lt(i, q.n);
	{
		struct spool_entry e = q.items[i].e;

		cr_assert_eq(spool_set_state(dir, &e, SPOOL_HANDLED), SH_OK);
	}
	snprintf(path, sizeof(path), "%s/new/0002.age", dir);
	cr_assert_eq(unlink(path), 0);
	/* a known envelope rewritten: a fresh load refuses it, a refresh
	 * does not read it again */
	snprintf(path, sizeof(path), "%s/new/0003.age", dir);
	cr_assert((fd = open(path, O_WRONLY | O_TRUNC)) >= 0);
	cr_assert_eq(write(fd, "junk", 4), 4);
	cr_assert_eq(close(fd), 0);

	{
		struct age_unlock u;

		memset(&u, 0, sizeof(u));
		u.ids = ids;
		u.nids = 1;
		st = queue_refresh(&q, &u, &kk, &added, &urgent);
	}
	cr_assert_eq(st, SH_OK);
	cr_assert_eq(added, 2);
	cr_assert_eq(urgent, 1);
	cr_assert_eq(q.n, before + 2 - 1);
	cr_assert_eq(by_name(&q, "0001.age:2,RS")->e.state, SPOOL_HANDLED);
	cr_assert(queue_item_opened(by_name(&q, "0003.age")), "a known envelope was read again");
	load_with(2, &fresh);
	cr_assert_eq(fresh.n, q.n);
	cr_assert_eq(fresh.nvis, q.nvis);
	/* the same requests in the same order, 0003 aside */
	for (i = 0, j = 0; i < fresh.nvis && j < q.nvis; i++, j++) {
		const struct queue_item *a, *b;

		if (strcmp(fresh.items[i].e.name, "0003.age") == 0)
			i++;
		if (strcmp(q.items[j].e.name, "0003.age") == 0)
			j++;
		if (i >= fresh.nvis || j >= q.nvis)
			break;
		a = &fresh.items[i];
		b = &q.items[j];
		cr_assert_str_eq(a->e.name, b->e.name, "row %zu/%zu", i, j);
		cr_assert_eq(a->st, b->st);
		cr_assert_str_eq(a->id, b->id);
		cr_assert_eq(a->dups, b->dups);
		cr_assert_eq(a->shortlen, b->shortlen);
		compared++;
	}
	cr_assert_eq(compared, fresh.nvis - 1);
	queue_free(&fresh);
	queue_free(&q);
}
