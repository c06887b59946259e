/*
 * Kiosk configuration: one INI file, one [kiosk] section, read with libinih.
 *
 * Decisions:
 * - libinih does the INI syntax; we feed it one line at a time from memory
 *   through ini_parse_stream, so we know the line of every key and can
 *   report "file:line: key: why" without libinih's INI_HANDLER_LINENO.
 * - Every problem goes to the report callback: unknown keys and sections
 *   are warnings (a typo must not pass silently, but an older kiosk must
 *   still start with a newer config), bad values are errors. Parsing goes
 *   on after an error so `--check` lists them all.
 * - A key given twice is an error: which one wins would be a guess.
 * - Relative paths are resolved against the config file's directory.
 * - Lines longer than libinih's line buffer are errors, never truncated.
 * Non-goals: includes, environment expansion, quoting.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ini.h>

#include "safeharbor/config.h"
#include "safeharbor/fileio.h"
#include "safeharbor/record.h"
#include "safeharbor/screens.h"
#include "safeharbor/textfield.h"

#ifndef SH_DATADIR
#define SH_DATADIR "/usr/share/safeharbor"
#endif

#define CONFIG_FILE_MAX (1u << 16)
#define IDLE_MIN 10
#define IDLE_MAX 3600
#define SENT_MIN CONFIG_MIN_SENT
#define SENT_MAX 300
#define PIN_PREFIX "$argon2id$"

enum config_key {
	KEY_SPOOL,
	KEY_RECIPIENTS,
	KEY_SIGNING_KEY,
	KEY_SCREENS,
	KEY_LANGUAGES,
	KEY_IDLE_SECONDS,
	KEY_SENT_SECONDS,
	KEY_FOLLOW_UP,
	KEY_ADMIN_PIN_HASH,
	KEY_REPLIES,
	KEY_STAFF_KEYS,
	KEY_REPLY_DAYS,
	KEY_READERS,
	KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
	"spool", "recipients", "signing_key", "screens", "languages",
	"idle_seconds", "sent_seconds", "follow_up", "admin_pin_hash",
	"replies", "staff_keys", "reply_days",
	"readers",
};

struct parse_ctx {
	const char *text;
	size_t len;
	size_t pos;
	int line;                   /* line last handed to libinih */
	const char *name;
	const char *basedir;
	struct kiosk_config *c;
	config_report report;
	void *rctx;
	int errors;
	int seen[KEY_COUNT];
	int readers_lang_line[CONFIG_MAX_LANGUAGES];
};

static void
problem(struct parse_ctx *p, int severity, int line, const char *key, const char *msg)
{
	if (severity)
		p->errors++;
	if (p->report != NULL)
		p->report(p->rctx, severity, p->name, line, key, msg);
}

void
config_defaults(struct kiosk_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->spool, sizeof(c->spool), "%s", "/var/spool/safeharbor");
	snprintf(c->recipients, sizeof(c->recipients), "%s", "/etc/safeharbor/recipients.txt");
	snprintf(c->signing_key, sizeof(c->signing_key), "%s", "/etc/safeharbor/kiosk.key");
	snprintf(c->screens, sizeof(c->screens), "%s", SH_DATADIR "/screens");
	memcpy(c->languages[0], "en", 3);
	memcpy(c->languages[1], "es", 3);
	c->nlanguages = 2;
	c->idle_seconds = CONFIG_DEFAULT_IDLE;
	c->sent_seconds = CONFIG_DEFAULT_SENT;
	snprintf(c->follow_up, sizeof(c->follow_up), "%s", "2 school days");
	c->admin_pin_hash[0] = '\0';
	snprintf(c->replies, sizeof(c->replies), "%s", "/var/lib/safeharbor/replies");
	snprintf(c->staff_keys, sizeof(c->staff_keys), "%s", "/etc/safeharbor/staff-keys.txt");
	c->reply_days = CONFIG_DEFAULT_REPLY_DAYS;
}

/* Section headers are seen here, before libinih: it does not tell the
 * handler about empty sections, and we want to name the header's line. */
static void
note_section(struct parse_ctx *p, const char *line, size_t len)
{
	size_t i = 0, start, end;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != '[')
		return;
	start = ++i;
	while (i < len && line[i] != ']')
		i++;
	if (i >= len)
		return;             /* libinih reports the syntax error */
	end = i;
	if (!(end - start == 5 && memcmp(line + start, "kiosk", 5) == 0)) {
		char sect[64];
		size_t n = end - start;
		if (n > sizeof(sect) - 3)
			n = sizeof(sect) - 3;
		sect[0] = '[';
		memcpy(sect + 1, line + start, n);
		sect[n + 1] = ']';
		sect[n + 2] = '\0';
		problem(p, 0, p->line, sect, "unknown section, its keys are ignored");
	}
}

/* ini_reader over memory: one whole line per call, counting lines. */
static char *
reader(char *str, int num, void *stream)
{
	struct parse_ctx *p = stream;
	const char *start, *nl;
	size_t linelen, take;

	if (p->pos >= p->len || num < 3)
		return NULL;
	start = p->text + p->pos;
	nl = memchr(start, '\n', p->len - p->pos);
	linelen = nl != NULL ? (size_t)(nl - start) + 1 : p->len - p->pos;
	p->pos += linelen;
	p->line++;
	take = linelen;
	if (memchr(start, '\0', linelen) != NULL) {
		problem(p, 1, p->line, "", "line holds a NUL byte");
		memcpy(str, ";\n", 3);
		return str;
	}
	if (take > (size_t)num - 1) {
		problem(p, 1, p->line, "", "line too long");
		memcpy(str, ";\n", 3);
		return str;
	}
	memcpy(str, start, take);
	str[take] = '\0';
	note_section(p, str, take);
	return str;
}

static int
lookup_key(const char *name)
{
	int i;

	for (i = 0; i < KEY_COUNT; i++)
		if (strcmp(name, key_names[i]) == 0)
			return i;
	return -1;
}

static int
set_path(struct parse_ctx *p, char *dst, const char *key, const char *value)
{
	int n;

	if (*value == '\0') {
		problem(p, 1, p->line, key, "empty path");
		return -1;
	}
	if (value[0] == '/' || p->basedir == NULL || *p->basedir == '\0')
		n = snprintf(dst, CONFIG_PATH_MAX, "%s", value);
	else if (p->basedir[strlen(p->basedir) - 1] == '/')
		n = snprintf(dst, CONFIG_PATH_MAX, "%s%s", p->basedir, value);
	else
		n = snprintf(dst, CONFIG_PATH_MAX, "%s/%s", p->basedir, value);
	if (n < 0 || (size_t)n >= CONFIG_PATH_MAX) {
		dst[0] = '\0';
		problem(p, 1, p->line, key, "path too long");
		return -1;
	}
	return 0;
}

static int
parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	unsigned long v = 0;
	size_t i;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 9)
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static void
set_languages(struct parse_ctx *p, const char *key, const char *value)
{
	char langs[CONFIG_MAX_LANGUAGES][CONFIG_LANG_MAX + 1];
	size_t n = 0, i, j, len;
	const char *s = value;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		len = strcspn(s, " \t,");
		if (n == CONFIG_MAX_LANGUAGES) {
			problem(p, 1, p->line, key, "too many languages");
			return;
		}
		if (len > CONFIG_LANG_MAX || record_check_language(s, len) != SH_OK) {
			problem(p, 1, p->line, key,
			        "not a language code (like en, es or pt-BR)");
			return;
		}
		memcpy(langs[n], s, len);
		langs[n][len] = '\0';
		for (j = 0; j < n; j++)
			if (strcmp(langs[j], langs[n]) == 0) {
				problem(p, 1, p->line, key, "language listed twice");
				return;
			}
		n++;
		s += len;
	}
	if (n == 0) {
		problem(p, 1, p->line, key, "no language given");
		return;
	}
	for (i = 0; i < n; i++)
		memcpy(p->c->languages[i], langs[i], sizeof(langs[i]));
	p->c->nlanguages = n;
}

/* Readers are shown inside a sentence on an 80-column screen. */
static void
set_readers(struct parse_ctx *p, const char *name, const char *value, char out[CONFIG_TEXT_MAX])
{
	size_t len = strlen(value);
	char msg[128];

	if (len >= CONFIG_TEXT_MAX ||
	    record_check_text(value, len, CONFIG_TEXT_MAX - 1, CONFIG_TEXT_MAX - 1, 0) != SH_OK) {
		problem(p, 1, p->line, name, len >= CONFIG_TEXT_MAX ? "text too long" : "not valid UTF-8 text");
		return;
	}
	if (textfield_str_width(value, len) > SCREENS_READERS_COLS) {
		snprintf(msg, sizeof msg, "too long for the screen: at most %d columns, this is %zu",
		         SCREENS_READERS_COLS, textfield_str_width(value, len));
		problem(p, 1, p->line, name, msg);
		return;
	}
	if (len == 0) {
		problem(p, 1, p->line, name, "no text: name who can read a request");
		return;
	}
	memcpy(out, value, len + 1);
}

static void
readers_lang(struct parse_ctx *p, const char *name, const char *value)
{
	struct kiosk_config *c = p->c;
	const char *lang = name + 8;
	size_t n = strlen(lang), j;

	if (n == 0 || n > CONFIG_LANG_MAX || strspn(lang, "abcdefghijklmnopqrstuvwxyz_-") != n) {
		problem(p, 0, p->line, name, "unknown key, ignored");
		return;
	}
	for (j = 0; j < c->nreaders_lang; j++)
		if (strcmp(c->readers_lang[j].lang, lang) == 0) {
			problem(p, 1, p->line, name, "given more than once");
			return;
		}
	if (c->nreaders_lang >= CONFIG_MAX_LANGUAGES) {
		problem(p, 1, p->line, name, "too many readers_ keys");
		return;
	}
	c->readers_lang[c->nreaders_lang].text[0] = '\0';
	set_readers(p, name, value, c->readers_lang[c->nreaders_lang].text);
	if (c->readers_lang[c->nreaders_lang].text[0] == '\0')
		return;
	memcpy(c->readers_lang[c->nreaders_lang].lang, lang, n + 1);
	p->readers_lang_line[c->nreaders_lang] = p->line;
	c->nreaders_lang++;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *p = user;
	struct kiosk_config *c = p->c;
	int k;
	size_t len;

	if (strcmp(section, "kiosk") != 0) {
		if (*section == '\0')
			problem(p, 0, p->line, name, "key outside the [kiosk] section, ignored");
		return 1;   /* unknown sections were reported at their header */
	}
	if (strncmp(name, "readers_", 8) == 0) {
		readers_lang(p, name, value);
		return 1;
	}
	if ((k = lookup_key(name)) < 0) {
		problem(p, 0, p->line, name, "unknown key, ignored");
		return 1;
	}
	if (p->seen[k]) {
		problem(p, 1, p->line, name, "given more than once");
		return 1;
	}
	p->seen[k] = p->line;
	len = strlen(value);
	switch ((enum config_key)k) {
	case KEY_SPOOL:
		set_path(p, c->spool, name, value);
		break;
	case KEY_RECIPIENTS:
		set_path(p, c->recipients, name, value);
		break;
	case KEY_SIGNING_KEY:
		set_path(p, c->signing_key, name, value);
		break;
	case KEY_SCREENS:
		set_path(p, c->screens, name, value);
		break;
	case KEY_LANGUAGES:
		set_languages(p, name, value);
		break;
	case KEY_IDLE_SECONDS:
		if (parse_uint(value, IDLE_MIN, IDLE_MAX, &c->idle_seconds) != 0)
			problem(p, 1, p->line, name, "must be a whole number of seconds from 10 to 3600");
		break;
	case KEY_SENT_SECONDS:
		if (parse_uint(value, SENT_MIN, SENT_MAX, &c->sent_seconds) != 0)
			problem(p, 1, p->line, name, "must be a whole number of seconds from 30 to 300 "
			        "(students need time to read what happens next)");
		break;
	case KEY_FOLLOW_UP:
		if (len >= sizeof(c->follow_up))
			problem(p, 1, p->line, name, "text too long");
		else if (record_check_text(value, len, sizeof(c->follow_up) - 1,
		                           sizeof(c->follow_up) - 1, 0) != SH_OK)
			problem(p, 1, p->line, name, "not valid UTF-8 text");
		else
			memcpy(c->follow_up, value, len + 1);
		break;
	case KEY_ADMIN_PIN_HASH:
		if (strncmp(value, PIN_PREFIX, sizeof(PIN_PREFIX) - 1) != 0)
			problem(p, 1, p->line, name,
			        "not an Argon2id hash (make one with safeharbor-kiosk --set-pin)");
		else if (len >= sizeof(c->admin_pin_hash))
			problem(p, 1, p->line, name, "hash too long");
		else
			memcpy(c->admin_pin_hash, value, len + 1);
		break;
	case KEY_REPLIES:
		set_path(p, c->replies, name, value);
		break;
	case KEY_STAFF_KEYS:
		set_path(p, c->staff_keys, name, value);
		break;
	case KEY_REPLY_DAYS:
		if (parse_uint(value, 1, 365, &c->reply_days) != 0)
			problem(p, 1, p->line, name, "must be a whole number of days from 1 to 365");
		break;
	case KEY_READERS:
		set_readers(p, name, value, c->readers);
		break;
	case KEY_COUNT:
		break;
	}
	return 1;
}

/* After the whole file: readers set for one language must be set for
 * every language, or some students would be told less than is true. */
static void
check_readers(struct parse_ctx *p)
{
	const struct kiosk_config *c = p->c;
	size_t i, j;
	char msg[160];

	for (j = 0; j < c->nreaders_lang; j++) {
		for (i = 0; i < c->nlanguages; i++)
			if (strcmp(c->languages[i], c->readers_lang[j].lang) == 0)
				break;
		if (i == c->nlanguages) {
			snprintf(msg, sizeof msg, "language \"%s\" is not in languages, ignored",
			         c->readers_lang[j].lang);
			problem(p, 0, p->readers_lang_line[j], "readers_", msg);
		}
	}
	if (c->readers[0] == '\0' && c->nreaders_lang == 0)
		return;
	for (i = 0; i < c->nlanguages; i++) {
		if (*config_readers(c, i) != '\0')
			continue;
		snprintf(msg, sizeof msg, "readers_%s is not set: the \"%s\" screens would not "
		         "name the readers this config names", c->languages[i], c->languages[i]);
		problem(p, 1, p->seen[KEY_READERS] ? p->seen[KEY_READERS] : p->readers_lang_line[0],
		        "readers", msg);
	}
}

const char *
config_readers(const struct kiosk_config *c, size_t i)
{
	size_t j;

	if (i >= c->nlanguages)
		return "";
	for (j = 0; j < c->nreaders_lang; j++)
		if (strcmp(c->readers_lang[j].lang, c->languages[i]) == 0)
			return c->readers_lang[j].text;
	return i == 0 ? c->readers : "";
}

enum sh_status
config_parse(const char *text, size_t len, const char *name,
             const char *basedir, struct kiosk_config *c,
             config_report report, void *ctx)
{
	struct parse_ctx p;
	int rc;

	if ((text == NULL && len > 0) || c == NULL)
		return SH_ERR_USAGE;
	memset(&p, 0, sizeof(p));
	p.text = text;
	p.len = len;
	p.name = name != NULL ? name : "config";
	p.basedir = basedir;
	p.c = c;
	p.report = report;
	p.rctx = ctx;
	rc = ini_parse_stream(reader, &p, handler, &p);
	if (rc > 0)
		problem(&p, 1, rc, "", "syntax error (expected key = value or [section])");
	else if (rc < 0)
		return SH_ERR_NOMEM;
	check_readers(&p);
	return p.errors ? SH_ERR_FORMAT : SH_OK;
}

enum sh_status
config_load(const char *path, struct kiosk_config *c,
            config_report report, void *ctx)
{
	char dir[CONFIG_PATH_MAX], real[PATH_MAX];
	const char *slash, *basedir;
	enum sh_status st;
	struct stat sb;
	char *buf;
	size_t got = 0;
	int rc;

	if (path == NULL || c == NULL)
		return SH_ERR_USAGE;
	if ((buf = malloc(CONFIG_FILE_MAX)) == NULL)
		return SH_ERR_NOMEM;
	/* fileio's one reader: no FIFO, device or oversize file. A link is
	 * followed only when root owns it (an admin's /etc link or a config
	 * management tool's); a link anyone else made is refused. */
	rc = fileio_read_path(path, FILEIO_LINK_ROOT, buf, CONFIG_FILE_MAX, &got, &sb);
	if (rc == FILEIO_NOT_REGULAR && S_ISDIR(sb.st_mode)) {
		rc = -1;        /* "Is a directory", as before */
		errno = EISDIR;
	}
	if (rc == -1 && errno != ELOOP) {
		free(buf);
		return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	}
	if (rc != 0) {
		if (report != NULL)
			report(ctx, 1, path, 0, "", fileio_read_why(rc));
		free(buf);
		return SH_ERR_FORMAT;
	}

	slash = strrchr(path, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	basedir = realpath(dir, real) != NULL ? real : dir;
	st = config_parse(buf, got, path, basedir, c, report, ctx);
	free(buf);
	return st;
}
