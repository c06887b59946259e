/*
 * Replies at the kiosk (SPEC §9): the words codes are made of, the staff
 * keys whose answers are shown, making a code at send time, and opening
 * an answer with a typed code.
 *
 * Decisions:
 * - A missing staff_keys file or replies folder is a warning, not a
 *   refusal to start: requests still get a code, and answers show once IT
 *   adds the keys and sync brings the folder. Junk in either file IT
 *   writes (staff_keys, a word list) is a configuration error.
 * - "No answer" covers a wrong code, no answer yet, an answer not signed
 *   by a staff key, an expired one, a tampered or truncated file and an
 *   unreadable folder: the student sees one sentence for all of them.
 * - The code and the key live in k->convo (locked memory), wiped with
 *   everything else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>

#include "kiosk.h"
#include "safeharbor/replies.h"

#define WORDS_FILE_MAX (256u * 1024u)

static void
load_words(struct kiosk *k, int *config_problems, int *other)
{
	char path[CONFIG_PATH_MAX + 64], msg[256], *text;
	size_t i, len, line;
	const char *why;
	enum sh_status st;

	for (i = 0; i < k->cfg.nlanguages; i++) {
		if (snprintf(path, sizeof path, "%s/%s/words.txt", k->cfg.screens,
		             k->cfg.languages[i]) >= (int)sizeof path) {
			kiosk_say(k->cfg.screens, 0, "path too long");
			(*config_problems)++;
			continue;
		}
		st = keys_read_file_secure(path, WORDS_FILE_MAX, &text, &len);
		if (st != SH_OK) {
			snprintf(msg, sizeof msg, "cannot read the word list for codes: %s",
			         st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
			kiosk_say(path, 0, msg);
			if (st == SH_ERR_NOT_FOUND || st == SH_ERR_TOO_LARGE)
				(*config_problems)++;
			else
				(*other)++;
			continue;
		}
		st = replycode_words_parse(text, len, &k->words[i], &line, &why);
		sodium_free(text);
		if (st != SH_OK) {
			kiosk_say(path, (unsigned)line, why);
			(*config_problems)++;
		}
	}
}

static void
load_staff(struct kiosk *k, int *config_problems, int *other)
{
	size_t len, line;
	char *text, msg[256];
	enum sh_status st;

	st = keys_read_file_secure(k->cfg.staff_keys, KEYS_MAX_FILE, &text, &len);
	if (st == SH_ERR_NOT_FOUND || (st == SH_ERR_IO && errno == ENOENT)) {
		kiosk_say(k->cfg.staff_keys, 0, "warning: no staff keys: answers cannot be shown "
		          "(add the social worker's key from `safeharbor pubkey --staff`)");
		return;
	}
	if (st != SH_OK) {
		snprintf(msg, sizeof msg, "cannot read the staff keys: %s",
		         st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		kiosk_say(k->cfg.staff_keys, 0, msg);
		(*other)++;
		return;
	}
	st = keys_parse_staff(text, len, k->staff, KEYS_MAX_STAFF, &k->nstaff, &line);
	sodium_free(text);
	if (st == SH_ERR_NOT_FOUND) {
		kiosk_say(k->cfg.staff_keys, 0, "warning: no staff keys in this file: answers cannot be shown");
	} else if (st == SH_ERR_TOO_LARGE) {
		kiosk_say(k->cfg.staff_keys, (unsigned)line, "too many staff keys (at most 64)");
		(*config_problems)++;
	} else if (st != SH_OK) {
		kiosk_say(k->cfg.staff_keys, (unsigned)line,
		          "not a staff key: each line must be one shstaff1... key");
		(*config_problems)++;
	}
	if (st != SH_OK)
		k->nstaff = 0;
}

void
kiosk_load_replies(struct kiosk *k, int *config_problems, int *other)
{
	struct stat sb;

	load_words(k, config_problems, other);
	load_staff(k, config_problems, other);
	if (stat(k->cfg.replies, &sb) != 0)
		kiosk_say(k->cfg.replies, 0, "warning: no replies folder yet: answers show once "
		          "sync has brought it");
	else if (!S_ISDIR(sb.st_mode))
		kiosk_say(k->cfg.replies, 0, "warning: the replies folder is not a directory");
}

void
kiosk_unload_replies(struct kiosk *k)
{
	size_t i;

	for (i = 0; i < CONFIG_MAX_LANGUAGES; i++) {
		replycode_words_free(k->words[i]);
		k->words[i] = NULL;
	}
	k->nstaff = 0;
}

enum sh_status
kiosk_new_code(struct kiosk *k, unsigned lang)
{
	struct kiosk_convo *c = k->convo;
	enum sh_status st;

	sodium_memzero(c, sizeof *c);
	if (lang >= CONFIG_MAX_LANGUAGES || k->words[lang] == NULL)
		return SH_ERR_NOT_FOUND;
	st = replycode_make(k->words[lang], c->code, sizeof c->code);
	if (st == SH_OK)
		st = replycode_derive(c->code, strlen(c->code), &c->key);
	if (st != SH_OK) {
		sodium_memzero(c, sizeof *c);
		return st;
	}
	c->have_key = 1;
	return SH_OK;
}

enum kiosk_code_result
kiosk_open_code(struct kiosk *k, const char *typed, size_t len, time_t now)
{
	struct kiosk_convo *c = k->convo;
	struct replies_trust t;
	size_t n;

	sodium_memzero(c, sizeof *c);
	if (replycode_normalize(typed, len, c->code, &n) != SH_OK)
		return KIOSK_CODE_MALFORMED;
	if (replycode_derive(c->code, n, &c->key) != SH_OK) {
		sodium_memzero(c, sizeof *c);
		return KIOSK_CODE_NONE;
	}
	c->have_key = 1;
	t.staff = (const unsigned char (*)[crypto_sign_PUBLICKEYBYTES])k->staff;
	t.nstaff = k->nstaff;
	t.now = now;
	t.max_age_days = k->cfg.reply_days;
	if (k->nstaff == 0 || replies_find(k->cfg.replies, &c->key, &t, &c->answer, NULL) != SH_OK)
		return KIOSK_CODE_NONE;
	c->have_answer = 1;
	for (n = 0; n < c->answer.text_len; n++)
		if (c->answer.text[n] == '\t')
			c->answer.text[n] = ' ';     /* the screen has no tab stops */
	memcpy(c->root, c->answer.in_reply_to, sizeof c->root);
	return KIOSK_CODE_FOUND;
}
