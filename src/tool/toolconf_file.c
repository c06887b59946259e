/*
 * The social worker's config file, safeharbor.conf (libinih):
 *
 *     [safeharbor]            (optional)
 *     spool = ~/safeharbor/spool
 *     identity = identity.age (repeatable: old and new keys)
 *     kiosks = kiosks
 *     recipients = recipients.txt   (notes, outcomes, the audit log are sealed to these)
 *     school_year_start = 8         (month a school year begins, 1..12)
 *     follow_up_days = 2            (school days before a request is overdue)
 *     holidays = holidays.txt       (school holidays, one date or range a line)
 *     reply_days = 30               (the kiosks' reply_days: purge removes older answers)
 *
 * "~/" is her home; relative paths are relative to the file's folder.
 * Unknown keys and sections are warned about and ignored (a newer file on
 * an older tool); an empty value, an over-long path or line, too many
 * identities or a line that is not "key = value" is an error.
 */
#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/util.h"
#include "tool.h"

struct conf_parse {
	struct tool_conf *out;
	const char *file;
	const char *basedir;
	int errors;
	const char *text;
	size_t len, pos;
	int line;
};

/* ini_reader over the text, one whole line per call: a line longer than
 * libinih's buffer is reported as such (it would otherwise be split, and
 * its tail reported as a syntax error on the next line). */
static char *
reader(char *str, int num, void *stream)
{
	struct conf_parse *p = stream;
	const char *start = p->text + p->pos, *nl;
	size_t linelen;

	if (p->pos >= p->len || num < 3)
		return NULL;
	nl = memchr(start, '\n', p->len - p->pos);
	linelen = nl != NULL ? (size_t)(nl - start) + 1 : p->len - p->pos;
	p->pos += linelen;
	p->line++;
	if (linelen > (size_t)num - 1) {
		warnx_("%s:%d: line longer than %d characters", p->file, p->line, num - 2);
		p->errors++;
		memcpy(str, ";\n", 3);
		return str;
	}
	memcpy(str, start, linelen);
	str[linelen] = '\0';
	return str;
}

/* ~/... expanded; relative paths made relative to basedir. -1: too long. */
static int
expand_path(char dst[TOOL_PATH_MAX], const char *src, const char *basedir)
{
	const char *home = getenv("HOME");

	if (src[0] == '~' && (src[1] == '/' || src[1] == '\0') && home != NULL)
		return util_snprintf(dst, TOOL_PATH_MAX, "%s%s", home, src + 1);
	if (src[0] != '/' && basedir != NULL)
		return util_snprintf(dst, TOOL_PATH_MAX, "%s/%s", basedir, src);
	return util_snprintf(dst, TOOL_PATH_MAX, "%s", src);
}

/* A whole number lo..hi into *dst, else one error naming what it counts. */
static void
conf_number(struct conf_parse *p, const char *name, const char *value, long lo, long hi,
            const char *unit, int *dst)
{
	char *end;
	long v = strtol(value, &end, 10);

	if (value[0] < '0' || value[0] > '9' || *end != '\0' || v < lo || v > hi) {
		warnx_("%s: %s: '%s' is not a number of %s (%ld to %ld)", p->file, name, value,
		       unit, lo, hi);
		p->errors++;
	} else {
		*dst = (int)v;
	}
}

static int
conf_handler(void *user, const char *section, const char *name, const char *value)
{
	struct conf_parse *p = user;
	char *dst;

	if (section[0] != '\0' && strcmp(section, "safeharbor") != 0) {
		warnx_("%s: unknown section [%s], ignored", p->file, section);
		return 1;
	}
	if (strcmp(name, "school_year_start") == 0) {
		char *end;
		long m = strtol(value, &end, 10);

		if (value[0] == '\0' || *end != '\0' || m < 1 || m > 12) {
			warnx_("%s: school_year_start: give the month a school year begins, "
			       "1 to 12 (8 is August)", p->file);
			p->errors++;
		} else {
			p->out->year_start = (int)m;
		}
		return 1;
	}
	if (strcmp(name, "spool") == 0) {
		dst = p->out->spool;
	} else if (strcmp(name, "recipients") == 0) {
		dst = p->out->recipients;
	} else if (strcmp(name, "kiosks") == 0) {
		dst = p->out->kiosks;
	} else if (strcmp(name, "holidays") == 0) {
		dst = p->out->holidays;
	} else if (strcmp(name, "follow_up_days") == 0) {
		conf_number(p, name, value, 0, SCHOOLDAYS_MAX_FOLLOW_UP, "school days",
		            &p->out->follow_up_days);
		return 1;
	} else if (strcmp(name, "reply_days") == 0) {
		conf_number(p, name, value, 1, 365, "days", &p->out->reply_days);
		return 1;
	} else if (strcmp(name, "replies") == 0) {
		dst = p->out->replies;
	} else if (strcmp(name, "identity") == 0) {
		if (p->out->nids >= KEYS_MAX_IDENTITIES) {
			warnx_("%s: more than %d identities", p->file, KEYS_MAX_IDENTITIES);
			p->errors++;
			return 1;
		}
		dst = p->out->ids[p->out->nids++];
	} else {
		warnx_("%s: unknown key '%s', ignored", p->file, name);
		return 1;
	}
	if (value[0] == '\0') {
		warnx_("%s: %s: empty value", p->file, name);
		p->errors++;
	} else if (expand_path(dst, value, p->basedir) != 0) {
		warnx_("%s: %s: path too long", p->file, name);
		p->errors++;
	}
	return 1;
}

int
tool_conf_parse(const char *text, const char *file, const char *basedir,
                struct tool_conf *out)
{
	struct conf_parse p = { out, file, basedir, 0, text, strlen(text), 0, 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	out->follow_up_days = -1;
	out->reply_days = -1;
	rc = ini_parse_stream(reader, &p, conf_handler, &p);
	if (rc > 0) {
		warnx_("%s:%d: syntax error (expected key = value)", file, rc);
		return -1;
	}
	return rc < 0 || p.errors > 0 ? -1 : 0;
}
