/*
 * log [--json]: the audit log, oldest first, in local time: when, who (the
 * login name and the key that acted), what, on which request. Breaks in
 * the chain are reported on stderr and make the exit status 1; every entry
 * that opens is still shown.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit_log.h"
#include "jsonw.h"
#include "safeharbor/util.h"

static void
local_time(time_t t, char out[32])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		memcpy(out, "?", 2);
}

static void
local_iso(time_t t, char out[40])
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, 40, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
		memcpy(out, "?", 2);
}

/* "alice (age1qyq...x7k2)": enough of the key to tell two people apart. */
static void
who(const struct audit_entry *e, char *out, size_t size)
{
	size_t n = strlen(e->by);

	util_snprintf(out, size, "%s (%.10s...%s)", e->user[0] ? e->user : "?", e->by,
	              n > 6 ? e->by + n - 6 : "");
}

static void
log_text(const struct audit_log *log)
{
	char when[32], by[96];
	size_t i;

	if (log->n == 0) {
		printf("The audit log is empty.\n");
		return;
	}
	printf("%-19s  %-32s  %-8s  %-8s  %s\n", "TIME", "BY", "ACTION", "REQUEST", "DETAIL");
	for (i = 0; i < log->n; i++) {
		const struct audit_entry *e = &log->v[i].e;

		if (!log->v[i].ok)
			continue;
		local_time(e->time, when);
		who(e, by, sizeof(by));
		printf("%-19s  %-32s  %-8s  %-8.8s  %s\n", when, by, e->action,
		       e->id[0] ? e->id : "-", e->detail);
	}
}

static int
log_json(const struct audit_log *log)
{
	struct jsonw w;
	char iso[32], loc[40];
	size_t i;

	jsonw_init(&w, stdout);
	jsonw_begin_array(&w);
	for (i = 0; i < log->n; i++) {
		const struct audit_entry *e = &log->v[i].e;

		if (!log->v[i].ok)
			continue;
		tool_iso_time(e->time, iso);
		local_iso(e->time, loc);
		jsonw_begin_object(&w);
		jsonw_kv_int(&w, "seq", (long long)e->seq);
		jsonw_kv_string(&w, "time", iso);
		jsonw_kv_string(&w, "local_time", loc);
		jsonw_kv_string(&w, "by", e->by);
		jsonw_kv_string(&w, "user", e->user[0] ? e->user : NULL);
		jsonw_kv_string(&w, "action", e->action);
		jsonw_kv_string(&w, "id", e->id[0] ? e->id : NULL);
		jsonw_kv_string(&w, "detail", e->detail[0] ? e->detail : NULL);
		jsonw_end_object(&w);
	}
	jsonw_end_array(&w);
	return jsonw_finish(&w);
}

int
cmd_log(struct tool_ctx *c)
{
	struct audit_log log;
	size_t problems;

	tool_need_spool(c);
	tool_load_identities(c, 0);
	if (audit_load(c, &log) != 0)
		return TOOL_EXIT_FAIL;
	if (c->o.json) {
		if (log_json(&log) != 0)
			die(TOOL_EXIT_FAIL, "stdout: write error");
	} else {
		log_text(&log);
	}
	fflush(stdout);
	problems = audit_check(&log, stderr, "safeharbor: audit log: ");
	if (problems > 0)
		warnx_("audit log: %zu problem%s (the chain is broken where shown)", problems,
		       problems == 1 ? "" : "s");
	audit_log_free(&log);
	return problems > 0 ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;
}
