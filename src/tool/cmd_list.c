/*
 * list and show, and the queue loading every reading command shares.
 * list shows no student words (ids, dates, About, Danger, state, kiosk);
 * show prints one whole record and marks it seen. Text output replaces any
 * control character with '?' even though records are validated, so a
 * crafted record can never drive the social worker's terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safeharbor/jsonw.h"
#include "safeharbor/queue.h"
#include "safeharbor/termsafe.h"
#include "safeharbor/tool.h"
#include "safeharbor/util.h"
#include "casework.h"

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

static void
local_date(time_t t, char out[16])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		memcpy(out, "?", 2);
}

static const char *
danger_label(enum record_danger d)
{
	switch (d) {
	case RECORD_DANGER_YES: return "URGENT";
	case RECORD_DANGER_UNSURE: return "not sure";
	case RECORD_DANGER_NO: return "no";
	}
	return "?";
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
	tool_case_json_summary(c, w, opened ? it->id : NULL);
}

static int
list_json(struct tool_ctx *c, const struct queue *q)
{
	struct jsonw w;
	size_t i;

	jsonw_init(&w, stdout);
	jsonw_begin_array(&w);
	for (i = 0; i < q->nvis; i++) {
		jsonw_begin_object(&w);
		tool_item_json(c, &w, &q->items[i]);
		jsonw_end_object(&w);
	}
	jsonw_end_array(&w);
	if (jsonw_finish(&w) != 0)
		die(TOOL_EXIT_FAIL, "stdout: write error");
	return TOOL_EXIT_OK;
}

static int
list_text(struct tool_ctx *c, const struct queue *q)
{
	char date[16], buf[256], rel[SPOOL_NAME_MAX + 8];
	size_t i, width = IDPREFIX_MIN;

	if (q->nvis == 0) {
		termsafe_line(stdout, "No requests in %s.", q->spool);
		return TOOL_EXIT_OK;
	}
	for (i = 0; i < q->nvis; i++)
		if (q->items[i].shortlen > width)
			width = q->items[i].shortlen;
	printf("%-*s  %-10s  %-6s  %-8s  %-7s  %s\n", (int)width, "ID", "RECEIVED", "ABOUT",
	       "DANGER", "STATE", "KIOSK");
	for (i = 0; i < q->nvis; i++) {
		const struct queue_item *it = &q->items[i];
		char line[512];
		size_t len;

		local_date(it->e.mtime, date);
		tool_rel_name(&it->e, rel, sizeof(rel));
		if (!queue_item_opened(it)) {
			snprintf(line, sizeof(line), "%-*s  %-10s  %-6s  %-8s  %-7s  CANNOT OPEN %s: %s",
			         (int)width, "-", date, "-", "-", queue_state_str(it->e.state), rel,
			         queue_item_reason(it, buf, sizeof(buf)));
		} else {
			tool_kiosk_text(c, it, buf, sizeof(buf));
			snprintf(line, sizeof(line), "%-*.*s  %-10s  %-6s  %-8s  %-7s  %s", (int)width,
			         (int)it->shortlen, it->id, date, record_about_str(it->about),
			         danger_label(it->danger), queue_state_str(it->e.state), buf);
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
			(void)snprintf(line + len, sizeof(line) - len,
			               "  (WARNING: Syncthing conflict copy %s)", rel);
		termsafe_line(stdout, "%s", line);
	}
	if (q->nrefused > 0)
		warnx_("%zu envelope%s could not be opened; 'safeharbor verify' lists the problems",
		       q->nrefused, q->nrefused == 1 ? "" : "s");
	return TOOL_EXIT_OK;
}

int
cmd_list(struct tool_ctx *c)
{
	struct queue q;
	int rc;

	tool_load_queue(c, &q);
	rc = c->o.json ? list_json(c, &q) : list_text(c, &q);
	queue_free(&q);
	return rc;
}

/* A field or message: every byte that could act on the terminal made
 * visible (LF and TAB kept in the message). */
static void
print_clean(const char *s, size_t len)
{
	termsafe_write(stdout, s, len, TERMSAFE_MULTILINE);
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

static void
print_case(struct tool_ctx *c, const char *id)
{
	size_t cap = tool_case_text_max(c, id), len;
	char *buf = sodium_malloc(cap);

	if (buf == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	len = tool_case_text(c, id, buf, cap);
	fwrite(buf, 1, len, stdout);
	sodium_free(buf);
}

static void
show_text(struct tool_ctx *c, const struct queue *q, const struct queue_item *it,
          const struct record *r)
{
	char buf[256], key[KEYS_KIOSK_STRLEN + 1], when[32];
	const char *name = tool_kiosk_name(c, it);
	int f;

	tool_iso_time(it->e.mtime, when);
	printf("Id:           %s\n", r->id);
	printf("Created:      %s\n", r->created);
	printf("Received:     %s\n", when);
	printf("About:        %s\n", record_about_str(r->about));
	printf("Danger:       %s%s\n", record_danger_str(r->danger),
	       r->danger == RECORD_DANGER_YES ? "  (URGENT: the student said they are in danger now)" : "");
	printf("Language:     %s\n", r->language);
	keys_kiosk_format(r->kiosk_pk, key);
	if (it->st == SH_ERR_SIGNATURE)
		printf("Kiosk:        %s\n              WARNING: not from an enrolled kiosk: the "
		       "signature does not verify (forged or damaged)\n", key);
	else if (name == NULL)
		printf("Kiosk:        %s\n              WARNING: not from an enrolled kiosk: signed by "
		       "a key that is not enrolled (safeharbor kiosks add NAME KEY)\n", key);
	else
		printf("Kiosk:        %s (%s, signature verified)\n", name, key);
	tool_rel_name(&it->e, buf, sizeof(buf));
	termsafe_line(stdout, "Envelope:     %s/%s", q->spool, buf);
	printf("State:        %s\n", queue_state_str(it->e.state));
	if (it->dups > 0)
		printf("Copies:       %zu more envelope%s with this record\n", it->dups,
		       it->dups == 1 ? "" : "s");
	if (it->conflict)
		printf("WARNING:      another envelope carries the same id with different content\n");
	if (it->e.clash)
		printf("WARNING:      another file in the spool has the same name (both kept)\n");
	if (it->e.sync_conflict)
		printf("WARNING:      a Syncthing conflict copy: two peers wrote this name\n");
	for (f = 0; f < RECORD_NFIELDS; f++) {
		if (r->field[f][0] == '\0')
			continue;
		const char *fn = record_field_name((enum record_field)f);
		int pad = 13 - (int)strlen(fn);

		printf("%s:%*s", fn, pad < 1 ? 1 : pad, "");
		termsafe_puts(stdout, r->field[f]);
		putchar('\n');
	}
	if (r->message_len == 0)
		printf("\nMessage:      (none)\n");
	else {
		size_t i, chars = 0;

		for (i = 0; i < r->message_len; i++)
			chars += ((unsigned char)r->message[i] & 0xC0) != 0x80;
		printf("\nMessage (%zu character%s):\n", chars, chars == 1 ? "" : "s");
		print_clean(r->message, r->message_len);
		if (r->message[r->message_len - 1] != '\n')
			putchar('\n');
	}
	print_case(c, r->id);
}

int
cmd_show(struct tool_ctx *c)
{
	struct queue q;
	struct record *r;
	struct jsonw w;
	char buf[256], rel[SPOOL_NAME_MAX + 8];
	size_t idx;
	enum sh_status st;

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
	if ((st = queue_set_state(&q, idx, q.items[idx].e.state == SPOOL_HANDLED ?
	                          SPOOL_HANDLED : SPOOL_SEEN)) != SH_OK)
		warnx_("%s: cannot mark as seen: %s", q.items[idx].e.name,
		       st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
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
		show_text(c, &q, &q.items[idx], r);
	}
	record_free(r);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
