#ifndef SAFEHARBOR_TOOL_REPORT_HTML_H
#define SAFEHARBOR_TOOL_REPORT_HTML_H

/*
 * The yearly report as one self-contained HTML page: the program's table
 * and three inline SVG bar charts (per month, per kiosk, per outcome), in
 * black and white, sized to print on one Letter or A4 sheet. No script,
 * no outside file, no name, message, id or kiosk key: counts only, and
 * counts from 1 to 4 shown as "fewer than 5" unless exact.
 */

#include <stdio.h>
#include <stddef.h>
#include <time.h>
#include "progstats.h"

#define REPORT_SMALL 5           /* counts below this (and above 0) are hidden */

/* Which of n counts to hide: every one from 1 to REPORT_SMALL - 1, and,
 * when the group adds up to a total that is shown (has_total) and exactly
 * one count is hidden, the next smallest non-zero one too, so the hidden
 * one cannot be worked out by subtraction. */
void report_suppress(const size_t *v, size_t n, int has_total, int *hide);

/* Write the page for school year y. 0, or -1 on a write error. */
int report_html(FILE *f, const struct prog_year *y, int exact, time_t now);

#endif
