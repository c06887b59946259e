/*
 * report [--year YYYY] -o FILE.html: the school year's figures as one
 * printable page (report_html.c). Counts only, so it is no plaintext
 * export; still created 0600, never over an existing file unless --force,
 * and written whole or not at all (the durable writer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/fileio.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "queue.h"
#include "report_html.h"
#include "tool.h"

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
		if (fileio_write_file(c->o.out, page, len, 0600, c->o.force ? FILEIO_REPLACE : 0) != 0)
			die(TOOL_EXIT_FAIL, "%s: %s", c->o.out, errno == EEXIST ?
			    "already exists, not overwriting (use --force)" : strerror(errno));
		prog_year_label(year, y->start_month, label);
		fprintf(stderr, "safeharbor: school year %s: %zu request%s; report written to %s\n",
		        label, y->came, y->came == 1 ? "" : "s", c->o.out);
	}
	free(page);
	prog_years_free(&py);
	queue_free(&q);
	return TOOL_EXIT_OK;
}
