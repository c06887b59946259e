/*
 * Unlocking the social worker's identities. After a key rotation the old
 * and the new key may have different passphrases (SPEC §6): every
 * passphrase known is tried on every identity still locked; at the
 * terminal she is asked once for "your key", then once more for each
 * identity still locked, by name; a --passphrase-file may hold one
 * passphrase per line. Passphrases live in sodium_malloc memory and are
 * wiped as soon as the identities are loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "safeharbor/fileio.h"
#include "safeharbor/util.h"
#include "passlines.h"
#include "tool.h"

#define TOOL_PASSPHRASE_TRIES 3

struct passes {
	char *p[PASSLINES_MAX + KEYS_MAX_IDENTITIES];
	size_t len[PASSLINES_MAX + KEYS_MAX_IDENTITIES];
	size_t n;
};

static void
passes_free(struct passes *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		sodium_free(ps->p[i]);
	ps->n = 0;
}

static int
load_status_exit(enum sh_status st)
{
	switch (st) {
	case SH_ERR_PASSPHRASE:
	case SH_ERR_FORMAT:
	case SH_ERR_VERSION:
	case SH_ERR_NO_MATCH:
	case SH_ERR_HEADER_MAC:
	case SH_ERR_PAYLOAD:
	case SH_ERR_TRUNCATED:
	case SH_ERR_TRAILING:
	case SH_ERR_TOO_LARGE:
		return TOOL_EXIT_FAIL;
	default:
		return TOOL_EXIT_USAGE;
	}
}

/* Every passphrase of path ("-": stdin), one per line (passlines.c). */
static void
read_pass_file(const char *path, struct passes *ps)
{
	char *buf;
	size_t n = 0, i, k, start[PASSLINES_MAX], len[PASSLINES_MAX];
	ssize_t r;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	const size_t cap = PASSLINES_MAX * (PASSLINES_LEN_MAX + 2);

	if (fd < 0)
		die(TOOL_EXIT_USAGE, "%s: cannot read passphrase: %s", path, strerror(errno));
	if ((buf = sodium_malloc(cap)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	while (n < cap && (r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sodium_free(buf);
			die(TOOL_EXIT_USAGE, "%s: cannot read passphrase: %s", path, strerror(errno));
		}
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	k = passlines_split(buf, n, start, len);
	for (i = 0; i < k; i++) {
		if ((ps->p[ps->n] = sodium_malloc(len[i] + 1)) == NULL)
			die(TOOL_EXIT_FAIL, "out of memory");
		memcpy(ps->p[ps->n], buf + start[i], len[i]);
		ps->p[ps->n][len[i]] = '\0';
		ps->len[ps->n++] = len[i];
	}
	sodium_free(buf);
	if (ps->n == 0)
		die(TOOL_EXIT_USAGE, "%s: cannot read passphrase: empty", path);
}

static void
ask(struct tool_ctx *c, const char *prompt, struct passes *ps)
{
	char *p;
	size_t len;

	if (ps->n >= sizeof(ps->p) / sizeof(ps->p[0]))
		die(TOOL_EXIT_USAGE, "too many passphrases");
	if (tool_read_passphrase(NULL, prompt, 0, &p, &len) != 0) {
		if (errno == ENOTTY || errno == ENXIO)
			die(TOOL_EXIT_USAGE, "no terminal to ask for the passphrase of %s "
			    "(run it in a terminal, or use --passphrase-file FILE)", c->idpaths[0]);
		die(TOOL_EXIT_USAGE, "cannot read the passphrase from the terminal: %s "
		    "(use --passphrase-file FILE)", errno == ENODATA ? "empty" : strerror(errno));
	}
	ps->p[ps->n] = p;
	ps->len[ps->n++] = len;
}

/* Identity i with passphrase k (k == SIZE_MAX: none). Returns 1 loaded,
 * 0 wrong passphrase; dies on any other problem. */
static int
try_load(struct tool_ctx *c, size_t i, const struct passes *ps, size_t k)
{
	int was_plain = 0;
	size_t before = keys_identities_count(c->ids), j;
	enum sh_status st;

	st = keys_load_identity_file(c->idpaths[i], k == SIZE_MAX ? NULL : ps->p[k],
	                             k == SIZE_MAX ? 0 : ps->len[k], c->ids, &was_plain);
	if (st == SH_ERR_PASSPHRASE && k != SIZE_MAX)
		return 0;
	if (st == SH_ERR_PERM)
		die(TOOL_EXIT_USAGE, "%s: %s; fix with: chmod 600 %s", c->idpaths[i],
		    sh_status_str(st), c->idpaths[i]);
	if (st != SH_OK)
		die(load_status_exit(st), "%s: %s", c->idpaths[i],
		    st == SH_ERR_IO ? fileio_read_why(-1) : sh_status_str(st));
	if (was_plain)
		warnx_("warning: %s: identity is not passphrase-protected "
		       "(anyone who copies this file can read every request)", c->idpaths[i]);
	for (j = before; j < keys_identities_count(c->ids) && j < KEYS_MAX_IDENTITIES; j++)
		c->id_file[j] = (unsigned char)i;      /* which file each key came from */
	return 1;
}

/* Try passphrases from..ps->n on every locked identity. Returns how many
 * are still locked. */
static size_t
try_all(struct tool_ctx *c, int *locked, const struct passes *ps, size_t from)
{
	size_t i, k, left = 0;

	for (i = 0; i < c->nidpaths; i++) {
		for (k = from; locked[i] && k < ps->n; k++)
			if (try_load(c, i, ps, k))
				locked[i] = 0;
		left += locked[i] != 0;
	}
	return left;
}

int
tool_load_identities(struct tool_ctx *c, int optional)
{
	static const char generic[] = "Passphrase for your safeharbor key: ";
	struct passes ps;
	int locked[KEYS_MAX_IDENTITIES], encrypted;
	size_t i, nlocked = 0, tries, before;
	char prompt[TOOL_PATH_MAX + 32];
	enum sh_status st;

	if (c->ids != NULL)
		return 1;
	if (optional && c->id_defaulted && access(c->idpaths[0], F_OK) != 0 && errno == ENOENT)
		return 0;
	for (i = 0; i < c->nidpaths; i++) {
		st = keys_identity_file_is_encrypted(c->idpaths[i], &encrypted);
		if (st != SH_OK) {
			if (c->id_defaulted && (st == SH_ERR_NOT_FOUND || (st == SH_ERR_IO && errno == ENOENT)))
				die(TOOL_EXIT_USAGE, "%s: no identity (create one with "
				    "'safeharbor keygen', or pass -i FILE)", c->idpaths[i]);
			die(TOOL_EXIT_USAGE, "%s: %s", c->idpaths[i],
			    st == SH_ERR_IO ? fileio_read_why(-1) : sh_status_str(st));
		}
		locked[i] = encrypted;
		nlocked += encrypted != 0;
	}
	memset(&ps, 0, sizeof(ps));
	if ((c->ids = keys_identities_new()) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	for (i = 0; i < c->nidpaths; i++)
		if (!locked[i])
			(void)try_load(c, i, &ps, SIZE_MAX);
	if (nlocked > 0 && c->o.passfile != NULL) {
		read_pass_file(c->o.passfile, &ps);
		if (try_all(c, locked, &ps, 0) > 0) {
			for (i = 0; !locked[i]; i++)
				;
			passes_free(&ps);
			die(TOOL_EXIT_FAIL, "%s: %s (none of the passphrases in %s opens it)",
			    c->idpaths[i], sh_status_str(SH_ERR_PASSPHRASE), c->o.passfile);
		}
	} else if (nlocked > 0) {
		ask(c, generic, &ps);
		nlocked = try_all(c, locked, &ps, 0);
		/* one key: a typo is asked again the same way, as sudo and ssh do */
		for (tries = 1; nlocked == 1 && ps.n == tries && c->nidpaths == 1 &&
		     tries < TOOL_PASSPHRASE_TRIES; tries++) {
			warnx_("wrong passphrase, try again");
			ask(c, generic, &ps);
			nlocked = try_all(c, locked, &ps, ps.n - 1);
		}
		/* several keys: each one still locked is asked for by name; what
		 * opens it is tried on the others too (a third key may share it) */
		for (i = 0; i < c->nidpaths && nlocked > 0 && c->nidpaths > 1; i++) {
			if (!locked[i])
				continue;
			util_snprintf(prompt, sizeof(prompt), "Passphrase for %s: ", c->idpaths[i]);
			for (tries = 0; locked[i] && tries < TOOL_PASSPHRASE_TRIES; tries++) {
				if (tries > 0)
					warnx_("wrong passphrase for %s, try again", c->idpaths[i]);
				before = ps.n;
				ask(c, prompt, &ps);
				nlocked = try_all(c, locked, &ps, before);
			}
			if (locked[i])
				break;
		}
		if (nlocked > 0) {
			for (i = 0; !locked[i]; i++)
				;
			passes_free(&ps);
			die(TOOL_EXIT_FAIL, "%s: %s", c->idpaths[i], sh_status_str(SH_ERR_PASSPHRASE));
		}
	}
	passes_free(&ps);
	keys_identities_unlock(c->ids, &c->unlock);
	return 1;
}
