/*
 * code CODE: a student says her code at the office; find the request(s)
 * and answers made with it (SPEC §9). The code is normalised as the kiosk
 * does (case, spaces, accents forgiven), the reply key derived, and every
 * request whose Reply-To is that key listed. The words may be given as one
 * argument or several.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/replies.h"
#include "safeharbor/replycode.h"
#include "safeharbor/util.h"
#include "queue.h"
#include "tool.h"
#include "tooltime.h"

int
cmd_code(struct tool_ctx *c)
{
	char *typed = sodium_malloc(REPLYCODE_INPUT_MAX + 1), *code = sodium_malloc(REPLYCODE_MAX + 1);
	struct age_identity *key = sodium_malloc(sizeof(*key));
	struct age_recipient rk;
	struct queue q;
	size_t i, pos = 0, n, len, found = 0;
	enum sh_status st;
	char when[TOOLTIME_LONG_MAX];
	time_t created;

	if (typed == NULL || code == NULL || key == NULL)
		die(TOOL_EXIT_FAIL, "out of locked memory");
	for (i = 0; i < c->o.nargs; i++) {
		n = strlen(c->o.args[i]);
		if (pos + n + 1 > REPLYCODE_INPUT_MAX)
			die(TOOL_EXIT_USAGE, "code: too long for a code");
		memcpy(typed + pos, c->o.args[i], n);
		pos += n;
		typed[pos++] = ' ';
	}
	st = replycode_normalize(typed, pos, code, &len);
	sodium_memzero(typed, REPLYCODE_INPUT_MAX + 1);
	if (st != SH_OK)
		die(TOOL_EXIT_USAGE, "code: not a code: it is %d to %d words of letters, like "
		    "maple-river-stone-otter-lake", REPLYCODE_MIN_WORDS, REPLYCODE_MAX_WORDS);
	tool_load_queue(c, &q);
	st = replycode_derive(code, len, key);
	sodium_memzero(code, REPLYCODE_MAX + 1);
	if (st != SH_OK)
		die(TOOL_EXIT_FAIL, "code: cannot derive the key: %s", sh_status_str(st));
	age_identity_recipient(key, &rk);
	for (i = 0; i < q.nvis; i++) {
		const struct queue_item *it = &q.items[i];

		if (!queue_item_opened(it) || !it->has_reply_to ||
		    sodium_memcmp(it->reply_to, rk.pk, sizeof(rk.pk)) != 0)
			continue;
		/* local time, as list and show say it */
		created = tooltime_created(it->created);
		if (created != (time_t)-1)
			tooltime_long(created, when);
		else
			snprintf(when, sizeof when, "%s", it->created);
		printf("%.*s  %s  %s  %s\n", (int)it->shortlen, it->id, when,
		       record_about_str(it->about), queue_state_str(it->e.state));
		found++;
	}
	if (c->replies[0] != '\0' && found > 0)
		printf("answers in %s: %u\n", c->replies, replies_count(c->replies, &rk));
	sodium_free(typed);
	sodium_free(code);
	sodium_free(key);
	queue_free(&q);
	if (found == 0) {
		fprintf(stderr, "safeharbor: no request in %s was made with this code\n", c->spool);
		return TOOL_EXIT_FAIL;
	}
	return TOOL_EXIT_OK;
}
