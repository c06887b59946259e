/*
 * The record: a student's request as signed, padded UTF-8 text (SPEC §5).
 *
 * Decisions:
 * - One canonical form. The writer emits exactly one byte string for a
 *   given record, and the parser accepts only that form: fixed line order,
 *   exact field names, optional fields at most once in enum order and never
 *   empty, Message-Length without leading zeros, base64 signature with
 *   padding (88 characters, re-encoded and compared), NUL padding to exactly
 *   SH_RECORD_SIZE. Anything else is refused with a short static reason.
 * - Text is validated UTF-8 (no overlongs, surrogates or code points past
 *   U+10FFFF) without control characters (C0, DEL, C1); only the message
 *   may hold LF and TAB. Limits count both bytes and characters.
 * - The parser never reads past len: every scan is memchr/bounded.
 * - A bad signature on a well-formed record still fills the record, so the
 *   tool can show it marked "not from an enrolled kiosk".
 * - struct record lives in sodium_malloc memory and is wiped on free and
 *   on every parse failure.
 * Non-goals: other versions, lenient reading, line-ending repair.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "safeharbor/recline.h"
#include "safeharbor/record.h"

#define REC_MAGIC "SAFEHARBOR-RECORD "
#define REC_VERSION_LINE "SAFEHARBOR-RECORD 1\n"
#define REC_SIG_B64 88          /* base64 of 64 bytes, with padding */
#define REC_LEN_DIGITS 5        /* SH_MESSAGE_MAX has at most this many */

static const char *const field_names[RECORD_NFIELDS] = {
	"Name", "Grade", "Teacher", "Best-Time", "Contact-Way",
	"Friend-Name", "Friend-Grade",
};
static const char *const about_names[RECORD_ABOUT_N] = { "self", "friend", "info", "test", "reply" };
static const char *const danger_names[] = { "no", "yes", "unsure" };

#define LINE(name, value) (sizeof(name ": ") - 1 + (value) + 1)
#define REC_FIELDS_MAX (LINE("Name", SH_FIELD_MAX) + LINE("Grade", SH_FIELD_MAX) + \
	LINE("Teacher", SH_FIELD_MAX) + LINE("Best-Time", SH_FIELD_MAX) + \
	LINE("Contact-Way", SH_FIELD_MAX) + LINE("Friend-Name", SH_FIELD_MAX) + \
	LINE("Friend-Grade", SH_FIELD_MAX))
#define REC_LARGEST (sizeof(REC_VERSION_LINE) - 1 + LINE("Id", SH_RECORD_ID_HEX) + \
	LINE("Created", SH_CREATED_LEN) + LINE("Kiosk", KEYS_KIOSK_STRLEN) + \
	LINE("About", 6) + LINE("Reply-To", AGE_RECIPIENT_STRLEN) + \
	LINE("In-Reply-To", SH_RECORD_ID_HEX) + LINE("Danger", 6) + LINE("Language", SH_LANGUAGE_MAX) + \
	REC_FIELDS_MAX + LINE("Message-Length", REC_LEN_DIGITS) + 1 + \
	SH_MESSAGE_MAX + 1 + LINE("Signature", REC_SIG_B64))
_Static_assert(REC_LARGEST <= SH_RECORD_SIZE, "the largest valid record must fit SH_RECORD_SIZE");
_Static_assert(SH_MESSAGE_MAX < 100000, "Message-Length digits");

struct record *
record_new(void)
{
	struct record *r;

	if (sodium_init() < 0)
		return NULL;
	if ((r = sodium_malloc(sizeof(*r))) == NULL)
		return NULL;
	record_clear(r);
	return r;
}

void
record_free(struct record *r)
{
	if (r == NULL)
		return;
	sodium_memzero(r, sizeof(*r));
	sodium_free(r);
}

void
record_clear(struct record *r)
{
	sodium_memzero(r, sizeof(*r));
	r->about = RECORD_ABOUT_SELF;
	r->danger = RECORD_DANGER_NO;
	memcpy(r->language, "en", 3);
}

const char *
record_field_name(enum record_field f)
{
	return (unsigned)f < RECORD_NFIELDS ? field_names[f] : "?";
}

const char *
record_about_str(enum record_about a)
{
	return (unsigned)a < RECORD_ABOUT_N ? about_names[a] : "?";
}

const char *
record_danger_str(enum record_danger d)
{
	return (unsigned)d < 3 ? danger_names[d] : "?";
}

static int
is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

enum sh_status
record_check_text(const char *s, size_t len, size_t max_bytes,
                  size_t max_chars, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, chars = 0;
	unsigned char c, lo, hi;
	size_t need;

	if (s == NULL && len > 0)
		return SH_ERR_USAGE;
	if (len > max_bytes)
		return SH_ERR_TOO_LARGE;
	while (i < len) {
		c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 || c == 0x7F) &&
			    !(multiline && (c == '\n' || c == '\t')))
				return SH_ERR_FORMAT;
			i++;
			chars++;
			continue;
		}
		lo = 0x80;
		hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			/* C1 controls U+0080..U+009F */
			if (c == 0xC2)
				lo = 0xA0;
		} else if (c == 0xE0) {
			need = 2; lo = 0xA0;
		} else if (c >= 0xE1 && c <= 0xEF) {
			need = 2;
			if (c == 0xED)
				hi = 0x9F;   /* no surrogates */
		} else if (c == 0xF0) {
			need = 3; lo = 0x90;
		} else if (c >= 0xF1 && c <= 0xF3) {
			need = 3;
		} else if (c == 0xF4) {
			need = 3; hi = 0x8F;
		} else {
			return SH_ERR_FORMAT;
		}
		if (len - i <= need)
			return SH_ERR_FORMAT;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return SH_ERR_FORMAT;
		if (need >= 2 && !is_cont(p[i + 2]))
			return SH_ERR_FORMAT;
		if (need == 3 && !is_cont(p[i + 3]))
			return SH_ERR_FORMAT;
		i += need + 1;
		chars++;
	}
	if (chars > max_chars)
		return SH_ERR_TOO_LARGE;
	return SH_OK;
}

static int
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_alnum(char c)
{
	return is_lower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

enum sh_status
record_check_language(const char *s, size_t len)
{
	size_t i = 0, n;

	if (s == NULL || len > SH_LANGUAGE_MAX)
		return SH_ERR_FORMAT;
	while (i < len && is_lower(s[i]))
		i++;
	if (i < 2 || i > 3)
		return SH_ERR_FORMAT;
	if (i == len)
		return SH_OK;
	if (s[i] != '-')
		return SH_ERR_FORMAT;
	n = 0;
	for (i++; i < len && is_alnum(s[i]); i++)
		n++;
	if (i != len || n < 2 || n > 8)
		return SH_ERR_FORMAT;
	return SH_OK;
}

enum sh_status
record_set_field(struct record *r, enum record_field f, const char *s, size_t len)
{
	enum sh_status st;

	if (r == NULL || (unsigned)f >= RECORD_NFIELDS)
		return SH_ERR_USAGE;
	if ((st = record_check_text(s, len, SH_FIELD_MAX, SH_FIELD_MAX_CHARS, 0)) != SH_OK)
		return st;
	sodium_memzero(r->field[f], sizeof(r->field[f]));
	if (len > 0)
		memcpy(r->field[f], s, len);
	return SH_OK;
}

enum sh_status
record_set_message(struct record *r, const char *s, size_t len)
{
	enum sh_status st;

	if (r == NULL)
		return SH_ERR_USAGE;
	if ((st = record_check_text(s, len, SH_MESSAGE_MAX, SH_MESSAGE_MAX_CHARS, 1)) != SH_OK)
		return st;
	sodium_memzero(r->message, sizeof(r->message));
	if (len > 0)
		memcpy(r->message, s, len);
	r->message_len = len;
	return SH_OK;
}

enum sh_status
record_set_language(struct record *r, const char *lang)
{
	size_t len;

	if (r == NULL || lang == NULL)
		return SH_ERR_USAGE;
	len = strnlen(lang, SH_LANGUAGE_MAX + 1);
	if (record_check_language(lang, len) != SH_OK)
		return SH_ERR_FORMAT;
	memset(r->language, 0, sizeof(r->language));
	memcpy(r->language, lang, len);
	return SH_OK;
}

/* Bounded writer over the output buffer. */
struct out {
	unsigned char *buf;
	size_t cap, len;
	int overflow;
};

static void
put(struct out *o, const void *p, size_t n)
{
	if (o->overflow || n > o->cap - o->len) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void
put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
put_line(struct out *o, const char *name, const char *value, size_t vlen)
{
	put_str(o, name);
	put(o, ": ", 2);
	put(o, value, vlen);
	put(o, "\n", 1);
}

enum sh_status
record_serialize(struct record *r, const struct keys_signing *k,
                 time_t now, unsigned char out[SH_RECORD_SIZE])
{
	unsigned char idb[SH_RECORD_ID_HEX / 2], sig[crypto_sign_BYTES];
	char lenbuf[16], sigb64[REC_SIG_B64 + 1];
	struct out o = { out, SH_RECORD_SIZE, 0, 0 };
	struct tm tm;
	size_t i, flen;
	enum sh_status st;

	if (r == NULL || k == NULL || out == NULL)
		return SH_ERR_USAGE;
	if ((unsigned)r->about >= RECORD_ABOUT_N || (unsigned)r->danger > RECORD_DANGER_UNSURE)
		return SH_ERR_USAGE;
	if ((r->about == RECORD_ABOUT_REPLY) !=
	    (recline_check_id(r->in_reply_to, strnlen(r->in_reply_to, sizeof(r->in_reply_to))) == 0) ||
	    (r->about == RECORD_ABOUT_REPLY && !r->has_reply_to))
		return SH_ERR_USAGE;
	if (record_check_language(r->language, strnlen(r->language, sizeof(r->language))) != SH_OK)
		return SH_ERR_FORMAT;
	for (i = 0; i < RECORD_NFIELDS; i++) {
		flen = strnlen(r->field[i], sizeof(r->field[i]));
		if ((st = record_check_text(r->field[i], flen, SH_FIELD_MAX,
		                            SH_FIELD_MAX_CHARS, 0)) != SH_OK)
			return st;
	}
	if ((st = record_check_text(r->message, r->message_len, SH_MESSAGE_MAX,
	                            SH_MESSAGE_MAX_CHARS, 1)) != SH_OK)
		return st;
	/* To the hour (SPEC §5): nothing finer about when a student sat at
	 * the kiosk. Readers still accept minutes (records from wave 1). */
	now -= now % SH_CREATED_GRAIN;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(r->created, sizeof(r->created), "%Y-%m-%dT%H:%MZ", &tm) != SH_CREATED_LEN)
		return SH_ERR_USAGE;

	randombytes_buf(idb, sizeof(idb));
	sodium_bin2hex(r->id, sizeof(r->id), idb, sizeof(idb));
	memcpy(r->kiosk_pk, k->pk, sizeof(r->kiosk_pk));
	keys_kiosk_format(k->pk, r->kiosk);

	put_str(&o, REC_VERSION_LINE);
	put_line(&o, "Id", r->id, SH_RECORD_ID_HEX);
	put_line(&o, "Created", r->created, SH_CREATED_LEN);
	put_line(&o, "Kiosk", r->kiosk, KEYS_KIOSK_STRLEN);
	put_line(&o, "About", about_names[r->about], strlen(about_names[r->about]));
	if (r->has_reply_to) {
		struct age_recipient rk;
		char rt[AGE_RECIPIENT_STRLEN + 1];

		memcpy(rk.pk, r->reply_to, sizeof(rk.pk));
		age_recipient_format(&rk, rt);
		put_line(&o, "Reply-To", rt, AGE_RECIPIENT_STRLEN);
	}
	if (r->about == RECORD_ABOUT_REPLY)
		put_line(&o, "In-Reply-To", r->in_reply_to, SH_RECORD_ID_HEX);
	put_line(&o, "Danger", danger_names[r->danger], strlen(danger_names[r->danger]));
	put_line(&o, "Language", r->language, strlen(r->language));
	for (i = 0; i < RECORD_NFIELDS; i++) {
		flen = strnlen(r->field[i], sizeof(r->field[i]));
		if (flen > 0)
			put_line(&o, field_names[i], r->field[i], flen);
	}
	snprintf(lenbuf, sizeof(lenbuf), "%zu", r->message_len);
	put_line(&o, "Message-Length", lenbuf, strlen(lenbuf));
	put(&o, "\n", 1);
	put(&o, r->message, r->message_len);
	put(&o, "\n", 1);
	if (o.overflow)
		goto fail;

	crypto_sign_detached(sig, NULL, out, o.len, k->sk);
	sodium_bin2base64(sigb64, sizeof(sigb64), sig, sizeof(sig),
	                  sodium_base64_VARIANT_ORIGINAL);
	put_line(&o, "Signature", sigb64, REC_SIG_B64);
	if (o.overflow)
		goto fail;
	memset(out + o.len, 0, SH_RECORD_SIZE - o.len);
	return SH_OK;

fail:
	sodium_memzero(out, SH_RECORD_SIZE);
	return SH_ERR_TOO_LARGE;
}

/* Name of the next line (up to ": "), for telling unknown from misplaced. */
static int
peek_field(const struct recline *in)
{
	size_t rest = in->len - in->pos, nlen;
	const unsigned char *p = in->buf + in->pos;
	int i;

	for (i = 0; i < RECORD_NFIELDS; i++) {
		nlen = strlen(field_names[i]);
		if (rest > nlen + 1 && memcmp(p, field_names[i], nlen) == 0 &&
		    p[nlen] == ':' && p[nlen + 1] == ' ')
			return i;
	}
	return -1;
}

static int
pick(const char *v, size_t vlen, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == vlen && memcmp(v, names[i], vlen) == 0)
			return i;
	return -1;
}

static int
digits(const char *s, size_t from, size_t n)
{
	size_t i;

	for (i = from; i < from + n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
num2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int
check_created(const char *v, size_t n)
{
	int mon, day, hour, min;

	if (n != SH_CREATED_LEN || !digits(v, 0, 4) || v[4] != '-' ||
	    !digits(v, 5, 2) || v[7] != '-' || !digits(v, 8, 2) ||
	    v[10] != 'T' || !digits(v, 11, 2) || v[13] != ':' ||
	    !digits(v, 14, 2) || v[16] != 'Z')
		return -1;
	mon = num2(v + 5);
	day = num2(v + 8);
	hour = num2(v + 11);
	min = num2(v + 14);
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59)
		return -1;
	return 0;
}

#define FAIL(status, reason) do { st = (status); *why = (reason); goto fail; } while (0)

enum sh_status
record_parse(const unsigned char *buf, size_t len, struct record *r, const char **why)
{
	static const char *const misplaced[RECORD_NFIELDS] = {
		"Name is out of order or repeated",
		"Grade is out of order or repeated",
		"Teacher is out of order or repeated",
		"Best-Time is out of order or repeated",
		"Contact-Way is out of order or repeated",
		"Friend-Name is out of order or repeated",
		"Friend-Grade is out of order or repeated",
	};
	const char *dummy, *v;
	unsigned char sig[crypto_sign_BYTES];
	char sigb64[REC_SIG_B64 + 1];
	struct recline in = { buf, len, 0 };
	size_t vlen, mlen, i, signed_len, siglen;
	enum sh_status st;
	int k, last = -1;

	if (why == NULL)
		why = &dummy;
	*why = "";
	if (r == NULL || (buf == NULL && len > 0))
		return SH_ERR_USAGE;
	record_clear(r);
	if (len > SH_RECORD_SIZE)
		FAIL(SH_ERR_TOO_LARGE, "record larger than its fixed size");
	if (len < sizeof(REC_MAGIC) - 1 || memcmp(buf, REC_MAGIC, sizeof(REC_MAGIC) - 1) != 0)
		FAIL(SH_ERR_FORMAT, "not a safeharbor record");
	if (len < sizeof(REC_VERSION_LINE) - 1 ||
	    memcmp(buf, REC_VERSION_LINE, sizeof(REC_VERSION_LINE) - 1) != 0)
		FAIL(SH_ERR_VERSION, "unsupported record version");
	if (len != SH_RECORD_SIZE)
		FAIL(SH_ERR_FORMAT, "record is truncated");
	in.pos = sizeof(REC_VERSION_LINE) - 1;

	if (recline_take(&in, "Id", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Id");
	if (recline_check_id(v, vlen) != 0)
		FAIL(SH_ERR_FORMAT, "Id is not 32 lowercase hex digits");
	memcpy(r->id, v, vlen);

	if (recline_take(&in, "Created", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Created");
	if (check_created(v, vlen) != 0)
		FAIL(SH_ERR_FORMAT, "Created is not YYYY-MM-DDTHH:MMZ");
	memcpy(r->created, v, vlen);

	if (recline_take(&in, "Kiosk", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Kiosk");
	if (vlen != KEYS_KIOSK_STRLEN || keys_kiosk_parse(v, vlen, r->kiosk_pk) != SH_OK)
		FAIL(SH_ERR_FORMAT, "Kiosk is not a kiosk key");
	memcpy(r->kiosk, v, vlen);

	if (recline_take(&in, "About", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing About");
	if ((k = pick(v, vlen, about_names, RECORD_ABOUT_N)) < 0)
		FAIL(SH_ERR_FORMAT, "About is not self, friend, info, test or reply");
	r->about = (enum record_about)k;

	if (recline_take(&in, "Reply-To", &v, &vlen) == 0) {
		struct age_recipient rk;

		if (age_recipient_parse(v, vlen, &rk) != SH_OK)
			FAIL(SH_ERR_FORMAT, "Reply-To is not an age1 recipient");
		memcpy(r->reply_to, rk.pk, sizeof(r->reply_to));
		r->has_reply_to = 1;
	}
	if (r->about == RECORD_ABOUT_REPLY) {
		if (!r->has_reply_to)
			FAIL(SH_ERR_FORMAT, "a reply without Reply-To");
		if (recline_take(&in, "In-Reply-To", &v, &vlen) != 0)
			FAIL(SH_ERR_FORMAT, "missing In-Reply-To after About: reply");
		if (recline_check_id(v, vlen) != 0)
			FAIL(SH_ERR_FORMAT, "In-Reply-To is not 32 lowercase hex digits");
		memcpy(r->in_reply_to, v, vlen);
	}

	if (recline_take(&in, "Danger", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Danger");
	if ((k = pick(v, vlen, danger_names, 3)) < 0)
		FAIL(SH_ERR_FORMAT, "Danger is not yes, no or unsure");
	r->danger = (enum record_danger)k;

	if (recline_take(&in, "Language", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Language");
	if (record_check_language(v, vlen) != SH_OK)
		FAIL(SH_ERR_FORMAT, "Language is not a language code");
	memset(r->language, 0, sizeof(r->language));
	memcpy(r->language, v, vlen);

	while (recline_take(&in, "Message-Length", &v, &vlen) != 0) {
		if ((k = peek_field(&in)) < 0)
			FAIL(SH_ERR_FORMAT, "unknown or missing field before Message-Length");
		if (k <= last)
			FAIL(SH_ERR_FORMAT, misplaced[k]);
		if (recline_take(&in, field_names[k], &v, &vlen) != 0)
			FAIL(SH_ERR_FORMAT, "field line is not terminated");
		if (vlen == 0)
			FAIL(SH_ERR_FORMAT, "empty optional field");
		st = record_check_text(v, vlen, SH_FIELD_MAX, SH_FIELD_MAX_CHARS, 0);
		if (st == SH_ERR_TOO_LARGE)
			FAIL(SH_ERR_TOO_LARGE, "field too long");
		if (st != SH_OK)
			FAIL(SH_ERR_FORMAT, "field is not UTF-8 text without control characters");
		memcpy(r->field[k], v, vlen);
		last = k;
	}
	if (vlen == 0 || vlen > REC_LEN_DIGITS || !digits(v, 0, vlen) ||
	    (vlen > 1 && v[0] == '0'))
		FAIL(SH_ERR_FORMAT, "Message-Length is not a plain decimal number");
	mlen = 0;
	for (i = 0; i < vlen; i++)
		mlen = mlen * 10 + (size_t)(v[i] - '0');
	if (mlen > SH_MESSAGE_MAX)
		FAIL(SH_ERR_TOO_LARGE, "Message-Length over the limit");
	if (in.len - in.pos < 1 || in.buf[in.pos] != '\n')
		FAIL(SH_ERR_FORMAT, "no blank line after Message-Length");
	in.pos++;
	if (in.len - in.pos < mlen + 1 || in.buf[in.pos + mlen] != '\n')
		FAIL(SH_ERR_FORMAT, "message does not match Message-Length");
	st = record_check_text((const char *)in.buf + in.pos, mlen, SH_MESSAGE_MAX,
	                       SH_MESSAGE_MAX_CHARS, 1);
	if (st == SH_ERR_TOO_LARGE)
		FAIL(SH_ERR_TOO_LARGE, "message too long");
	if (st != SH_OK)
		FAIL(SH_ERR_FORMAT, "message is not UTF-8 text without control characters");
	memcpy(r->message, in.buf + in.pos, mlen);
	r->message_len = mlen;
	in.pos += mlen + 1;
	signed_len = in.pos;

	if (recline_take(&in, "Signature", &v, &vlen) != 0)
		FAIL(SH_ERR_FORMAT, "missing Signature after the message");
	if (vlen != REC_SIG_B64 ||
	    sodium_base642bin(sig, sizeof(sig), v, vlen, NULL, &siglen, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    siglen != sizeof(sig))
		FAIL(SH_ERR_FORMAT, "Signature is not base64 of 64 bytes");
	sodium_bin2base64(sigb64, sizeof(sigb64), sig, sizeof(sig),
	                  sodium_base64_VARIANT_ORIGINAL);
	if (memcmp(sigb64, v, REC_SIG_B64) != 0)
		FAIL(SH_ERR_FORMAT, "Signature is not canonical base64");
	if (!recline_all_nul(in.buf + in.pos, in.len - in.pos))
		FAIL(SH_ERR_FORMAT, "padding is not all NUL bytes");
	r->used = in.pos;

	if (crypto_sign_verify_detached(sig, buf, signed_len, r->kiosk_pk) != 0) {
		*why = "signature does not verify";
		return SH_ERR_SIGNATURE;
	}
	return SH_OK;

fail:
	record_clear(r);
	return st;
}
