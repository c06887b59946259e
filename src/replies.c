/*
 * The replies folder: naming, storing and finding sealed replies (SPEC §9).
 *
 * Decisions:
 * - A name is a keyed-free hash of the reply public key and a slot number.
 *   The public key is inside the sealed request only, so the name says
 *   nothing to anyone who holds neither the code nor the request; two
 *   answers to one request have unrelated names.
 * - Slots are taken in order with fileio's durable writer, which never
 *   replaces a file: two writers racing for a slot both succeed, in
 *   different slots.
 * - Every file is age_encrypted_size(1, SH_REPLY_SIZE) bytes; a reader
 *   refuses any other size before decrypting.
 * - A reader treats "no folder", "no file", "not for this key", "signed by
 *   someone not trusted" and "expired" alike: nothing to show.
 * Non-goals: deleting replies (purge does that), listing the folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/fileio.h"
#include "safeharbor/replies.h"

#define NAME_DOMAIN "safeharbor/reply-name/v1"

void
replies_name(const struct age_recipient *rk, unsigned slot, char out[REPLIES_NAME_LEN + 1])
{
	crypto_generichash_state h;
	unsigned char d[REPLIES_NAME_HEX / 2], s[4];

	s[0] = (unsigned char)(slot >> 24);
	s[1] = (unsigned char)(slot >> 16);
	s[2] = (unsigned char)(slot >> 8);
	s[3] = (unsigned char)slot;
	crypto_generichash_init(&h, NULL, 0, sizeof(d));
	crypto_generichash_update(&h, (const unsigned char *)NAME_DOMAIN, sizeof(NAME_DOMAIN));
	crypto_generichash_update(&h, rk->pk, sizeof(rk->pk));
	crypto_generichash_update(&h, s, sizeof(s));
	crypto_generichash_final(&h, d, sizeof(d));
	sodium_bin2hex(out, REPLIES_NAME_HEX + 1, d, sizeof(d));
	memcpy(out + REPLIES_NAME_HEX, ".age", 5);
}

size_t
replies_file_size(void)
{
	return age_encrypted_size(1, SH_REPLY_SIZE);
}

static enum sh_status
errno_status(int e)
{
	if (e == ENOSPC || e == EDQUOT)
		return SH_ERR_NOSPACE;
	if (e == ENOENT || e == ENOTDIR)
		return SH_ERR_NOT_FOUND;
	return SH_ERR_IO;
}

static int
path_join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, REPLIES_PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= REPLIES_PATH_MAX ? -1 : 0;
}

enum sh_status
replies_store(const char *dir, const struct age_recipient *rk, const unsigned char *pt,
              unsigned *slot_out)
{
	char path[REPLIES_PATH_MAX], name[REPLIES_NAME_LEN + 1];
	unsigned char *ct = NULL;
	struct fileio_out o;
	struct timespec ts[2];
	time_t now = time(NULL);
	size_t ctlen = 0;
	struct stat sb;
	enum sh_status st;
	unsigned slot;
	int e;

	if (dir == NULL || rk == NULL || pt == NULL)
		return SH_ERR_USAGE;
	if (stat(dir, &sb) != 0)
		return errno_status(errno);
	if (!S_ISDIR(sb.st_mode))
		return SH_ERR_NOT_FOUND;
	replies_name(rk, 0, name);
	if (path_join(path, dir, name) != 0)
		return SH_ERR_TOO_LARGE;
	if ((st = age_encrypt_mem(rk, 1, pt, SH_REPLY_SIZE, &ct, &ctlen)) != SH_OK)
		return st;
	/* fileio's one durable writer: complete and synced before it has a
	 * name; the slot is chosen at commit (a link never replaces) */
	if (fileio_out_open(&o, path, 0644, FILEIO_REPLACE) != 0) {
		e = errno;
		free(ct);
		return errno_status(e);
	}
	/* the file's time to the hour, as the spool's: a synced copy keeps it */
	now -= now % 3600;
	ts[0].tv_sec = ts[1].tv_sec = now;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (fileio_write_all(o.fd, ct, ctlen) != 0 || futimens(o.fd, ts) != 0) {
		e = errno;
		free(ct);
		fileio_out_abort(&o);
		return errno_status(e);
	}
	free(ct);
	for (slot = 0; slot < REPLIES_SLOTS; slot++) {
		replies_name(rk, slot, name);
		if (fileio_out_name(&o, name) != 0)
			break;
		if (fileio_out_commit(&o, 0) == 0) {
			if (slot_out != NULL)
				*slot_out = slot;
			return SH_OK;
		}
		if (errno != EEXIST)
			return errno_status(errno);     /* closed and removed */
	}
	fileio_out_abort(&o);
	return SH_ERR_EXISTS;
}

unsigned
replies_count(const char *dir, const struct age_recipient *rk)
{
	char name[REPLIES_NAME_LEN + 1], path[REPLIES_PATH_MAX];
	unsigned slot, n = 0;
	struct stat sb;

	for (slot = 0; slot < REPLIES_SLOTS; slot++) {
		replies_name(rk, slot, name);
		if (path_join(path, dir, name) == 0 && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			n++;
	}
	return n;
}

enum sh_status
replies_open_mem(const struct age_identity *id, const unsigned char *ct, size_t ctlen,
                 struct reply *r, const char **why)
{
	struct age_unlock u = { id, 1, NULL, 0, 0 };
	unsigned char *pt;
	size_t ptlen = 0;
	enum sh_status st;

	*why = "";
	if ((pt = sodium_malloc(SH_REPLY_SIZE)) == NULL)
		return SH_ERR_NOMEM;
	st = age_decrypt_into(&u, ct, ctlen, pt, SH_REPLY_SIZE, &ptlen);
	if (st == SH_OK)
		st = reply_parse(pt, ptlen, r, why);
	sodium_memzero(pt, SH_REPLY_SIZE);
	sodium_free(pt);
	return st;
}

/* The file at dirfd/name: fileio's bounded no-follow reader, and exactly
 * size bytes. */
static enum sh_status
read_exact(int dirfd, const char *name, unsigned char *buf, size_t size)
{
	size_t got = 0;
	int rc = fileio_read_file(dirfd, name, buf, size, &got);

	if (rc == -1)
		return errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	return rc == 0 && got == size ? SH_OK : SH_ERR_FORMAT;
}

static int
signer_trusted(const struct replies_trust *t, const struct reply *r)
{
	size_t i;

	for (i = 0; i < t->nstaff; i++)
		if (sodium_memcmp(t->staff[i], r->staff_pk, crypto_sign_PUBLICKEYBYTES) == 0)
			return 1;
	return 0;
}

static int
fresh(const struct replies_trust *t, const struct reply *r)
{
	time_t created = reply_created_time(r);

	if (t->max_age_days == 0)
		return 1;
	return created != (time_t)-1 && t->now - created < (time_t)t->max_age_days * 86400;
}

enum sh_status
replies_find(const char *dir, const struct age_identity *id, const struct replies_trust *t,
             struct reply *out, unsigned *refused)
{
	char name[REPLIES_NAME_LEN + 1];
	struct age_recipient rk;
	struct reply *r;
	unsigned char *ct;
	size_t size = replies_file_size();
	const char *why;
	unsigned slot, bad = 0;
	enum sh_status st, found = SH_ERR_NOT_FOUND;
	int dirfd;

	if (refused != NULL)
		*refused = 0;
	reply_clear(out);
	if (dir == NULL || dir[0] == '\0' || id == NULL || t == NULL)
		return SH_ERR_NOT_FOUND;
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return SH_ERR_NOT_FOUND;
	if ((r = reply_new()) == NULL || (ct = malloc(size + 1)) == NULL) {
		reply_free(r);
		close(dirfd);
		return SH_ERR_NOMEM;
	}
	age_identity_recipient(id, &rk);
	for (slot = 0; slot < REPLIES_SLOTS; slot++) {
		replies_name(&rk, slot, name);
		st = read_exact(dirfd, name, ct, size);
		if (st == SH_ERR_NOT_FOUND)
			continue;
		if (st == SH_OK)
			st = replies_open_mem(id, ct, size, r, &why);
		if (st != SH_OK || !signer_trusted(t, r)) {
			bad++;
			reply_clear(r);
			continue;
		}
		if (!fresh(t, r)) {
			reply_clear(r);
			continue;
		}
		if (found != SH_OK || strcmp(r->created, out->created) >= 0) {
			memcpy(out, r, sizeof(*r));
			found = SH_OK;
		}
		reply_clear(r);
	}
	reply_free(r);
	free(ct);
	close(dirfd);
	if (refused != NULL)
		*refused = bad;
	return found;
}
