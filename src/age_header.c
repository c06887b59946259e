/*
 * Strict age v1 header parser, structural stanza checks and header MAC.
 * Decisions: parse in one pass over bytes already in memory and report
 * "need more" when the input ends inside the header, so the fd reader can
 * read on and the memory reader can call it a malformed header. Bodies are
 * decoded into a fixed arena; arguments stay as offsets into the input.
 * Everything the spec leaves open is refused: empty/odd arguments, lenient
 * base64, long lines, a full line without a closing short line.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "age_internal.h"

static int
is_b64_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/*
 * Canonical unpadded base64. The alphabet is checked here first because
 * libsodium 1.0.18's decoder takes a byte with the high bit set as '+' or
 * '/' when it compares them as signed chars (0xaf decodes like '/').
 */
int
age_b64_decode(unsigned char *bin, size_t binmax, const unsigned char *b64,
               size_t b64len, size_t *binlen)
{
	size_t i;

	*binlen = 0;
	if (b64len == 0)
		return 0;
	for (i = 0; i < b64len; i++)
		if (!is_b64_char(b64[i]))
			return -1;
	return sodium_base642bin(bin, binmax, (const char *)b64, b64len, NULL,
	                         binlen, NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

static int
is_arg_char(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e;
}

static enum sh_status
parse_version(const unsigned char *buf, size_t len)
{
	static const char prefix[] = "age-encryption.org/";
	size_t n = len < AGE_VERSION_LEN ? len : AGE_VERSION_LEN;

	if (memcmp(buf, AGE_VERSION_LINE, n) == 0)
		return n == AGE_VERSION_LEN ? SH_OK : AGE_NEED_MORE;
	/* Same prefix, other version: say so; anything else is just malformed. */
	if (len >= sizeof prefix - 1 && memcmp(buf, prefix, sizeof prefix - 1) == 0 &&
	    !(len >= AGE_VERSION_LEN && memcmp(buf, AGE_VERSION_LINE, AGE_VERSION_LEN - 1) == 0))
		return SH_ERR_VERSION;
	return SH_ERR_FORMAT;
}

/* Arguments after "->": each is one space then 1+ visible ASCII bytes. */
static enum sh_status
parse_args(const unsigned char *buf, size_t p, size_t end, struct age_stanza *s)
{
	s->nargs = 0;
	while (p < end) {
		size_t start;

		if (buf[p] != ' ')
			return SH_ERR_FORMAT;
		start = ++p;
		while (p < end && is_arg_char(buf[p]))
			p++;
		if (p == start || (p < end && buf[p] != ' '))
			return SH_ERR_FORMAT;
		if (s->nargs == AGE_MAX_ARGS)
			return SH_ERR_TOO_LARGE;
		s->argoff[s->nargs] = start;
		s->arglen[s->nargs] = p - start;
		s->nargs++;
	}
	return s->nargs == 0 ? SH_ERR_FORMAT : SH_OK;
}

enum sh_status
age_header_parse(const unsigned char *buf, size_t len, struct age_header *h)
{
	enum sh_status st;
	size_t pos = AGE_VERSION_LEN;

	h->nstanzas = 0;
	h->arenalen = 0;
	h->mac_input_len = 0;
	h->payload_off = 0;
	if ((st = parse_version(buf, len)) != SH_OK)
		return st;
	for (;;) {
		struct age_stanza *s;
		const unsigned char *nl;
		size_t avail = len - pos;

		if (avail < 3) {
			if (avail > 0 && buf[pos] != '-')
				return SH_ERR_FORMAT;
			if (avail > 1 && buf[pos + 1] != '>' && buf[pos + 1] != '-')
				return SH_ERR_FORMAT;
			return AGE_NEED_MORE;
		}
		if (memcmp(buf + pos, "---", 3) == 0)
			break;
		if (buf[pos] != '-' || buf[pos + 1] != '>')
			return SH_ERR_FORMAT;
		if (h->nstanzas == AGE_MAX_STANZAS)
			return SH_ERR_TOO_LARGE;
		s = &h->st[h->nstanzas];
		nl = memchr(buf + pos, '\n', avail);
		if (nl == NULL)
			return AGE_NEED_MORE;
		if ((st = parse_args(buf, pos + 2, (size_t)(nl - buf), s)) != SH_OK)
			return st;
		pos = (size_t)(nl - buf) + 1;
		s->bodyoff = h->arenalen;
		s->bodylen = 0;
		for (;;) {
			size_t linelen, got;

			avail = len - pos;
			nl = memchr(buf + pos, '\n', avail < 65 ? avail : 65);
			if (nl == NULL)
				return avail > 64 ? SH_ERR_FORMAT : AGE_NEED_MORE;
			linelen = (size_t)(nl - (buf + pos));
			if (linelen > 64)
				return SH_ERR_FORMAT;
			if (h->arenalen + 48 > sizeof h->arena)
				return SH_ERR_TOO_LARGE;
			if (age_b64_decode(h->arena + h->arenalen, 48, buf + pos,
			                   linelen, &got) != 0)
				return SH_ERR_FORMAT;
			h->arenalen += got;
			s->bodylen += got;
			pos += linelen + 1;
			if (linelen < 64)
				break;
		}
		h->nstanzas++;
	}
	if (h->nstanzas == 0)
		return SH_ERR_FORMAT;
	/* MAC line: "---", one space, 43 canonical base64 chars, LF. */
	if (len - pos < AGE_MAC_LINE_LEN) {
		if (len - pos > 3 && buf[pos + 3] != ' ')
			return SH_ERR_FORMAT;
		return AGE_NEED_MORE;
	}
	{
		size_t got;

		if (buf[pos + 3] != ' ' || buf[pos + 47] != '\n')
			return SH_ERR_FORMAT;
		if (age_b64_decode(h->mac, sizeof h->mac, buf + pos + 4, 43, &got) != 0 ||
		    got != sizeof h->mac)
			return SH_ERR_FORMAT;
	}
	h->mac_input_len = pos + 3;
	h->payload_off = pos + AGE_MAC_LINE_LEN;
	return SH_OK;
}

int
age_arg_is(const unsigned char *hdr, const struct age_stanza *s, size_t i,
           const char *str)
{
	size_t n = strlen(str);

	return i < s->nargs && s->arglen[i] == n &&
	       memcmp(hdr + s->argoff[i], str, n) == 0;
}

/* logN: ^[1-9][0-9]*$, and at most max. Returns the value or -1. */
static int
parse_logn(const unsigned char *p, size_t n, int max)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 2 || p[0] < '1' || p[0] > '9')
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v > max ? -1 : v;
}

/*
 * Checks the stanzas this reader knows (X25519, scrypt) before any key is
 * tried, so a malformed recognized stanza is a header failure whatever the
 * identities are. Unknown types (grease) are only syntax-checked.
 */
enum sh_status
age_header_structure(const unsigned char *hdr, const struct age_header *h,
                     int max_logn)
{
	size_t i, got;
	unsigned char tmp[33];

	if (max_logn <= 0 || max_logn > AGE_SCRYPT_MAX_LOGN)
		max_logn = AGE_SCRYPT_MAX_LOGN;
	for (i = 0; i < h->nstanzas; i++) {
		const struct age_stanza *s = &h->st[i];

		if (age_arg_is(hdr, s, 0, "X25519")) {
			if (s->nargs != 2 || s->bodylen != 32 ||
			    age_b64_decode(tmp, sizeof tmp, hdr + s->argoff[1],
			                   s->arglen[1], &got) != 0 || got != 32)
				return SH_ERR_FORMAT;
		} else if (age_arg_is(hdr, s, 0, "scrypt")) {
			if (h->nstanzas != 1 || s->nargs != 3 || s->bodylen != 32 ||
			    age_b64_decode(tmp, sizeof tmp, hdr + s->argoff[1],
			                   s->arglen[1], &got) != 0 || got != 16 ||
			    parse_logn(hdr + s->argoff[2], s->arglen[2], max_logn) < 0)
				return SH_ERR_FORMAT;
		}
	}
	return SH_OK;
}

int
age_scrypt_logn(const unsigned char *hdr, const struct age_stanza *s)
{
	return parse_logn(hdr + s->argoff[2], s->arglen[2], AGE_SCRYPT_MAX_LOGN);
}

void
age_header_mac(const unsigned char fk[AGE_FILE_KEY_LEN],
               const unsigned char *hdr, size_t len, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;
	unsigned char key[32];

	age_hkdf_sha256(fk, AGE_FILE_KEY_LEN, NULL, 0, "header", key);
	crypto_auth_hmacsha256_init(&st, key, sizeof key);
	crypto_auth_hmacsha256_update(&st, hdr, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
	sodium_memzero(key, sizeof key);
}

enum sh_status
age_header_check(const unsigned char *in, size_t inlen, size_t *payload_off)
{
	struct age_header *h;
	enum sh_status st;
	size_t n = inlen < AGE_MAX_HEADER ? inlen : AGE_MAX_HEADER;

	if (payload_off != NULL)
		*payload_off = 0;
	if (in == NULL && inlen > 0)
		return SH_ERR_USAGE;
	if ((h = malloc(sizeof *h)) == NULL)
		return SH_ERR_NOMEM;
	st = age_header_parse(in, n, h);
	if (st == AGE_NEED_MORE)
		st = inlen > AGE_MAX_HEADER ? SH_ERR_TOO_LARGE : SH_ERR_FORMAT;
	if (st == SH_OK)
		st = age_header_structure(in, h, 0);
	if (st == SH_OK && payload_off != NULL)
		*payload_off = h->payload_off;
	free(h);
	return st;
}
