/*
 * init: the first command a social worker runs. Creates the spool
 * (tmp/ new/ cur/, 0700) where --spool, SAFEHARBOR_SPOOL or the config say,
 * else ~/safeharbor/spool, and a commented safeharbor.conf naming it when
 * there is none (an existing one is never overwritten). Safe to run again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safeharbor/spool.h"
#include "safeharbor/util.h"
#include "mkdirs.h"
#include "tool.h"

static void
write_conf(const char *path, const char *spool)
{
	char dir[TOOL_PATH_MAX], *slash;
	FILE *f;
	int fd, ok;

	if (util_snprintf(dir, sizeof(dir), "%s", path) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (tool_mkdirs(dir) != 0)
			die(TOOL_EXIT_FAIL, "%s: cannot create the folder: %s", dir, strerror(errno));
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		if (errno == EEXIST) {
			printf("Config:  %s (already there, left as it is)\n", path);
			return;
		}
		die(TOOL_EXIT_FAIL, "%s: cannot create: %s", path, strerror(errno));
	}
	if ((f = fdopen(fd, "w")) == NULL)
		die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	fprintf(f,
	        "# safeharbor.conf: where the social worker's tool finds things.\n"
	        "# Written by 'safeharbor init'; edit freely. '~/' is your home; other\n"
	        "# relative paths are relative to this file's folder. Command-line\n"
	        "# options and SAFEHARBOR_SPOOL / SAFEHARBOR_IDENTITY win over it.\n"
	        "[safeharbor]\n"
	        "\n"
	        "# The queue: the folder the kiosks (or the sync) deliver into.\n"
	        "spool = %s\n"
	        "\n"
	        "# Your key (safeharbor keygen writes it). Repeat the line to keep an\n"
	        "# old key after a rotation, so older requests still open:\n"
	        "# identity = identity.age\n"
	        "# identity = identity-2025.age\n"
	        "\n"
	        "# The enrolled kiosks (safeharbor kiosks add NAME KEY), beside your key\n"
	        "# when not set:\n"
	        "# kiosks = kiosks\n", spool);
	ok = fflush(f) == 0 && !ferror(f) && fsync(fd) == 0;
	if (fclose(f) != 0 || !ok) {
		unlink(path);
		die(TOOL_EXIT_FAIL, "%s: cannot write: %s", path, strerror(errno));
	}
	printf("Config:  %s (created)\n", path);
}

int
cmd_init(struct tool_ctx *c)
{
	char spool[TOOL_PATH_MAX];
	const char *home = getenv("HOME");
	enum sh_status st;

	if (c->spool[0] != '\0')
		util_snprintf(spool, sizeof(spool), "%s", c->spool);
	else if (home == NULL || home[0] != '/' ||
	         util_snprintf(spool, sizeof(spool), "%s/safeharbor/spool", home) != 0)
		die(TOOL_EXIT_USAGE, "init: HOME is not set; say where with --spool DIR");
	if (tool_mkdirs(spool) != 0)
		die(TOOL_EXIT_FAIL, "%s: cannot create the spool: %s", spool, strerror(errno));
	if ((st = spool_init(spool)) != SH_OK)
		die(TOOL_EXIT_FAIL, "%s: cannot create tmp/ new/ cur/: %s", spool,
		    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	printf("Spool:   %s (tmp/ new/ cur/, only you can read it)\n", spool);
	if (c->conf_path[0] == '\0')
		warnx_("no config folder (HOME or XDG_CONFIG_HOME not set): no safeharbor.conf written");
	else
		write_conf(c->conf_path, spool);
	printf("Next:    safeharbor keygen   (your key; give the age1... line to IT)\n");
	return TOOL_EXIT_OK;
}
