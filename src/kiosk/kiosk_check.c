/*
 * Start-up and `--check`: read the config, the recipients, the signing key,
 * every screen file of every configured language, and test the spool.
 *
 * Decisions: every problem is printed, one line each, as
 * "safeharbor-kiosk: FILE:LINE: problem", before curses ever starts, so IT
 * sees all of them at once and a student never meets a half-configured
 * kiosk. Problems in files IT writes (config, recipients, screens) make the
 * exit code 2; anything else (a missing key, a spool we cannot write) 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sodium.h>

#include "safeharbor/fileio.h"
#include "safeharbor/memlock.h"
#include "kiosk.h"

struct tally {
	int config;     /* configuration problems */
	int other;      /* other failures */
};

static void
say(const char *file, unsigned line, const char *msg)
{
	if (line > 0)
		fprintf(stderr, "%s: %s:%u: %s\n", KIOSK_PROG, file, line, msg);
	else
		fprintf(stderr, "%s: %s: %s\n", KIOSK_PROG, file, msg);
}

void
kiosk_say(const char *file, unsigned line, const char *msg)
{
	say(file, line, msg);
}

static void
config_rep(void *ctx, int severity, const char *file, int line, const char *key,
           const char *msg)
{
	struct tally *t = ctx;
	char buf[512];

	snprintf(buf, sizeof buf, "%s%s%s%s", severity == 0 ? "warning: " : "",
	         key != NULL && *key ? key : "", key != NULL && *key ? ": " : "", msg);
	say(file, line > 0 ? (unsigned)line : 0, buf);
	if (severity > 0)
		t->config++;
}

static void
screens_rep(void *ctx, const char *file, unsigned line, const char *msg)
{
	struct tally *t = ctx;

	say(file, line, msg);
	t->config++;
}

static void
load_recipients(struct kiosk *k, struct tally *t)
{
	size_t errline = 0;
	enum sh_status st;
	char msg[256];

	st = keys_load_recipients(k->cfg.recipients, k->rcpt, KEYS_MAX_RECIPIENTS,
	                          &k->nrcpt, &errline);
	if (st == SH_OK && k->nrcpt == 0) {
		say(k->cfg.recipients, 0, "no recipients: add the social worker's age1... key");
		t->config++;
		return;
	}
	if (st == SH_OK)
		return;
	if (st == SH_ERR_FORMAT) {
		say(k->cfg.recipients, (unsigned)errline,
		    "not an age recipient: each line must be one age1... key");
		t->config++;
	} else if (st == SH_ERR_TOO_LARGE) {
		snprintf(msg, sizeof msg, "too many recipients (at most %d)", KEYS_MAX_RECIPIENTS);
		say(k->cfg.recipients, 0, msg);
		t->config++;
	} else {
		snprintf(msg, sizeof msg, "cannot read recipients: %s",
		         st == SH_ERR_IO ? fileio_read_why(-1) : sh_status_str(st));
		say(k->cfg.recipients, 0, msg);
		t->other++;
	}
	k->nrcpt = 0;
}

static void
load_signing(struct kiosk *k, struct tally *t)
{
	enum sh_status st;
	char msg[256];

	if ((k->sign = keys_signing_new()) == NULL) {
		say("signing key", 0, "out of memory");
		t->other++;
		return;
	}
	st = keys_signing_load(k->cfg.signing_key, k->sign);
	if (st == SH_OK) {
		keys_kiosk_format(k->sign->pk, k->kiosk_token);
		return;
	}
	if (st == SH_ERR_PERM)
		snprintf(msg, sizeof msg, "readable by group or others: chmod 600 this file");
	else if (st == SH_ERR_NOT_FOUND)
		snprintf(msg, sizeof msg, "no kiosk signing key: create it with %s --enroll", KIOSK_PROG);
	else if (st == SH_ERR_IO)
		snprintf(msg, sizeof msg, "cannot read the signing key: %s", fileio_read_why(-1));
	else
		snprintf(msg, sizeof msg, "not a kiosk signing key: %s", sh_status_str(st));
	say(k->cfg.signing_key, 0, msg);
	t->other++;
	keys_signing_free(k->sign);
	k->sign = NULL;
}

static void
check_spool(struct kiosk *k, struct tally *t)
{
	enum sh_status st;
	struct stat sb;
	char msg[256];
	int have;

	/* A new spool directory gets its Maildir folders; a missing spool
	 * directory (an unmounted share, a typo) is a problem to report. */
	have = stat(k->cfg.spool, &sb) == 0;

	if (!have && errno == ENOENT) {
		say(k->cfg.spool, 0, "spool does not exist: create it (or mount the share) and run --check again");
		t->other++;
		return;
	}
	if (have && S_ISDIR(sb.st_mode))
		spool_init(k->cfg.spool);
	st = spool_check_writable(k->cfg.spool);
	if (st == SH_OK)
		return;
	snprintf(msg, sizeof msg, "spool is not writable (%s): it needs tmp/ and new/ the kiosk user can write",
	         st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	say(k->cfg.spool, 0, msg);
	t->other++;
}

static void
load_screens(struct kiosk *k, struct tally *t)
{
	size_t i;

	k->nlang = k->cfg.nlanguages;
	for (i = 0; i < k->nlang; i++) {
		if ((k->scr[i] = screens_new()) == NULL) {
			say("screens", 0, "out of memory");
			t->other++;
			return;
		}
		screens_load(k->scr[i], k->cfg.screens, k->cfg.languages[i], k->cfg.follow_up,
		             screens_rep, t);
	}
	if (k->nlang == 0) {
		say(k->cfgpath, 0, "languages: no language configured");
		t->config++;
	}
}

int
kiosk_load(struct kiosk *k, const char *cfgpath, unsigned need)
{
	struct tally t = { 0, 0 };
	enum sh_status st;
	char msg[256];

	snprintf(k->cfgpath, sizeof k->cfgpath, "%s", cfgpath);
	config_defaults(&k->cfg);
	st = config_load(cfgpath, &k->cfg, config_rep, &t);
	if (st == SH_ERR_IO || st == SH_ERR_NOT_FOUND) {
		snprintf(msg, sizeof msg, "cannot read the config: %s",
		         st == SH_ERR_NOT_FOUND ? "no such file" : strerror(errno));
		say(cfgpath, 0, msg);
		return 2;
	}
	if (st != SH_OK && t.config == 0)
		t.config++;
	if (t.config > 0)
		return 2;   /* paths in a broken config cannot be trusted */
	if (need & KIOSK_NEED_RECIPIENTS)
		load_recipients(k, &t);
	if (need & KIOSK_NEED_SIGNING)
		load_signing(k, &t);
	if (need & KIOSK_NEED_SPOOL)
		check_spool(k, &t);
	if (need & KIOSK_NEED_SCREENS)
		load_screens(k, &t);
	if (need & KIOSK_NEED_REPLIES)
		kiosk_load_replies(k, &t.config, &t.other);
	return t.config > 0 ? 2 : t.other > 0 ? 1 : 0;
}

void
kiosk_unload(struct kiosk *k)
{
	size_t i;

	for (i = 0; i < CONFIG_MAX_LANGUAGES; i++) {
		screens_free(k->scr[i]);
		k->scr[i] = NULL;
	}
	if (k->sign != NULL)
		keys_signing_free(k->sign);
	k->sign = NULL;
	kiosk_unload_replies(k);
	kiosk_free_answers(k);
}

int
kiosk_cmd_check(const char *cfgpath)
{
	struct kiosk k;
	const char *lacks, *why;
	int rc;
	size_t i;

	memset(&k, 0, sizeof k);
	rc = kiosk_load(&k, cfgpath, KIOSK_NEED_ALL);
	if (rc != 2 && kiosk_deploy_check(&k) > 0 && rc == 0)
		rc = 1;
	/* only a warning: --check is often run over ssh, not on the kiosk's
	 * own terminal */
	/* a warning: the kiosk runs without it, but answers may reach swap */
	if (memlock_possible(&why) != 0)
		fprintf(stderr, "%s: warning: the kiosk cannot lock its memory: %s; until then what "
		        "students type may reach swap\n", KIOSK_PROG, why);
	if ((lacks = ui_term_lacks()) != NULL)
		fprintf(stderr, "%s: warning: TERM=%s: the kiosk would not start on this terminal: %s "
		        "(fine if it runs on another one, such as the Linux console)\n",
		        KIOSK_PROG, getenv("TERM") ? getenv("TERM") : "", lacks);
	/* a backup key is a reader too: students must be told of it */
	if (rc != 2 && k.nrcpt > 1 && k.nlang > 0 && *config_readers(&k.cfg, 0) == '\0')
		fprintf(stderr, "%s: warning: %s: %zu recipients, but readers is not set: students "
		        "are told only \"%s\" can read a request; name every reader (readers, "
		        "readers_LANG)\n", KIOSK_PROG, cfgpath, k.nrcpt, screens_readers(k.scr[0], NULL));
	if (rc == 0) {
		printf("%s: ok: %s; %zu recipient%s; kiosk key %s; spool %s; screens",
		       KIOSK_PROG, cfgpath, k.nrcpt, k.nrcpt == 1 ? "" : "s", k.kiosk_token, k.cfg.spool);
		for (i = 0; i < k.nlang; i++)
			printf(" %s", k.cfg.languages[i]);
		printf(" (%d files each)\n", SCREENS_N);
	} else {
		fprintf(stderr, "%s: %s: not ready: fix the problems above\n", KIOSK_PROG, cfgpath);
	}
	kiosk_unload(&k);
	return rc;
}

int
kiosk_cmd_enroll(const char *cfgpath)
{
	struct kiosk k;
	struct keys_signing *s;
	enum sh_status st;
	char token[KEYS_KIOSK_STRLEN + 1];
	int rc;

	memset(&k, 0, sizeof k);
	if ((rc = kiosk_load(&k, cfgpath, KIOSK_NEED_CONFIG)) != 0)
		return rc;
	if ((s = keys_signing_new()) == NULL) {
		fprintf(stderr, "%s: out of memory\n", KIOSK_PROG);
		return 1;
	}
	st = keys_signing_create(k.cfg.signing_key, s);
	if (st != SH_OK) {
		if (st == SH_ERR_EXISTS)
			fprintf(stderr, "%s: %s: a signing key is already there; not overwriting it\n",
			        KIOSK_PROG, k.cfg.signing_key);
		else
			fprintf(stderr, "%s: %s: cannot create the signing key: %s\n", KIOSK_PROG,
			        k.cfg.signing_key, st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		keys_signing_free(s);
		return 1;
	}
	keys_kiosk_format(s->pk, token);
	keys_signing_free(s);
	printf("%s\n", token);
	if (fflush(stdout) != 0)
		return 1;
	/* the hint is for a person reading the terminal, not for a script */
	if (isatty(STDOUT_FILENO))
		fprintf(stderr, "%s: created %s; give the line above to the social worker (safeharbor kiosks add NAME KEY)\n",
		        KIOSK_PROG, k.cfg.signing_key);
	return 0;
}

int
kiosk_cmd_send_test(const char *cfgpath)
{
	struct kiosk k;
	char name[SPOOL_NAME_MAX];
	enum sh_status st;
	int rc;

	memset(&k, 0, sizeof k);
	rc = kiosk_load(&k, cfgpath, KIOSK_NEED_CONFIG | KIOSK_NEED_RECIPIENTS |
	                KIOSK_NEED_SIGNING | KIOSK_NEED_SPOOL);
	if (rc != 0) {
		kiosk_unload(&k);
		return rc;
	}
	if (kiosk_alloc_answers(&k) != 0) {
		fprintf(stderr, "%s: out of locked memory\n", KIOSK_PROG);
		kiosk_unload(&k);
		return 1;
	}
	st = kiosk_send_test(&k, name);
	if (st != SH_OK) {
		fprintf(stderr, "%s: %s: test send FAILED: %s\n", KIOSK_PROG, k.cfg.spool,
		        st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		kiosk_unload(&k);
		return 1;
	}
	fprintf(stderr, "%s: test record delivered: %s/new/%s (the social worker sees About: test)\n",
	        KIOSK_PROG, k.cfg.spool, name);
	kiosk_unload(&k);
	return 0;
}
