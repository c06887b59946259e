/*
 * Where the tool finds things. Precedence: command line, then environment
 * (SAFEHARBOR_SPOOL, SAFEHARBOR_IDENTITY), then the config file
 * ($XDG_CONFIG_HOME or ~/.config)/safeharbor/safeharbor.conf, then the
 * default identity. Identities are unlocked in unlock.c. Unlocked keys
 * stay in sodium_malloc memory until exit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "safeharbor/fileio.h"
#include "safeharbor/util.h"
#include "safeharbor/replies.h"
#include "tool.h"

void
tool_ctx_init(struct tool_ctx *c)
{
	memset(c, 0, sizeof(*c));
	kiosks_init(&c->kiosks);
}

void
tool_ctx_free(struct tool_ctx *c)
{
	if (c->ids != NULL)
		keys_identities_free(c->ids);
	c->ids = NULL;
	memset(&c->unlock, 0, sizeof(c->unlock));
	kiosks_free(&c->kiosks);
	free(c->holidays);
	c->holidays = NULL;
	tool_cases_free(c);
}

int
tool_scrypt_logn(const char *env)
{
	char *end;
	long v;

	if (env == NULL || *env == '\0')
		return AGE_SCRYPT_DEFAULT_LOGN;
	errno = 0;
	v = strtol(env, &end, 10);
	if (errno != 0 || *end != '\0' || v < 10 || v > AGE_SCRYPT_MAX_LOGN)
		return -1;
	return (int)v;
}

static void
set_path(char *dst, const char *src, const char *what)
{
	if (util_snprintf(dst, TOOL_PATH_MAX, "%s", src) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", what);
}

static int
config_dir(char *out, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return util_snprintf(out, size, "%s/safeharbor", xdg);
	if (home == NULL || home[0] == '\0')
		return -1;
	return util_snprintf(out, size, "%s/.config/safeharbor", home);
}

#define TOOL_CONF_MAX (64u * 1024u)

/* The config file, if there is one, into *conf; dies (exit 2) on a bad
 * one. */
static void
read_config(struct tool_ctx *c, struct tool_conf *conf)
{
	char basedir[TOOL_PATH_MAX], *text;
	size_t got;
	int rc;

	if (config_dir(basedir, sizeof(basedir)) != 0)
		return;
	if (util_snprintf(c->conf_path, sizeof(c->conf_path), "%s/safeharbor.conf", basedir) != 0)
		die(TOOL_EXIT_USAGE, "config path too long");
	if ((text = malloc(TOOL_CONF_MAX + 1)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	/* fileio's one reader; her own link (a dotfiles manager's) or root's
	 * is followed, anyone else's is not */
	rc = fileio_read_path(c->conf_path, FILEIO_LINK_MINE, text, TOOL_CONF_MAX, &got, NULL);
	if (rc == -1 && errno == ENOENT) {
		free(text);
		return;
	}
	if (rc == FILEIO_TOO_LARGE)
		die(TOOL_EXIT_USAGE, "%s: larger than %u KiB: not a safeharbor config",
		    c->conf_path, TOOL_CONF_MAX / 1024);
	if (rc != 0)
		die(TOOL_EXIT_USAGE, "%s: %s", c->conf_path, fileio_read_why(rc));
	if (memchr(text, '\0', got) != NULL)
		die(TOOL_EXIT_USAGE, "%s: contains a NUL byte: not a text file", c->conf_path);
	text[got] = '\0';
	if (tool_conf_parse(text, c->conf_path, basedir, conf) != 0)
		die(TOOL_EXIT_USAGE, "%s: bad configuration", c->conf_path);
	free(text);
}

static void
add_idpath(struct tool_ctx *c, const char *p, size_t len, const char *what)
{
	if (c->nidpaths >= KEYS_MAX_IDENTITIES)
		die(TOOL_EXIT_USAGE, "%s: more than %d identities", what, KEYS_MAX_IDENTITIES);
	if (len >= TOOL_PATH_MAX)
		die(TOOL_EXIT_USAGE, "%s: path too long", what);
	memcpy(c->idpaths[c->nidpaths], p, len);
	c->idpaths[c->nidpaths][len] = '\0';
	c->nidpaths++;
}

void
tool_configure(struct tool_ctx *c)
{
	struct tool_conf *s;
	const char *env, *p, *colon, *slash;
	size_t i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	s->follow_up_days = -1;
	s->reply_days = -1;
	read_config(c, s);

	if (c->o.spool != NULL) {
		set_path(c->spool, c->o.spool, "--spool");
		c->spool_from = "--spool";
	} else if ((env = getenv("SAFEHARBOR_SPOOL")) != NULL && env[0] != '\0') {
		set_path(c->spool, env, "SAFEHARBOR_SPOOL");
		c->spool_from = "SAFEHARBOR_SPOOL";
	} else if (s->spool[0] != '\0') {
		set_path(c->spool, s->spool, c->conf_path);
		c->spool_from = c->conf_path;
	}

	if (c->o.replies != NULL)
		set_path(c->replies, c->o.replies, "--replies");
	else if ((env = getenv("SAFEHARBOR_REPLIES")) != NULL && env[0] != '\0')
		set_path(c->replies, env, "SAFEHARBOR_REPLIES");
	else if (s->replies[0] != '\0')
		set_path(c->replies, s->replies, c->conf_path);

	if (c->o.nids > 0) {
		for (i = 0; i < c->o.nids; i++)
			add_idpath(c, c->o.ids[i], strlen(c->o.ids[i]), "-i");
	} else if ((env = getenv("SAFEHARBOR_IDENTITY")) != NULL && env[0] != '\0') {
		for (p = env; *p != '\0'; p = *colon ? colon + 1 : colon) {
			if ((colon = strchr(p, ':')) == NULL)
				colon = p + strlen(p);
			if (colon > p)
				add_idpath(c, p, (size_t)(colon - p), "SAFEHARBOR_IDENTITY");
		}
	} else if (s->nids > 0) {
		for (i = 0; i < s->nids; i++)
			add_idpath(c, s->ids[i], strlen(s->ids[i]), c->conf_path);
	}
	if (c->nidpaths == 0) {
		char dir[TOOL_PATH_MAX];

		if (config_dir(dir, sizeof(dir)) != 0)
			die(TOOL_EXIT_USAGE, "no identity: HOME is not set; use -i FILE");
		if (util_snprintf(c->idpaths[0], TOOL_PATH_MAX, "%s/identity.age", dir) != 0)
			die(TOOL_EXIT_USAGE, "identity path too long");
		c->nidpaths = 1;
		c->id_defaulted = 1;
	}

	if (s->recipients[0] != '\0')
		set_path(c->recipients_path, s->recipients, c->conf_path);
	c->year_start = s->year_start != 0 ? s->year_start : 8;

	if (s->kiosks[0] != '\0') {
		set_path(c->kiosks_path, s->kiosks, c->conf_path);
	} else {
		/* beside the first identity */
		p = c->idpaths[0];
		slash = strrchr(p, '/');
		if (slash == NULL) {
			set_path(c->kiosks_path, "kiosks", "kiosks file");
		} else if (util_snprintf(c->kiosks_path, sizeof(c->kiosks_path), "%.*s/kiosks",
		                         (int)(slash - p), p) != 0) {
			die(TOOL_EXIT_USAGE, "kiosks file path too long");
		}
	}
	c->follow_up_days = s->follow_up_days >= 0 ? (unsigned)s->follow_up_days
	                                            : SCHOOLDAYS_DEFAULT_FOLLOW_UP;
	c->reply_days = s->reply_days > 0 ? (unsigned)s->reply_days : REPLIES_DEFAULT_DAYS;
	memcpy(c->holidays_path, s->holidays, sizeof(c->holidays_path));
	free(s);
}

const char *
tool_need_replies(struct tool_ctx *c)
{
	struct stat sb;

	if (c->replies[0] == '\0')
		die(TOOL_EXIT_USAGE, "no replies folder given: say where answers go with "
		    "--replies DIR, SAFEHARBOR_REPLIES=DIR, or a line 'replies = DIR' in %s",
		    c->conf_path[0] != '\0' ? c->conf_path : "~/.config/safeharbor/safeharbor.conf");
	if (stat(c->replies, &sb) != 0)
		die(TOOL_EXIT_USAGE, "%s: cannot open the replies folder: %s", c->replies,
		    strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		die(TOOL_EXIT_USAGE, "%s: the replies folder must be a directory", c->replies);
	return c->replies;
}

const char *
tool_need_spool(struct tool_ctx *c)
{
	struct stat sb;

	char sub[TOOL_PATH_MAX];

	if (c->spool[0] == '\0')
		die(TOOL_EXIT_USAGE, "no spool given: say where the requests arrive with "
		    "--spool DIR, SAFEHARBOR_SPOOL=DIR, or a line 'spool = DIR' in %s",
		    c->conf_path[0] != '\0' ? c->conf_path : "~/.config/safeharbor/safeharbor.conf");
	if (stat(c->spool, &sb) != 0)
		die(TOOL_EXIT_USAGE, "%s: cannot open the spool: %s", c->spool, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		die(TOOL_EXIT_USAGE, "%s: the spool must be a directory", c->spool);
	/* The commonest slip: naming new/ itself, or a folder that is not one. */
	if (util_snprintf(sub, sizeof(sub), "%s/new", c->spool) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", c->spool);
	if (stat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode))
		die(TOOL_EXIT_USAGE, "%s: not a safeharbor spool (no new/ folder in it); "
		    "give the folder that holds tmp/, new/ and cur/", c->spool);
	return c->spool;
}

/* Ctrl-C at the passphrase prompt must not leave the terminal without
 * echo: remember its settings and restore them from the signal handler. */
static struct termios saved_tty;
static volatile sig_atomic_t saved_tty_fd = -1;

static void
restore_tty_and_exit(int sig)
{
	if (saved_tty_fd >= 0) {
		tcsetattr(saved_tty_fd, TCSAFLUSH, &saved_tty);
		(void)!write(saved_tty_fd, "\n", 1);
	}
	_exit(128 + sig);
}

int
tool_read_passphrase(const char *path, const char *prompt, int confirm,
                     char **out, size_t *len)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa, old[4];
	int fd = -1, rc, e;
	size_t i;

	if (path == NULL && (fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) >= 0 &&
	    tcgetattr(fd, &saved_tty) == 0) {
		saved_tty_fd = fd;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = restore_tty_and_exit;
		for (i = 0; i < 4; i++)
			sigaction(sigs[i], &sa, &old[i]);
	}
	rc = util_read_passphrase(path, prompt, confirm ? "Repeat passphrase: " : NULL, out, len);
	e = errno;
	if (saved_tty_fd >= 0) {
		for (i = 0; i < 4; i++)
			sigaction(sigs[i], &old[i], NULL);
		saved_tty_fd = -1;
	}
	if (fd >= 0)
		close(fd);
	errno = e;
	return rc;
}

const struct kiosks *
tool_kiosks(struct tool_ctx *c)
{
	size_t line;
	const char *why;
	enum sh_status st;

	if (c->kiosks_loaded)
		return &c->kiosks;
	st = kiosks_load(c->kiosks_path, &c->kiosks, &line, &why);
	if (st == SH_ERR_PERM)
		die(TOOL_EXIT_USAGE, "%s: writable by group or others; fix with chmod 600",
		    c->kiosks_path);
	if (st != SH_OK && line > 0)
		die(TOOL_EXIT_USAGE, "%s:%zu: %s", c->kiosks_path, line, why);
	if (st != SH_OK)
		die(TOOL_EXIT_USAGE, "%s: %s", c->kiosks_path,
		    why != NULL ? why : st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	c->kiosks_loaded = 1;
	return &c->kiosks;
}
