/*
 * Case work for the commands (casework.h).
 *
 * Decisions:
 * - Items are sealed to the config's `recipients` file (the kiosks' own
 *   recipients file, so a backup reader gets notes too) or, without one,
 *   to her own identities; at least one recipient must be an identity she
 *   holds, or she could not read her own note back. That identity's key
 *   MACs the item.
 * - Items we cannot open, and items written with another key, are never
 *   hidden: one summary on stderr per run, and "written with another key"
 *   beside each such item in show.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "safeharbor/keys.h"
#include "safeharbor/termsafe.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "textbuf.h"
#include "tooltime.h"

#define CASE_WARN_MAX 5          /* refused items named on stderr */

static void
report_refused(const struct casefile *cf)
{
	char buf[256];
	size_t i, bad = cf->n - cf->nopened;

	if (bad == 0)
		return;
	warnx_("warning: %zu case item%s (notes, outcomes) in %s/new could not be opened:",
	       bad, bad == 1 ? "" : "s", cf->dir);
	for (i = cf->nopened; i < cf->n && i < cf->nopened + CASE_WARN_MAX; i++)
		fprintf(stderr, "  %s: %s\n", cf->v[i].name, casefile_reason(&cf->v[i], buf, sizeof(buf)));
	if (bad > CASE_WARN_MAX)
		fprintf(stderr, "  ... and %zu more\n", bad - CASE_WARN_MAX);
}

static const struct casefile *
load_cases(struct tool_ctx *c, int report)
{
	enum sh_status st;

	if (c->cases != NULL)
		return c->cases;
	tool_load_identities(c, 0);
	if ((c->cases = calloc(1, sizeof(*c->cases))) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	if ((st = casefile_init(c->cases, tool_need_spool(c), &c->unlock)) != SH_OK ||
	    (st = casefile_load(c->cases, &c->unlock)) != SH_OK)
		die(TOOL_EXIT_FAIL, "%s: cannot read the case notes: %s", c->cases->dir,
		    c->cases->why != NULL ? c->cases->why :
		    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	if (report)
		report_refused(c->cases);
	return c->cases;
}

const struct casefile *
tool_cases(struct tool_ctx *c)
{
	return load_cases(c, 1);
}

size_t
tool_case_verify(struct tool_ctx *c)
{
	const struct casefile *cf = load_cases(c, 0);
	char buf[256];
	size_t i, problems = 0;

	for (i = 0; i < cf->n; i++) {
		const struct case_entry *e = &cf->v[i];
		const char *sub = e->in_cur ? "cur" : "new";

		if (e->st == SH_ERR_SIGNATURE)
			termsafe_line(stdout, "%s/%s/%s: note: a case item written with a key you do "
			              "not hold (shown with a warning, never counted)", CASEFILE_DIR,
			              sub, e->name);
		else if (e->st != SH_OK && ++problems)
			termsafe_line(stdout, "%s/%s/%s: case item: %s", CASEFILE_DIR, sub, e->name,
			              casefile_reason(e, buf, sizeof(buf)));
	}
	return problems;
}

void
tool_cases_free(struct tool_ctx *c)
{
	if (c->cases == NULL)
		return;
	casefile_free(c->cases);
	free(c->cases);
	c->cases = NULL;
}

/* Which loaded identity is among r (the one whose key MACs new items),
 * or -1. */
static long
mine_among(struct tool_ctx *c, const struct age_recipient *r, size_t nr)
{
	struct age_recipient mine;
	size_t i, j;

	for (i = 0; i < c->unlock.nids; i++) {
		age_identity_recipient(&c->unlock.ids[i], &mine);
		for (j = 0; j < nr; j++)
			if (sodium_memcmp(mine.pk, r[j].pk, sizeof(mine.pk)) == 0)
				return (long)i;
	}
	return -1;
}

size_t
tool_seal_recipients(struct tool_ctx *c, struct age_recipient *r, size_t *nr)
{
	size_t i, line = 0;
	long key;
	enum sh_status st;

	if (c->recipients_path[0] != '\0') {
		st = keys_load_recipients(c->recipients_path, r, KEYS_MAX_RECIPIENTS, nr, &line);
		if (st != SH_OK && line > 0)
			die(TOOL_EXIT_USAGE, "%s:%zu: not an age1... recipient", c->recipients_path, line);
		if (st != SH_OK)
			die(TOOL_EXIT_USAGE, "%s: %s", c->recipients_path,
			    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	} else {
		for (i = 0; i < c->unlock.nids && i < KEYS_MAX_RECIPIENTS; i++)
			age_identity_recipient(&c->unlock.ids[i], &r[i]);
		*nr = i;
	}
	if ((key = mine_among(c, r, *nr)) < 0)
		die(TOOL_EXIT_USAGE, "%s: none of these recipients is your identity, so you could "
		    "not read your own notes; add your key (safeharbor pubkey) to it",
		    c->recipients_path);
	return (size_t)key;
}

size_t
tool_case_rekey(struct tool_ctx *c, const struct age_recipient *r, size_t nr, size_t *failed,
                size_t *foreign)
{
	const struct casefile *cf = tool_cases(c);
	long key = mine_among(c, r, nr);
	size_t i, done = 0;
	enum sh_status st;

	*failed = *foreign = 0;
	if (key < 0)
		return 0;
	for (i = 0; i < cf->nopened; i++) {
		if (cf->v[i].st != SH_OK) {
			(*foreign)++;     /* written with another key: not hers to re-sign */
			continue;
		}
		st = casefile_reseal(cf, i, &c->unlock, r, nr, (size_t)key);
		if (st == SH_OK) {
			done++;
			continue;
		}
		(*failed)++;
		warnx_("%s/new/%s: cannot re-seal the case item: %s (the old one is kept)", cf->dir,
		       cf->v[i].name, st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	}
	tool_cases_free(c);
	return done;
}

enum sh_status
tool_case_try_add(struct tool_ctx *c, const char *request, enum caserec_kind kind, int value,
                  const char *text, size_t len)
{
	struct age_recipient r[KEYS_MAX_RECIPIENTS];
	struct caserec *item;
	size_t nr = 0, key, first, n;
	enum sh_status st;
	time_t now = time(NULL);

	n = casefile_find(tool_cases(c), request, &first);
	/* Times order a request's items (the latest outcome wins): two marks
	 * within one second still keep the order they were made in. */
	if (n > 0 && c->cases->v[first + n - 1].created >= now)
		now = c->cases->v[first + n - 1].created + 1;
	key = tool_seal_recipients(c, r, &nr);
	if ((item = caserec_new()) == NULL)
		return SH_ERR_NOMEM;
	memcpy(item->request, request, SH_RECORD_ID_HEX);
	item->kind = kind;
	item->value = value;
	if (len > 0)
		memcpy(item->text, text, len);
	item->text_len = len;
	item->created = now;
	st = casefile_add(c->cases, r, nr, key, item);
	caserec_free(item);
	/* the index no longer holds every item: read it again when next asked */
	if (st == SH_OK)
		tool_cases_free(c);
	return st;
}

void
tool_case_add(struct tool_ctx *c, const char *request, enum caserec_kind kind, int value,
              const char *text, size_t len)
{
	enum sh_status st = tool_case_try_add(c, request, kind, value, text, len);

	if (st != SH_OK)
		die(TOOL_EXIT_FAIL, "%s/%s: cannot save the %s: %s", c->spool, CASEFILE_DIR,
		    kind == CASE_NOTE ? "note" : caserec_kind_str(kind),
		    st == SH_ERR_IO || st == SH_ERR_NOSPACE ? strerror(errno) : sh_status_str(st));
}

static void
json_summary(struct jsonw *w, const struct case_summary *s)
{
	int i;

	jsonw_kv_string(w, "outcome", s->outcome >= 0 ? caserec_value_str(CASE_OUTCOME, s->outcome)
	                                              : NULL);
	jsonw_key(w, "referred");
	jsonw_begin_array(w);
	for (i = 0; i < REFER_N; i++)
		if (s->referred & (1u << i))
			jsonw_string(w, caserec_value_str(CASE_REFERRED, i));
	jsonw_end_array(w);
	jsonw_kv_int(w, "notes", (long long)s->notes);
}

void
tool_case_json_summary(struct tool_ctx *c, struct jsonw *w, const char *request)
{
	struct case_summary s;

	if (request == NULL || request[0] == '\0') {
		memset(&s, 0, sizeof(s));
		s.outcome = -1;
	} else {
		casefile_summary(tool_cases(c), request, &s);
	}
	json_summary(w, &s);
}

/* Every item of a request, opened again with its text, to fn. */
typedef void (*case_visit)(void *ctx, const struct case_entry *e, const struct caserec *item);

static void
each_item(struct tool_ctx *c, const char *request, case_visit fn, void *ctx)
{
	const struct casefile *cf = tool_cases(c);
	struct caserec *item;
	size_t first, n, i;
	enum sh_status st;

	if ((n = casefile_find(cf, request, &first)) == 0)
		return;
	if ((item = caserec_new()) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	for (i = first; i < first + n; i++) {
		st = casefile_open(cf, i, &c->unlock, item);
		if (st != SH_OK && st != SH_ERR_SIGNATURE) {
			warnx_("%s/new/%s: changed since it was read: %s", cf->dir, cf->v[i].name,
			       st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
			continue;
		}
		fn(ctx, &cf->v[i], item);
	}
	caserec_free(item);
}

static void
json_item(void *ctx, const struct case_entry *e, const struct caserec *item)
{
	struct jsonw *w = ctx;
	char when[32];

	jsonw_begin_object(w);
	tool_iso_time(item->created, when);
	jsonw_kv_string(w, "created", when);
	jsonw_kv_string(w, "kind", caserec_kind_str(item->kind));
	jsonw_kv_string(w, "value", item->kind == CASE_NOTE ? NULL
	                             : caserec_value_str(item->kind, item->value));
	jsonw_key(w, "text");
	if (item->kind == CASE_NOTE)
		jsonw_string_n(w, item->text, item->text_len);
	else
		jsonw_null(w);
	jsonw_kv_bool(w, "verified", e->st == SH_OK);
	jsonw_end_object(w);
}

void
tool_case_json_history(struct tool_ctx *c, struct jsonw *w, const char *request)
{
	jsonw_key(w, "case");
	jsonw_begin_array(w);
	each_item(c, request, json_item, w);
	jsonw_end_array(w);
}

static const char *const kind_titles[CASE_NKINDS] = {
	"note", "outcome", "referred to", "marked"
};

static void
text_item(void *ctx, const struct case_entry *e, const struct caserec *item)
{
	struct textbuf *b = ctx;
	char when[TOOLTIME_LONG_MAX];
	size_t i, from;

	tooltime_long(item->created, when);
	textbuf_puts(b, "  ");
	textbuf_puts(b, when);
	textbuf_puts(b, "  ");
	textbuf_puts(b, kind_titles[item->kind]);
	if (item->kind != CASE_NOTE) {
		textbuf_puts(b, " ");
		textbuf_puts(b, caserec_value_str(item->kind, item->value));
	}
	if (e->st != SH_OK)
		textbuf_puts(b, "  (WARNING: written with another key, not counted)");
	textbuf_puts(b, "\n");
	if (item->kind != CASE_NOTE)
		return;
	/* validated text: no control characters but LF and TAB */
	for (from = i = 0; i <= item->text_len; i++) {
		if (i < item->text_len && item->text[i] != '\n')
			continue;
		if (i > from)
			textbuf_puts(b, "    ");
		textbuf_put(b, item->text + from, i - from);
		textbuf_puts(b, "\n");
		from = i + 1;
	}
}

size_t
tool_case_text(struct tool_ctx *c, const char *request, char *buf, size_t cap)
{
	const struct casefile *cf = tool_cases(c);
	struct textbuf b = { buf, cap, 0 };
	struct case_summary s;
	size_t first;
	int i, any = 0;

	if (cap > 0)
		buf[0] = '\0';
	if (casefile_find(cf, request, &first) == 0)
		return 0;
	casefile_summary(cf, request, &s);
	textbuf_puts(&b, "\nOutcome:      ");
	textbuf_puts(&b, s.outcome >= 0 ? caserec_value_str(CASE_OUTCOME, s.outcome) : "(none yet)");
	textbuf_puts(&b, "\nReferred to:  ");
	for (i = 0; i < REFER_N; i++)
		if (s.referred & (1u << i)) {
			textbuf_puts(&b, any ? ", " : "");
			textbuf_puts(&b, caserec_value_str(CASE_REFERRED, i));
			any = 1;
		}
	textbuf_puts(&b, any ? "\n" : "(nobody)\n");
	textbuf_puts(&b, "\nCase history (oldest first, local time):\n");
	each_item(c, request, text_item, &b);
	return b.len;
}

size_t
tool_case_text_max(struct tool_ctx *c, const char *request)
{
	size_t first, n = casefile_find(tool_cases(c), request, &first);

	/* each line of a note gains a 4-space indent: at worst 5 bytes a byte */
	return 256 + n * (5 * (size_t)CASEREC_TEXT_MAX + 128);
}

struct csv_notes {
	char *buf;
	size_t len, cap;
};

static void
csv_note(void *ctx, const struct case_entry *e, const struct caserec *item)
{
	struct csv_notes *n = ctx;
	char head[64];
	size_t hl, need;
	char *nb;

	if (item->kind != CASE_NOTE || e->st != SH_OK)
		return;
	tooltime_long(item->created, head);
	hl = strlen(head);
	memcpy(head + hl, ": ", 3);
	hl += 2;
	need = n->len + (n->len ? 2 : 0) + hl + item->text_len;
	if (need > n->cap) {
		/* sodium memory: her words, wiped when freed */
		if ((nb = sodium_malloc(need * 2)) == NULL)
			die(TOOL_EXIT_FAIL, "out of memory");
		if (n->buf != NULL) {
			memcpy(nb, n->buf, n->len);
			sodium_free(n->buf);
		}
		n->buf = nb;
		n->cap = need * 2;
	}
	if (n->len) {
		memcpy(n->buf + n->len, "\n\n", 2);
		n->len += 2;
	}
	memcpy(n->buf + n->len, head, hl);
	memcpy(n->buf + n->len + hl, item->text, item->text_len);
	n->len += hl + item->text_len;
}

void
tool_case_csv(struct tool_ctx *c, struct csvw *w, const char *request)
{
	struct case_summary s;
	struct csv_notes notes = { NULL, 0, 0 };
	char refs[64] = "";
	int i;

	casefile_summary(tool_cases(c), request, &s);
	csvw_field(w, s.outcome >= 0 ? caserec_value_str(CASE_OUTCOME, s.outcome) : "");
	for (i = 0; i < REFER_N; i++)
		if (s.referred & (1u << i)) {
			if (refs[0] != '\0')
				strcat(refs, " ");
			strcat(refs, caserec_value_str(CASE_REFERRED, i));
		}
	csvw_field(w, refs);
	each_item(c, request, csv_note, &notes);
	csvw_field_n(w, notes.buf != NULL ? notes.buf : "", notes.len);
	if (notes.buf != NULL)
		sodium_free(notes.buf);
}
