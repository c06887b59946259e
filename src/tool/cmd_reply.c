/*
 * reply ID: the social worker answers a request (SPEC §9). The answer is
 * read from stdin into locked memory, becomes a reply record signed by the
 * staff key of the identity that opens the request, is sealed to the
 * request's Reply-To key and stored in the replies folder, from where sync
 * carries it to the kiosks.
 *
 * Decisions: an answer to a student's own reply (About: reply) answers the
 * conversation, so In-Reply-To is always the first request's id. A request
 * not from an enrolled kiosk is refused without -f: its Reply-To key may be
 * anyone's. Line ends CR LF are taken as LF; trailing blank lines dropped.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/fileio.h"
#include "safeharbor/replies.h"
#include "safeharbor/util.h"
#include "audit_log.h"
#include "queue.h"
#include "tool.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The answer from stdin, CR LF as LF, trailing white space dropped. */
static size_t
read_answer(char *buf, size_t cap)
{
	size_t got = 0, i, n = 0;

	if (isatty(0))
		fprintf(stderr, "Type the answer; end with Ctrl-D on a line of its own.\n");
	if (fileio_read_upto(0, buf, cap, &got) != 0)
		die(TOOL_EXIT_FAIL, "stdin: %s", strerror(errno));
	if (got == cap)
		die(TOOL_EXIT_FAIL, "the answer is too long (at most %d characters, one kiosk "
		    "screen); nothing written", SH_REPLY_TEXT_MAX_CHARS);
	for (i = 0; i < got; i++)
		if (!(buf[i] == '\r' && i + 1 < got && buf[i + 1] == '\n'))
			buf[n++] = buf[i];
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	sodium_memzero(buf + n, cap - n);
	return n;
}

/* The identity that opens item idx (its staff key signs the answer). */
static size_t
opening_identity(struct tool_ctx *c, const struct queue *q, size_t idx, struct record *r)
{
	struct age_unlock one;
	enum sh_status st;
	size_t i;

	for (i = 0; i < c->unlock.nids; i++) {
		one = c->unlock;
		one.ids = &c->unlock.ids[i];
		one.nids = 1;
		st = queue_open_item(q, idx, &one, r);
		if (st == SH_OK || st == SH_ERR_SIGNATURE)
			return i;
	}
	return SIZE_MAX;
}

/* tool_reply_send's one reason with figures (the tool is one thread) */
static char too_long[200];

const char *
tool_reply_send(struct tool_ctx *c, const struct queue *q, size_t idx, const char *text,
                size_t len, unsigned *slot, int *audited)
{
	const char *dir = c->replies;
	const struct queue_item *it = &q->items[idx];
	struct record *r = record_new();
	struct reply *rep = reply_new();
	struct keys_signing *staff = keys_signing_new();
	unsigned char *pt = sodium_malloc(SH_REPLY_SIZE);
	const char *why = NULL;
	struct age_recipient rk;
	enum sh_status st;
	size_t who, rows;
	char abuf[256];

	*audited = 0;
	if (r == NULL || rep == NULL || staff == NULL || pt == NULL) {
		why = "out of locked memory";
		goto out;
	}
	if (!queue_item_opened(it) || !it->has_reply_to) {
		why = "this request has no reply key (a kiosk test, or sent before replies "
		      "existed): the student cannot read an answer at a kiosk";
		goto out;
	}
	if ((who = opening_identity(c, q, idx, r)) == SIZE_MAX) {
		why = "cannot open the request again";
		goto out;
	}
	st = reply_set_text(rep, text, len);
	if (st == SH_ERR_TOO_LARGE) {
		why = "the answer is too long (at most " STR(SH_REPLY_TEXT_MAX_CHARS)
		      " characters, one kiosk screen); nothing written";
		goto out;
	}
	if (st != SH_OK) {
		why = len == 0 ? "the answer is empty; nothing written"
		      : "the answer is not UTF-8 text without control characters; nothing written";
		goto out;
	}
	/* the kiosk shows one screen: an answer cut off there is worse than
	 * one refused here, where she can shorten it */
	if (!reply_fits_kiosk(rep->text, &rows)) {
		snprintf(too_long, sizeof too_long,
		         "too long for one kiosk screen: %zu lines, at most %d (lines "
		         "of %d characters; every line break starts a new one); nothing written",
		         rows, SH_REPLY_KIOSK_ROWS, SH_REPLY_KIOSK_COLS);
		why = too_long;
		goto out;
	}
	/* an answer to the student's own answer answers the conversation */
	st = reply_set_in_reply_to(rep, r->about == RECORD_ABOUT_REPLY ? r->in_reply_to : r->id);
	memcpy(rk.pk, r->reply_to, sizeof(rk.pk));
	keys_staff_derive(&c->unlock.ids[who], staff);
	if (st == SH_OK)
		st = reply_serialize(rep, staff, time(NULL), pt);
	if (st == SH_OK)
		st = replies_store(dir, &rk, pt, slot);
	if (st == SH_ERR_EXISTS)
		why = "already " STR(REPLIES_SLOTS) " answers, the most a request keeps; nothing written";
	else if (st != SH_OK)
		why = st == SH_ERR_IO || st == SH_ERR_NOSPACE ? strerror(errno) : sh_status_str(st);
	/* the answer is stored whatever the log says; the entry names only
	 * the request, nothing of the text */
	*audited = why == NULL && audit_append_quiet(c, "reply", it->id, NULL, abuf,
	                                             sizeof(abuf)) == 0;
out:
	record_free(r);
	reply_free(rep);
	keys_signing_free(staff);
	if (pt != NULL) {
		sodium_memzero(pt, SH_REPLY_SIZE);
		sodium_free(pt);
	}
	return why;
}

int
cmd_reply(struct tool_ctx *c)
{
	const struct queue_item *it;
	struct queue q;
	char *text = sodium_malloc(SH_REPLY_TEXT_MAX + 1), why[256];
	const char *err;
	size_t idx, len;
	unsigned slot = 0;
	int audited = 0;

	tool_need_replies(c);
	if (text == NULL)
		die(TOOL_EXIT_FAIL, "out of locked memory");
	tool_load_queue(c, &q);
	idx = tool_resolve(&q, c->o.args[0]);
	it = &q.items[idx];
	if (!queue_item_opened(it))
		die(TOOL_EXIT_FAIL, "%s: %s", it->e.name, queue_item_reason(it, why, sizeof(why)));
	if (!it->has_reply_to)
		die(TOOL_EXIT_FAIL, "%.*s: this request has no reply key (a kiosk test, or sent "
		    "before replies existed): the student cannot read an answer at a kiosk",
		    (int)it->shortlen, it->id);
	if (!queue_item_trusted(it) && !c->o.force)
		die(TOOL_EXIT_FAIL, "%.*s: not from an enrolled kiosk, so its reply key may be "
		    "anyone's; nothing written (use -f to answer anyway)", (int)it->shortlen, it->id);
	len = read_answer(text, SH_REPLY_TEXT_MAX + 1);
	err = tool_reply_send(c, &q, idx, text, len, &slot, &audited);
	sodium_memzero(text, SH_REPLY_TEXT_MAX + 1);
	sodium_free(text);
	if (err != NULL)
		die(TOOL_EXIT_FAIL, "%.*s: %s", (int)it->shortlen, it->id, err);
	printf("%.*s answered (answer %u); sync %s to the kiosks\n", (int)it->shortlen, it->id,
	       slot + 1, c->replies);
	if (!audited)
		warnx_("%.*s: the answer is stored, but the audit log could not record it "
		       "(safeharbor verify)", (int)it->shortlen, it->id);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
