/*
 * Overdue requests (SPEC §11): open past the follow-up promised to
 * students (config follow_up_days school days, holidays from the config's
 * holidays file), urgent ones an hour after they were made. The rule is
 * schooldays.c's; this file feeds it the tool's config and an item.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safeharbor/fileio.h"
#include "queue.h"
#include "tool.h"
#include "tooltime.h"
#include "safeharbor/util.h"

#define HOLIDAYS_FILE_MAX (64u * 1024u)

const struct holidays *
tool_holidays(struct tool_ctx *c)
{
	const char *path = c->holidays_path, *why;
	char *text;
	size_t got, line;
	int fd;

	if (c->holidays != NULL || path[0] == '\0')
		return c->holidays;
	if ((c->holidays = calloc(1, sizeof(*c->holidays))) == NULL ||
	    (text = malloc(HOLIDAYS_FILE_MAX + 1)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0 ||
	    fileio_read_upto(fd, text, HOLIDAYS_FILE_MAX + 1, &got) != 0)
		die(TOOL_EXIT_USAGE, "%s (holidays in %s): %s", path, c->conf_path, strerror(errno));
	close(fd);
	if (got > HOLIDAYS_FILE_MAX)
		die(TOOL_EXIT_USAGE, "%s: larger than %u KiB: not a holidays file", path,
		    HOLIDAYS_FILE_MAX / 1024);
	if (schooldays_parse_holidays(text, got, c->holidays, &line, &why) != 0)
		die(TOOL_EXIT_USAGE, "%s:%zu: %s", path, line, why);
	free(text);
	return c->holidays;
}

int
tool_item_overdue(struct tool_ctx *c, const struct queue_item *it, time_t now)
{
	time_t made;

	if (!queue_item_opened(it) || it->e.state == SPOOL_HANDLED ||
	    it->about == RECORD_ABOUT_TEST || (made = tooltime_created(it->created)) == (time_t)-1)
		return 0;
	return schooldays_overdue(made, it->danger == RECORD_DANGER_YES, c->follow_up_days,
	                          tool_holidays(c), now);
}
