/*
 * The enrolled-kiosks file. Decisions: plain text a person can read and
 * edit; strict parsing (a typo must not silently un-enroll a kiosk); the
 * file is refused when others may write it, since whoever edits it decides
 * which records are trusted; saved atomically so a crash keeps the old list.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safeharbor/fileio.h"
#include "safeharbor/util.h"
#include "kiosks.h"
#include "mkdirs.h"

void
kiosks_init(struct kiosks *k)
{
	k->v = NULL;
	k->n = 0;
}

void
kiosks_free(struct kiosks *k)
{
	free(k->v);
	kiosks_init(k);
}

int
kiosks_name_valid(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];

		if (i >= KIOSKS_NAME_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return i > 0;
}

static enum sh_status
append(struct kiosks *k, const struct kiosk_entry *e)
{
	struct kiosk_entry *nv;

	if (k->n >= KIOSKS_MAX)
		return SH_ERR_TOO_LARGE;
	if ((nv = realloc(k->v, (k->n + 1) * sizeof(*nv))) == NULL)
		return SH_ERR_NOMEM;
	k->v = nv;
	k->v[k->n++] = *e;
	return SH_OK;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One line (without its LF): sets e or *why. */
static enum sh_status
parse_line(const char *s, size_t len, struct kiosk_entry *e, const char **why)
{
	size_t i = 0, ns, ks;

	while (i < len && is_blank(s[i]))
		i++;
	ns = i;
	while (i < len && !is_blank(s[i]))
		i++;
	if (i - ns > KIOSKS_NAME_MAX) {
		*why = "kiosk name longer than 32 characters";
		return SH_ERR_FORMAT;
	}
	memcpy(e->name, s + ns, i - ns);
	e->name[i - ns] = '\0';
	if (!kiosks_name_valid(e->name)) {
		*why = "bad kiosk name (letters, digits, '.', '_', '-')";
		return SH_ERR_FORMAT;
	}
	while (i < len && is_blank(s[i]))
		i++;
	ks = i;
	while (i < len && !is_blank(s[i]))
		i++;
	if (i == ks) {
		*why = "missing kiosk key after the name";
		return SH_ERR_FORMAT;
	}
	if (i - ks != KEYS_KIOSK_STRLEN ||
	    keys_kiosk_parse(s + ks, i - ks, e->pk) != SH_OK) {
		*why = "not a kiosk key (shkiosk1...)";
		return SH_ERR_FORMAT;
	}
	memcpy(e->key, s + ks, KEYS_KIOSK_STRLEN);
	e->key[KEYS_KIOSK_STRLEN] = '\0';
	while (i < len && is_blank(s[i]))
		i++;
	if (i != len) {
		*why = "unexpected text after the kiosk key";
		return SH_ERR_FORMAT;
	}
	return SH_OK;
}

enum sh_status
kiosks_parse(const char *text, size_t len, struct kiosks *k,
             size_t *errline, const char **why)
{
	size_t pos = 0, line = 0, end, l, i;
	struct kiosk_entry e;
	enum sh_status st;

	*errline = 0;
	*why = NULL;
	if (len > KIOSKS_FILE_MAX) {
		*why = "file too large";
		return SH_ERR_TOO_LARGE;
	}
	while (pos < len) {
		line++;
		for (end = pos; end < len && text[end] != '\n'; end++)
			;
		l = end - pos;
		if (l > 0 && text[pos + l - 1] == '\r')
			l--;
		for (i = 0; i < l && is_blank(text[pos + i]); i++)
			;
		if (memchr(text + pos, '\0', l) != NULL) {
			*errline = line;
			*why = "NUL byte in the file";
			return SH_ERR_FORMAT;
		}
		if (i < l && text[pos + i] != '#') {
			memset(&e, 0, sizeof(e));
			if ((st = parse_line(text + pos, l, &e, why)) != SH_OK ||
			    (st = kiosks_add(k, e.name, e.key, why)) != SH_OK) {
				*errline = line;
				if (st == SH_ERR_EXISTS)
					st = SH_ERR_FORMAT;
				return st;
			}
		}
		pos = end + 1;
	}
	return SH_OK;
}

enum sh_status
kiosks_load(const char *path, struct kiosks *k, size_t *errline, const char **why)
{
	struct stat sb;
	char *buf;
	ssize_t r;
	size_t len = 0;
	int fd;
	enum sh_status st;

	*errline = 0;
	*why = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? SH_OK : SH_ERR_IO;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return SH_ERR_IO;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return SH_ERR_FORMAT;
	}
	if ((sb.st_mode & 022) != 0) {
		close(fd);
		return SH_ERR_PERM;
	}
	if (sb.st_size > (off_t)KIOSKS_FILE_MAX) {
		close(fd);
		*why = "file too large";
		return SH_ERR_TOO_LARGE;
	}
	if ((buf = malloc(KIOSKS_FILE_MAX + 1)) == NULL) {
		close(fd);
		return SH_ERR_NOMEM;
	}
	while ((r = read(fd, buf + len, KIOSKS_FILE_MAX + 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	if (r < 0) {
		free(buf);
		return SH_ERR_IO;
	}
	st = kiosks_parse(buf, len, k, errline, why);
	free(buf);
	return st;
}

static int
dir_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		path = ".";
		n = 1;
	} else if (slash == path)
		n = 1;
	else
		n = (size_t)(slash - path);
	if (n >= size)
		return -1;
	memcpy(out, path, n);
	out[n] = '\0';
	return 0;
}

enum sh_status
kiosks_save(const char *path, const struct kiosks *k)
{
	char dir[PATH_MAX];
	struct fileio_out o;
	FILE *f;
	size_t i;
	int fd, ok;

	if (dir_of(path, dir, sizeof(dir)) != 0)
		return SH_ERR_TOO_LARGE;
	if (tool_mkdirs(dir) != 0)
		return SH_ERR_IO;
	/* fileio's one durable writer: complete and synced, or no change */
	if (fileio_out_open(&o, path, 0600, FILEIO_REPLACE) != 0)
		return SH_ERR_IO;
	if ((fd = dup(o.fd)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		fileio_out_abort(&o);
		return SH_ERR_IO;
	}
	fprintf(f, "# Enrolled safeharbor kiosks: NAME KEY (safeharbor kiosks add NAME KEY)\n");
	for (i = 0; i < k->n; i++)
		fprintf(f, "%s %s\n", k->v[i].name, k->v[i].key);
	ok = fflush(f) == 0 && !ferror(f);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		fileio_out_abort(&o);
		return SH_ERR_IO;
	}
	return fileio_out_commit(&o, FILEIO_REPLACE) == 0 ? SH_OK : SH_ERR_IO;
}

enum sh_status
kiosks_add(struct kiosks *k, const char *name, const char *key, const char **why)
{
	struct kiosk_entry e;
	size_t i, klen = strlen(key);

	*why = NULL;
	memset(&e, 0, sizeof(e));
	if (!kiosks_name_valid(name)) {
		*why = "bad kiosk name (1 to 32 letters, digits, '.', '_', '-')";
		return SH_ERR_FORMAT;
	}
	if (klen != KEYS_KIOSK_STRLEN || keys_kiosk_parse(key, klen, e.pk) != SH_OK) {
		*why = "not a kiosk key (shkiosk1..., as safeharbor-kiosk --enroll prints)";
		return SH_ERR_FORMAT;
	}
	for (i = 0; i < k->n; i++) {
		if (strcmp(k->v[i].name, name) == 0) {
			*why = "a kiosk with this name is already enrolled";
			return SH_ERR_EXISTS;
		}
		if (sodium_memcmp(k->v[i].pk, e.pk, sizeof(e.pk)) == 0) {
			*why = "this key is already enrolled under another name";
			return SH_ERR_EXISTS;
		}
	}
	memcpy(e.name, name, strlen(name) + 1);
	memcpy(e.key, key, KEYS_KIOSK_STRLEN);
	e.key[KEYS_KIOSK_STRLEN] = '\0';
	return append(k, &e);
}

enum sh_status
kiosks_remove(struct kiosks *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		if (strcmp(k->v[i].name, name) == 0) {
			memmove(&k->v[i], &k->v[i + 1], (k->n - i - 1) * sizeof(k->v[0]));
			k->n--;
			return SH_OK;
		}
	}
	return SH_ERR_NOT_FOUND;
}

const struct kiosk_entry *
kiosks_find_pk(const struct kiosks *k, const unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	size_t i;

	if (k == NULL)
		return NULL;
	for (i = 0; i < k->n; i++)
		if (sodium_memcmp(k->v[i].pk, pk, crypto_sign_PUBLICKEYBYTES) == 0)
			return &k->v[i];
	return NULL;
}
