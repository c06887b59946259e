/*
 * verify: the command whose exit status says whether the queue is sound.
 * With an identity it opens every envelope (copies included) and checks
 * the record, its signature and that its kiosk is enrolled; without one it
 * checks what needs no key: the age header syntax and that each size is
 * the size of a safeharbor envelope. Both report stale tmp/ files left by
 * an interrupted delivery; --clean-tmp removes those older than an hour.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safeharbor/termsafe.h"
#include "audit_log.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "queue.h"
#include "tool.h"

#define VERIFY_TMP_AGE 3600

static size_t problem(const struct spool_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t
problem(const struct spool_entry *e, const char *fmt, ...)
{
	char rel[SPOOL_NAME_MAX + 8], msg[512];
	va_list ap;

	tool_rel_name(e, rel, sizeof(rel));
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	termsafe_line(stdout, "%s: %s", rel, msg);
	return 1;
}

static int
envelope_size_ok(off_t size, size_t *nrec)
{
	size_t k;

	for (k = 1; k <= KEYS_MAX_RECIPIENTS; k++) {
		if ((off_t)envelope_size(k) == size) {
			*nrec = k;
			return 1;
		}
	}
	return 0;
}

/* What the name says: a clash (two files, one name) or a sync conflict
 * copy. Both files are kept; the social worker decides. */
static size_t
check_name(const struct spool_entry *e)
{
	size_t problems = 0;

	if (e->clash)
		problems += problem(e, "name clash: another file in new/ or cur/ has the same name "
		                    "(both kept; nothing was replaced)");
	if (e->sync_conflict)
		problems += problem(e, "Syncthing conflict copy: two peers changed one file "
		                    "(kept and listed; compare it with the original)");
	return problems;
}

static size_t
check_with_keys(struct tool_ctx *c, const struct queue *q)
{
	char buf[256], key[KEYS_KIOSK_STRLEN + 1];
	size_t i, problems = 0;

	for (i = 0; i < q->n; i++) {
		const struct queue_item *it = &q->items[i];

		problems += check_name(&it->e);
		if (!queue_item_opened(it)) {
			problems += problem(&it->e, "%s", queue_item_reason(it, buf, sizeof(buf)));
			continue;
		}
		if (it->st == SH_ERR_SIGNATURE)
			problems += problem(&it->e, "record %s: not from an enrolled kiosk "
			                    "(bad signature: forged or damaged)", it->id);
		else if (it->kiosk < 0) {
			keys_kiosk_format(it->kiosk_pk, key);
			problems += problem(&it->e, "record %s: not from an enrolled kiosk (signed by %s; "
			                    "enroll it with 'safeharbor kiosks add NAME KEY')", it->id, key);
		}
		if (it->conflict)
			problems += problem(&it->e, "record %s: another envelope carries the same id "
			                    "with different content", it->id);
		if (it->hidden)
			(void)problem(&it->e, "note: a copy of record %s (shown once)", it->id);
	}
	(void)c;
	return problems;
}

static size_t
check_without_keys(const struct queue *q)
{
	unsigned char *ct;
	char sz[32], usual[32];
	size_t i, j, problems = 0, ctlen, off, nrec, best = 0, bestn = 0, cnt;
	int err;
	enum sh_status st;

	if ((ct = malloc(QUEUE_FILE_MAX)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	/* the usual size: the most common one */
	for (i = 0; i < q->n; i++) {
		for (cnt = 0, j = 0; j < q->n; j++)
			if (q->items[j].e.size == q->items[i].e.size)
				cnt++;
		if (cnt > bestn) {
			bestn = cnt;
			best = i;
		}
		if (bestn > q->n / 2)
			break;
	}
	for (i = 0; i < q->n; i++) {
		const struct spool_entry *e = &q->items[i].e;

		problems += check_name(e);
		st = queue_read_envelope(q, e, ct, &ctlen, &err);
		if (st == SH_OK)
			st = age_header_check(ct, ctlen, &off);
		if (st != SH_OK) {
			problems += problem(e, "%s", st == SH_ERR_IO ? strerror(err) : sh_status_str(st));
			continue;
		}
		snprintf(sz, sizeof(sz), "%lld", (long long)e->size);
		if (!envelope_size_ok(e->size, &nrec)) {
			problems += problem(e, "size %s bytes is not the size of a safeharbor envelope "
			                    "(damaged, or not written by a kiosk)", sz);
			continue;
		}
		if (e->size != q->items[best].e.size) {
			snprintf(usual, sizeof(usual), "%lld", (long long)q->items[best].e.size);
			(void)problem(e, "note: size %s bytes differs from most envelopes (%s): "
			              "sealed to a different number of recipients", sz, usual);
		}
	}
	free(ct);
	return problems;
}

static size_t
check_tmp(struct tool_ctx *c, const struct queue *q)
{
	char **names = NULL;
	size_t n = 0, i, problems = 0;
	enum sh_status st;

	st = spool_stale_tmp_at(&q->sp, time(NULL), VERIFY_TMP_AGE, &names, &n);
	if (st != SH_OK) {
		if (st == SH_ERR_NOT_FOUND)
			printf("tmp/: missing (not a spool made by safeharbor-kiosk?)\n");
		else
			printf("tmp/: cannot read: %s\n",
			       st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (c->o.clean_tmp) {
			/* unlinkat on tmp/ itself, and only names a delivery makes */
			st = spool_remove_tmp(&q->sp, names[i]);
			if (st == SH_OK)
				termsafe_line(stdout, "tmp/%s: removed stale temporary file", names[i]);
			else if (st == SH_ERR_USAGE)
				termsafe_line(stdout, "tmp/%s: not removed: not a name a kiosk writes "
				              "(remove it yourself if you know what it is)", names[i]);
			else
				termsafe_line(stdout, "tmp/%s: cannot remove: %s", names[i],
				              st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
			problems += st != SH_OK;
		} else {
			termsafe_line(stdout, "tmp/%s: stale temporary file from an interrupted "
			              "delivery (remove with 'safeharbor verify --clean-tmp')",
			              names[i]);
			problems++;
		}
		free(names[i]);
	}
	free(names);
	return problems;
}

/* The audit log's chain: every entry opens, none missing, moved or
 * replaced (audit_log.c). */
static size_t
check_audit(struct tool_ctx *c)
{
	struct audit_log log;
	size_t problems;

	if (audit_load(c, &log) != 0)
		return 1;
	problems = audit_check(&log, stdout, "");
	if (log.n > 0)
		printf("audit log: %zu entr%s checked, %zu problem%s\n", log.n, log.n == 1 ? "y" : "ies",
	       problems, problems == 1 ? "" : "s");
	audit_log_free(&log);
	return problems;
}

int
cmd_verify(struct tool_ctx *c)
{
	struct queue q;
	size_t problems;
	int keys;
	enum sh_status st;

	tool_need_spool(c);
	keys = tool_load_identities(c, 1);
	if (keys) {
		tool_load_queue(c, &q);
		problems = check_with_keys(c, &q);
		problems += tool_verify_keys(c, &q);
		problems += tool_case_verify(c);
	} else {
		termsafe_line(stdout, "note: no identity (%s does not exist): checking envelope "
		              "headers and sizes only; pass -i FILE to check contents and "
		              "signatures", c->idpaths[0]);
		if ((st = queue_load(&q, c->spool, NULL, NULL, NULL, NULL)) != SH_OK)
			tool_queue_die(&q, c->spool, st);
		problems = check_without_keys(&q);
	}
	problems += check_tmp(c, &q);
	if (keys)
		problems += check_audit(c);
	else
		printf("note: the audit log is sealed: pass -i FILE to check its chain\n");
	if (c->memlock_why != NULL)
		termsafe_line(stdout, "note: memory not locked: %s; what show and inbox decrypt "
		              "may reach swap", c->memlock_why);
	printf("verify: %zu envelope%s checked%s, %zu problem%s\n", q.n, q.n == 1 ? "" : "s",
	       keys ? "" : " (headers and sizes only)", problems, problems == 1 ? "" : "s");
	queue_free(&q);
	return problems > 0 ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;
}
