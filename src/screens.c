/*
 * Screen text files (format: screens/README).
 *
 * Decisions: the format is tiny on purpose (header "key: value" lines, a
 * "---" line, then the body) so a school can edit it in any editor. Each
 * file has a spec here: which keys it takes, how often, how wide each may
 * be, which placeholders it may use, and how many lines its body may wrap
 * to, so that a file that loads also fits the 80x24 layout of ui_draw.c.
 * Everything wrong is reported with file and line; nothing is fixed up
 * silently.
 *
 * Non-goals: no markup beyond paragraphs and "- " list items; no curses.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "safeharbor/fileio.h"
#include "safeharbor/screens.h"
#include "safeharbor/textfield.h"

#define PH_NONE 0u
#define PH_FOLLOW_UP 0x1u
#define PH_SECONDS 0x2u
#define PH_COUNT 0x4u
#define PH_MAX 0x8u
#define PH_READERS 0x10u

struct key_spec {
	const char *key;
	unsigned min, max;      /* how many times it may appear */
	unsigned cols;          /* widest it may be, after expansion */
	unsigned ph;            /* placeholders allowed */
};

struct file_spec {
	const char *name;
	int body;               /* 1 required, 0 forbidden */
	unsigned body_lines;    /* at most, wrapped at body_cols */
	unsigned body_cols;
	unsigned body_ph;
	struct key_spec keys[32];
};

#define HELP(k) { k, 1, 1, 22, PH_NONE }
#define TITLE { "title", 1, 1, 70, PH_NONE }
#define OPTS(n) { "option", n, n, 66, PH_NONE }
#define LABEL(k) { k, 1, 1, 26, PH_NONE }
/* A line drawn above the body (flow_lead_key), wrapped: lines * 76 cols */
#define LEAD(k, lines, ph) { k, 1, 1, (lines) * SCREENS_TEXT_COLS - 8, ph }

static const struct file_spec specs[SCREENS_N] = {
	[SCREENS_COMMON] = { "common", 0, 0, 0, 0, {
		{ "language", 1, 1, 20, PH_NONE },
		HELP("help-quick-exit"), HELP("help-language"), HELP("help-choose"),
		HELP("help-back"), HELP("help-move"), HELP("help-next-field"),
		HELP("help-prev-field"), HELP("help-anonymous"), HELP("help-newline"),
		HELP("help-buttons"), { "help-press", 0, 1, 22, PH_NONE }, HELP("help-ok"), HELP("help-start-over"),
		{ "button-next", 1, 1, 14, PH_NONE },
		{ "button-back", 1, 1, 14, PH_NONE },
		{ "not-given", 1, 1, 20, PH_NONE },
		{ "sending", 1, 1, 60, PH_NONE },
		{ "full", 1, 1, 60, PH_NONE },
		{ "follow-up", 0, 1, 40, PH_NONE },
		{ "readers", 1, 1, SCREENS_READERS_COLS, PH_NONE },
		HELP("help-contact"), HELP("help-next"), { "help-more-time", 1, 1, 30, PH_NONE },
	} },
	[SCREENS_WELCOME] = { "welcome", 1, 16, SCREENS_TEXT_COLS, PH_READERS, { TITLE } },
	[SCREENS_ABOUT] = { "about", 1, 12, SCREENS_TEXT_COLS, PH_NONE, { TITLE, OPTS(4) } },
	[SCREENS_INFO] = { "info", 1, 13, SCREENS_TEXT_COLS, PH_READERS, { TITLE, OPTS(3) } },
	[SCREENS_DANGER] = { "danger", 1, 9, SCREENS_TEXT_COLS, PH_NONE, {
		TITLE, OPTS(3),
		LEAD("ask-self", 2, PH_NONE), LEAD("ask-friend", 2, PH_NONE), LEAD("ask-info", 2, PH_NONE),
	} },
	[SCREENS_HELP] = { "help", 1, 12, SCREENS_TEXT_COLS, PH_NONE, {
		TITLE, OPTS(1),
		LEAD("lead-urgent", 2, PH_NONE), LEAD("lead-unsure", 2, PH_NONE),
	} },
	[SCREENS_REACH] = { "reach", 1, 4, SCREENS_TEXT_COLS, PH_NONE, {
		TITLE, { "title-friend", 1, 1, 70, PH_NONE }, LEAD("lead-friend", 1, PH_NONE),
		{ "button-anon", 1, 1, 30, PH_NONE },
		LABEL("label-name"), LABEL("label-grade"), LABEL("label-teacher"),
		LABEL("label-best-time"), LABEL("label-contact-way"),
		LABEL("label-friend-name"), LABEL("label-friend-grade"),
		{ "contact", 1, 8, 36, PH_NONE },
		{ "contact-none", 1, 1, 40, PH_NONE },
	} },
	[SCREENS_MESSAGE] = { "message", 1, 4, SCREENS_TEXT_COLS, PH_NONE, {
		TITLE, { "title-question", 1, 1, 70, PH_NONE }, LEAD("lead-question", 2, PH_NONE),
		{ "title-reply", 1, 1, 70, PH_NONE }, LEAD("lead-reply", 3, PH_NONE),
		{ "need-reply", 1, 1, 76, PH_NONE },
		{ "limit", 1, 1, 40, PH_COUNT | PH_MAX },
	} },
	[SCREENS_REVIEW] = { "review", 1, 3, SCREENS_TEXT_COLS, PH_READERS, {
		TITLE, OPTS(3),
		LABEL("label-about"), LABEL("label-danger"), LABEL("label-message"),
		LABEL("label-question"),
		{ "no-name", 1, 1, SCREENS_TEXT_COLS, PH_NONE },
		{ "about-self", 1, 1, 44, PH_NONE },
		{ "about-friend", 1, 1, 44, PH_NONE },
		{ "about-info", 1, 1, 44, PH_NONE },
		{ "about-reply", 1, 1, 44, PH_NONE },
		{ "danger-yes", 1, 1, 44, PH_NONE },
		{ "danger-no", 1, 1, 44, PH_NONE },
		{ "danger-unsure", 1, 1, 44, PH_NONE },
		{ "message-count", 1, 1, 44, PH_COUNT | PH_MAX },
	} },
	[SCREENS_SENT] = { "sent", 1, 9, SCREENS_TEXT_COLS, PH_SECONDS | PH_READERS, {
		TITLE, LEAD("next", 3, PH_FOLLOW_UP), LEAD("next-urgent", 3, PH_FOLLOW_UP),
		{ "code-label", 1, 1, 24, PH_NONE }, LEAD("code-keep", 3, PH_FOLLOW_UP),
	} },
	[SCREENS_NOTSENT] = { "notsent", 1, 12, SCREENS_TEXT_COLS, PH_NONE, { TITLE, OPTS(2) } },
	[SCREENS_TIMEOUT] = { "timeout", 1, 6, SCREENS_BOX_COLS, PH_SECONDS, {
		{ "title", 1, 1, SCREENS_BOX_COLS, PH_NONE },
	} },
	[SCREENS_ADMIN] = { "admin", 1, 6, SCREENS_TEXT_COLS, PH_NONE, {
		TITLE,
		{ "prompt", 1, 1, 30, PH_NONE },
		{ "wrong", 1, 1, 76, PH_SECONDS },
		{ "wrong-again", 0, 1, 76, PH_NONE },
		{ "wait", 1, 1, 76, PH_SECONDS },
		{ "unset", 1, 1, 76, PH_NONE },
	} },
	[SCREENS_SMALL] = { "small", 1, 6, SCREENS_SMALL_COLS, PH_NONE, { { NULL, 0, 0, 0, 0 } } },
	[SCREENS_CHANGE] = { "change", 1, 8, SCREENS_TEXT_COLS, PH_NONE, { TITLE, OPTS(4) } },
	[SCREENS_CANCEL] = { "cancel", 1, 8, SCREENS_TEXT_COLS, PH_NONE, { TITLE, OPTS(2) } },
	[SCREENS_CANCELLED] = { "cancelled", 1, 10, SCREENS_TEXT_COLS, PH_SECONDS, { TITLE } },
	[SCREENS_CODE] = { "code", 1, 6, SCREENS_TEXT_COLS, PH_NONE, {
		TITLE, LABEL("prompt"),
		{ "checking", 1, 1, 60, PH_NONE },
		LEAD("malformed", 2, PH_NONE),
	} },
	[SCREENS_ANSWER] = { "answer", 1, 2, SCREENS_TEXT_COLS, PH_NONE, { TITLE, OPTS(2) } },
	[SCREENS_NOANSWER] = { "noanswer", 1, 10, SCREENS_TEXT_COLS, PH_NONE, { TITLE, OPTS(2) } },
};

/* Words a passer-by must not read in a title (SPEC §1). */
static const char *const forbidden_in_titles[] = {
	"traffick", "tráfico", "trafico", "trata de", "trata ", "explota",
};

struct entry {
	char *key;
	char *value;
	unsigned line;
};

struct sfile {
	struct entry e[SCREENS_MAX_VALUES];
	size_t n;
	char *body;                /* normalized, NUL-terminated */
};

struct screens {
	struct sfile f[SCREENS_N];
};

struct screens *
screens_new(void)
{
	return calloc(1, sizeof(struct screens));
}

static void
sfile_clear(struct sfile *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->e[i].key);
		free(f->e[i].value);
	}
	free(f->body);
	memset(f, 0, sizeof *f);
}

void
screens_free(struct screens *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < SCREENS_N; i++)
		sfile_clear(&s->f[i]);
	free(s);
}

const char *
screens_file_name(enum screens_id id)
{
	return (unsigned)id < SCREENS_N ? specs[id].name : "";
}

const char *
screens_get(const struct screens *s, enum screens_id id, const char *key, size_t idx)
{
	size_t i;

	if (s == NULL || (unsigned)id >= SCREENS_N)
		return "";
	for (i = 0; i < s->f[id].n; i++)
		if (strcmp(s->f[id].e[i].key, key) == 0 && idx-- == 0)
			return s->f[id].e[i].value;
	return "";
}

size_t
screens_count(const struct screens *s, enum screens_id id, const char *key)
{
	size_t i, n = 0;

	if (s == NULL || (unsigned)id >= SCREENS_N)
		return 0;
	for (i = 0; i < s->f[id].n; i++)
		if (strcmp(s->f[id].e[i].key, key) == 0)
			n++;
	return n;
}

const char *
screens_follow_up(const struct screens *s, const char *config_value)
{
	const char *v = screens_get(s, SCREENS_COMMON, "follow-up", 0);

	return *v != '\0' ? v : config_value;
}

const char *
screens_readers(const struct screens *s, const char *config_value)
{
	if (config_value != NULL && *config_value != '\0')
		return config_value;
	return screens_get(s, SCREENS_COMMON, "readers", 0);
}

const char *
screens_body(const struct screens *s, enum screens_id id)
{
	if (s == NULL || (unsigned)id >= SCREENS_N || s->f[id].body == NULL)
		return "";
	return s->f[id].body;
}

int
screens_expand(const char *tmpl, const struct screens_var *vars, size_t nvars,
               char *out, size_t outsize)
{
	size_t o = 0, i, n;
	const char *p = tmpl, *end;

	if (outsize == 0)
		return -1;
	while (*p) {
		if (*p == '{' && (end = strchr(p, '}')) != NULL) {
			for (i = 0; i < nvars; i++) {
				n = strlen(vars[i].name);
				if ((size_t)(end - p - 1) == n && strncmp(p + 1, vars[i].name, n) == 0)
					break;
			}
			if (i == nvars) {
				out[o] = '\0';
				return -1;
			}
			n = strlen(vars[i].value);
			if (o + n >= outsize) {
				out[o] = '\0';
				return -1;
			}
			memcpy(out + o, vars[i].value, n);
			o += n;
			p = end + 1;
			continue;
		}
		if (o + 1 >= outsize) {
			out[o] = '\0';
			return -1;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
	return 0;
}

/* Wrap one paragraph; returns lines. */
static size_t
wrap_para(const char *s, size_t len, unsigned width, unsigned indent,
          screens_line_fn fn, void *ctx)
{
	size_t pos = 0, start = 0, brk = 0, col = 0, lines = 0, adv;
	unsigned first = 1, ind = 0, avail = width;
	int havebrk = 0;
	uint32_t cp;

	if (len == 0) {
		if (fn)
			fn(ctx, s, 0, 0);
		return 1;
	}
	while (pos < len) {
		adv = textfield_utf8_decode(s + pos, len - pos, &cp);
		if (adv == 0) {
			adv = 1;
			cp = '?';
		}
		unsigned w = textfield_cp_width(cp);
		if (col + w > avail && col > 0) {
			size_t cut = havebrk ? brk : pos;
			size_t linelen = cut - start;
			while (linelen > 0 && s[start + linelen - 1] == ' ')
				linelen--;
			if (fn)
				fn(ctx, s + start, linelen, ind);
			lines++;
			if (first) {
				first = 0;
				ind = indent;
				avail = width > indent ? width - indent : 1;
			}
			start = cut;
			while (start < len && s[start] == ' ')
				start++;
			if (start > pos)
				pos = start;
			col = textfield_str_width(s + start, pos - start);
			havebrk = 0;
			continue;
		}
		col += w;
		pos += adv;
		if (cp == ' ') {
			brk = pos;
			havebrk = 1;
		}
	}
	if (start < len) {
		if (fn)
			fn(ctx, s + start, len - start, ind);
		lines++;
	}
	return lines;
}

size_t
screens_wrap(const char *text, unsigned width, screens_line_fn fn, void *ctx)
{
	size_t lines = 0, len;
	const char *p = text, *nl;

	if (width == 0)
		width = 1;
	while (*p) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		lines += wrap_para(p, len, width, (len >= 2 && p[0] == '-' && p[1] == ' ') ? 2 : 0,
		                   fn, ctx);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return lines;
}

/* --- loading --- */

struct parse {
	const char *name;
	screens_report rep;
	void *ctx;
	int errors;
};

static void problem(struct parse *ps, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct parse *ps, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ps->errors++;
	if (ps->rep != NULL)
		ps->rep(ps->ctx, ps->name, line, msg);
}

/* Placeholders in s must be among those allowed. */
static void
check_placeholders(struct parse *ps, unsigned line, const char *s, unsigned allowed)
{
	static const struct { const char *name; unsigned bit; } known[] = {
		{ "follow_up", PH_FOLLOW_UP }, { "seconds", PH_SECONDS },
		{ "count", PH_COUNT }, { "max", PH_MAX }, { "readers", PH_READERS },
	};
	const char *p = s, *end;
	char name[32];
	size_t i, n;

	while ((p = strpbrk(p, "{}")) != NULL) {
		if (*p == '}' || (end = strchr(p, '}')) == NULL) {
			problem(ps, line, "unmatched brace: write placeholders as {name}");
			return;
		}
		n = (size_t)(end - p - 1);
		snprintf(name, sizeof name, "%.*s", (int)(n < 31 ? n : 31), p + 1);
		for (i = 0; i < sizeof known / sizeof known[0]; i++)
			if (n == strlen(known[i].name) && strncmp(p + 1, known[i].name, n) == 0)
				break;
		if (i == sizeof known / sizeof known[0] || (known[i].bit & allowed) == 0)
			problem(ps, line, "placeholder {%s} is not used here", name);
		p = end + 1;
	}
}

static void
sample_expand(const char *s, const char *follow_up, char *out, size_t outsize)
{
	const struct screens_var vars[] = {
		{ "follow_up", follow_up != NULL && *follow_up ? follow_up : "2 school days" },
		{ "seconds", "300" }, { "count", "2000" }, { "max", "2000" },
		/* the widest config readers may be */
		{ "readers", "the school social worker and the district social worker team" },
	};
	if (screens_expand(s, vars, sizeof vars / sizeof vars[0], out, outsize) != 0)
		snprintf(out, outsize, "%s", s);
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i, j;

	for (i = 0; hay[i]; i++) {
		for (j = 0; j < n && hay[i + j]; j++) {
			char a = hay[i + j], b = needle[j];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (a != b)
				break;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Check a whole file for encoding problems; report the first per line. */
static int
check_bytes(struct parse *ps, const char *text, size_t len)
{
	size_t pos = 0, n;
	unsigned line = 1, badline = 0;
	uint32_t cp;
	int bad = 0;

	while (pos < len) {
		n = textfield_utf8_decode(text + pos, len - pos, &cp);
		if (n == 0) {
			if (badline != line)
				problem(ps, line, "not valid UTF-8");
			badline = line;
			bad = 1;
			pos++;
			continue;
		}
		if (cp == '\n') {
			line++;
		} else if (cp == '\r' && pos + 1 < len && text[pos + 1] == '\n') {
			/* CRLF from a Windows editor is fine */
		} else if (cp == '\t') {
			if (badline != line)
				problem(ps, line, "tab character: use spaces");
			badline = line;
			bad = 1;
		} else if (!textfield_char_ok(cp, 0) || cp == 0xfeff) {
			if (cp == 0xfeff && pos == 0) {
				pos += n;
				continue;
			}
			if (badline != line)
				problem(ps, line, "control or invisible character");
			badline = line;
			bad = 1;
		}
		pos += n;
	}
	return bad;
}

static const struct key_spec *
find_key(const struct file_spec *sp, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof sp->keys / sizeof sp->keys[0] && sp->keys[i].key != NULL; i++)
		if (strcmp(sp->keys[i].key, key) == 0)
			return &sp->keys[i];
	return NULL;
}

static int
append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap + n + 1) * 2;
		char *nb = realloc(*buf, nc);
		if (nb == NULL)
			return -1;
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

enum sh_status
screens_parse(struct screens *s, enum screens_id id, const char *name,
              const char *text, size_t len, const char *follow_up,
              screens_report rep, void *ctx)
{
	const struct file_spec *sp;
	struct parse ps = { name, rep, ctx, 0 };
	struct sfile *f;
	size_t pos = 0, blen = 0, bcap = 0, i;
	unsigned line = 0, body_line = 0, last_line = 0;
	int in_body = 0, para_open = 0, pending_blank = 0;
	char *body = NULL;
	char exp[4096];

	if (s == NULL || (unsigned)id >= SCREENS_N)
		return SH_ERR_USAGE;
	sp = &specs[id];
	f = &s->f[id];
	sfile_clear(f);
	if (len > SCREENS_FILE_MAX) {
		problem(&ps, 0, "file is too large");
		return SH_ERR_TOO_LARGE;
	}
	if (memchr(text, '\0', len) != NULL) {
		problem(&ps, 0, "file holds a NUL byte");
		return SH_ERR_FORMAT;
	}
	if (check_bytes(&ps, text, len))
		return SH_ERR_FORMAT;
	if (id != SCREENS_COMMON && *screens_get(s, SCREENS_COMMON, "follow-up", 0) != '\0')
		follow_up = screens_get(s, SCREENS_COMMON, "follow-up", 0);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	if ((body = malloc(1)) == NULL)
		return SH_ERR_NOMEM;
	body[0] = '\0';
	bcap = 1;
	while (pos < len) {
		const char *ln = text + pos, *nl = memchr(ln, '\n', len - pos);
		size_t ll = nl != NULL ? (size_t)(nl - ln) : len - pos;
		pos += ll + (nl != NULL ? 1 : 0);
		line++;
		if (ll > 0 && ln[ll - 1] == '\r')
			ll--;
		while (ll > 0 && ln[ll - 1] == ' ')
			ll--;
		if (ll > 0 && ln[0] == '#')
			continue;
		if (!in_body) {
			const char *colon;
			char key[64];
			const struct key_spec *ks;
			size_t kl, vs;
			if (ll == 0)
				continue;
			if (ll == 3 && memcmp(ln, "---", 3) == 0) {
				in_body = 1;
				body_line = line;
				if (!sp->body)
					problem(&ps, line, "this file has no body: remove the \"---\" line");
				continue;
			}
			colon = memchr(ln, ':', ll);
			kl = colon != NULL ? (size_t)(colon - ln) : 0;
			for (i = 0; i < kl; i++)
				if (!((ln[i] >= 'a' && ln[i] <= 'z') || (ln[i] >= '0' && ln[i] <= '9') || ln[i] == '-'))
					break;
			if (colon == NULL || kl == 0 || i < kl || kl >= sizeof key) {
				problem(&ps, line, "expected \"key: value\" or \"---\"");
				continue;
			}
			memcpy(key, ln, kl);
			key[kl] = '\0';
			if ((ks = find_key(sp, key)) == NULL) {
				problem(&ps, line, "unknown key \"%s\"", key);
				continue;
			}
			vs = kl + 1;
			while (vs < ll && ln[vs] == ' ')
				vs++;
			if (vs >= ll) {
				problem(&ps, line, "\"%s\" has no text", key);
				continue;
			}
			if (screens_count(s, id, key) >= ks->max) {
				problem(&ps, line, ks->max == 1 ? "\"%s\" given twice" : "too many \"%s\" lines", key);
				continue;
			}
			if (f->n >= SCREENS_MAX_VALUES) {
				problem(&ps, line, "too many lines");
				continue;
			}
			f->e[f->n].key = xstrndup(key, kl);
			f->e[f->n].value = xstrndup(ln + vs, ll - vs);
			f->e[f->n].line = line;
			if (f->e[f->n].key == NULL || f->e[f->n].value == NULL) {
				free(body);
				f->n++;
				return SH_ERR_NOMEM;
			}
			check_placeholders(&ps, line, f->e[f->n].value, ks->ph);
			sample_expand(f->e[f->n].value, follow_up, exp, sizeof exp);
			if (textfield_str_width(exp, strlen(exp)) > ks->cols) {
				problem(&ps, line, "\"%s\" is too long for the screen (at most %u columns)",
				        key, ks->cols);
			}
			if (strcmp(key, "title") == 0)
				for (i = 0; i < sizeof forbidden_in_titles / sizeof forbidden_in_titles[0]; i++)
					if (contains_ci(exp, forbidden_in_titles[i])) {
						problem(&ps, line, "a title must stay neutral: a passer-by must not learn what this is about (\"%s\")", forbidden_in_titles[i]);
						break;
					}
			f->n++;
			continue;
		}
		/* body */
		if (!sp->body)
			continue;
		last_line = line;
		if (ll == 0) {
			if (para_open)
				pending_blank = 1;
			para_open = 0;
			continue;
		}
		{
			char tmp[512];
			size_t tl = ll < sizeof tmp - 1 ? ll : sizeof tmp - 1;
			memcpy(tmp, ln, tl);
			tmp[tl] = '\0';
			check_placeholders(&ps, line, tmp, sp->body_ph);
		}
		if (para_open && !(ll >= 2 && ln[0] == '-' && ln[1] == ' ')) {
			if (append(&body, &blen, &bcap, " ", 1) != 0)
				goto nomem;
		} else if (blen > 0) {
			if (append(&body, &blen, &bcap, pending_blank ? "\n\n" : "\n",
			           pending_blank ? 2 : 1) != 0)
				goto nomem;
		}
		pending_blank = 0;
		while (ll > 0 && ln[0] == ' ' && !para_open) {
			ln++;
			ll--;
		}
		if (append(&body, &blen, &bcap, ln, ll) != 0)
			goto nomem;
		para_open = 1;
	}
	(void)last_line;
	/* required keys */
	for (i = 0; i < sizeof sp->keys / sizeof sp->keys[0] && sp->keys[i].key != NULL; i++) {
		size_t c = screens_count(s, id, sp->keys[i].key);
		if (c < sp->keys[i].min) {
			unsigned at = body_line ? body_line : line;
			if (sp->keys[i].min == 1)
				problem(&ps, at, "missing \"%s:\" line", sp->keys[i].key);
			else
				problem(&ps, at, "needs %u \"%s:\" lines, has %zu",
				        sp->keys[i].min, sp->keys[i].key, c);
		}
	}
	if (sp->body && blen == 0)
		problem(&ps, body_line ? body_line : line, "missing body: add a \"---\" line and the text below it");
	if (sp->body && blen > 0) {
		size_t nl;
		char *x = malloc(blen + 4096);
		if (x == NULL)
			goto nomem;
		sample_expand(body, follow_up, x, blen + 4096);
		nl = screens_wrap(x, sp->body_cols, NULL, NULL);
		free(x);
		if (nl > sp->body_lines) {
			problem(&ps, body_line,
			        "the text is too long for an 80x24 screen: %zu lines, at most %u", nl,
			        sp->body_lines);
		}
	}
	f->body = body;
	return ps.errors ? SH_ERR_FORMAT : SH_OK;
nomem:
	free(body);
	return SH_ERR_NOMEM;
}

/* fileio's one reader: a link, FIFO or device is refused, not followed or
 * waited on (a FIFO named like a screen would hang the kiosk). */
static enum sh_status
read_small(const char *path, char **out, size_t *len)
{
	char *buf;
	int rc;

	if ((buf = malloc(SCREENS_FILE_MAX + 1)) == NULL)
		return SH_ERR_NOMEM;
	rc = fileio_read_path(path, 0, buf, SCREENS_FILE_MAX, len, NULL);
	if (rc != 0) {
		free(buf);
		return rc == FILEIO_TOO_LARGE ? SH_ERR_TOO_LARGE
		       : rc == -1 && errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	}
	buf[*len] = '\0';
	*out = buf;
	return SH_OK;
}

enum sh_status
screens_load(struct screens *s, const char *dir, const char *lang, const char *follow_up,
             screens_report rep, void *ctx)
{
	enum sh_status worst = SH_OK, st;
	char path[4096];
	int i;

	for (i = 0; i < SCREENS_N; i++) {
		char *text = NULL;
		size_t len = 0;
		if (snprintf(path, sizeof path, "%s/%s/%s.txt", dir, lang, specs[i].name) >= (int)sizeof path) {
			if (rep)
				rep(ctx, dir, 0, "path too long");
			return SH_ERR_TOO_LARGE;
		}
		st = read_small(path, &text, &len);
		if (st != SH_OK) {
			if (rep)
				rep(ctx, path, 0, st == SH_ERR_NOT_FOUND ? "missing screen file" :
				    st == SH_ERR_TOO_LARGE ? "file is too large" : "cannot read this file");
			if (worst == SH_OK || worst == SH_ERR_FORMAT)
				worst = st == SH_ERR_NOT_FOUND ? SH_ERR_NOT_FOUND : SH_ERR_IO;
			continue;
		}
		st = screens_parse(s, (enum screens_id)i, path, text, len, follow_up, rep, ctx);
		free(text);
		if (st == SH_ERR_NOMEM)
			return st;
		if (st != SH_OK && worst == SH_OK)
			worst = st;
	}
	return worst;
}
