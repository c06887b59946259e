/* Sending (src/kiosk/kiosk_send.c): the answers on the student's path, and
 * only those, become a signed record sealed to every recipient and
 * delivered; a broken spool fails without leaving anything; the IT test
 * record; wiping. Opens what was sent with the age and record modules. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "../../src/kiosk/kiosk.h"

static struct kiosk *K;
static struct age_identity id[2];
static char dir[64];

static void
put_text(struct textfield *tf, const char *s)
{
	cr_assert_eq(textfield_set(tf, s, strlen(s)), SH_OK);
}

static void
setup(void)
{
	char path[8192];

	cr_assert(sodium_init() >= 0);
	setlocale(LC_ALL, "C.UTF-8");
	snprintf(dir, sizeof dir, "/tmp/sh-kiosk-send.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	K = calloc(1, sizeof *K);
	cr_assert_not_null(K);
	config_defaults(&K->cfg);
	snprintf(K->cfg.spool, sizeof K->cfg.spool, "%s/spool", dir);
	snprintf(K->cfg.languages[0], sizeof K->cfg.languages[0], "en");
	snprintf(K->cfg.languages[1], sizeof K->cfg.languages[1], "es");
	K->cfg.nlanguages = K->nlang = 2;
	cr_assert_eq(spool_init(K->cfg.spool), SH_OK);
	for (int i = 0; i < 2; i++) {
		age_identity_generate(&id[i]);
		age_identity_recipient(&id[i], &K->rcpt[i]);
	}
	K->nrcpt = 2;
	K->sign = keys_signing_new();
	snprintf(path, sizeof path, "%s/kiosk.key", dir);
	cr_assert_eq(keys_signing_create(path, K->sign), SH_OK);
	cr_assert_eq(kiosk_alloc_answers(K), 0);
	for (int i = 0; i < 2; i++) {
		const char *t = i == 0 ?
		    "title: t\ntitle-friend: t\nlead-friend: l\nbutton-anon: b\nlabel-name: a\nlabel-grade: a\nlabel-teacher: a\nlabel-best-time: a\n"
		    "label-contact-way: a\nlabel-friend-name: a\nlabel-friend-grade: a\ncontact-none: -\n"
		    "contact: Find me at school\ncontact: Email me\n---\nbody\n" :
		    "title: t\ntitle-friend: t\nlead-friend: l\nbutton-anon: b\nlabel-name: a\nlabel-grade: a\nlabel-teacher: a\nlabel-best-time: a\n"
		    "label-contact-way: a\nlabel-friend-name: a\nlabel-friend-grade: a\ncontact-none: -\n"
		    "contact: Búscame en la escuela\n---\nbody\n";
		K->scr[i] = screens_new();
		cr_assert_eq(screens_parse(K->scr[i], SCREENS_REACH, "reach.txt", t, strlen(t),
		                           NULL, NULL, NULL), SH_OK);
	}
	flow_init(K->flow, 2, 2, 90, 30, 0);
}

static void
teardown(void)
{
	char cmd[128];

	kiosk_unload(K);
	free(K);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(kiosk_send, .init = setup, .fini = teardown);

static size_t
count_new(char name[SPOOL_NAME_MAX])
{
	char path[8192];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof path, "%s/new", K->cfg.spool);
	d = opendir(path);
	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.') {
			n++;
			if (name != NULL)
				snprintf(name, SPOOL_NAME_MAX, "%.63s", e->d_name);
		}
	closedir(d);
	return n;
}

/* Open the one delivered envelope with identity which, parse the record. */
static struct record *
open_sent(int which)
{
	char name[SPOOL_NAME_MAX], path[8192];
	struct age_unlock u = { &id[which], 1, NULL, 0, 0 };
	unsigned char *ct, *pt = NULL;
	size_t ptlen = 0;
	struct record *r = record_new();
	const char *why = NULL;
	FILE *f;
	long n;

	cr_assert_eq(count_new(name), 1);
	snprintf(path, sizeof path, "%s/new/%s", K->cfg.spool, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	ct = malloc((size_t)n);
	cr_assert_eq(fread(ct, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	cr_assert_eq((size_t)n, age_encrypted_size(2, SH_RECORD_SIZE));
	cr_assert_eq(age_decrypt_to_secure(&u, ct, (size_t)n, SH_RECORD_SIZE, &pt, &ptlen), SH_OK);
	cr_assert_eq(ptlen, SH_RECORD_SIZE);
	cr_assert_eq(record_parse(pt, ptlen, r, &why), SH_OK, "%s", why ? why : "");
	sodium_memzero(pt, ptlen);
	sodium_free(pt);
	free(ct);
	return r;
}

Test(kiosk_send, self_path_sends_what_was_typed)
{
	struct record *r;
	char name[SPOOL_NAME_MAX];

	K->flow->lang = 0;
	K->flow->about = RECORD_ABOUT_SELF;
	K->flow->danger = RECORD_DANGER_YES;
	K->flow->contact = 2;
	put_text(K->field[RECORD_NAME], "Zoë 李小龍");
	put_text(K->field[RECORD_GRADE], "9");
	put_text(K->field[RECORD_FRIEND_NAME], "abandoned on the friend path");
	put_text(K->message, "line one\nline two");
	cr_assert_eq(kiosk_send(K, name), SH_OK);
	for (int which = 0; which < 2; which++) {
		r = open_sent(which);
		cr_assert_eq(r->about, RECORD_ABOUT_SELF);
		cr_assert_eq(r->danger, RECORD_DANGER_YES);
		cr_assert_str_eq(r->language, "en");
		cr_assert_str_eq(r->field[RECORD_NAME], "Zoë 李小龍");
		cr_assert_str_eq(r->field[RECORD_GRADE], "9");
		cr_assert_str_eq(r->field[RECORD_TEACHER], "");
		cr_assert_str_eq(r->field[RECORD_CONTACT_WAY], "Email me");
		cr_assert_str_eq(r->field[RECORD_FRIEND_NAME], "");
		cr_assert_eq(r->message_len, 17);
		cr_assert_str_eq(r->message, "line one\nline two");
		cr_assert_eq(memcmp(r->kiosk_pk, K->sign->pk, sizeof r->kiosk_pk), 0);
		record_free(r);
	}
	/* the record buffers are wiped after sending */
	for (size_t i = 0; i < SH_RECORD_SIZE; i++)
		cr_assert_eq(K->plain[i], 0);
	cr_assert_str_eq(K->rec->field[RECORD_NAME], "");
}

/* QA: a message of only whitespace was sent; it counts as no message. */
Test(kiosk_send, blank_message_is_not_sent)
{
	struct record *r;

	K->flow->lang = 0;
	K->flow->about = RECORD_ABOUT_SELF;
	K->flow->danger = RECORD_DANGER_NO;
	put_text(K->field[RECORD_NAME], "Ana");
	put_text(K->message, " \n\n  \n");
	cr_assert_eq(kiosk_send(K, NULL), SH_OK);
	r = open_sent(0);
	cr_assert_str_eq(r->field[RECORD_NAME], "Ana");
	cr_assert_eq(r->message_len, 0);
	record_free(r);
}

Test(kiosk_send, friend_path_in_spanish)
{
	struct record *r;

	K->flow->lang = 1;
	K->flow->about = RECORD_ABOUT_FRIEND;
	K->flow->danger = RECORD_DANGER_UNSURE;
	K->flow->contact = 1;
	put_text(K->field[RECORD_FRIEND_NAME], "Ana María");
	put_text(K->field[RECORD_NAME], "Yo");
	cr_assert_eq(kiosk_send(K, NULL), SH_OK);
	r = open_sent(1);
	cr_assert_eq(r->about, RECORD_ABOUT_FRIEND);
	cr_assert_eq(r->danger, RECORD_DANGER_UNSURE);
	cr_assert_str_eq(r->language, "es");
	cr_assert_str_eq(r->field[RECORD_FRIEND_NAME], "Ana María");
	cr_assert_str_eq(r->field[RECORD_NAME], "Yo");
	cr_assert_str_eq(r->field[RECORD_CONTACT_WAY], "Búscame en la escuela");
	cr_assert_eq(r->message_len, 0);
	record_free(r);
}

Test(kiosk_send, anonymous_wipes_own_fields_only)
{
	put_text(K->field[RECORD_FRIEND_NAME], "Ana");
	put_text(K->field[RECORD_NAME], "Me");
	put_text(K->field[RECORD_BEST_TIME], "noon");
	kiosk_wipe_own_fields(K);
	cr_assert_eq(textfield_len(K->field[RECORD_NAME]), 0);
	cr_assert_eq(textfield_len(K->field[RECORD_BEST_TIME]), 0);
	cr_assert_str_eq(textfield_data(K->field[RECORD_FRIEND_NAME], NULL), "Ana");
	kiosk_wipe(K);
	cr_assert_eq(textfield_len(K->field[RECORD_FRIEND_NAME]), 0);
}

Test(kiosk_send, broken_spool_fails_and_leaves_nothing)
{
	char cmd[8192];

	put_text(K->field[RECORD_NAME], "Nobody");
	snprintf(cmd, sizeof cmd, "rm -rf '%s/new'", K->cfg.spool);
	cr_assert_eq(system(cmd), 0);
	cr_assert_neq(kiosk_send(K, NULL), SH_OK);
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s/tmp')\"", K->cfg.spool);
	cr_assert_eq(system(cmd), 0, "a file was left in tmp/");
	for (size_t i = 0; i < SH_RECORD_SIZE; i++)
		cr_assert_eq(K->plain[i], 0);
}

Test(kiosk_send, no_recipients_refused)
{
	K->nrcpt = 0;
	cr_assert_eq(kiosk_send(K, NULL), SH_ERR_USAGE);
	cr_assert_eq(count_new(NULL), 0);
}

Test(kiosk_send, test_record)
{
	struct record *r;

	put_text(K->field[RECORD_NAME], "not in a test record");
	cr_assert_eq(kiosk_send_test(K, NULL), SH_OK);
	r = open_sent(0);
	cr_assert_eq(r->about, RECORD_ABOUT_TEST);
	cr_assert_eq(r->danger, RECORD_DANGER_NO);
	cr_assert_str_eq(r->field[RECORD_NAME], "");
	record_free(r);
}
