#include <criterion/criterion.h>
#include <string.h>

#include "safeharbor/reply.h"
#include "safeharbor/screens.h"

/* Whether an answer fits the kiosk's answer area at 80x24, counted as the
 * kiosk wraps it (screens_wrap at SH_REPLY_KIOSK_COLS). */

static void
lines_of(char *buf, size_t size, unsigned n, const char *each)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s\n", each);
}

Test(reply_fit, counts_line_breaks_and_wrapping)
{
	char buf[4096];
	size_t rows = 0;

	lines_of(buf, sizeof buf, SH_REPLY_KIOSK_ROWS, "short");
	cr_assert(reply_fits_kiosk(buf, &rows));
	cr_assert_eq(rows, SH_REPLY_KIOSK_ROWS);

	lines_of(buf, sizeof buf, SH_REPLY_KIOSK_ROWS + 1, "short");
	cr_assert_not(reply_fits_kiosk(buf, &rows), "one row more than the area");
	cr_assert_eq(rows, SH_REPLY_KIOSK_ROWS + 1);

	lines_of(buf, sizeof buf, 30, "x");
	cr_assert_not(reply_fits_kiosk(buf, &rows), "30 short lines: 30 rows");
	cr_assert_eq(rows, 30);

	/* blank lines between paragraphs take a row each */
	lines_of(buf, sizeof buf, 7, "a\n");
	cr_assert_not(reply_fits_kiosk(buf, &rows));
	cr_assert_eq(rows, 14);

	/* 499 characters of words, no breaks: 14 words a row at 74, 8 rows */
	memset(buf, 0, sizeof buf);
	for (int i = 0; i < 100; i++)
		strcat(buf, i ? " word" : "word");
	cr_assert(reply_fits_kiosk(buf, &rows));
	cr_assert_eq(rows, screens_wrap(buf, SH_REPLY_KIOSK_COLS, NULL, NULL));
	cr_assert_eq(rows, 8, "rows %zu", rows);

	/* one line exactly as wide as the area is one row; one more wraps */
	memset(buf, 'a', SH_REPLY_KIOSK_COLS);
	buf[SH_REPLY_KIOSK_COLS] = '\0';
	cr_assert(reply_fits_kiosk(buf, &rows));
	cr_assert_eq(rows, 1);
	strcat(buf, "a");
	reply_fits_kiosk(buf, &rows);
	cr_assert_eq(rows, 2);
	cr_assert(reply_fits_kiosk("hello", NULL));
}
