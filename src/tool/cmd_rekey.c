/*
 * rekey -R FILE: after a key rotation, re-seal every envelope she can open
 * to the recipients in FILE, so the old key can be destroyed. Decisions:
 * - one envelope at a time, each replaced atomically and durably (the new
 *   bytes are written beside it, fsynced with the original receive time,
 *   renamed over it under the same name, so flags and names are kept, and
 *   the folder is fsynced): killed at any point, every envelope is either
 *   the old one or the new one, and opens with one of her keys;
 * - the new envelope is opened with her current key and compared with the
 *   record before it replaces the old one;
 * - FILE must hold one of her own keys, or she would lock herself out;
 * - an envelope already sealed to exactly FILE's keys is left alone, so an
 *   interrupted rekey is simply run again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "safeharbor/fileio.h"
#include "safeharbor/util.h"
#include "audit_log.h"
#include "casework.h"
#include "keyuse.h"
#include "queue.h"
#include "tool.h"

struct rekey {
	struct tool_ctx *c;
	struct age_recipient r[KEYS_MAX_RECIPIENTS];
	size_t nr;
	int current[KEYS_MAX_IDENTITIES];
	unsigned char *ct, *pt, *check;   /* pt, check: locked */
	size_t done, already, failed, unreadable;
};

/* Already sealed to FILE: opens with a current key and has one stanza per
 * recipient of FILE. (A stanza does not say whom it is for, so this is as
 * far as a reader can tell.) */
static int
already_done(struct rekey *k, const unsigned char *ct, size_t ctlen, int opener)
{
	return opener >= 0 && k->current[opener] && keyuse_stanzas(ct, ctlen) == k->nr;
}

static int
reseal_one(struct rekey *k, const struct queue *q, const struct queue_item *it)
{
	char path[SPOOL_PATH_MAX + 8], rel[SPOOL_NAME_MAX + 8];
	struct fileio_out o;
	struct timespec ts[2];
	struct age_unlock cur;
	unsigned char *out = NULL;
	size_t ctlen = 0, ptlen = 0, outlen = 0, chk = 0, j;
	int err = 0, opener, ok = 0;
	enum sh_status st;

	tool_rel_name(&it->e, rel, sizeof(rel));
	if ((st = queue_read_envelope(q, &it->e, k->ct, &ctlen, &err)) != SH_OK) {
		warnx_("%s: cannot read: %s", rel, st == SH_ERR_IO ? strerror(err) : sh_status_str(st));
		return -1;
	}
	opener = keyuse_opener(k->c, k->ct, ctlen, k->pt);
	if (opener < 0) {
		warnx_("%s: none of your keys opens it: left as it is", rel);
		return -1;
	}
	if (already_done(k, k->ct, ctlen, opener))
		return 0;
	st = age_decrypt_into(&k->c->unlock, k->ct, ctlen, k->pt, SH_RECORD_SIZE, &ptlen);
	if (st == SH_OK)
		st = age_encrypt_mem(k->r, k->nr, k->pt, ptlen, &out, &outlen);
	/* the new envelope must open with a key she keeps, to the same bytes */
	for (j = 0; st == SH_OK && j < k->c->unlock.nids && !k->current[j]; j++)
		;
	if (st == SH_OK) {
		cur = k->c->unlock;
		cur.ids = &k->c->unlock.ids[j];
		cur.nids = 1;
		st = age_decrypt_into(&cur, out, outlen, k->check, SH_RECORD_SIZE, &chk);
		if (st == SH_OK && (chk != ptlen || sodium_memcmp(k->check, k->pt, ptlen) != 0))
			st = SH_ERR_PAYLOAD;
	}
	sodium_memzero(k->pt, SH_RECORD_SIZE);
	sodium_memzero(k->check, SH_RECORD_SIZE);
	if (st != SH_OK) {
		free(out);
		warnx_("%s: cannot re-seal: %s", rel, sh_status_str(st));
		return -1;
	}
	if (util_snprintf(path, sizeof(path), "%s/%s", q->spool, rel) != 0) {
		free(out);
		warnx_("%s: path too long", rel);
		return -1;
	}
	ts[0].tv_sec = ts[1].tv_sec = it->e.mtime;    /* the coarse receive time stays */
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (fileio_out_open(&o, path, 0600, FILEIO_REPLACE) == 0) {
		if (fileio_write_all(o.fd, out, outlen) == 0 && futimens(o.fd, ts) == 0 &&
		    fileio_out_commit(&o, FILEIO_REPLACE) == 0)
			ok = 1;
		else
			fileio_out_abort(&o);
	}
	err = errno;
	free(out);
	if (!ok) {
		warnx_("%s: cannot replace: %s (the old envelope is kept)", rel, strerror(err));
		return -1;
	}
	return 1;
}

int
cmd_rekey(struct tool_ctx *c)
{
	struct rekey k;
	struct queue q;
	char detail[AUDIT_DETAIL_MAX + 1];
	size_t i, line = 0, cases, casefail, foreign;
	int r;
	enum sh_status st;

	if (c->o.recipients == NULL)
		die(TOOL_EXIT_USAGE, "rekey: say which recipients with -R FILE (age1... lines: your "
		    "new key, and any backup reader)");
	memset(&k, 0, sizeof(k));
	k.c = c;
	st = keys_load_recipients(c->o.recipients, k.r, KEYS_MAX_RECIPIENTS, &k.nr, &line);
	if (st != SH_OK && line > 0)
		die(TOOL_EXIT_USAGE, "%s:%zu: not an age1... recipient", c->o.recipients, line);
	if (st != SH_OK)
		die(TOOL_EXIT_USAGE, "%s: %s", c->o.recipients,
		    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	if (k.nr == 0)
		die(TOOL_EXIT_USAGE, "%s: no recipients in it", c->o.recipients);
	tool_load_queue(c, &q);
	if (keyuse_current(c, k.r, k.nr, k.current) == 0) {
		queue_free(&q);
		die(TOOL_EXIT_USAGE, "%s: none of these recipients is one of your keys (-i): after "
		    "rekey you could not read the requests; add your new key (safeharbor pubkey) "
		    "and pass its identity with -i", c->o.recipients);
	}
	k.ct = malloc(QUEUE_FILE_MAX);
	k.pt = sodium_malloc(SH_RECORD_SIZE);
	k.check = sodium_malloc(SH_RECORD_SIZE);
	if (k.ct == NULL || k.pt == NULL || k.check == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	/* every envelope, copies included: a copy left under the old key would
	 * be unreadable once that key is gone */
	for (i = 0; i < q.n; i++) {
		if (!queue_item_opened(&q.items[i])) {
			k.unreadable++;
			continue;
		}
		r = reseal_one(&k, &q, &q.items[i]);
		if (r > 0)
			k.done++;
		else if (r == 0)
			k.already++;
		else
			k.failed++;
	}
	printf("rekey: %zu envelope%s re-sealed to %s, %zu already were, %zu failed",
	       k.done, k.done == 1 ? "" : "s", c->o.recipients, k.already, k.failed);
	if (k.unreadable > 0)
		printf(", %zu could not be opened before (left as they are; see safeharbor verify)",
		       k.unreadable);
	printf("\n");
	/* her notes and outcomes too, or they go with the old key */
	cases = tool_case_rekey(c, k.r, k.nr, &casefail, &foreign);
	printf("rekey: %zu case item%s (notes, outcomes) re-sealed, %zu failed", cases,
	       cases == 1 ? "" : "s", casefail);
	if (foreign > 0)
		printf(", %zu written with a key not yours left as they are", foreign);
	printf("\n");
	k.failed += casefail;
	snprintf(detail, sizeof(detail), "%zu re-sealed, %zu already were, %zu failed",
	         k.done, k.already, k.failed);
	audit_append(c, "rekey", NULL, detail);
	if (k.failed == 0 && k.unreadable == 0)
		printf("rekey: every request now opens with the keys in %s; an old key that is not "
		       "in it can be destroyed once your backups are done the same way\n",
		       c->o.recipients);
	free(k.ct);
	sodium_free(k.pt);
	sodium_free(k.check);
	queue_free(&q);
	return k.failed > 0 ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;
}
