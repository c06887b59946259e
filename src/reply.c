/*
 * The reply record (SPEC §9): the social worker's signed answer.
 *
 * Decisions:
 * - One canonical form, as for requests (record.c): fixed line order, exact
 *   names, Text-Length without leading zeros, padded base64 signature
 *   re-encoded and compared, NUL padding to exactly SH_REPLY_SIZE.
 * - Created is to the hour (minutes are always 00): nothing finer about
 *   when she answered.
 * - The signature covers every byte before the Signature line, the staff
 *   key included; whether that key is one the kiosk trusts is the caller's
 *   question (replies.c), not the parser's.
 * Non-goals: other versions, lenient reading.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "safeharbor/recline.h"
#include "safeharbor/reply.h"
#include "safeharbor/screens.h"

#define REPLY_VERSION_LINE "SAFEHARBOR-REPLY 1\n"
#define REPLY_MAGIC "SAFEHARBOR-REPLY "
#define REPLY_SIG_B64 88
#define REPLY_LEN_DIGITS 5

#define LINE(name, value) (sizeof(name ": ") - 1 + (value) + 1)
_Static_assert(sizeof(REPLY_VERSION_LINE) - 1 + LINE("In-Reply-To", SH_RECORD_ID_HEX) +
               LINE("Created", SH_CREATED_LEN) + LINE("Staff", KEYS_STAFF_STRLEN) +
               LINE("Text-Length", REPLY_LEN_DIGITS) + 1 + SH_REPLY_TEXT_MAX + 1 +
               LINE("Signature", REPLY_SIG_B64) <= SH_REPLY_SIZE,
               "the largest reply must fit SH_REPLY_SIZE");
_Static_assert(SH_REPLY_TEXT_MAX < 100000, "Text-Length digits");

struct reply *
reply_new(void)
{
	struct reply *r;

	if (sodium_init() < 0 || (r = sodium_malloc(sizeof(*r))) == NULL)
		return NULL;
	reply_clear(r);
	return r;
}

void
reply_clear(struct reply *r)
{
	sodium_memzero(r, sizeof(*r));
}

void
reply_free(struct reply *r)
{
	if (r == NULL)
		return;
	reply_clear(r);
	sodium_free(r);
}

static int
is_id(const char *v, size_t n)
{
	return recline_check_id(v, n) == 0;
}

enum sh_status
reply_set_text(struct reply *r, const char *s, size_t len)
{
	enum sh_status st;

	if (r == NULL)
		return SH_ERR_USAGE;
	if (len == 0)
		return SH_ERR_FORMAT;
	st = record_check_text(s, len, SH_REPLY_TEXT_MAX, SH_REPLY_TEXT_MAX_CHARS, 1);
	if (st != SH_OK)
		return st;
	sodium_memzero(r->text, sizeof(r->text));
	memcpy(r->text, s, len);
	r->text_len = len;
	return SH_OK;
}

enum sh_status
reply_set_in_reply_to(struct reply *r, const char *id)
{
	size_t n;

	if (r == NULL || id == NULL)
		return SH_ERR_USAGE;
	n = strnlen(id, SH_RECORD_ID_HEX + 1);
	if (!is_id(id, n))
		return SH_ERR_FORMAT;
	memcpy(r->in_reply_to, id, n + 1);
	return SH_OK;
}

struct out {
	unsigned char *buf;
	size_t len;
	int overflow;
};

static void
put(struct out *o, const void *p, size_t n)
{
	if (o->overflow || n > SH_REPLY_SIZE - o->len) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void
put_line(struct out *o, const char *name, const char *value)
{
	put(o, name, strlen(name));
	put(o, ": ", 2);
	put(o, value, strlen(value));
	put(o, "\n", 1);
}

enum sh_status
reply_serialize(struct reply *r, const struct keys_signing *staff, time_t now,
                unsigned char out[SH_REPLY_SIZE])
{
	unsigned char sig[crypto_sign_BYTES];
	char lenbuf[16], sigb64[REPLY_SIG_B64 + 1];
	struct out o = { out, 0, 0 };
	struct tm tm;

	if (r == NULL || staff == NULL || out == NULL || !is_id(r->in_reply_to, strlen(r->in_reply_to)))
		return SH_ERR_USAGE;
	if (r->text_len == 0 || record_check_text(r->text, r->text_len, SH_REPLY_TEXT_MAX,
	                                          SH_REPLY_TEXT_MAX_CHARS, 1) != SH_OK)
		return SH_ERR_FORMAT;
	now -= now % 3600;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(r->created, sizeof(r->created), "%Y-%m-%dT%H:%MZ", &tm) != SH_CREATED_LEN)
		return SH_ERR_USAGE;
	memcpy(r->staff_pk, staff->pk, sizeof(r->staff_pk));
	keys_staff_format(staff->pk, r->staff);

	put(&o, REPLY_VERSION_LINE, sizeof(REPLY_VERSION_LINE) - 1);
	put_line(&o, "In-Reply-To", r->in_reply_to);
	put_line(&o, "Created", r->created);
	put_line(&o, "Staff", r->staff);
	snprintf(lenbuf, sizeof(lenbuf), "%zu", r->text_len);
	put_line(&o, "Text-Length", lenbuf);
	put(&o, "\n", 1);
	put(&o, r->text, r->text_len);
	put(&o, "\n", 1);
	if (o.overflow)
		goto fail;
	crypto_sign_detached(sig, NULL, out, o.len, staff->sk);
	sodium_bin2base64(sigb64, sizeof(sigb64), sig, sizeof(sig),
	                  sodium_base64_VARIANT_ORIGINAL);
	put_line(&o, "Signature", sigb64);
	if (o.overflow)
		goto fail;
	memset(out + o.len, 0, SH_REPLY_SIZE - o.len);
	return SH_OK;
fail:
	sodium_memzero(out, SH_REPLY_SIZE);
	return SH_ERR_TOO_LARGE;
}

static int
check_created_hour(const char *v, size_t n)
{
	struct tm tm;
	const char *end;
	char buf[SH_CREATED_LEN + 1];

	size_t i;

	if (n != SH_CREATED_LEN)
		return -1;
	for (i = 0; i < n; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && (v[i] < '0' || v[i] > '9'))
			return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	end = strptime(buf, "%Y-%m-%dT%H:%MZ", &tm);
	if (end == NULL || *end != '\0' || tm.tm_min != 0 ||
	    buf[4] != '-' || buf[7] != '-' || buf[10] != 'T' || buf[13] != ':')
		return -1;
	return 0;
}

#define FAIL(status, reason) do { st = (status); *why = (reason); goto fail; } while (0)

enum sh_status
reply_parse(const unsigned char *buf, size_t len, struct reply *r, const char **why)
{
	unsigned char sig[crypto_sign_BYTES];
	char sigb64[REPLY_SIG_B64 + 1];
	const char *v, *dummy;
	struct recline in = { buf, len, 0 };
	size_t vlen, i, tlen = 0, signed_len, siglen;
	enum sh_status st;

	if (why == NULL)
		why = &dummy;
	*why = "";
	if (r == NULL || (buf == NULL && len > 0))
		return SH_ERR_USAGE;
	reply_clear(r);
	if (len > SH_REPLY_SIZE)
		FAIL(SH_ERR_TOO_LARGE, "reply larger than its fixed size");
	if (len < sizeof(REPLY_MAGIC) - 1 || memcmp(buf, REPLY_MAGIC, sizeof(REPLY_MAGIC) - 1) != 0)
		FAIL(SH_ERR_FORMAT, "not a safeharbor reply");
	if (len < sizeof(REPLY_VERSION_LINE) - 1 ||
	    memcmp(buf, REPLY_VERSION_LINE, sizeof(REPLY_VERSION_LINE) - 1) != 0)
		FAIL(SH_ERR_VERSION, "unsupported reply version");
	if (len != SH_REPLY_SIZE)
		FAIL(SH_ERR_FORMAT, "reply is truncated");
	in.pos = sizeof(REPLY_VERSION_LINE) - 1;

	if (recline_take(&in, "In-Reply-To", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing In-Reply-To");
	if (!is_id(v, vlen))
		FAIL(SH_ERR_FORMAT, "In-Reply-To is not 32 lowercase hex digits");
	memcpy(r->in_reply_to, v, vlen);

	if (recline_take(&in, "Created", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Created");
	if (check_created_hour(v, vlen) != 0)
		FAIL(SH_ERR_FORMAT, "Created is not YYYY-MM-DDTHH:00Z");
	memcpy(r->created, v, vlen);

	if (recline_take(&in, "Staff", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Staff");
	if (keys_staff_parse(v, vlen, r->staff_pk) != SH_OK)
		FAIL(SH_ERR_FORMAT, "Staff is not a staff key");
	memcpy(r->staff, v, vlen);

	if (recline_take(&in, "Text-Length", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Text-Length");
	if (vlen == 0 || vlen > REPLY_LEN_DIGITS || (vlen > 1 && v[0] == '0'))
		FAIL(SH_ERR_FORMAT, "Text-Length is not a plain decimal number");
	for (i = 0; i < vlen; i++) {
		if (v[i] < '0' || v[i] > '9')
			FAIL(SH_ERR_FORMAT, "Text-Length is not a plain decimal number");
		tlen = tlen * 10 + (size_t)(v[i] - '0');
	}
	if (tlen == 0)
		FAIL(SH_ERR_FORMAT, "empty reply text");
	if (tlen > SH_REPLY_TEXT_MAX)
		FAIL(SH_ERR_TOO_LARGE, "Text-Length over the limit");
	if (in.len - in.pos < 1 || buf[in.pos] != '\n')
		FAIL(SH_ERR_FORMAT, "no blank line after Text-Length");
	in.pos++;
	if (in.len - in.pos < tlen + 1 || buf[in.pos + tlen] != '\n')
		FAIL(SH_ERR_FORMAT, "text does not match Text-Length");
	st = record_check_text((const char *)buf + in.pos, tlen, SH_REPLY_TEXT_MAX,
	                       SH_REPLY_TEXT_MAX_CHARS, 1);
	if (st == SH_ERR_TOO_LARGE)
		FAIL(SH_ERR_TOO_LARGE, "reply text too long");
	if (st != SH_OK)
		FAIL(SH_ERR_FORMAT, "text is not UTF-8 without control characters");
	memcpy(r->text, buf + in.pos, tlen);
	r->text_len = tlen;
	in.pos += tlen + 1;
	signed_len = in.pos;

	if (recline_take(&in, "Signature", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Signature after the text");
	if (vlen != REPLY_SIG_B64 ||
	    sodium_base642bin(sig, sizeof(sig), v, vlen, NULL, &siglen, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 || siglen != sizeof(sig))
		FAIL(SH_ERR_FORMAT, "Signature is not base64 of 64 bytes");
	sodium_bin2base64(sigb64, sizeof(sigb64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	if (memcmp(sigb64, v, REPLY_SIG_B64) != 0)
		FAIL(SH_ERR_FORMAT, "Signature is not canonical base64");
	if (!recline_all_nul(buf + in.pos, in.len - in.pos))
		FAIL(SH_ERR_FORMAT, "padding is not all NUL bytes");
	if (crypto_sign_verify_detached(sig, buf, signed_len, r->staff_pk) != 0) {
		*why = "signature does not verify";
		return SH_ERR_SIGNATURE;
	}
	return SH_OK;
fail:
	reply_clear(r);
	return st;
}

time_t
reply_created_time(const struct reply *r)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (r == NULL || strptime(r->created, "%Y-%m-%dT%H:%MZ", &tm) == NULL)
		return (time_t)-1;
	return timegm(&tm);
}

int
reply_fits_kiosk(const char *text, size_t *rows)
{
	size_t n = screens_wrap(text, SH_REPLY_KIOSK_COLS, NULL, NULL);

	if (rows != NULL)
		*rows = n;
	return n <= SH_REPLY_KIOSK_ROWS;
}
