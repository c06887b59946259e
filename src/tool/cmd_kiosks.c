/*
 * kiosks add|list|remove: the social worker's list of kiosk keys she
 * trusts. A record signed by any other key is shown with a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "safeharbor/util.h"
#include "kiosks.h"
#include "tool.h"

static _Noreturn void
save_failed(const char *path, enum sh_status st)
{
	die(TOOL_EXIT_FAIL, "%s: cannot save: %s", path,
	    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
}

int
cmd_kiosks(struct tool_ctx *c)
{
	const char *sub = c->o.args[0], *why;
	struct kiosks *k;
	enum sh_status st;
	size_t i;

	tool_kiosks(c);
	k = &c->kiosks;
	if (strcmp(sub, "list") == 0) {
		if (c->o.nargs != 1)
			die(TOOL_EXIT_USAGE, "usage: safeharbor kiosks list");
		if (k->n == 0)
			fprintf(stderr, "safeharbor: no kiosks enrolled in %s "
			        "(safeharbor kiosks add NAME KEY)\n", c->kiosks_path);
		for (i = 0; i < k->n; i++)
			printf("%s %s\n", k->v[i].name, k->v[i].key);
		return TOOL_EXIT_OK;
	}
	if (strcmp(sub, "add") == 0) {
		if (c->o.nargs != 3)
			die(TOOL_EXIT_USAGE, "usage: safeharbor kiosks add NAME KEY");
		st = kiosks_add(k, c->o.args[1], c->o.args[2], &why);
		if (st == SH_ERR_FORMAT)
			die(TOOL_EXIT_USAGE, "kiosks add: %s", why);
		if (st == SH_ERR_EXISTS) {
			/* name the entry that holds it: she can tell a re-enrollment
			 * from a kiosk installed with another's key */
			size_t e;

			for (e = 0; e < k->n; e++)
				if (strcmp(k->v[e].key, c->o.args[2]) == 0)
					die(TOOL_EXIT_FAIL, "kiosks add: %s: this key is already enrolled "
					    "as '%s' (safeharbor kiosks remove %s, to rename it)",
					    c->o.args[1], k->v[e].name, k->v[e].name);
		}
		if (st != SH_OK)
			die(TOOL_EXIT_FAIL, "kiosks add: %s: %s", c->o.args[1],
			    why != NULL ? why : sh_status_str(st));
		if ((st = kiosks_save(c->kiosks_path, k)) != SH_OK)
			save_failed(c->kiosks_path, st);
		return TOOL_EXIT_OK;
	}
	if (strcmp(sub, "remove") == 0) {
		if (c->o.nargs != 2)
			die(TOOL_EXIT_USAGE, "usage: safeharbor kiosks remove NAME");
		if (kiosks_remove(k, c->o.args[1]) != SH_OK)
			die(TOOL_EXIT_FAIL, "kiosks remove: %s: no kiosk enrolled under this name",
			    c->o.args[1]);
		if ((st = kiosks_save(c->kiosks_path, k)) != SH_OK)
			save_failed(c->kiosks_path, st);
		return TOOL_EXIT_OK;
	}
	die(TOOL_EXIT_USAGE, "kiosks: '%s': say add, list or remove", sub);
}
