/*
 * purge --handled-before DATE [--dry-run] [ID...]: retention. Removes
 * every request handled before the start of DATE (local time), with what
 * purge_hooks keep beside it, and the requests named on the command line
 * whatever their state. Open requests stay unless named; envelopes that
 * cannot be opened are never touched.
 *
 * When a request was handled: the last "handled" entry of the audit log
 * (else of its case items), or, for one handled before either existed,
 * the file's ctime (the rename that set the handled flag changed it, and
 * nothing moves it back, so it is never earlier than the real moment).
 *
 * A conversation (a first request and the trusted answers under it, About:
 * reply with its id as In-Reply-To) goes by date as a whole: when every
 * part was handled before the date, else all of it stays; the answers in
 * the replies folder go with it. Named requests go as named.
 *
 * Order, so that a purge killed at any instant loses nothing it should
 * keep: the audit entry first (no entry, nothing removed), then for each
 * request its hooks, then its envelopes (one unlink each, of the exact
 * name listed: a request reopened meanwhile has another name and stays),
 * then the folders are synced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit_log.h"
#include "casework.h"
#include "purge.h"
#include "tooltime.h"
#include "queue.h"
#include "safeharbor/util.h"

/* Start of the day DATE names, local time; dies on a bad date or one
 * after tomorrow. */
static time_t
cutoff(const char *date)
{
	time_t start, next;

	if (tooltime_parse_day(date, &start, &next) != 0)
		die(TOOL_EXIT_USAGE, "--handled-before: '%s': give a date as YYYY-MM-DD", date);
	if (start - time(NULL) > 86400)
		die(TOOL_EXIT_USAGE, "--handled-before: %s is in the future (at most tomorrow, "
		    "which means everything handled so far)", date);
	return start;
}

/* The last time id was marked handled: by the audit log, else by its case
 * items; -1 when neither says. */
static time_t
handled_at(struct tool_ctx *c, const struct audit_log *log, const char *id)
{
	const struct casefile *cf = tool_cases(c);
	size_t i, first, n;
	time_t t = (time_t)-1;

	for (i = 0; i < log->n; i++)
		if (log->v[i].ok && strcmp(log->v[i].e.action, "handled") == 0 &&
		    strcmp(log->v[i].e.id, id) == 0 && log->v[i].e.time > t)
			t = log->v[i].e.time;
	if (t != (time_t)-1)
		return t;
	n = casefile_find(cf, id, &first);
	for (i = first; i < first + n; i++)
		if (cf->v[i].kind == CASE_STATE && cf->v[i].value == CSTATE_HANDLED &&
		    cf->v[i].created > t)
			t = cf->v[i].created;
	return t;
}

static int
open_sub(const char *spool, const char *sub)
{
	char path[TOOL_PATH_MAX];
	int fd;

	if (util_snprintf(path, sizeof(path), "%s/%s", spool, sub) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", spool);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	return fd;
}

/* Whether a is a trusted answer to the first request f (an
 * untrusted one may name any id: it neither holds nor pulls anything). */
static int
answers(const struct queue_item *a, const struct queue_item *f)
{
	return queue_item_trusted(a) && a->about == RECORD_ABOUT_REPLY &&
	       f->about != RECORD_ABOUT_REPLY && strcmp(a->in_reply_to, f->id) == 0;
}

/* By date a conversation goes as a whole or stays as a whole: a first
 * request with a part not picked stays, and so do the parts picked by date
 * of a first request that stays. */
static void
whole_conversations(const struct queue *q, unsigned char *pick)
{
	size_t i, j;

	for (i = 0; i < q->nvis; i++)
		for (j = 0; pick[i] == 1 && j < q->nvis; j++)
			if (pick[j] == 0 && answers(&q->items[j], &q->items[i]))
				pick[i] = 0;
	for (i = 0; i < q->nvis; i++)
		for (j = 0; pick[i] == 0 && queue_item_opened(&q->items[i]) && j < q->nvis; j++)
			if (pick[j] == 1 && answers(&q->items[j], &q->items[i]))
				pick[j] = 0;
}

struct plan {
	unsigned char *pick;      /* per item: 1 handled before the date, 2 named */
	size_t requests, named, files;
	long expired;             /* answers past reply_days to requests that stay */
};

static void
choose(struct tool_ctx *c, const struct queue *q, const struct audit_log *log, time_t before,
       int fd[2], struct plan *p)
{
	struct stat sb;
	size_t i, j;
	time_t t;

	if ((p->pick = calloc(q->n ? q->n : 1, 1)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	for (i = 0; i < c->o.nargs; i++) {
		j = tool_resolve(q, c->o.args[i]);
		if (!queue_item_opened(&q->items[j]))
			die(TOOL_EXIT_FAIL, "%s: cannot be opened; purge removes only requests it "
			    "can read ('safeharbor verify' says why)", c->o.args[i]);
		p->pick[j] = 2;
	}
	for (i = 0; before != (time_t)-1 && i < q->nvis; i++) {
		const struct queue_item *it = &q->items[i];

		if (p->pick[i] || !queue_item_opened(it) || it->e.state != SPOOL_HANDLED)
			continue;
		if ((t = handled_at(c, log, it->id)) == (time_t)-1) {
			if (fstatat(fd[it->e.in_cur], it->e.name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			t = sb.st_ctime;
		}
		if (t < before)
			p->pick[i] = 1;
	}
	whole_conversations(q, p->pick);
	/* hidden copies go with the request they copy */
	for (i = q->nvis; i < q->n; i++)
		for (j = 0; j < q->nvis; j++)
			if (p->pick[j] && queue_item_opened(&q->items[i]) &&
			    strcmp(q->items[i].id, q->items[j].id) == 0)
				p->pick[i] = p->pick[j];
	for (i = 0; i < q->n; i++) {
		p->files += p->pick[i] != 0;
		if (i < q->nvis && p->pick[i] == 1)
			p->requests++;
		if (i < q->nvis && p->pick[i] == 2)
			p->named++;
	}
}

/* Hooks for one request; adds to counts. -1 (message printed) on failure. */
static int
run_hooks(struct tool_ctx *c, const struct queue_item *it, int dry_run, long *counts)
{
	char why[256];
	long n;
	size_t h;

	for (h = 0; h < PURGE_MAX_HOOKS && purge_hooks[h].remove != NULL; h++) {
		if ((n = purge_hooks[h].remove(c, it, dry_run, why, sizeof(why))) < 0) {
			warnx_("purge: %s of %.8s: %s", purge_hooks[h].what, it->id, why);
			return -1;
		}
		counts[h] += n;
	}
	return 0;
}

/* Answers older than the kiosks show them (reply_days, plus the hour a
 * file time is rounded down by) to the requests that stay. */
static long
expired_answers(struct tool_ctx *c, const struct queue *q, const unsigned char *pick,
                int dry_run, int *failed)
{
	time_t before = time(NULL) - (time_t)c->reply_days * 86400 - 3600;
	char why[256];
	long n, total = 0;
	size_t i;

	for (i = 0; i < q->nvis; i++) {
		if (pick[i] || !queue_item_opened(&q->items[i]))
			continue;
		if ((n = purge_replies_older(c, &q->items[i], before, dry_run, why, sizeof(why))) < 0) {
			warnx_("purge: expired answers of %.8s: %s", q->items[i].id, why);
			*failed = 1;
			continue;
		}
		total += n;
	}
	return total;
}

static void
print_counts(const char *verb, const struct plan *p, const long *counts, const char *date)
{
	size_t h;

	printf("%s %zu request%s handled before %s", verb, p->requests,
	       p->requests == 1 ? "" : "s", date != NULL ? date : "(no date given)");
	if (p->named > 0)
		printf(" and %zu named request%s", p->named, p->named == 1 ? "" : "s");
	printf(" (%zu envelope file%s", p->files, p->files == 1 ? "" : "s");
	for (h = 0; h < PURGE_MAX_HOOKS && purge_hooks[h].remove != NULL; h++)
		printf(", %ld %s", counts[h], purge_hooks[h].what);
	printf(")\n");
	if (p->expired > 0)
		printf("%s %ld answer%s older than reply_days to requests that stay\n", verb,
		       p->expired, p->expired == 1 ? "" : "s");
}

int
cmd_purge(struct tool_ctx *c)
{
	struct queue q;
	struct audit_log log;
	struct plan p;
	const char *date = c->o.handled_before;
	char detail[AUDIT_DETAIL_MAX + 1];
	long counts[PURGE_MAX_HOOKS] = { 0 };
	size_t i, j, gone = 0, changed = 0, failed = 0;
	time_t before = (time_t)-1;
	int fd[2], rc = TOOL_EXIT_OK, sweep_failed = 0;

	if (date == NULL && c->o.nargs == 0)
		die(TOOL_EXIT_USAGE, "purge: say --handled-before YYYY-MM-DD, or name the requests");
	if (date != NULL)
		before = cutoff(date);
	tool_load_queue(c, &q);
	if (audit_load(c, &log) != 0)
		die(TOOL_EXIT_FAIL, "purge: the audit log cannot be read: nothing removed");
	fd[0] = open_sub(q.spool, "new");
	fd[1] = open_sub(q.spool, "cur");
	memset(&p, 0, sizeof(p));
	choose(c, &q, &log, before, fd, &p);
	audit_log_free(&log);

	p.expired = expired_answers(c, &q, p.pick, 1, &sweep_failed);
	if (c->o.dry_run) {
		for (i = 0; i < q.nvis; i++)
			if (p.pick[i] && run_hooks(c, &q.items[i], 1, counts) != 0)
				rc = TOOL_EXIT_FAIL;
		if (sweep_failed)
			rc = TOOL_EXIT_FAIL;
		print_counts("would remove", &p, counts, date);
		goto out;
	}
	if (p.files == 0 && p.expired == 0) {
		print_counts("removed", &p, counts, date);
		goto out;
	}
	util_snprintf(detail, sizeof(detail), "%zu handled before %s, %zu named, %zu files",
	              p.requests, date != NULL ? date : "-", p.named, p.files);
	if (p.expired > 0)
		util_snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail),
		              ", %ld expired answers", p.expired);
	if (audit_append(c, "purge", NULL, detail) != 0)
		die(TOOL_EXIT_FAIL, "purge: not recorded in the audit log, so nothing removed");
	for (i = 0; i < q.n; i++) {
		const struct queue_item *it = &q.items[i];

		if (!p.pick[i])
			continue;
		/* hooks once per request; its hidden copies (after it) only
		 * when they ran */
		if (i < q.nvis && run_hooks(c, it, 0, counts) != 0) {
			for (j = i; j < q.n; j++)
				if (strcmp(q.items[j].id, it->id) == 0)
					p.pick[j] = 0;
			failed++;
			continue;
		}
		if (unlinkat(fd[it->e.in_cur], it->e.name, 0) == 0) {
			gone++;
		} else if (errno == ENOENT) {
			changed++;   /* reopened or removed meanwhile: its name changed */
		} else {
			warnx_("purge: %s/%s: %s", it->e.in_cur ? "cur" : "new", it->e.name,
			       strerror(errno));
			failed++;
		}
	}
	p.expired = expired_answers(c, &q, p.pick, 0, &sweep_failed);
	if (sweep_failed)
		rc = TOOL_EXIT_FAIL;
	if (fsync(fd[0]) != 0 || fsync(fd[1]) != 0) {
		warnx_("purge: %s: cannot sync the folders: %s", q.spool, strerror(errno));
		rc = TOOL_EXIT_FAIL;
	}
	p.files = gone;
	print_counts("removed", &p, counts, date);
	if (changed > 0)
		printf("%zu envelope%s changed state meanwhile and stayed\n", changed,
		       changed == 1 ? "" : "s");
	if (failed > 0) {
		warnx_("purge: %zu envelope%s could not be removed", failed, failed == 1 ? "" : "s");
		rc = TOOL_EXIT_FAIL;
	}
out:
	close(fd[0]);
	close(fd[1]);
	free(p.pick);
	queue_free(&q);
	return rc;
}
