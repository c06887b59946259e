/*
 * report [--year YYYY] -o FILE.html: the school year's figures as one
 * printable page (report_html.c). Counts only, so it is no plaintext
 * export; still created 0600 and never over an existing file unless
 * --force, and written whole (temporary file, fsync, rename) or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/util.h"
#include "casework.h"
#include "queue.h"
#include "report_html.h"
#include "tool.h"

/* page into path: a random temporary name beside it, then rename. */
static void
write_page(const char *path, const char *page, size_t len, int force)
{
	char tmp[TOOL_PATH_MAX];
	unsigned char rnd[6];
	const char *slash = strrchr(path, '/');
	int fd, ok;

	randombytes_buf(rnd, sizeof(rnd));
	if (util_snprintf(tmp, sizeof(tmp), "%.*s.safeharbor-report-%02x%02x%02x%02x%02x%02x",
	                  slash != NULL ? (int)(slash - path + 1) : 0, path, rnd[0], rnd[1],
	                  rnd[2], rnd[3], rnd[4], rnd[5]) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", path);
	if (!force && access(path, F_OK) == 0)
		die(TOOL_EXIT_FAIL, "%s: already exists, not overwriting (use --force)", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		die(TOOL_EXIT_FAIL, "%s: cannot create: %s", path, strerror(errno));
	ok = write(fd, page, len) == (ssize_t)len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	/* link() refuses an existing name: no race with a file made meanwhile */
	if (ok)
		ok = force ? rename(tmp, path) == 0 : link(tmp, path) == 0;
	if (!ok) {
		int e = errno;

		unlink(tmp);
		die(TOOL_EXIT_FAIL, "%s: cannot write: %s", path,
		    e == EEXIST ? "already exists (use --force)" : strerror(e));
	}
	if (!force)
		unlink(tmp);
}

int
cmd_report(struct tool_ctx *c)
{
	struct prog_years py;
	struct queue q;
	const struct prog_year *y;
	char *page = NULL, label[16];
	size_t len = 0;
	FILE *mem;
	int year;

	if (c->o.out == NULL)
		die(TOOL_EXIT_USAGE, "report: say where to write the page: -o FILE.html");
	year = prog_current_year(c->year_start);
	if (c->o.year != NULL && (year = prog_parse_year(c->o.year)) < 0)
		die(TOOL_EXIT_USAGE, "--year: '%s': give the year a school year begins in, "
		    "as YYYY (2025 for 2025-26)", c->o.year);
	tool_load_queue(c, &q);
	prog_years_collect(&py, &q, tool_kiosks(c), tool_cases(c), c->year_start, year, NULL);
	y = py.n > 0 ? &py.v[0] : &py.all;
	if ((mem = open_memstream(&page, &len)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	if (report_html(mem, y, c->o.exact, time(NULL)) != 0 || fclose(mem) != 0)
		die(TOOL_EXIT_FAIL, "out of memory");
	if (strcmp(c->o.out, "-") == 0) {
		fwrite(page, 1, len, stdout);
	} else {
		write_page(c->o.out, page, len, c->o.force);
		prog_year_label(year, y->start_month, label);
		fprintf(stderr, "safeharbor: school year %s: %zu request%s; report written to %s\n",
		        label, y->came, y->came == 1 ? "" : "s", c->o.out);
	}
	free(page);
	prog_years_free(&py);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
