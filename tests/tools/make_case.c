/*
 * Test helper: sealed case items (notes, outcomes, referrals) for many
 * requests at once, as `safeharbor note` and `mark` write them, for the
 * casework benchmark (bench/b_casework.sh) and tests.
 *
 *   make_case -i IDENTITY -p PASSFILE -R RECIPIENTS -s SPOOL [--notes N] [--fast]
 *       reads request ids (the first word of each line) on standard input;
 *       per request: N notes (default 1), an outcome (the i-th request gets
 *       outcome i % 8; 7 means none) and, every tenth, a referral to cps.
 *   --fast writes straight into SPOOL/case/new without fsync.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/caserec.h"
#include "safeharbor/fileio.h"
#include "safeharbor/keys.h"
#include "safeharbor/spool.h"

static void
fail(const char *what, const char *why)
{
	fprintf(stderr, "make_case: %s: %s\n", what, why);
	exit(2);
}

struct out {
	char dir[SPOOL_PATH_MAX];
	const struct age_recipient *r;
	size_t nr;
	const unsigned char *key;
	unsigned char *pt;
	int fast;
};

static void
emit(struct out *o, struct caserec *c)
{
	char path[SPOOL_PATH_MAX + 64], hex[33];
	unsigned char *ct = NULL, rnd[16];
	size_t ctlen = 0;
	enum sh_status st;
	int fd;

	if ((st = caserec_serialize(c, o->key, o->pt)) != SH_OK ||
	    (st = age_encrypt_mem(o->r, o->nr, o->pt, SH_RECORD_SIZE, &ct, &ctlen)) != SH_OK)
		fail("seal", sh_status_str(st));
	if (o->fast) {
		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
		snprintf(path, sizeof(path), "%s/new/%s.age", o->dir, hex);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
		    fileio_write_all(fd, ct, ctlen) != 0 || close(fd) != 0)
			fail(path, "cannot write");
	} else if ((st = spool_deliver(o->dir, ct, ctlen, NULL)) != SH_OK) {
		fail(o->dir, sh_status_str(st));
	}
	free(ct);
}

int
main(int argc, char **argv)
{
	const char *idfile = NULL, *passfile = NULL, *rfile = NULL, *spool = NULL;
	struct age_recipient rcp[KEYS_MAX_RECIPIENTS];
	unsigned char key[CASEREC_KEY_LEN];
	struct keys_identities *ids;
	struct age_unlock u;
	struct caserec *c;
	struct out o;
	char line[256], pass[256];
	size_t nr = 0, errline, k = 0, len;
	long notes = 1, j;
	int was_plain = 0;
	FILE *pf;
	enum sh_status st;

	memset(&o, 0, sizeof(o));
	if (sodium_init() < 0)
		fail("libsodium", "init");
	for (int a = 1; a < argc; a++) {
		const char *opt = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (strcmp(opt, "--fast") == 0) {
			o.fast = 1;
			continue;
		}
		if (v == NULL)
			fail(opt, "needs a value");
		a++;
		if (strcmp(opt, "-i") == 0)
			idfile = v;
		else if (strcmp(opt, "-p") == 0)
			passfile = v;
		else if (strcmp(opt, "-R") == 0)
			rfile = v;
		else if (strcmp(opt, "-s") == 0)
			spool = v;
		else if (strcmp(opt, "--notes") == 0)
			notes = strtol(v, NULL, 10);
		else
			fail(opt, "unknown option");
	}
	if (idfile == NULL || passfile == NULL || rfile == NULL || spool == NULL)
		fail("usage", "-i IDENTITY -p PASSFILE -R RECIPIENTS -s SPOOL");
	if ((pf = fopen(passfile, "r")) == NULL || fgets(pass, sizeof(pass), pf) == NULL)
		fail(passfile, "cannot read");
	fclose(pf);
	len = strcspn(pass, "\n");
	if ((ids = keys_identities_new()) == NULL ||
	    (st = keys_load_identity_file(idfile, pass, len, ids, &was_plain)) != SH_OK)
		fail(idfile, "cannot load");
	keys_identities_unlock(ids, &u);
	caserec_key(&u.ids[0], key);
	if ((st = keys_load_recipients(rfile, rcp, KEYS_MAX_RECIPIENTS, &nr, &errline)) != SH_OK)
		fail(rfile, sh_status_str(st));
	snprintf(o.dir, sizeof(o.dir), "%s/case", spool);
	if ((st = spool_init(o.dir)) != SH_OK)
		fail(o.dir, sh_status_str(st));
	o.r = rcp;
	o.nr = nr;
	o.key = key;
	if ((o.pt = sodium_malloc(SH_RECORD_SIZE)) == NULL || (c = caserec_new()) == NULL)
		fail("memory", "out of memory");
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (strspn(line, "0123456789abcdef") != SH_RECORD_ID_HEX)
			continue;
		memcpy(c->request, line, SH_RECORD_ID_HEX);
		c->created = time(NULL);
		for (j = 0; j < notes; j++) {
			c->kind = CASE_NOTE;
			c->value = -1;
			c->text_len = (size_t)snprintf(c->text, sizeof(c->text),
			    "Bench note %ld for request %zu: met in the counselor's office, talked "
			    "about home and school, agreed to meet again next week.", j, k);
			emit(&o, c);
		}
		c->text_len = 0;
		if (k % 8 != 7) {
			c->kind = CASE_OUTCOME;
			c->value = (int)(k % 8);
			emit(&o, c);
		}
		if (k % 10 == 0) {
			c->kind = CASE_REFERRED;
			c->value = REFER_CPS;
			emit(&o, c);
		}
		k++;
	}
	printf("%zu requests\n", k);
	caserec_free(c);
	sodium_free(o.pt);
	keys_identities_free(ids);
	return 0;
}
