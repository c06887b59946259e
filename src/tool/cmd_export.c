/*
 * export --json|--csv: the one command that writes students' words to
 * disk, so it says so on stderr, never writes into the spool, and writes
 * through fileio's durable writer: the file (0600) has no name until it is
 * complete and synced (O_TMPFILE, or a hidden name removed on every exit,
 * Ctrl-C and SIGTERM included), then is linked into place, never replacing
 * an existing file unless --force. An interrupted export leaves nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safeharbor/fileio.h"
#include "audit_log.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "csvw.h"
#include "jsonw.h"
#include "queue.h"
#include "tool.h"

static const char *const csv_columns[] = {
	"id", "created", "received", "about", "danger", "state", "kiosk", "kiosk_name",
	"enrolled", "signature_ok", "language", "name", "grade", "teacher", "best_time",
	"contact_way", "friend_name", "friend_grade", "message", "file", "outcome", "referred",
	"notes"
};

struct out {
	const char *path;       /* NULL: stdout */
	struct fileio_out fo;
	FILE *f;
};

static void
out_abort(struct out *o)
{
	if (o->path == NULL)
		return;
	if (o->f != NULL)
		fclose(o->f);
	o->f = NULL;
	fileio_out_abort(&o->fo);
}

/* Ctrl-C, SIGTERM, a hang-up: the half-written file goes with us. */
static void
on_signal(int sig)
{
	fileio_out_on_signal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
check_not_in_spool(const char *path, const char *spool)
{
	char dir[TOOL_PATH_MAX], rdir[PATH_MAX], rspool[PATH_MAX], *slash;
	size_t n;

	if (util_snprintf(dir, sizeof(dir), "%s", path) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		memcpy(dir, ".", 2);
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (realpath(dir, rdir) == NULL)
		die(TOOL_EXIT_FAIL, "%s: cannot write there: folder %s: %s", path, dir,
		    strerror(errno));
	if (realpath(spool, rspool) == NULL)
		die(TOOL_EXIT_FAIL, "%s: %s", spool, strerror(errno));
	n = strlen(rspool);
	if (strncmp(rdir, rspool, n) == 0 && (rdir[n] == '\0' || rdir[n] == '/' || n == 1))
		die(TOOL_EXIT_USAGE, "%s: refusing to write plaintext into the spool %s", path, spool);
}

static void
out_open(struct out *o, const char *path, int force)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
	struct sigaction sa;
	size_t i;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (path == NULL) {
		o->f = stdout;
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		(void)sigaction(sigs[i], &sa, NULL);
	if (fileio_out_open(&o->fo, path, 0600, force ? FILEIO_REPLACE : 0) != 0) {
		if (errno == EEXIST)
			die(TOOL_EXIT_FAIL, "%s: already exists, not overwriting (use --force)", path);
		die(TOOL_EXIT_FAIL, "%s: cannot create: %s", path, strerror(errno));
	}
	if ((fd = dup(o->fo.fd)) < 0 || (o->f = fdopen(fd, "w")) == NULL) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		out_abort(o);
		die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(e));
	}
}

static int
out_close(struct out *o, int force)
{
	int ok;

	if (o->path == NULL)
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
	ok = fflush(o->f) == 0 && !ferror(o->f);
	if (fclose(o->f) != 0)
		ok = 0;
	o->f = NULL;
	if (!ok) {
		int e = errno;
		fileio_out_abort(&o->fo);
		errno = e;
		return -1;
	}
	if (fileio_out_commit(&o->fo, force ? FILEIO_REPLACE : 0) != 0) {
		int e = errno;
		fileio_out_abort(&o->fo);   /* made meanwhile: keep theirs, drop ours */
		errno = e;
		return -1;
	}
	return 0;
}

static void
csv_record(struct tool_ctx *c, struct csvw *w, const struct queue_item *it,
           const struct record *r)
{
	char key[KEYS_KIOSK_STRLEN + 1], when[32], rel[SPOOL_NAME_MAX + 8];
	const char *name = tool_kiosk_name(c, it);
	int f;

	csvw_field(w, r->id);
	csvw_field(w, r->created);
	tool_iso_time(it->e.mtime, when);
	csvw_field(w, when);
	csvw_field(w, record_about_str(r->about));
	csvw_field(w, record_danger_str(r->danger));
	csvw_field(w, queue_state_str(it->e.state));
	keys_kiosk_format(r->kiosk_pk, key);
	csvw_field(w, key);
	csvw_field(w, name != NULL ? name : "");
	csvw_field(w, queue_item_trusted(it) ? "yes" : "no");
	csvw_field(w, it->st == SH_OK ? "yes" : "no");
	csvw_field(w, r->language);
	for (f = 0; f < RECORD_NFIELDS; f++)
		csvw_field(w, r->field[f]);
	csvw_field_n(w, r->message, r->message_len);
	tool_rel_name(&it->e, rel, sizeof(rel));
	csvw_field(w, rel);
	tool_case_csv(c, w, r->id);
	csvw_end_row(w);
}

int
cmd_export(struct tool_ctx *c)
{
	struct queue q;
	struct out o;
	struct jsonw jw;
	struct csvw cw;
	struct record *r;
	unsigned char *ct, *pt;
	const char *why;
	char detail[AUDIT_DETAIL_MAX + 1];
	size_t i, n = 0, failed = 0;
	int err, werr;
	enum sh_status st;

	if (c->o.json == c->o.csv)
		die(TOOL_EXIT_USAGE, "export: say --json or --csv");
	if (c->o.out != NULL && strcmp(c->o.out, "-") == 0)
		c->o.out = NULL;       /* -o - is standard output */
	if (c->o.force && c->o.out == NULL)
		die(TOOL_EXIT_USAGE, "export: --force only applies with -o FILE");
	tool_need_spool(c);
	if (c->o.out != NULL)
		check_not_in_spool(c->o.out, c->spool);
	tool_load_queue(c, &q);
	ct = malloc(QUEUE_FILE_MAX);
	pt = sodium_malloc(SH_RECORD_SIZE);
	r = record_new();
	if (ct == NULL || pt == NULL || r == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	out_open(&o, c->o.out, c->o.force);
	warnx_("warning: export writes every request in plaintext to %s; keep it safe and "
	       "delete it when done", c->o.out != NULL ? c->o.out : "standard output");
	if (c->o.json) {
		jsonw_init(&jw, o.f);
		jsonw_begin_array(&jw);
	} else {
		csvw_init(&cw, o.f);
		for (i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
			csvw_field(&cw, csv_columns[i]);
		csvw_end_row(&cw);
	}
	for (i = 0; i < q.nvis; i++) {
		const struct queue_item *it = &q.items[i];

		if (!queue_item_opened(it)) {
			failed++;
			continue;
		}
		/* the trust exported is that of the bytes exported */
		st = queue_reopen(&q, i, &c->unlock, ct, pt, r, &why, &err);
		sodium_memzero(pt, SH_RECORD_SIZE);
		if (st != SH_OK && st != SH_ERR_SIGNATURE) {
			char rel[SPOOL_NAME_MAX + 8];

			tool_rel_name(&it->e, rel, sizeof(rel));
			warnx_("%s: not exported: %s", rel,
			       st == SH_ERR_IO ? strerror(err) : sh_status_str(st));
			failed++;
			continue;
		}
		if (c->o.json) {
			jsonw_begin_object(&jw);
			tool_record_json(c, &jw, it, r);
			jsonw_end_object(&jw);
		} else {
			csv_record(c, &cw, it, r);
		}
		record_clear(r);
		n++;
	}
	if (c->o.json) {
		jsonw_end_array(&jw);
		werr = jsonw_finish(&jw);
	} else {
		werr = csvw_finish(&cw);
	}
	record_free(r);
	sodium_free(pt);
	free(ct);
	if (werr != 0) {
		err = errno;
		out_abort(&o);
		die(TOOL_EXIT_FAIL, "%s: write error: %s", c->o.out != NULL ? c->o.out : "stdout",
		    strerror(err));
	}
	if (out_close(&o, c->o.force) != 0)
		die(TOOL_EXIT_FAIL, "%s: write error: %s", c->o.out != NULL ? c->o.out : "stdout",
		    strerror(errno));
	if (failed > 0)
		warnx_("%zu envelope%s could not be opened and %s not exported "
		       "('safeharbor verify' lists them)", failed, failed == 1 ? "" : "s",
		       failed == 1 ? "is" : "are");
	snprintf(detail, sizeof(detail), "%zu request%s as %s", n, n == 1 ? "" : "s",
	         c->o.json ? "JSON" : "CSV");
	audit_append(c, "export", NULL, detail);
	if (c->o.out != NULL)
		fprintf(stderr, "safeharbor: exported %zu request%s to %s\n", n, n == 1 ? "" : "s",
		        c->o.out);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
