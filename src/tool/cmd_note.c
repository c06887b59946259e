/*
 * note ID: a case note about one request, read from standard input, sealed
 * like the requests (casework.c) into the spool's case/ folder. The text
 * is held only in locked memory and checked before the passphrase is
 * asked, so a note that cannot be kept costs nothing to retype.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "safeharbor/fileio.h"
#include "safeharbor/util.h"
#include "audit_log.h"
#include "casework.h"
#include "queue.h"

/* Standard input into locked memory, without trailing newlines. */
static char *
read_note(size_t *len)
{
	size_t cap = CASEREC_TEXT_MAX + 1, got = 0;
	char *buf;

	if ((buf = sodium_malloc(cap)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "Type the note, then Ctrl-D on a line of its own.\n");
	if (fileio_read_upto(STDIN_FILENO, buf, cap, &got) != 0) {
		sodium_free(buf);
		die(TOOL_EXIT_FAIL, "note: cannot read standard input: %s", strerror(errno));
	}
	while (got > 0 && buf[got - 1] == '\n')
		got--;
	*len = got;
	return buf;
}

int
cmd_note(struct tool_ctx *c)
{
	char why[256];
	struct queue q;
	size_t len, idx;
	enum sh_status st;
	char *text = read_note(&len);

	st = caserec_check_text(text, len);
	if (st != SH_OK) {
		sodium_free(text);
		if (len == 0)
			die(TOOL_EXIT_FAIL, "note: the note is empty; nothing saved");
		if (st == SH_ERR_TOO_LARGE)
			die(TOOL_EXIT_FAIL, "note: too long: a note holds at most %d characters "
			    "(%d bytes); nothing saved", CASEREC_TEXT_MAX_CHARS, CASEREC_TEXT_MAX);
		die(TOOL_EXIT_FAIL, "note: not UTF-8 text, or holds control characters "
		    "(only line breaks and tabs may); nothing saved");
	}
	tool_load_queue(c, &q);
	idx = tool_resolve(&q, c->o.args[0]);
	if (!queue_item_opened(&q.items[idx])) {
		sodium_free(text);
		die(TOOL_EXIT_FAIL, "%s: %s", q.items[idx].e.name,
		    queue_item_reason(&q.items[idx], why, sizeof(why)));
	}
	tool_case_add(c, q.items[idx].id, CASE_NOTE, -1, text, len);
	audit_append(c, "note", q.items[idx].id, NULL);
	sodium_free(text);
	printf("%.*s note saved\n", (int)q.items[idx].shortlen, q.items[idx].id);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
