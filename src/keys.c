/*
 * Key files: the social worker's identities, recipients files and the
 * kiosk's Ed25519 signing key.
 *
 * Decisions:
 * - Identity and recipients files follow age exactly: LF lines (one CR
 *   before the LF tolerated), '#' comments and empty lines skipped, every
 *   other line a whole key with no trimming, at least one key.
 * - A passphrase-protected identity is what `age-keygen | age -p` writes:
 *   an age file with one scrypt stanza around identity text.
 * - Secret files (identities, signing keys) are refused when group or
 *   others have any access (SH_ERR_PERM), are read into sodium_malloc
 *   memory, and are written by fileio's durable writer: 0600, invisible
 *   until complete (O_TMPFILE or a hidden temporary name), fsync'd, then
 *   linked into place (never replacing an existing file) and the directory
 *   fsync'd. An error leaves no file.
 * - The kiosk signing key file is our own small format, in age's style:
 *
 *     # safeharbor kiosk signing key
 *     # public key: shkiosk1...
 *     SAFEHARBOR-KIOSK-SECRET-KEY-1...
 *
 *   The key line is the 32-byte Ed25519 seed, Bech32 with HRP
 *   "safeharbor-kiosk-secret-key-", all uppercase (87 characters). Same
 *   line rules as an identity file; exactly one key line. The public key
 *   comment is informative only. The public token is Bech32 of the 32-byte
 *   Ed25519 public key with HRP "shkiosk", lowercase (66 characters).
 * Non-goals: plugin identities, armored files, SSH keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/age.h"
#include "safeharbor/bech32.h"
#include "safeharbor/fileio.h"
#include "safeharbor/keys.h"

#define SIGNING_HRP "safeharbor-kiosk-secret-key-"
#define SIGNING_STRLEN 87
#define SIGNING_HEADER "# safeharbor kiosk signing key\n"
#define AGE_MAGIC "age-encryption"
#define ARMOR_MAGIC "-----BEGIN AGE"
#define MAGIC_LEN 14

struct keys_identities {
	size_t n;
	struct age_identity id[KEYS_MAX_IDENTITIES];
};

static enum sh_status
errno_status(int e)
{
	if (e == ENOENT)
		return SH_ERR_NOT_FOUND;
	if (e == ENOSPC || e == EDQUOT)
		return SH_ERR_NOSPACE;
	if (e == EEXIST)
		return SH_ERR_EXISTS;
	return SH_ERR_IO;
}

struct keys_identities *
keys_identities_new(void)
{
	struct keys_identities *ids;

	if (sodium_init() < 0)
		return NULL;
	if ((ids = sodium_malloc(sizeof(*ids))) == NULL)
		return NULL;
	sodium_memzero(ids, sizeof(*ids));
	return ids;
}

void
keys_identities_free(struct keys_identities *ids)
{
	if (ids == NULL)
		return;
	sodium_memzero(ids, sizeof(*ids));
	sodium_free(ids);
}

size_t
keys_identities_count(const struct keys_identities *ids)
{
	return ids != NULL ? ids->n : 0;
}

void
keys_identities_unlock(const struct keys_identities *ids, struct age_unlock *u)
{
	u->ids = ids != NULL ? ids->id : NULL;
	u->nids = ids != NULL ? ids->n : 0;
}

enum sh_status
keys_identities_add(struct keys_identities *ids, const struct age_identity *id)
{
	if (ids == NULL || id == NULL)
		return SH_ERR_USAGE;
	if (ids->n >= KEYS_MAX_IDENTITIES)
		return SH_ERR_TOO_LARGE;
	memcpy(&ids->id[ids->n++], id, sizeof(*id));
	return SH_OK;
}

/* age's line discipline: returns the next line (without LF and one CR
 * before it) or NULL at the end. */
struct lines {
	const char *text;
	size_t len, pos, lineno;
};

static const char *
next_line(struct lines *l, size_t *linelen)
{
	const char *start, *nl;
	size_t n;

	if (l->pos >= l->len)
		return NULL;
	start = l->text + l->pos;
	nl = memchr(start, '\n', l->len - l->pos);
	n = nl != NULL ? (size_t)(nl - start) : l->len - l->pos;
	l->pos += n + (nl != NULL);
	l->lineno++;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	*linelen = n;
	return start;
}

static int
skip_line(const char *s, size_t n)
{
	return n == 0 || s[0] == '#';
}

enum sh_status
keys_parse_identities(const char *text, size_t len,
                      struct keys_identities *ids, size_t *errline)
{
	struct lines l = { text, len, 0, 0 };
	struct age_identity *id;
	size_t before, n, dummy;
	const char *s;
	enum sh_status st = SH_OK;

	if (errline == NULL)
		errline = &dummy;
	*errline = 0;
	if (ids == NULL || (text == NULL && len > 0))
		return SH_ERR_USAGE;
	before = ids->n;
	while ((s = next_line(&l, &n)) != NULL) {
		if (skip_line(s, n))
			continue;
		if (ids->n >= KEYS_MAX_IDENTITIES) {
			st = SH_ERR_TOO_LARGE;
			break;
		}
		id = &ids->id[ids->n];
		if (n != AGE_IDENTITY_STRLEN || age_identity_parse(s, n, id) != SH_OK) {
			sodium_memzero(id, sizeof(*id));
			st = SH_ERR_FORMAT;
			break;
		}
		ids->n++;
	}
	if (st == SH_OK && ids->n == before) {
		st = SH_ERR_FORMAT;     /* no key at all */
		l.lineno = 0;
	}
	if (st != SH_OK) {
		*errline = l.lineno;
		sodium_memzero(&ids->id[before], (ids->n - before) * sizeof(ids->id[0]));
		ids->n = before;
	}
	return st;
}

enum sh_status
keys_parse_recipients(const char *text, size_t len, struct age_recipient *out,
                      size_t max, size_t *n, size_t *errline)
{
	struct lines l = { text, len, 0, 0 };
	size_t count = 0, ln, dummy;
	const char *s;

	if (errline == NULL)
		errline = &dummy;
	*errline = 0;
	if (n == NULL || (out == NULL && max > 0) || (text == NULL && len > 0))
		return SH_ERR_USAGE;
	*n = 0;
	while ((s = next_line(&l, &ln)) != NULL) {
		if (skip_line(s, ln))
			continue;
		if (count >= max) {
			*errline = l.lineno;
			return SH_ERR_TOO_LARGE;
		}
		if (ln != AGE_RECIPIENT_STRLEN ||
		    age_recipient_parse(s, ln, &out[count]) != SH_OK) {
			*errline = l.lineno;
			return SH_ERR_FORMAT;
		}
		count++;
	}
	if (count == 0)
		return SH_ERR_FORMAT;
	*n = count;
	return SH_OK;
}

/* Read a key file into sodium_malloc memory, NUL-terminated, through
 * fileio's one reader: a FIFO or device is refused rather than waited on;
 * a link is followed only when this user or root owns it (a key kept
 * elsewhere and linked by its owner), never one planted by another user.
 * The stat only sizes the buffer; the reader checks again on what it
 * reads, so a file that grows in between is refused, not cut short. */
static enum sh_status
read_secure(const char *path, size_t max, int private_only, char **out, size_t *len)
{
	struct stat sb;
	size_t cap = 0, got = 0;
	char *buf;
	int rc;

	if (path == NULL || out == NULL || len == NULL)
		return SH_ERR_USAGE;
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		cap = (uintmax_t)sb.st_size > max ? max : (size_t)sb.st_size;
	if ((buf = sodium_malloc(cap + 1)) == NULL)
		return SH_ERR_NOMEM;
	rc = fileio_read_path(path, FILEIO_LINK_MINE, buf, cap, &got, &sb);
	if (rc == 0 && private_only && (sb.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		rc = 1;
	if (rc != 0) {
		int e = errno;
		sodium_memzero(buf, cap + 1);
		sodium_free(buf);
		if (rc == 1)
			return SH_ERR_PERM;
		if (rc == FILEIO_TOO_LARGE)
			return SH_ERR_TOO_LARGE;
		errno = rc == FILEIO_NOT_REGULAR ? S_ISDIR(sb.st_mode) ? EISDIR : EINVAL : e;
		return errno_status(errno);
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return SH_OK;
}

enum sh_status
keys_read_file_secure(const char *path, size_t max, char **out, size_t *len)
{
	return read_secure(path, max, 0, out, len);
}

static void
free_secure(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	sodium_memzero(buf, len);
	sodium_free(buf);
}

static int
is_encrypted_text(const char *buf, size_t len)
{
	return len >= MAGIC_LEN && (memcmp(buf, AGE_MAGIC, MAGIC_LEN) == 0 ||
	                            memcmp(buf, ARMOR_MAGIC, MAGIC_LEN) == 0);
}

enum sh_status
keys_load_identity_file(const char *path, const char *passphrase, size_t passlen,
                        struct keys_identities *ids, int *was_plain)
{
	struct age_unlock u;
	unsigned char *pt = NULL;
	size_t len, ptlen = 0, errline;
	enum sh_status st;
	char *buf;

	if (ids == NULL)
		return SH_ERR_USAGE;
	if (was_plain != NULL)
		*was_plain = 0;
	if ((st = read_secure(path, KEYS_MAX_FILE, 1, &buf, &len)) != SH_OK)
		return st;
	if (!is_encrypted_text(buf, len)) {
		st = keys_parse_identities(buf, len, ids, &errline);
		if (st == SH_OK && was_plain != NULL)
			*was_plain = 1;
		free_secure(buf, len);
		return st;
	}
	if (memcmp(buf, ARMOR_MAGIC, MAGIC_LEN) == 0) {
		free_secure(buf, len);
		return SH_ERR_FORMAT;   /* armored identities are not supported */
	}
	if (passphrase == NULL) {
		free_secure(buf, len);
		return SH_ERR_PASSPHRASE;
	}
	memset(&u, 0, sizeof(u));
	u.passphrase = passphrase;
	u.passlen = passlen;
	st = age_decrypt_to_secure(&u, (const unsigned char *)buf, len, KEYS_MAX_FILE,
	                           &pt, &ptlen);
	free_secure(buf, len);
	if (st != SH_OK)
		return st;
	st = keys_parse_identities((const char *)pt, ptlen, ids, &errline);
	sodium_memzero(pt, ptlen);
	sodium_free(pt);
	return st;
}

enum sh_status
keys_identity_file_is_encrypted(const char *path, int *encrypted)
{
	enum sh_status st;
	size_t got = 0;
	char *buf;

	if (path == NULL || encrypted == NULL)
		return SH_ERR_USAGE;
	*encrypted = 0;
	/* the same reader and rules as the load that follows */
	if ((st = read_secure(path, KEYS_MAX_FILE, 0, &buf, &got)) != SH_OK)
		return st;
	*encrypted = is_encrypted_text(buf, got < MAGIC_LEN ? got : MAGIC_LEN);
	free_secure(buf, got);
	return SH_OK;
}

/* Create path with exactly data, mode 0600, durably, never replacing an
 * existing file, leaving nothing behind on failure: fileio's one writer. */
static enum sh_status
write_new_file(const char *path, const void *data, size_t len)
{
	if (path == NULL || *path == '\0')
		return SH_ERR_USAGE;
	if (fileio_write_file(path, data, len, 0600, 0) != 0)
		return errno == ENAMETOOLONG ? SH_ERR_TOO_LARGE : errno_status(errno);
	return SH_OK;
}

enum sh_status
keys_write_identity(const char *path, const struct age_identity *id,
                    const char *passphrase, size_t passlen, int logn)
{
	struct age_recipient rcpt;
	char created[32], rstr[AGE_RECIPIENT_STRLEN + 1];
	unsigned char *ct = NULL;
	size_t ctlen = 0, cap, len;
	struct tm tm;
	time_t now = time(NULL);
	enum sh_status st;
	char *text;
	int n;

	if (path == NULL || id == NULL || passphrase == NULL)
		return SH_ERR_USAGE;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return SH_ERR_IO;
	age_identity_recipient(id, &rcpt);
	age_recipient_format(&rcpt, rstr);
	cap = 256;
	if ((text = sodium_malloc(cap)) == NULL)
		return SH_ERR_NOMEM;
	n = snprintf(text, cap, "# created: %s\n# public key: %s\n", created, rstr);
	if (n < 0 || (size_t)n + AGE_IDENTITY_STRLEN + 2 > cap) {
		free_secure(text, cap);
		return SH_ERR_TOO_LARGE;
	}
	len = (size_t)n;
	age_identity_format(id, text + len);
	len += AGE_IDENTITY_STRLEN;
	text[len++] = '\n';
	st = age_encrypt_passphrase_mem(passphrase, passlen, logn,
	                                (const unsigned char *)text, len, &ct, &ctlen);
	free_secure(text, cap);
	if (st != SH_OK)
		return st;
	st = write_new_file(path, ct, ctlen);
	free(ct);
	return st;
}

enum sh_status
keys_load_recipients(const char *path, struct age_recipient *out, size_t max,
                     size_t *n, size_t *errline)
{
	enum sh_status st;
	size_t len;
	char *buf;

	if (errline != NULL)
		*errline = 0;
	if ((st = read_secure(path, KEYS_MAX_FILE, 0, &buf, &len)) != SH_OK)
		return st;
	st = keys_parse_recipients(buf, len, out, max, n, errline);
	free_secure(buf, len);
	return st;
}

/* Kiosk signing key. */

struct keys_signing *
keys_signing_new(void)
{
	struct keys_signing *k;

	if (sodium_init() < 0)
		return NULL;
	if ((k = sodium_malloc(sizeof(*k))) == NULL)
		return NULL;
	sodium_memzero(k, sizeof(*k));
	return k;
}

void
keys_signing_free(struct keys_signing *k)
{
	if (k == NULL)
		return;
	sodium_memzero(k, sizeof(*k));
	sodium_free(k);
}

/* Public key tokens (kiosk, staff): Bech32 of the 32-byte key, one HRP
 * each, KEYS_KIOSK_STRLEN characters. */
static void
token_format(const char *hrp, const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
             char out[KEYS_KIOSK_STRLEN + 1])
{
	if (bech32_encode(hrp, pk, crypto_sign_PUBLICKEYBYTES, out, KEYS_KIOSK_STRLEN + 1) != SH_OK)
		out[0] = '\0';
}

void
keys_kiosk_format(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                  char out[KEYS_KIOSK_STRLEN + 1])
{
	token_format(KEYS_KIOSK_HRP, pk, out);
}

static enum sh_status
token_parse(const char *want_hrp, const char *s, size_t len,
            unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	char hrp[16];
	unsigned char data[crypto_sign_PUBLICKEYBYTES];
	size_t dlen = 0, i;

	if (s == NULL || len != KEYS_KIOSK_STRLEN)
		return SH_ERR_FORMAT;
	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return SH_ERR_FORMAT;       /* public tokens are lowercase */
	if (bech32_decode(s, len, hrp, sizeof(hrp), data, sizeof(data), &dlen) != SH_OK ||
	    strcmp(hrp, want_hrp) != 0 || dlen != sizeof(data))
		return SH_ERR_FORMAT;
	memcpy(pk, data, sizeof(data));
	return SH_OK;
}

enum sh_status
keys_kiosk_parse(const char *s, size_t len, unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	return token_parse(KEYS_KIOSK_HRP, s, len, pk);
}

_Static_assert(KEYS_STAFF_STRLEN == KEYS_KIOSK_STRLEN, "same token length");

void
keys_staff_format(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                  char out[KEYS_STAFF_STRLEN + 1])
{
	token_format(KEYS_STAFF_HRP, pk, out);
}

enum sh_status
keys_staff_parse(const char *s, size_t len, unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	return token_parse(KEYS_STAFF_HRP, s, len, pk);
}

void
keys_staff_derive(const struct age_identity *id, struct keys_signing *out)
{
	unsigned char seed[crypto_sign_SEEDBYTES];

	age_hkdf_sha256(id->sk, sizeof(id->sk), NULL, 0, "safeharbor/staff-key/v1", seed);
	crypto_sign_seed_keypair(out->pk, out->sk, seed);
	sodium_memzero(seed, sizeof(seed));
}

enum sh_status
keys_parse_staff(const char *text, size_t len,
                 unsigned char (*out)[crypto_sign_PUBLICKEYBYTES],
                 size_t max, size_t *n, size_t *errline)
{
	const char *p = text, *end = text + len, *nl;
	size_t line = 0, ll;

	*n = 0;
	*errline = 0;
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		ll = (size_t)((nl != NULL ? nl : end) - p);
		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		if (ll > 0 && p[0] != '#') {
			*errline = line;
			if (*n == max)
				return SH_ERR_TOO_LARGE;
			if (keys_staff_parse(p, ll, out[*n]) != SH_OK)
				return SH_ERR_FORMAT;
			(*n)++;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	*errline = 0;
	return *n > 0 ? SH_OK : SH_ERR_NOT_FOUND;
}

static enum sh_status
signing_line_parse(const char *s, size_t len, struct keys_signing *out)
{
	char hrp[40];
	unsigned char seed[crypto_sign_SEEDBYTES + 1];
	size_t dlen = 0, i;
	enum sh_status st = SH_ERR_FORMAT;

	if (len != SIGNING_STRLEN)
		return SH_ERR_FORMAT;
	for (i = 0; i < len; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return SH_ERR_FORMAT;       /* secret keys are uppercase */
	if (bech32_decode(s, len, hrp, sizeof(hrp), seed, sizeof(seed), &dlen) == SH_OK &&
	    strcmp(hrp, SIGNING_HRP) == 0 && dlen == crypto_sign_SEEDBYTES) {
		crypto_sign_seed_keypair(out->pk, out->sk, seed);
		st = SH_OK;
	}
	sodium_memzero(seed, sizeof(seed));
	return st;
}

enum sh_status
keys_signing_parse(const char *text, size_t len, struct keys_signing *out)
{
	struct lines l = { text, len, 0, 0 };
	const char *s;
	size_t n;
	int found = 0;

	if (out == NULL || (text == NULL && len > 0))
		return SH_ERR_USAGE;
	while ((s = next_line(&l, &n)) != NULL) {
		if (skip_line(s, n))
			continue;
		if (found || signing_line_parse(s, n, out) != SH_OK) {
			sodium_memzero(out, sizeof(*out));
			return SH_ERR_FORMAT;
		}
		found = 1;
	}
	return found ? SH_OK : SH_ERR_FORMAT;
}

enum sh_status
keys_signing_load(const char *path, struct keys_signing *out)
{
	enum sh_status st;
	size_t len;
	char *buf;

	if ((st = read_secure(path, KEYS_MAX_FILE, 1, &buf, &len)) != SH_OK)
		return st;
	st = keys_signing_parse(buf, len, out);
	free_secure(buf, len);
	return st;
}

enum sh_status
keys_signing_create(const char *path, struct keys_signing *out)
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	char token[KEYS_KIOSK_STRLEN + 1];
	size_t cap = 256, len, i;
	enum sh_status st;
	char *text;
	int n;

	if (path == NULL || out == NULL)
		return SH_ERR_USAGE;
	if (access(path, F_OK) == 0)
		return SH_ERR_EXISTS;
	if ((text = sodium_malloc(cap)) == NULL)
		return SH_ERR_NOMEM;
	crypto_sign_keypair(out->pk, out->sk);
	crypto_sign_ed25519_sk_to_seed(seed, out->sk);
	keys_kiosk_format(out->pk, token);
	n = snprintf(text, cap, SIGNING_HEADER "# public key: %s\n", token);
	if (n < 0 || (size_t)n + SIGNING_STRLEN + 2 > cap) {
		st = SH_ERR_TOO_LARGE;
		goto out;
	}
	len = (size_t)n;
	st = bech32_encode(SIGNING_HRP, seed, sizeof(seed), text + len, cap - len);
	if (st != SH_OK || strlen(text + len) != SIGNING_STRLEN) {
		st = SH_ERR_FORMAT;
		goto out;
	}
	for (i = len; i < len + SIGNING_STRLEN; i++)
		if (text[i] >= 'a' && text[i] <= 'z')
			text[i] = (char)(text[i] - 'a' + 'A');
	len += SIGNING_STRLEN;
	text[len++] = '\n';
	st = write_new_file(path, text, len);
out:
	sodium_memzero(seed, sizeof(seed));
	free_secure(text, cap);
	if (st != SH_OK)
		sodium_memzero(out, sizeof(*out));
	return st;
}
