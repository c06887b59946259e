/*
 * list and show. list shows no student words (ids, dates, About, Danger,
 * state, kiosk) and takes the filters of qfilter.h plus --grep, which opens
 * each request to search it (case- and accent-blind). show prints one whole
 * record (recfmt.c) and marks it seen. Text output replaces any control
 * character with '?' even though records are validated, so a crafted record
 * can never drive the social worker's terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safeharbor/termsafe.h"
#include "safeharbor/util.h"
#include "audit_log.h"
#include "jsonw.h"
#include "qfilter.h"
#include "queue.h"
#include "recfmt.h"
#include "textfold.h"
#include "tool.h"
#include "tooltime.h"

#define RECTEXT_MAX (SH_RECORD_SIZE * 4 + 4096)

/* The filters of the command line; dies (exit 2) on a bad one. */
void
tool_filter_from_opts(struct tool_ctx *c, struct qfilter *f)
{
	time_t start, next;

	qfilter_init(f);
	f->open_only = c->o.open_only;
	f->urgent_only = c->o.urgent_only;
	if (c->o.since != NULL) {
		if (tooltime_parse_day(c->o.since, &start, &next) != 0)
			die(TOOL_EXIT_USAGE, "--since %s: not a date (YYYY-MM-DD, a local day)",
			    c->o.since);
		f->since = start;
	}
	if (c->o.until != NULL) {
		if (tooltime_parse_day(c->o.until, &start, &next) != 0)
			die(TOOL_EXIT_USAGE, "--until %s: not a date (YYYY-MM-DD, a local day)",
			    c->o.until);
		f->until = next;         /* the whole day is included */
	}
	if (f->since != 0 && f->until != 0 && f->until <= f->since)
		die(TOOL_EXIT_USAGE, "--since %s is after --until %s", c->o.since, c->o.until);
	if (c->o.kiosk != NULL) {
		if ((f->kiosk = qfilter_kiosk_index(tool_kiosks(c), c->o.kiosk)) < 0)
			die(TOOL_EXIT_USAGE, "--kiosk %s: no enrolled kiosk has this name "
			    "(safeharbor kiosks list)", c->o.kiosk);
	}
}

/* What list shows: filter, then --grep on the opened request. */
struct selection {
	struct qfilter f;
	const char *grep;
	struct record *r;
	char *text;              /* locked */
};

static int
selected(struct tool_ctx *c, const struct queue *q, size_t i, struct selection *s)
{
	const struct queue_item *it = &q->items[i];
	enum sh_status st;
	size_t len;
	int hit;

	if (!qfilter_match(&s->f, it))
		return 0;
	if (s->grep == NULL)
		return 1;
	if (!queue_item_opened(it))
		return 0;
	st = queue_open_item(q, i, &c->unlock, s->r);
	if (st != SH_OK && st != SH_ERR_SIGNATURE)
		return 0;
	len = recfmt_text(c, q, it, s->r, 0, s->text, RECTEXT_MAX);   /* cut: fine for a search */
	hit = textfold_contains(s->text, len, s->grep, strlen(s->grep));
	sodium_memzero(s->text, len);
	record_clear(s->r);
	return hit;
}

static void
list_json(struct tool_ctx *c, const struct queue *q, struct selection *s)
{
	struct jsonw w;
	size_t i;

	jsonw_init(&w, stdout);
	jsonw_begin_array(&w);
	for (i = 0; i < q->nvis; i++) {
		if (!selected(c, q, i, s))
			continue;
		jsonw_begin_object(&w);
		tool_item_json(c, &w, &q->items[i]);
		jsonw_end_object(&w);
	}
	jsonw_end_array(&w);
	if (jsonw_finish(&w) != 0)
		die(TOOL_EXIT_FAIL, "stdout: write error");
}

static void
list_text(struct tool_ctx *c, const struct queue *q, struct selection *s)
{
	char date[TOOLTIME_DATE_MAX], buf[256], rel[SPOOL_NAME_MAX + 8], what[160];
	size_t i, width = IDPREFIX_MIN, shown = 0, overdue = 0;
	time_t now = time(NULL);

	if (q->nvis == 0) {
		termsafe_line(stdout, "No requests in %s.", q->spool);
		return;
	}
	for (i = 0; i < q->nvis; i++)
		if (q->items[i].shortlen > width)
			width = q->items[i].shortlen;
	for (i = 0; i < q->nvis; i++) {
		const struct queue_item *it = &q->items[i];
		char line[512];
		size_t len;

		if (!selected(c, q, i, s))
			continue;
		if (shown++ == 0)
			printf("%-*s  %-10s  %-6s  %-8s  %-7s  %s\n", (int)width, "ID", "RECEIVED",
			       "ABOUT", "DANGER", "STATE", "KIOSK");
		tooltime_date(it->e.mtime, date);
		tool_rel_name(&it->e, rel, sizeof(rel));
		if (!queue_item_opened(it)) {
			snprintf(line, sizeof(line), "%-*s  %-10s  %-6s  %-8s  %-7s  CANNOT OPEN %s: %s",
			         (int)width, "-", date, "-", "-", queue_state_str(it->e.state), rel,
			         queue_item_reason(it, buf, sizeof(buf)));
		} else {
			tool_kiosk_text(c, it, buf, sizeof(buf));
			snprintf(line, sizeof(line), "%-*.*s  %-10s  %-6s  %-8s  %-7s  %s", (int)width,
			         (int)it->shortlen, it->id, date, record_about_str(it->about),
			         recfmt_danger_short(it->danger), queue_state_str(it->e.state), buf);
		}
		len = strlen(line);
		if (queue_item_opened(it) && it->dups > 0)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "  (%zu duplicate cop%s)",
			                        it->dups, it->dups == 1 ? "y" : "ies");
		if (len < sizeof(line) && queue_item_opened(it) && it->conflict)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			                        "  (WARNING: another envelope has the same id)");
		if (len < sizeof(line) && it->e.clash)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			                        "  (WARNING: name clash, %s: both files kept)", rel);
		if (len < sizeof(line) && it->e.sync_conflict)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			                        "  (WARNING: Syncthing conflict copy %s)", rel);
		if (len < sizeof(line) && tool_item_overdue(c, it, now) && ++overdue)
			(void)snprintf(line + len, sizeof(line) - len, "  OVERDUE");
		termsafe_line(stdout, "%s", line);
	}
	if (overdue > 0)
		printf("%zu open request%s OVERDUE: past the follow-up promised to students "
		       "(%u school day%s; urgent ones after an hour)\n", overdue,
		       overdue == 1 ? " is" : "s are", c->follow_up_days,
		       c->follow_up_days == 1 ? "" : "s");
	if (shown == 0) {
		qfilter_describe(&s->f, c->kiosks_loaded ? &c->kiosks : NULL, what, sizeof(what));
		printf("No requests match (%s%s%s).\n", what, s->grep != NULL && what[0] ? ", " : "",
		       s->grep != NULL ? "the search text" : "");
	}
	if (q->nrefused > 0)
		warnx_("%zu envelope%s could not be opened; 'safeharbor verify' lists the problems",
		       q->nrefused, q->nrefused == 1 ? "" : "s");
}

int
cmd_list(struct tool_ctx *c)
{
	struct selection s;
	struct queue q;

	memset(&s, 0, sizeof(s));
	tool_filter_from_opts(c, &s.f);
	s.grep = c->o.grep;
	tool_load_queue(c, &q);
	if (s.grep != NULL && ((s.r = record_new()) == NULL ||
	                       (s.text = sodium_malloc(RECTEXT_MAX)) == NULL))
		die(TOOL_EXIT_FAIL, "out of memory");
	if (c->o.json)
		list_json(c, &q, &s);
	else
		list_text(c, &q, &s);
	record_free(s.r);
	if (s.text != NULL)
		sodium_free(s.text);
	queue_free(&q);
	return TOOL_EXIT_OK;
}

int
cmd_show(struct tool_ctx *c)
{
	struct queue q;
	struct record *r;
	struct jsonw w;
	char buf[256], rel[SPOOL_NAME_MAX + 8], *text;
	size_t idx, len;
	enum sh_status st;
	int was_new;

	tool_load_queue(c, &q);
	idx = tool_resolve(&q, c->o.args[0]);
	if (!queue_item_opened(&q.items[idx])) {
		tool_rel_name(&q.items[idx].e, rel, sizeof(rel));
		die(TOOL_EXIT_FAIL, "%s: %s", rel, queue_item_reason(&q.items[idx], buf, sizeof(buf)));
	}
	if ((r = record_new()) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	/* the trust printed is that of the bytes printed: SH_ERR_CHANGED when
	 * the file was replaced since it was listed */
	st = queue_open_item(&q, idx, &c->unlock, r);
	if (st != SH_OK && st != SH_ERR_SIGNATURE) {
		record_free(r);
		tool_rel_name(&q.items[idx].e, rel, sizeof(rel));
		die(TOOL_EXIT_FAIL, "%s: %s", rel, st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	}
	/* seen, and every copy brought to the same state */
	was_new = q.items[idx].e.state == SPOOL_NEW;
	if ((st = queue_set_state(&q, idx, q.items[idx].e.state == SPOOL_HANDLED ?
	                          SPOOL_HANDLED : SPOOL_SEEN)) != SH_OK)
		warnx_("%s: cannot mark as seen: %s", q.items[idx].e.name,
		       st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	else if (was_new)
		audit_append(c, "seen", q.items[idx].id, NULL);
	if (c->o.json) {
		jsonw_init(&w, stdout);
		jsonw_begin_object(&w);
		tool_record_json(c, &w, &q.items[idx], r);
		jsonw_end_object(&w);
		if (jsonw_finish(&w) != 0) {
			record_free(r);
			die(TOOL_EXIT_FAIL, "stdout: write error");
		}
	} else {
		size_t cap = recfmt_text_max(c, r);

		if (c->memlock_why != NULL && isatty(STDOUT_FILENO))
			warnx_("warning: memory not locked (%s): this request may reach swap",
			       c->memlock_why);

		if ((text = sodium_malloc(cap)) == NULL)
			die(TOOL_EXIT_FAIL, "out of memory");
		/* every word from the spool went through termsafe in recfmt */
		len = recfmt_text(c, &q, &q.items[idx], r, RECFMT_ENVELOPE, text, cap);
		fwrite(text, 1, len, stdout);
		sodium_free(text);
	}
	record_free(r);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
