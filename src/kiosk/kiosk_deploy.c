/*
 * The deployment half of `--check`: mistakes that leave a kiosk working
 * but unsafe, each reported on one line naming the file.
 *
 * Decisions: ownership and "can the kiosk user change it" only mean
 * something when --check runs as the kiosk user (DEPLOY.md says to); as
 * root those checks are skipped with a note rather than guessed. A small
 * terminal is a warning: IT often runs --check over ssh, not on tty1.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "kiosk.h"

static void
line(const char *file, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", KIOSK_PROG, file, msg);
}

/* The spool and its tmp/ new/ must not be writable by others, and must
 * belong to the user the kiosk runs as. Returns problems found. */
static int
check_spool_dir(const char *dir, int as_root)
{
	static const char *const sub[] = { "", "/tmp", "/new" };
	char path[CONFIG_PATH_MAX + 8];
	struct stat sb;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		if (snprintf(path, sizeof path, "%s%s", dir, sub[i]) >= (int)sizeof path ||
		    stat(path, &sb) != 0)
			continue;   /* missing folders are reported by the spool check */
		if ((sb.st_mode & S_IWOTH) && !(sb.st_mode & S_ISVTX)) {
			line(path, "writable by anyone: anyone could drop or remove envelopes (chmod o-w)");
			bad++;
		} else if (sb.st_mode & S_IWGRP) {
			line(path, "warning: writable by its group: fine for a shared spool, otherwise chmod g-w");
		}
		if (!as_root && sb.st_uid != geteuid()) {
			line(path, "not owned by the kiosk user: chown it to the user the kiosk runs as");
			bad++;
		}
	}
	return bad;
}

int
kiosk_deploy_check(const struct kiosk *k)
{
	struct winsize ws;
	char msg[128];
	int as_root = geteuid() == 0, bad = 0;

	if (as_root)
		line(k->cfgpath, "note: running as root: run --check as the kiosk user to check ownership and write access");
	bad += check_spool_dir(k->cfg.spool, as_root);
	if (!as_root && access(k->cfg.recipients, W_OK) == 0) {
		line(k->cfg.recipients, "the kiosk user can change who reads submissions: make it root's, mode 0644");
		bad++;
	}
	if (k->cfg.admin_pin_hash[0] == '\0')
		line(k->cfgpath, "warning: no admin_pin_hash: only the system can stop the kiosk (see --set-pin)");
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0 && (ws.ws_col < SCREENS_COLS || ws.ws_row < SCREENS_ROWS)) {
		snprintf(msg, sizeof msg, "warning: this terminal is %ux%u; the kiosk needs at least %dx%d",
		         ws.ws_col, ws.ws_row, SCREENS_COLS, SCREENS_ROWS);
		line(ttyname(STDOUT_FILENO) ? ttyname(STDOUT_FILENO) : "terminal", msg);
	}
	return bad;
}
