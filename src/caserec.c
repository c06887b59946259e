/*
 * Case items: a note, outcome, referral or change of state about one
 * request, as MAC'd, padded UTF-8 text (caserec.h has the format).
 *
 * Decisions:
 * - One canonical form, as for records: fixed line order, exact names,
 *   Value present exactly for the kinds that have one, Text-Length without
 *   leading zeros, canonical padded base64 MAC, NUL padding to exactly
 *   SH_RECORD_SIZE (so case envelopes and requests have one size). The
 *   time is re-formatted and compared, so "February 30" is refused.
 * - The MAC is crypto_auth (HMAC-SHA-512-256) under crypto_kdf subkey 1 of
 *   the writer's X25519 secret, context "shcase01": only a holder of that
 *   identity can write an item that verifies. Checked with
 *   crypto_auth_verify (constant time).
 * - Every scan is bounded by len; the parser never reads past it.
 * Non-goals: other versions, signatures a third party can check (a backup
 * reader sees her items as "written with another key").
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "safeharbor/caserec.h"
#include "safeharbor/recline.h"

#define CASE_VERSION_LINE "SAFEHARBOR-CASE 1\n"
#define CASE_MAGIC "SAFEHARBOR-CASE "
#define CASE_TIME_LEN 20        /* 2026-12-03T13:20:05Z */
#define CASE_MAC_B64 44         /* base64 of 32 bytes, with padding */
#define CASE_KDF_CONTEXT "shcase01"
#define CASE_HEADER_MAX 256     /* every line before the text */

_Static_assert(CASE_HEADER_MAX + CASEREC_TEXT_MAX + 1 + sizeof("Mac: \n") + CASE_MAC_B64
               <= SH_RECORD_SIZE, "the largest case item must fit SH_RECORD_SIZE");
_Static_assert(sizeof(CASE_KDF_CONTEXT) - 1 == crypto_kdf_CONTEXTBYTES, "KDF context");
_Static_assert(crypto_kdf_KEYBYTES == AGE_KEY_LEN, "an X25519 secret is a KDF master key");

static const char *const kind_names[CASE_NKINDS] = { "note", "outcome", "referred", "state" };
static const char *const outcome_names[OUTCOME_N] = {
	"met", "information", "assault", "grooming", "trafficking", "no-concern", "not-found"
};
static const char *const referral_names[REFER_N] = { "cps", "police", "services" };
static const char *const state_names[CSTATE_N] = { "handled", "open" };

struct caserec *
caserec_new(void)
{
	struct caserec *c;

	if (sodium_init() < 0 || (c = sodium_malloc(sizeof(*c))) == NULL)
		return NULL;
	sodium_memzero(c, sizeof(*c));
	c->value = -1;
	return c;
}

void
caserec_free(struct caserec *c)
{
	if (c == NULL)
		return;
	sodium_memzero(c, sizeof(*c));
	sodium_free(c);
}

const char *
caserec_kind_str(enum caserec_kind k)
{
	return (unsigned)k < CASE_NKINDS ? kind_names[k] : "?";
}

static const char *const *
names_of(enum caserec_kind k, int *n)
{
	switch (k) {
	case CASE_OUTCOME: *n = OUTCOME_N; return outcome_names;
	case CASE_REFERRED: *n = REFER_N; return referral_names;
	case CASE_STATE: *n = CSTATE_N; return state_names;
	case CASE_NOTE:
	case CASE_NKINDS:
		break;
	}
	*n = 0;
	return NULL;
}

const char *
caserec_value_str(enum caserec_kind k, int value)
{
	int n;
	const char *const *names = names_of(k, &n);

	if (names == NULL)
		return "";
	return value >= 0 && value < n ? names[value] : "?";
}

static int
value_lookup(enum caserec_kind k, const char *s, size_t len)
{
	int n, i;
	const char *const *names = names_of(k, &n);

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	return -1;
}

int
caserec_value_parse(enum caserec_kind k, const char *s)
{
	return s == NULL ? -1 : value_lookup(k, s, strlen(s));
}

const char *
caserec_value_list(enum caserec_kind k)
{
	switch (k) {
	case CASE_OUTCOME:
		return "met, information, assault, grooming, trafficking, no-concern, not-found";
	case CASE_REFERRED: return "cps, police, services";
	case CASE_STATE: return "handled, open";
	case CASE_NOTE:
	case CASE_NKINDS:
		break;
	}
	return "";
}

void
caserec_key(const struct age_identity *id, unsigned char key[CASEREC_KEY_LEN])
{
	crypto_kdf_derive_from_key(key, CASEREC_KEY_LEN, 1, CASE_KDF_CONTEXT, id->sk);
}

enum sh_status
caserec_check_text(const char *s, size_t len)
{
	if (len == 0)
		return SH_ERR_FORMAT;
	return record_check_text(s, len, CASEREC_TEXT_MAX, CASEREC_TEXT_MAX_CHARS, 1);
}

static int
format_time(time_t t, char out[CASE_TIME_LEN + 1])
{
	struct tm tm;

	return gmtime_r(&t, &tm) != NULL &&
	       strftime(out, CASE_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm) == CASE_TIME_LEN;
}

static int
valid_value(const struct caserec *c)
{
	int n;

	if ((unsigned)c->kind >= CASE_NKINDS)
		return 0;
	if (c->kind == CASE_NOTE)
		return c->value == -1;
	names_of(c->kind, &n);
	return c->value >= 0 && c->value < n && c->text_len == 0;
}

enum sh_status
caserec_serialize(struct caserec *c, const unsigned char key[CASEREC_KEY_LEN],
                  unsigned char out[SH_RECORD_SIZE])
{
	unsigned char idb[SH_RECORD_ID_HEX / 2], mac[crypto_auth_BYTES];
	char when[CASE_TIME_LEN + 1], value[64], macb64[CASE_MAC_B64 + 1];
	enum sh_status st;
	size_t len;
	int n;

	if (c == NULL || key == NULL || out == NULL || !valid_value(c) ||
	    recline_check_id(c->request, strnlen(c->request, sizeof(c->request))) != 0 ||
	    !format_time(c->created, when))
		return SH_ERR_USAGE;
	if (c->kind == CASE_NOTE && (st = caserec_check_text(c->text, c->text_len)) != SH_OK)
		return st;
	if (c->id[0] == '\0') {
		randombytes_buf(idb, sizeof(idb));
		sodium_bin2hex(c->id, sizeof(c->id), idb, sizeof(idb));
	} else if (recline_check_id(c->id, strnlen(c->id, sizeof(c->id))) != 0) {
		return SH_ERR_USAGE;
	}
	value[0] = '\0';
	if (c->kind != CASE_NOTE)
		snprintf(value, sizeof(value), "Value: %s\n", caserec_value_str(c->kind, c->value));
	n = snprintf((char *)out, CASE_HEADER_MAX,
	             CASE_VERSION_LINE "Id: %s\nRequest: %s\nCreated: %s\nKind: %s\n%s"
	             "Text-Length: %zu\n\n", c->id, c->request, when, kind_names[c->kind], value,
	             c->text_len);
	if (n < 0 || n >= CASE_HEADER_MAX) {
		sodium_memzero(out, SH_RECORD_SIZE);
		return SH_ERR_USAGE;
	}
	len = (size_t)n;
	memcpy(out + len, c->text, c->text_len);
	len += c->text_len;
	out[len++] = '\n';
	crypto_auth(mac, out, len, key);
	sodium_bin2base64(macb64, sizeof(macb64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	memcpy(out + len, "Mac: ", 5);
	memcpy(out + len + 5, macb64, CASE_MAC_B64);
	out[len + 5 + CASE_MAC_B64] = '\n';
	len += 5 + CASE_MAC_B64 + 1;
	memset(out + len, 0, SH_RECORD_SIZE - len);
	return SH_OK;
}

static int
parse_time(const char *v, size_t n, time_t *out)
{
	char again[CASE_TIME_LEN + 1];
	struct tm tm;
	size_t i;

	if (n != CASE_TIME_LEN)
		return -1;
	for (i = 0; i < n; i++)
		if (!(v[i] >= '0' && v[i] <= '9') && i != 4 && i != 7 && i != 10 && i != 13 &&
		    i != 16 && i != 19)
			return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0') - 1900;
	tm.tm_mon = (v[5] - '0') * 10 + (v[6] - '0') - 1;
	tm.tm_mday = (v[8] - '0') * 10 + (v[9] - '0');
	tm.tm_hour = (v[11] - '0') * 10 + (v[12] - '0');
	tm.tm_min = (v[14] - '0') * 10 + (v[15] - '0');
	tm.tm_sec = (v[17] - '0') * 10 + (v[18] - '0');
	*out = timegm(&tm);
	return format_time(*out, again) && memcmp(again, v, n) == 0 ? 0 : -1;
}

#define REFUSE(status, reason) do { st = (status); *why = (reason); goto fail; } while (0)

enum sh_status
caserec_parse(const unsigned char *buf, size_t len,
              const unsigned char (*keys)[CASEREC_KEY_LEN], size_t nkeys,
              struct caserec *c, size_t *which, const char **why)
{
	unsigned char mac[crypto_auth_BYTES];
	char macb64[CASE_MAC_B64 + 1];
	struct recline in = { buf, len, 0 };
	const char *v, *dummy;
	size_t vlen, tlen = 0, i, maclen, signed_len;
	enum sh_status st;
	int k;

	if (why == NULL)
		why = &dummy;
	*why = "";
	if (c == NULL || (buf == NULL && len > 0) || (keys == NULL && nkeys > 0))
		return SH_ERR_USAGE;
	sodium_memzero(c, sizeof(*c));
	c->value = -1;
	if (len > SH_RECORD_SIZE)
		REFUSE(SH_ERR_TOO_LARGE, "case item larger than its fixed size");
	if (len < sizeof(CASE_MAGIC) - 1 || memcmp(buf, CASE_MAGIC, sizeof(CASE_MAGIC) - 1) != 0)
		REFUSE(SH_ERR_FORMAT, "not a safeharbor case item");
	if (len < sizeof(CASE_VERSION_LINE) - 1 ||
	    memcmp(buf, CASE_VERSION_LINE, sizeof(CASE_VERSION_LINE) - 1) != 0)
		REFUSE(SH_ERR_VERSION, "unsupported case item version");
	if (len != SH_RECORD_SIZE)
		REFUSE(SH_ERR_FORMAT, "case item is truncated");
	in.pos = sizeof(CASE_VERSION_LINE) - 1;
	if (recline_take(&in, "Id", &v, &vlen) != 0 || recline_check_id(v, vlen) != 0)
		REFUSE(SH_ERR_FORMAT, "Id is missing or not 32 lowercase hex digits");
	memcpy(c->id, v, vlen);
	if (recline_take(&in, "Request", &v, &vlen) != 0 || recline_check_id(v, vlen) != 0)
		REFUSE(SH_ERR_FORMAT, "Request is missing or not 32 lowercase hex digits");
	memcpy(c->request, v, vlen);
	if (recline_take(&in, "Created", &v, &vlen) != 0 || parse_time(v, vlen, &c->created) != 0)
		REFUSE(SH_ERR_FORMAT, "Created is missing or not YYYY-MM-DDTHH:MM:SSZ");
	if (recline_take(&in, "Kind", &v, &vlen) != 0)
		REFUSE(SH_ERR_FORMAT, "missing Kind");
	for (k = 0; k < CASE_NKINDS; k++)
		if (strlen(kind_names[k]) == vlen && memcmp(kind_names[k], v, vlen) == 0)
			break;
	if (k == CASE_NKINDS)
		REFUSE(SH_ERR_FORMAT, "Kind is not note, outcome, referred or state");
	c->kind = (enum caserec_kind)k;
	if (c->kind != CASE_NOTE) {
		if (recline_take(&in, "Value", &v, &vlen) != 0)
			REFUSE(SH_ERR_FORMAT, "missing Value");
		if ((c->value = value_lookup(c->kind, v, vlen)) < 0)
			REFUSE(SH_ERR_FORMAT, "unknown Value for its Kind");
	}
	if (recline_take(&in, "Text-Length", &v, &vlen) != 0 || vlen == 0 || vlen > 5 ||
	    (vlen > 1 && v[0] == '0'))
		REFUSE(SH_ERR_FORMAT, "Text-Length is missing or not a plain decimal number");
	for (i = 0; i < vlen; i++) {
		if (v[i] < '0' || v[i] > '9')
			REFUSE(SH_ERR_FORMAT, "Text-Length is missing or not a plain decimal number");
		tlen = tlen * 10 + (size_t)(v[i] - '0');
	}
	if (tlen > CASEREC_TEXT_MAX)
		REFUSE(SH_ERR_TOO_LARGE, "Text-Length over the limit");
	if ((c->kind == CASE_NOTE) != (tlen > 0))
		REFUSE(SH_ERR_FORMAT, "a note needs text and other kinds none");
	if (in.pos >= in.len || buf[in.pos] != '\n')
		REFUSE(SH_ERR_FORMAT, "no blank line after Text-Length");
	in.pos++;
	if (in.len - in.pos < tlen + 1 || buf[in.pos + tlen] != '\n')
		REFUSE(SH_ERR_FORMAT, "text does not match Text-Length");
	if (tlen > 0 && caserec_check_text((const char *)buf + in.pos, tlen) != SH_OK)
		REFUSE(SH_ERR_FORMAT, "text is not UTF-8 without control characters");
	memcpy(c->text, buf + in.pos, tlen);
	c->text_len = tlen;
	in.pos += tlen + 1;
	signed_len = in.pos;
	if (recline_take(&in, "Mac", &v, &vlen) != 0 || vlen != CASE_MAC_B64 ||
	    sodium_base642bin(mac, sizeof(mac), v, vlen, NULL, &maclen, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 || maclen != sizeof(mac))
		REFUSE(SH_ERR_FORMAT, "Mac is missing or not base64 of 32 bytes");
	sodium_bin2base64(macb64, sizeof(macb64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	if (memcmp(macb64, v, CASE_MAC_B64) != 0)
		REFUSE(SH_ERR_FORMAT, "Mac is not canonical base64");
	if (!recline_all_nul(buf + in.pos, in.len - in.pos))
		REFUSE(SH_ERR_FORMAT, "padding is not all NUL bytes");
	for (i = 0; i < nkeys; i++)
		if (crypto_auth_verify(mac, buf, signed_len, keys[i]) == 0) {
			if (which != NULL)
				*which = i;
			return SH_OK;
		}
	*why = "written with a key we do not hold";
	return SH_ERR_SIGNATURE;

fail:
	sodium_memzero(c, sizeof(*c));
	c->value = -1;
	return st;
}
