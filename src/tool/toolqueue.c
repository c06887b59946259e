/*
 * The queue as every reading command shares it: loading it (identities
 * first, a progress line on a terminal after a second), resolving an id the
 * user typed, the kiosk a request came from, and the listing fields as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safeharbor/termsafe.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "jsonw.h"
#include "queue.h"
#include "tool.h"

struct progress {
	struct timespec start;
	int tty, shown;
};

static double
elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void
show_progress(void *vctx, size_t done, size_t total)
{
	struct progress *p = vctx;

	if (!p->tty)
		return;
	if (done >= total) {
		if (p->shown)
			fprintf(stderr, "\r\033[K");
		return;
	}
	if (!p->shown && elapsed(&p->start) < 1.0)
		return;
	p->shown = 1;
	fprintf(stderr, "\rsafeharbor: opening envelopes %zu/%zu", done, total);
}

void
tool_load_queue(struct tool_ctx *c, struct queue *q)
{
	struct progress p;
	const char *spool = tool_need_spool(c);
	const struct kiosks *k;
	enum sh_status st;

	tool_load_identities(c, 0);
	k = tool_kiosks(c);
	memset(&p, 0, sizeof(p));
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	p.tty = isatty(STDERR_FILENO);
	st = queue_load(q, spool, &c->unlock, k, show_progress, &p);
	if (st != SH_OK)
		tool_queue_die(q, spool, st);
}

void
tool_queue_die(const struct queue *q, const char *spool, enum sh_status st)
{
	if (q->why != NULL)
		die(TOOL_EXIT_FAIL, "%s: refusing this spool: %s", spool, q->why);
	die(st == SH_ERR_NOT_FOUND ? TOOL_EXIT_USAGE : TOOL_EXIT_FAIL, "%s: %s", spool,
	    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
}

size_t
tool_resolve(const struct queue *q, const char *arg)
{
	size_t idx = 0, cand[IDPREFIX_MAX_CANDIDATES], ncand = 0, i;
	const struct queue_item *it;

	switch (queue_resolve(q, arg, &idx, cand, IDPREFIX_MAX_CANDIDATES, &ncand)) {
	case IDPREFIX_FOUND:
		return idx;
	case IDPREFIX_INVALID:
		die(TOOL_EXIT_USAGE, "%s: not a request id (hex digits, as 'safeharbor list' "
		    "shows them)", arg);
	case IDPREFIX_UNKNOWN:
		die(TOOL_EXIT_FAIL, "%s: no such request", arg);
	case IDPREFIX_AMBIGUOUS:
		break;
	}
	termsafe_line(stderr, "safeharbor: %s: ambiguous id, %zu requests match:", arg, ncand);
	for (i = 0; i < ncand && i < IDPREFIX_MAX_CANDIDATES; i++) {
		it = &q->items[cand[i]];
		termsafe_line(stderr, "  %s  %s  %s  %s", it->id, it->created,
		              record_about_str(it->about), it->e.name);
	}
	if (ncand > IDPREFIX_MAX_CANDIDATES)
		fprintf(stderr, "  ... and %zu more\n", ncand - IDPREFIX_MAX_CANDIDATES);
	die(TOOL_EXIT_FAIL, "%s: give more digits of the id", arg);
}

const char *
tool_kiosk_name(struct tool_ctx *c, const struct queue_item *it)
{
	if (it->kiosk < 0 || !c->kiosks_loaded || (size_t)it->kiosk >= c->kiosks.n)
		return NULL;
	return c->kiosks.v[it->kiosk].name;
}

void
tool_iso_time(time_t t, char out[32])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		memcpy(out, "?", 2);
}

void
tool_rel_name(const struct spool_entry *e, char *out, size_t size)
{
	if (util_snprintf(out, size, "%s/%s", e->in_cur ? "cur" : "new", e->name) != 0 && size > 0)
		out[size - 1] = '\0';
}

/* Kiosk column / line: name, or why the record is flagged. */
void
tool_kiosk_text(struct tool_ctx *c, const struct queue_item *it, char *out, size_t size)
{
	const char *name = tool_kiosk_name(c, it);
	char key[KEYS_KIOSK_STRLEN + 1];

	if (it->st == SH_ERR_SIGNATURE) {
		util_snprintf(out, size, "WARNING: not from an enrolled kiosk (bad signature)");
		return;
	}
	if (name != NULL) {
		util_snprintf(out, size, "%s", name);
		return;
	}
	keys_kiosk_format(it->kiosk_pk, key);
	util_snprintf(out, size, "WARNING: not from an enrolled kiosk (%.20s...)", key);
}

void
tool_item_json(struct tool_ctx *c, struct jsonw *w, const struct queue_item *it)
{
	char buf[256], key[KEYS_KIOSK_STRLEN + 1], when[32];
	int opened = queue_item_opened(it);
	const char *name = opened ? tool_kiosk_name(c, it) : NULL;

	if (opened) {
		jsonw_kv_string(w, "id", it->id);
		memcpy(buf, it->id, it->shortlen);
		buf[it->shortlen] = '\0';
		jsonw_kv_string(w, "short_id", buf);
	} else {
		jsonw_kv_string(w, "id", NULL);
		jsonw_kv_string(w, "short_id", NULL);
	}
	tool_rel_name(&it->e, buf, sizeof(buf));
	jsonw_kv_string(w, "file", buf);
	tool_iso_time(it->e.mtime, when);
	jsonw_kv_string(w, "received", when);
	jsonw_kv_string(w, "state", queue_state_str(it->e.state));
	jsonw_kv_string(w, "status", opened ? "ok" : "refused");
	jsonw_kv_string(w, "error", opened ? NULL : queue_item_reason(it, buf, sizeof(buf)));
	jsonw_kv_string(w, "created", opened ? it->created : NULL);
	jsonw_kv_string(w, "about", opened ? record_about_str(it->about) : NULL);
	jsonw_kv_string(w, "danger", opened ? record_danger_str(it->danger) : NULL);
	jsonw_kv_bool(w, "urgent", opened && it->danger == RECORD_DANGER_YES);
	if (opened)
		keys_kiosk_format(it->kiosk_pk, key);
	jsonw_kv_string(w, "kiosk", opened ? key : NULL);
	jsonw_kv_string(w, "kiosk_name", name);
	jsonw_kv_bool(w, "signature_ok", it->st == SH_OK);
	jsonw_kv_bool(w, "enrolled", queue_item_trusted(it));
	jsonw_kv_int(w, "duplicates", (long long)it->dups);
	jsonw_kv_bool(w, "id_conflict", it->conflict);
	jsonw_kv_bool(w, "overdue", tool_item_overdue(c, it, time(NULL)));
	tool_case_json_summary(c, w, opened ? it->id : NULL);
}

void
tool_record_json(struct tool_ctx *c, struct jsonw *w, const struct queue_item *it,
                   const struct record *r)
{
	static const char *const keys[RECORD_NFIELDS] = {
		"name", "grade", "teacher", "best_time", "contact_way", "friend_name",
		"friend_grade"
	};
	int f;

	tool_item_json(c, w, it);
	jsonw_kv_string(w, "language", r->language);
	for (f = 0; f < RECORD_NFIELDS; f++)
		jsonw_kv_string(w, keys[f], r->field[f]);
	jsonw_key(w, "message");
	jsonw_string_n(w, r->message, r->message_len);
	tool_case_json_history(c, w, it->id);
}

