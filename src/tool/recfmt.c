/*
 * The record formatter (see recfmt.h). Decisions: one table of words, so
 * show and the inbox cannot drift apart again; the contact way is a fixed
 * choice on the kiosk, so the tool maps each language's wording of it to
 * one English phrase (tests/unit/test_recfmt.c checks every choice in
 * screens/ is known); text the table does not know is shown as written.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "safeharbor/keys.h"
#include "safeharbor/termsafe.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "convo.h"
#include "queue.h"
#include "recfmt.h"
#include "textbuf.h"
#include "tool.h"
#include "tooltime.h"

/* The choices of screens/LANG/reach.txt, in their order, every language. */
static const struct {
	const char *says;        /* the social worker's words */
	const char *kiosk[2];    /* en, es */
} contact_ways[] = {
	{ "find the student at school", { "Find me at school", "Búscame en la escuela" } },
	{ "email the student's school account",
	  { "Email my school account", "Escríbeme al correo de la escuela" } },
	{ "a note in class", { "Give me a note in class", "Dame una nota en clase" } },
	{ "do NOT contact the family", { "Do not contact my family", "No contacten a mi familia" } },
	{ "calling home is OK", { "It is OK to call my home", "Pueden llamar a mi casa" } },
};

const char *
recfmt_contact(const char *text)
{
	size_t i, l;

	for (i = 0; i < sizeof(contact_ways) / sizeof(contact_ways[0]); i++)
		for (l = 0; l < 2; l++)
			if (strcmp(text, contact_ways[i].kiosk[l]) == 0)
				return contact_ways[i].says;
	return NULL;
}

const char *
recfmt_danger_short(enum record_danger d)
{
	switch (d) {
	case RECORD_DANGER_YES: return "URGENT";
	case RECORD_DANGER_UNSURE: return "not sure";
	case RECORD_DANGER_NO: return "no";
	}
	return "?";
}

const char *
recfmt_danger_long(enum record_danger d)
{
	switch (d) {
	case RECORD_DANGER_YES: return "yes (URGENT: the student said someone is in danger now)";
	case RECORD_DANGER_UNSURE: return "not sure";
	case RECORD_DANGER_NO: return "no";
	}
	return "?";
}

const char *
recfmt_field_label(enum record_field f, enum record_about a)
{
	switch (f) {
	case RECORD_NAME: return a == RECORD_ABOUT_FRIEND ? "Reported by" : "Name";
	case RECORD_GRADE: return a == RECORD_ABOUT_FRIEND ? "Reporter's grade" : "Grade";
	case RECORD_TEACHER: return "Teacher";
	case RECORD_BEST_TIME: return "Best time";
	case RECORD_CONTACT_WAY: return "Contact way";
	case RECORD_FRIEND_NAME: return "Friend's name";
	case RECORD_FRIEND_GRADE: return "Friend's grade";
	case RECORD_NFIELDS: break;
	}
	return "?";
}

/* Her case lines: a note sealed by another key passed the text checks
 * but may still hold bidi marks, so they go through termsafe too. */
static void
put_case(struct tool_ctx *c, struct textbuf *o, const char *id)
{
	size_t cap = tool_case_text_max(c, id), len;
	char *buf = sodium_malloc(cap);

	if (buf == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	len = tool_case_text(c, id, buf, cap);
	textbuf_put_safe(o, buf, len, TERMSAFE_MULTILINE);
	sodium_free(buf);
}

#define VALUE_COL 18            /* where every value starts */

static void
label(struct textbuf *o, const char *name)
{
	static const char pad[] = "                    ";
	size_t n = strlen(name) + 1;

	textbuf_put(o, name, strlen(name));
	textbuf_put(o, ":", 1);
	textbuf_put(o, pad, n < VALUE_COL ? VALUE_COL - n : 1);
}

/* "Label:" padded to the value column, the value (sanitised), a newline. */
static void
line(struct textbuf *o, const char *name, const char *value)
{
	label(o, name);
	textbuf_put_safe(o, value, strlen(value), 0);
	textbuf_put(o, "\n", 1);
}

/* A warning under the line it is about, in the value column. */
static void
warning(struct textbuf *o, const char *what)
{
	static const char pad[] = "                    ";

	textbuf_put(o, pad, VALUE_COL);
	textbuf_put(o, "WARNING: ", 9);
	textbuf_put(o, what, strlen(what));
	textbuf_put(o, "\n", 1);
}

static void
linef(struct textbuf *o, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
linef(struct textbuf *o, const char *label, const char *fmt, ...)
{
	char v[512];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(v, sizeof(v), fmt, ap) >= (int)sizeof(v))
		v[sizeof(v) - 1] = '\0';
	va_end(ap);
	line(o, label, v);
	sodium_memzero(v, sizeof(v));
}

static void
kiosk_lines(struct textbuf *o, struct tool_ctx *c, const struct queue_item *it)
{
	char key[KEYS_KIOSK_STRLEN + 1];
	const char *name = tool_kiosk_name(c, it);

	keys_kiosk_format(it->kiosk_pk, key);
	if (it->st == SH_ERR_SIGNATURE) {
		line(o, "Kiosk", key);
		warning(o, "not from an enrolled kiosk: the signature does not verify "
		        "(forged or damaged)");
	} else if (name == NULL) {
		line(o, "Kiosk", key);
		warning(o, "not from an enrolled kiosk: signed by a key that is not "
		        "enrolled (safeharbor kiosks add NAME KEY)");
	} else {
		linef(o, "Kiosk", "%s (%s, signature verified)", name, key);
	}
}

/* The conversation a request is part of (SPEC §9). */
static void
convo_lines(struct textbuf *o, struct tool_ctx *c, const struct queue *q,
            const struct queue_item *it, const struct record *r)
{
	struct convo cv;

	convo_of(c, q, (size_t)(it - q->items), &cv);
	if (r->about == RECORD_ABOUT_REPLY) {
		if (cv.parent != SIZE_MAX)
			linef(o, "In reply to", "%.*s (the student writing back)",
			      (int)q->items[cv.parent].shortlen, q->items[cv.parent].id);
		else
			linef(o, "In reply to", "%s (not in this spool)", r->in_reply_to);
		return;
	}
	if (!cv.root)
		return;      /* no reply key: a kiosk test, or from before replies */
	if (c->replies[0] == '\0' && cv.student == 0)
		line(o, "Answers", "none here (to answer: safeharbor reply ID, with a replies folder)");
	else if (c->replies[0] == '\0')
		linef(o, "Answers", "from the student: %zu%s (yours: no replies folder set)", cv.student,
		      cv.unread > 0 ? " (new)" : "");
	else
		linef(o, "Answers", "from you: %u, from the student: %zu%s", cv.answers, cv.student,
		      cv.unread > 0 ? " (new)" : "");
}

size_t
recfmt_text(struct tool_ctx *c, const struct queue *q, const struct queue_item *it,
            const struct record *r, int flags, char *buf, size_t cap)
{
	struct textbuf o = { buf, cap, 0 };
	char when[TOOLTIME_LONG_MAX], rel[SPOOL_NAME_MAX + 8], why[256];
	const char *v;
	time_t created;
	int f;

	if (cap > 0)
		buf[0] = '\0';
	tool_rel_name(&it->e, rel, sizeof(rel));
	if (r == NULL || !queue_item_opened(it)) {
		linef(&o, "Envelope", "%s/%s", q->spool, rel);
		line(&o, "CANNOT OPEN", queue_item_reason(it, why, sizeof(why)));
		return o.len;
	}
	line(&o, "Id", r->id);
	if ((created = tooltime_created(r->created)) != (time_t)-1) {
		tooltime_long(created, when);
		line(&o, "Created", when);
	} else {
		line(&o, "Created", r->created);
	}
	tooltime_long(it->e.mtime, when);
	line(&o, "Received", when);
	line(&o, "About", record_about_str(r->about));
	line(&o, "Danger", recfmt_danger_long(r->danger));
	line(&o, "Language", r->language);
	kiosk_lines(&o, c, it);
	if (flags & RECFMT_ENVELOPE)
		linef(&o, "Envelope", "%s/%s", q->spool, rel);
	line(&o, "State", queue_state_str(it->e.state));
	convo_lines(&o, c, q, it, r);
	if (it->dups > 0)
		linef(&o, "Copies", "%zu more envelope%s with this record", it->dups,
		      it->dups == 1 ? "" : "s");
	if (it->conflict)
		warning(&o, "another envelope carries the same id with different content");
	if (it->e.clash)
		warning(&o, "another file in the spool has the same name (both kept)");
	if (it->e.sync_conflict)
		warning(&o, "a Syncthing conflict copy: two peers wrote this name");
	for (f = 0; f < RECORD_NFIELDS; f++) {
		if (r->field[f][0] == '\0')
			continue;
		v = r->field[f];
		if (f == RECORD_CONTACT_WAY && recfmt_contact(v) != NULL)
			v = recfmt_contact(v);
		line(&o, recfmt_field_label((enum record_field)f, r->about), v);
	}
	if (r->message_len == 0) {
		textbuf_put(&o, "\n", 1);
		line(&o, "Message", "(none)");
	} else {
		size_t i, chars = 0;
		char head[64];

		for (i = 0; i < r->message_len; i++)
			chars += ((unsigned char)r->message[i] & 0xC0) != 0x80;
		snprintf(head, sizeof(head), "\nMessage (%zu character%s):\n", chars,
		         chars == 1 ? "" : "s");
		textbuf_put(&o, head, strlen(head));
		textbuf_put_safe(&o, r->message, r->message_len, TERMSAFE_MULTILINE);
		if (r->message[r->message_len - 1] != '\n')
			textbuf_put(&o, "\n", 1);
	}
	/* her notes, outcome and referrals, oldest first; a note sealed by
	 * another key passed the text checks but may still hold bidi marks */
	put_case(c, &o, r->id);
	return o.len;
}

size_t
recfmt_text_max(struct tool_ctx *c, const struct record *r)
{
	/* termsafe may show a byte as a 4-byte escape (record and case
	 * lines alike); labels and lines add a little */
	return (SH_RECORD_SIZE + tool_case_text_max(c, r->id)) * 4 + 4096;
}
