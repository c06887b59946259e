/*
 * Test helper: write hand-made safeharbor records, signed by any kiosk key,
 * sealed to a recipients file, into a spool. Used by the tool's end-to-end
 * tests and by bench/b_tool_list.sh (thousands of envelopes, fast).
 *
 *   make_record --new-key KEYFILE          create a kiosk key, print its token
 *   make_record -k KEYFILE -R RECIPIENTS -s SPOOL [options]
 *       --about self|friend|info|test  --danger yes|no|unsure  --lang LL
 *       --field NAME=VALUE (Name, Grade, Teacher, Best-Time, Contact-Way,
 *         Friend-Name, Friend-Grade; repeatable)  --message TEXT
 *       --time EPOCH (creation time)  -n COUNT (vary about/danger/time)
 *       --fast (write straight into new/ without fsync, for benchmarks)
 *       --bad-signature (change the Id after signing: a forged record)
 *       --code CODE (Reply-To: the reply key of that code, SPEC §9)
 *       --in-reply-to ID (About: reply, writing back; needs --code)
 *   Prints "ID FILENAME" for each envelope written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "safeharbor/envelope.h"
#include "safeharbor/keys.h"
#include "safeharbor/record.h"
#include "safeharbor/replycode.h"
#include "safeharbor/spool.h"

static void
fail(const char *what, const char *why)
{
	fprintf(stderr, "make_record: %s: %s\n", what, why);
	exit(2);
}

static int
parse_about(const char *s)
{
	static const char *const v[] = { "self", "friend", "info", "test" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, v[i]) == 0)
			return i;
	fail("--about", s);
	return 0;
}

static int
parse_danger(const char *s)
{
	if (strcmp(s, "no") == 0)
		return RECORD_DANGER_NO;
	if (strcmp(s, "yes") == 0)
		return RECORD_DANGER_YES;
	if (strcmp(s, "unsure") == 0)
		return RECORD_DANGER_UNSURE;
	fail("--danger", s);
	return 0;
}

static void
write_fast(const char *spool, const unsigned char *ct, size_t len, char name[SPOOL_NAME_MAX])
{
	unsigned char rnd[16];
	char path[SPOOL_PATH_MAX];
	size_t i;
	int fd;

	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < 16; i++)
		snprintf(name + 2 * i, 3, "%02x", rnd[i]);
	strcat(name, SPOOL_SUFFIX);
	snprintf(path, sizeof(path), "%s/new/%s", spool, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		fail(path, strerror(errno));
	if (write(fd, ct, len) != (ssize_t)len)
		fail(path, "short write");
	close(fd);
}

int
main(int argc, char **argv)
{
	const char *keyfile = NULL, *rfile = NULL, *spool = NULL, *lang = NULL, *msg = NULL;
	const char *code = NULL, *inreply = NULL;
	struct age_identity rkey;
	const char *fields[RECORD_NFIELDS] = { 0 };
	struct age_recipient rcp[KEYS_MAX_RECIPIENTS];
	struct keys_signing *k;
	struct record *r;
	unsigned char *pt, *ct;
	char name[SPOOL_NAME_MAX], tok[KEYS_KIOSK_STRLEN + 1];
	size_t nr = 0, errline = 0, ctlen, i;
	long count = 1, n;
	time_t when = 0;
	int about = RECORD_ABOUT_SELF, danger = RECORD_DANGER_NO, fast = 0, badsig = 0, f;
	enum sh_status st;

	if (sodium_init() < 0)
		fail("libsodium", "init");
	if (argc == 3 && strcmp(argv[1], "--new-key") == 0) {
		if ((k = keys_signing_new()) == NULL)
			fail("key", "out of memory");
		if ((st = keys_signing_create(argv[2], k)) != SH_OK)
			fail(argv[2], sh_status_str(st));
		keys_kiosk_format(k->pk, tok);
		printf("%s\n", tok);
		keys_signing_free(k);
		return 0;
	}
	for (int a = 1; a < argc; a++) {
		const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (strcmp(o, "--fast") == 0) {
			fast = 1;
			continue;
		}
		if (strcmp(o, "--bad-signature") == 0) {
			badsig = 1;
			continue;
		}
		if (v == NULL)
			fail(o, "needs a value");
		a++;
		if (strcmp(o, "-k") == 0)
			keyfile = v;
		else if (strcmp(o, "-R") == 0)
			rfile = v;
		else if (strcmp(o, "-s") == 0)
			spool = v;
		else if (strcmp(o, "--about") == 0)
			about = parse_about(v);
		else if (strcmp(o, "--danger") == 0)
			danger = parse_danger(v);
		else if (strcmp(o, "--lang") == 0)
			lang = v;
		else if (strcmp(o, "--message") == 0)
			msg = v;
		else if (strcmp(o, "--code") == 0)
			code = v;
		else if (strcmp(o, "--in-reply-to") == 0)
			inreply = v;
		else if (strcmp(o, "--time") == 0)
			when = (time_t)strtoll(v, NULL, 10);
		else if (strcmp(o, "-n") == 0)
			count = strtol(v, NULL, 10);
		else if (strcmp(o, "--field") == 0) {
			const char *eq = strchr(v, '=');

			for (f = 0; f < RECORD_NFIELDS && eq != NULL; f++)
				if (strlen(record_field_name((enum record_field)f)) == (size_t)(eq - v) &&
				    strncmp(record_field_name((enum record_field)f), v, (size_t)(eq - v)) == 0)
					break;
			if (eq == NULL || f == RECORD_NFIELDS)
				fail("--field", v);
			fields[f] = eq + 1;
		} else
			fail(o, "unknown option");
	}
	if (keyfile == NULL || rfile == NULL || spool == NULL)
		fail("usage", "-k KEYFILE -R RECIPIENTS -s SPOOL");
	if ((k = keys_signing_new()) == NULL || (st = keys_signing_load(keyfile, k)) != SH_OK)
		fail(keyfile, "cannot load signing key");
	if ((st = keys_load_recipients(rfile, rcp, KEYS_MAX_RECIPIENTS, &nr, &errline)) != SH_OK)
		fail(rfile, sh_status_str(st));
	if ((st = spool_init(spool)) != SH_OK)
		fail(spool, sh_status_str(st));
	if (when == 0)
		when = time(NULL);
	if (code != NULL) {
		char norm[REPLYCODE_MAX + 1];
		size_t nlen;

		if (replycode_normalize(code, strlen(code), norm, &nlen) != SH_OK ||
		    replycode_derive(norm, nlen, &rkey) != SH_OK)
			fail("--code", code);
	}
	r = record_new();
	pt = sodium_malloc(SH_RECORD_SIZE);
	if (r == NULL || pt == NULL)
		fail("record", "out of memory");
	for (n = 0; n < count; n++) {
		record_clear(r);
		r->about = (enum record_about)(count > 1 ? (int)(n % 3) : about);
		r->danger = (enum record_danger)(count > 1 ? (int)((n / 3) % 3) : danger);
		if (lang != NULL && record_set_language(r, lang) != SH_OK)
			fail("--lang", lang);
		for (f = 0; f < RECORD_NFIELDS; f++)
			if (fields[f] != NULL &&
			    (st = record_set_field(r, (enum record_field)f, fields[f], strlen(fields[f]))) != SH_OK)
				fail(record_field_name((enum record_field)f), sh_status_str(st));
		if (msg != NULL && (st = record_set_message(r, msg, strlen(msg))) != SH_OK)
			fail("--message", sh_status_str(st));
		if (code != NULL) {
			r->has_reply_to = 1;
			memcpy(r->reply_to, rkey.pk, sizeof(r->reply_to));
		}
		if (inreply != NULL) {
			r->about = RECORD_ABOUT_REPLY;
			snprintf(r->in_reply_to, sizeof(r->in_reply_to), "%s", inreply);
		}
		if (!badsig) {
			st = envelope_seal(r, k, rcp, nr, when - (count > 1 ? n * 600 : 0), pt, &ct,
			                   &ctlen);
			if (st != SH_OK)
				fail("seal", sh_status_str(st));
		} else {
			/* a forgery: a record changed after signing, sealed by hand */
			if ((st = record_serialize(r, k, when - (count > 1 ? n * 600 : 0), pt)) != SH_OK)
				fail("serialize", sh_status_str(st));
			/* "SAFEHARBOR-RECORD 1\nId: " is 24 bytes: change the first id digit */
			char *d = (char *)pt + 24;

			*d = *d == 'a' ? 'b' : 'a';
			r->id[0] = *d;
			if ((st = age_encrypt_mem(rcp, nr, pt, SH_RECORD_SIZE, &ct, &ctlen)) != SH_OK)
				fail("encrypt", sh_status_str(st));
		}
		if (fast)
			write_fast(spool, ct, ctlen, name);
		else if ((st = spool_deliver(spool, ct, ctlen, name)) != SH_OK)
			fail("deliver", sh_status_str(st));
		free(ct);
		printf("%s %s\n", r->id, name);
	}
	for (i = 0; i < nr; i++)
		sodium_memzero(&rcp[i], sizeof(rcp[i]));
	sodium_free(pt);
	record_free(r);
	keys_signing_free(k);
	return 0;
}
