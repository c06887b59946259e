/*
 * Audit entries: formatting, strict parsing and the chain hash (see
 * audit.h). Nothing here touches files or keys.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "safeharbor/audit.h"
#include "safeharbor/schooldays.h"

static const char *const actions[] = {
	"seen", "handled", "open", "note", "outcome", "referred", "reply", "export",
	"purge", "rekey"
};

int
audit_action_known(const char *action)
{
	size_t i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(action, actions[i]) == 0)
			return 1;
	return 0;
}

static int
all_in(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return 0;
	return 1;
}

#define HEXLOW "0123456789abcdef"
#define USERCHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

static int
printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

static int
time_text(time_t t, char out[21])
{
	struct tm tm;

	return gmtime_r(&t, &tm) != NULL && strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 20 ?
	       0 : -1;
}

int
audit_format(const struct audit_entry *e, unsigned char out[AUDIT_ENTRY_SIZE])
{
	char when[21], nonce[AUDIT_NONCE_LEN * 2 + 1], prev[AUDIT_HASH_LEN * 2 + 1];
	struct age_recipient r;
	size_t ul = strlen(e->user), il = strlen(e->id), dl = strlen(e->detail);
	int n;

	if (time_text(e->time, when) != 0 || !audit_action_known(e->action) ||
	    age_recipient_parse(e->by, strlen(e->by), &r) != SH_OK ||
	    ul > AUDIT_USER_MAX || !all_in(e->user, ul, USERCHARS) ||
	    (il != 0 && (il != AUDIT_ID_HEX || !all_in(e->id, il, HEXLOW))) ||
	    dl > AUDIT_DETAIL_MAX || !printable(e->detail, dl) ||
	    (dl > 0 && e->detail[0] == ' ') || (dl > 0 && e->detail[dl - 1] == ' ') ||
	    strcmp(e->detail, "-") == 0)
		return -1;
	sodium_bin2hex(nonce, sizeof(nonce), e->nonce, sizeof(e->nonce));
	sodium_bin2hex(prev, sizeof(prev), e->prev, sizeof(e->prev));
	memset(out, 0, AUDIT_ENTRY_SIZE);
	n = snprintf((char *)out, AUDIT_ENTRY_SIZE,
	             "SAFEHARBOR-AUDIT 1\nSeq: %" PRIu64 "\nTime: %s\nBy: %s\nUser: %s\n"
	             "Action: %s\nId: %s\nDetail: %s\nNonce: %s\nPrev: %s\n",
	             e->seq, when, e->by, ul ? e->user : "-", e->action, il ? e->id : "-",
	             dl ? e->detail : "-", nonce, prev);
	if (n < 0 || (size_t)n >= AUDIT_ENTRY_SIZE)
		return -1;
	out[n] = 0;
	return 0;
}

struct cursor {
	const char *p;
	size_t left;
};

/* "Name: value\n": the value (non-empty) into *v, *vn. */
static int
take(struct cursor *c, const char *name, const char **v, size_t *vn)
{
	size_t nl = strlen(name);
	const char *eol;

	if (c->left < nl + 3 || memcmp(c->p, name, nl) != 0 || c->p[nl] != ':' || c->p[nl + 1] != ' ')
		return -1;
	if ((eol = memchr(c->p + nl + 2, '\n', c->left - nl - 2)) == NULL)
		return -1;
	*v = c->p + nl + 2;
	*vn = (size_t)(eol - *v);
	c->left -= (size_t)(eol + 1 - c->p);
	c->p = eol + 1;
	return *vn == 0 || memchr(*v, '\0', *vn) != NULL ? -1 : 0;
}

static int
hex_field(const char *v, size_t vn, unsigned char *out, size_t outlen)
{
	size_t got;

	return vn == outlen * 2 && all_in(v, vn, HEXLOW) &&
	       sodium_hex2bin(out, outlen, v, vn, NULL, &got, NULL) == 0 && got == outlen ? 0 : -1;
}

static int
parse_time(const char *v, size_t vn, time_t *t)
{
	long day;
	int h, m, s;

	if (vn != 20 || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != 'Z' ||
	    schooldays_parse_date(v, 10, &day) != 0 || !all_in(v + 11, 2, "0123456789") ||
	    !all_in(v + 14, 2, "0123456789") || !all_in(v + 17, 2, "0123456789"))
		return -1;
	h = (v[11] - '0') * 10 + (v[12] - '0');
	m = (v[14] - '0') * 10 + (v[15] - '0');
	s = (v[17] - '0') * 10 + (v[18] - '0');
	if (h > 23 || m > 59 || s > 59)
		return -1;
	*t = (time_t)day * 86400 + h * 3600 + m * 60 + s;
	return 0;
}

#define FAIL(msg) do { *why = (msg); return -1; } while (0)

int
audit_parse(const unsigned char *in, size_t len, struct audit_entry *e, const char **why)
{
	static const char magic[] = "SAFEHARBOR-AUDIT 1\n";
	struct cursor c;
	struct age_recipient r;
	const char *v;
	size_t vn, i;

	memset(e, 0, sizeof(*e));
	if (len != AUDIT_ENTRY_SIZE)
		FAIL("wrong size");
	if (memcmp(in, magic, sizeof(magic) - 1) != 0)
		FAIL("not a safeharbor audit entry (version 1)");
	c.p = (const char *)in + sizeof(magic) - 1;
	c.left = len - (sizeof(magic) - 1);
	if (take(&c, "Seq", &v, &vn) != 0 || vn > 19 || !all_in(v, vn, "0123456789") ||
	    (vn > 1 && v[0] == '0'))
		FAIL("bad Seq");
	for (i = 0; i < vn; i++)
		e->seq = e->seq * 10 + (uint64_t)(v[i] - '0');
	if (take(&c, "Time", &v, &vn) != 0 || parse_time(v, vn, &e->time) != 0)
		FAIL("bad Time");
	if (take(&c, "By", &v, &vn) != 0 || vn >= sizeof(e->by) ||
	    age_recipient_parse(v, vn, &r) != SH_OK)
		FAIL("bad By (not an age1... recipient)");
	memcpy(e->by, v, vn);
	if (take(&c, "User", &v, &vn) != 0 || vn > AUDIT_USER_MAX ||
	    !(all_in(v, vn, USERCHARS) || (vn == 1 && v[0] == '-')))
		FAIL("bad User");
	if (!(vn == 1 && v[0] == '-'))
		memcpy(e->user, v, vn);
	if (take(&c, "Action", &v, &vn) != 0 || vn > AUDIT_ACTION_MAX)
		FAIL("bad Action");
	memcpy(e->action, v, vn);
	if (!audit_action_known(e->action))
		FAIL("unknown Action");
	if (take(&c, "Id", &v, &vn) != 0 ||
	    !((vn == 1 && v[0] == '-') || (vn == AUDIT_ID_HEX && all_in(v, vn, HEXLOW))))
		FAIL("bad Id");
	if (vn == AUDIT_ID_HEX)
		memcpy(e->id, v, vn);
	if (take(&c, "Detail", &v, &vn) != 0 || vn > AUDIT_DETAIL_MAX || !printable(v, vn) ||
	    v[0] == ' ' || v[vn - 1] == ' ')
		FAIL("bad Detail");
	if (!(vn == 1 && v[0] == '-'))
		memcpy(e->detail, v, vn);
	if (take(&c, "Nonce", &v, &vn) != 0 || hex_field(v, vn, e->nonce, sizeof(e->nonce)) != 0)
		FAIL("bad Nonce");
	if (take(&c, "Prev", &v, &vn) != 0 || hex_field(v, vn, e->prev, sizeof(e->prev)) != 0)
		FAIL("bad Prev");
	for (i = 0; i < c.left; i++)
		if (c.p[i] != '\0')
			FAIL("bytes after the last field are not NUL padding");
	return 0;
}

void
audit_hash(const unsigned char pt[AUDIT_ENTRY_SIZE], unsigned char out[AUDIT_HASH_LEN])
{
	crypto_generichash(out, AUDIT_HASH_LEN, pt, AUDIT_ENTRY_SIZE, NULL, 0);
}
