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
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/fileio.h"
#include "safeharbor/replies.h"
#include "safeharbor/util.h"
#include "queue.h"
#include "tool.h"

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
		die(TOOL_EXIT_FAIL, "the answer is too long (at most %d characters); nothing written",
		    SH_REPLY_TEXT_MAX_CHARS);
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
	die(TOOL_EXIT_FAIL, "%.*s: cannot open the request again", (int)q->items[idx].shortlen,
	    q->items[idx].id);
}

int
cmd_reply(struct tool_ctx *c)
{
	const char *dir = tool_need_replies(c);
	struct record *r = record_new();
	struct reply *rep = reply_new();
	struct keys_signing *staff = keys_signing_new();
	unsigned char *pt = sodium_malloc(SH_REPLY_SIZE);
	char *text = sodium_malloc(SH_REPLY_TEXT_MAX + 1);
	const struct queue_item *it;
	struct age_recipient rk;
	struct queue q;
	enum sh_status st;
	size_t idx, who, len;
	unsigned slot;
	char why[256];

	if (r == NULL || rep == NULL || staff == NULL || pt == NULL || text == NULL)
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
	who = opening_identity(c, &q, idx, r);

	len = read_answer(text, SH_REPLY_TEXT_MAX + 1);
	st = reply_set_text(rep, text, len);
	sodium_memzero(text, SH_REPLY_TEXT_MAX + 1);
	if (st == SH_ERR_TOO_LARGE)
		die(TOOL_EXIT_FAIL, "the answer is too long (at most %d characters); nothing written",
		    SH_REPLY_TEXT_MAX_CHARS);
	if (st != SH_OK)
		die(TOOL_EXIT_FAIL, len == 0 ? "the answer is empty; nothing written"
		    : "the answer is not UTF-8 text without control characters; nothing written");
	st = reply_set_in_reply_to(rep, r->about == RECORD_ABOUT_REPLY ? r->in_reply_to : r->id);
	memcpy(rk.pk, r->reply_to, sizeof(rk.pk));
	record_free(r);
	keys_staff_derive(&c->unlock.ids[who], staff);
	if (st == SH_OK)
		st = reply_serialize(rep, staff, time(NULL), pt);
	reply_free(rep);
	keys_signing_free(staff);
	if (st == SH_OK)
		st = replies_store(dir, &rk, pt, &slot);
	sodium_memzero(pt, SH_REPLY_SIZE);
	sodium_free(pt);
	sodium_free(text);
	if (st == SH_ERR_EXISTS)
		die(TOOL_EXIT_FAIL, "%.*s: already %d answers, the most a request keeps; nothing written",
		    (int)it->shortlen, it->id, REPLIES_SLOTS);
	if (st != SH_OK)
		die(TOOL_EXIT_FAIL, "%s: cannot write the answer: %s", dir,
		    st == SH_ERR_IO || st == SH_ERR_NOSPACE ? strerror(errno) : sh_status_str(st));
	printf("%.*s answered (answer %u); sync %s to the kiosks\n", (int)it->shortlen, it->id,
	       slot + 1, dir);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
