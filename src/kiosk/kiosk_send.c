/*
 * Sending: the answers become a record, signed with the kiosk key, sealed
 * as an age file to every recipient, delivered to the spool.
 *
 * Decisions: only the fields of the path the student is on are sent (a
 * friend's name typed and then abandoned by going back never leaves). The
 * record and its serialized form live in sodium_malloc memory and are wiped
 * on every path; the ciphertext is not secret. A message of nothing but
 * spaces and line breaks is no message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "safeharbor/envelope.h"
#include "kiosk.h"

uint64_t
kiosk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int
kiosk_alloc_answers(struct kiosk *k)
{
	int i;

	if ((k->flow = sodium_malloc(sizeof *k->flow)) == NULL)
		return -1;
	sodium_memzero(k->flow, sizeof *k->flow);
	for (i = 0; i < RECORD_NFIELDS; i++)
		if ((k->field[i] = textfield_new(SH_FIELD_MAX_CHARS, SH_FIELD_MAX, 0)) == NULL)
			return -1;
	if ((k->message = textfield_new(SH_MESSAGE_MAX_CHARS, SH_MESSAGE_MAX, 1)) == NULL ||
	    (k->pin = textfield_new(KIOSK_PIN_MAX_CHARS, KIOSK_PIN_MAX_CHARS * 4, 0)) == NULL ||
	    (k->rec = record_new()) == NULL ||
	    (k->plain = sodium_malloc(SH_RECORD_SIZE)) == NULL ||
	    (k->codefield = textfield_new(REPLYCODE_INPUT_MAX / 4, REPLYCODE_INPUT_MAX, 0)) == NULL ||
	    (k->convo = sodium_malloc(sizeof *k->convo)) == NULL)
		return -1;
	sodium_memzero(k->plain, SH_RECORD_SIZE);
	sodium_memzero(k->convo, sizeof *k->convo);
	return 0;
}

void
kiosk_wipe_own_fields(struct kiosk *k)
{
	static const enum record_field own[] = {
		RECORD_NAME, RECORD_GRADE, RECORD_TEACHER, RECORD_BEST_TIME, RECORD_CONTACT_WAY,
	};
	size_t i;

	for (i = 0; i < sizeof own / sizeof own[0]; i++)
		textfield_clear(k->field[own[i]]);
}

void
kiosk_wipe(struct kiosk *k)
{
	int i;

	for (i = 0; i < RECORD_NFIELDS; i++)
		textfield_clear(k->field[i]);
	textfield_clear(k->message);
	textfield_clear(k->pin);
	textfield_clear(k->codefield);
	if (k->convo != NULL)
		sodium_memzero(k->convo, sizeof *k->convo);
	if (k->rec != NULL)
		record_clear(k->rec);
	if (k->plain != NULL)
		sodium_memzero(k->plain, SH_RECORD_SIZE);
}

void
kiosk_wipe_but_code(struct kiosk *k)
{
	struct kiosk_convo *c = k->convo;

	k->convo = NULL;
	kiosk_wipe(k);
	k->convo = c;
	if (c == NULL)
		return;
	sodium_memzero(&c->key, sizeof c->key);
	sodium_memzero(&c->answer, sizeof c->answer);
	sodium_memzero(c->root, sizeof c->root);
	c->have_key = c->have_answer = 0;
}

void
kiosk_free_answers(struct kiosk *k)
{
	int i;

	kiosk_wipe(k);
	for (i = 0; i < RECORD_NFIELDS; i++) {
		textfield_free(k->field[i]);
		k->field[i] = NULL;
	}
	textfield_free(k->message);
	textfield_free(k->pin);
	textfield_free(k->codefield);
	k->message = k->pin = k->codefield = NULL;
	if (k->convo != NULL)
		sodium_free(k->convo);
	k->convo = NULL;
	if (k->rec != NULL)
		record_free(k->rec);
	k->rec = NULL;
	if (k->plain != NULL)
		sodium_free(k->plain);
	k->plain = NULL;
	if (k->flow != NULL) {
		sodium_memzero(k->flow, sizeof *k->flow);
		sodium_free(k->flow);
	}
	k->flow = NULL;
}

/* Sign, seal, deliver k->rec; wipes k->rec and k->plain. */
static enum sh_status
seal_and_deliver(struct kiosk *k, char name_out[SPOOL_NAME_MAX])
{
	unsigned char *ct = NULL;
	size_t ctlen = 0;
	enum sh_status st;

	st = envelope_seal(k->rec, k->sign, k->rcpt, k->nrcpt, time(NULL), k->plain, &ct, &ctlen);
	record_clear(k->rec);
	if (st == SH_OK)
		st = spool_deliver(k->cfg.spool, ct, ctlen, name_out);
	free(ct);
	return st;
}

/* Every request gets a reply key (SPEC §9): writing back keeps the one
 * the student typed, a new request gets a new code. Without a word list
 * for the language the request still goes, without a code. */
static enum sh_status
set_reply_to(struct kiosk *k, unsigned lang)
{
	struct kiosk_convo *c = k->convo;

	if (k->rec->about == RECORD_ABOUT_REPLY) {
		/* an empty write-back says nothing (the flow never asks) */
		if (!c->have_key || !c->have_answer || k->rec->message_len == 0)
			return SH_ERR_USAGE;     /* nothing to write back to */
		memcpy(k->rec->in_reply_to, c->root, sizeof(k->rec->in_reply_to));
	} else if (kiosk_new_code(k, lang) != SH_OK) {
		return SH_OK;
	}
	k->rec->has_reply_to = 1;
	memcpy(k->rec->reply_to, c->key.pk, sizeof(k->rec->reply_to));
	return SH_OK;
}

enum sh_status
kiosk_send(struct kiosk *k, char name_out[SPOOL_NAME_MAX])
{
	const struct flow *f = k->flow;
	enum sh_status st = SH_OK;
	unsigned i, n;
	const char *s;
	size_t len;

	if (k->sign == NULL || k->nrcpt == 0)
		return SH_ERR_USAGE;
	record_clear(k->rec);
	k->rec->about = f->about;
	k->rec->danger = f->danger;
	if (f->lang < k->nlang)
		st = record_set_language(k->rec, k->cfg.languages[f->lang]);
	n = flow_reach_nfields(f);
	for (i = 0; i < n && st == SH_OK; i++) {
		enum record_field rf = flow_reach_field(f, i);
		if (rf == RECORD_CONTACT_WAY) {
			if (f->contact == 0 || f->lang >= k->nlang)
				continue;
			s = screens_get(k->scr[f->lang], SCREENS_REACH, "contact", f->contact - 1);
			len = strlen(s);
		} else {
			s = textfield_data(k->field[rf], &len);
		}
		if (len > 0)
			st = record_set_field(k->rec, rf, s, len);
	}
	if (st == SH_OK) {
		s = textfield_data(k->message, &len);
		if (len > 0 && !flow_message_blank(s, len))
			st = record_set_message(k->rec, s, len);
	}
	if (st == SH_OK)
		st = set_reply_to(k, f->lang);
	if (st != SH_OK) {
		record_clear(k->rec);
		return st;
	}
	return seal_and_deliver(k, name_out);
}

enum sh_status
kiosk_send_test(struct kiosk *k, char name_out[SPOOL_NAME_MAX])
{
	enum sh_status st;

	record_clear(k->rec);
	k->rec->about = RECORD_ABOUT_TEST;
	k->rec->danger = RECORD_DANGER_NO;
	st = record_set_language(k->rec, k->cfg.nlanguages > 0 ? k->cfg.languages[0] : "en");
	if (st != SH_OK) {
		record_clear(k->rec);
		return st;
	}
	return seal_and_deliver(k, name_out);
}
