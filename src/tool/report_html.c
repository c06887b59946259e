/*
 * The yearly report page (report_html.h).
 *
 * Decisions:
 * - Sizes in millimetres inside a 180 mm column and under 250 mm of
 *   height, so the page prints on one sheet whether Letter (216 x 279 mm)
 *   or A4 (210 x 297 mm) with 12 mm margins.
 * - Black on white only: bars are solid black, hidden counts a hatched,
 *   dashed box labelled "<5"; every bar carries its number as text.
 * - A hidden count draws the same small box whatever its value, so the
 *   chart tells no more than the table.
 * - Kiosk names are the social worker's enrolled names ([A-Za-z0-9._-]),
 *   escaped anyway; no key, id, name or message reaches the page.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report_html.h"

#define KIOSK_ROWS 8             /* more kiosks are added up as "other kiosks" */

void
report_suppress(const size_t *v, size_t n, int has_total, int *hide)
{
	size_t i, nhidden = 0, best = n;

	for (i = 0; i < n; i++) {
		hide[i] = v[i] > 0 && v[i] < REPORT_SMALL;
		nhidden += (size_t)hide[i];
	}
	if (!has_total || nhidden != 1)
		return;
	for (i = 0; i < n; i++)
		if (!hide[i] && v[i] > 0 && (best == n || v[i] < v[best]))
			best = i;
	if (best < n)
		hide[best] = 1;
}

static void
esc(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void
count_text(FILE *f, size_t v, int hidden)
{
	if (hidden)
		fputs("fewer than 5", f);
	else
		fprintf(f, "%zu", v);
}

static const char style[] =
	"@page{size:auto;margin:12mm}\n"
	"html,body{background:#fff;color:#000}\n"
	"body{margin:0 auto;width:180mm;font:10pt/1.3 'DejaVu Serif',Georgia,serif}\n"
	"h1{font-size:15pt;margin:0 0 1mm}\n"
	"h2{font-size:11pt;margin:4mm 0 1mm}\n"
	"p{margin:0 0 2mm}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{border-bottom:.3pt solid #000;padding:.6mm 2mm;text-align:left}\n"
	"td.n{text-align:right;white-space:nowrap}\n"
	"tr.sub td:first-child{padding-left:7mm}\n"
	".two{display:flex;gap:4mm}\n"
	".two>div{flex:1}\n"
	"svg{display:block}\n"
	"svg text{font:11px 'DejaVu Sans',Arial,sans-serif;fill:#000}\n"
	".foot{font-size:8pt;margin-top:3mm}\n";

static void
hatch(FILE *f, const char *id)
{
	fprintf(f, "<defs><pattern id=\"%s\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	        "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
	        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000\" stroke-width=\"2\"/>"
	        "</pattern></defs>\n", id);
}

static size_t
scale_max(const size_t *v, const int *hide, size_t n)
{
	size_t i, m = 1;

	for (i = 0; i < n; i++)
		if (!hide[i] && v[i] > m)
			m = v[i];
	return m;
}

static void
bar_label(FILE *f, double x, double y, const char *anchor, size_t v, int hidden)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor);
	if (hidden)
		fputs("&lt;5", f);
	else
		fprintf(f, "%zu", v);
	fputs("</text>\n", f);
}

/* Requests per month: twelve vertical bars, the school year's order. */
static void
month_chart(FILE *f, const struct prog_year *y, const int *hide)
{
	const double slot = 700.0 / PROG_MONTHS, bw = 34, base = 160, top = 130;
	size_t m = scale_max(y->month, hide, PROG_MONTHS);
	int i;

	fprintf(f, "<svg width=\"180mm\" height=\"46mm\" viewBox=\"0 0 720 184\" role=\"img\" "
	        "aria-label=\"Requests per month\">\n");
	hatch(f, "hatch-m");
	fprintf(f, "<line x1=\"10\" y1=\"%.0f\" x2=\"710\" y2=\"%.0f\" stroke=\"#000\"/>\n", base, base);
	for (i = 0; i < PROG_MONTHS; i++) {
		double x = 10 + slot * i + (slot - bw) / 2, h;
		size_t v = y->month[i];

		if (hide[i]) {
			h = 14;
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" "
			        "fill=\"url(#hatch-m)\" stroke=\"#000\" stroke-dasharray=\"3 2\"/>\n",
			        x, base - h, bw, h);
		} else {
			h = top * (double)v / (double)m;
			if (v > 0)
				fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" "
				        "fill=\"#000\"/>\n", x, base - h, bw, h);
		}
		bar_label(f, x + bw / 2, base - h - 4, "middle", v, hide[i]);
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.3s</text>\n",
		        x + bw / 2, base + 16, prog_month_name(y, i));
	}
	fputs("</svg>\n", f);
}

/* Horizontal bars, one per label. */
static void
hbar_chart(FILE *f, const char *title, const char *id, const char *const *labels,
           const size_t *v, const int *hide, size_t n)
{
	const double row = 20, lw = 150, bmax = 150;
	size_t m = scale_max(v, hide, n), i;

	fprintf(f, "<svg width=\"88mm\" height=\"%.1fmm\" viewBox=\"0 0 352 %.0f\" role=\"img\" "
	        "aria-label=\"", (double)n * row / 4 + 2, (double)n * row + 8);
	esc(f, title);
	fputs("\">\n", f);
	hatch(f, id);
	for (i = 0; i < n; i++) {
		double yy = 4 + row * (double)i, w;

		fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", lw - 6, yy + 14);
		esc(f, labels[i]);
		fputs("</text>\n", f);
		if (hide[i]) {
			w = 14;
			fprintf(f, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"14\" "
			        "fill=\"url(#%s)\" stroke=\"#000\" stroke-dasharray=\"3 2\"/>\n",
			        lw, yy + 2, w, id);
		} else {
			w = bmax * (double)v[i] / (double)m;
			if (v[i] > 0)
				fprintf(f, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
				        "fill=\"#000\"/>\n", lw, yy + 2, w);
		}
		bar_label(f, lw + w + 4, yy + 14, "start", v[i], hide[i]);
	}
	fputs("</svg>\n", f);
}

static const char *const outcome_labels[OUTCOME_N + 1] = {
	"Met", "Information", "Assault", "Grooming", "Trafficking", "No concern",
	"Not found", "No outcome yet"
};

static void
kiosk_chart(FILE *f, const struct prog_year *y, int exact)
{
	const char *labels[KIOSK_ROWS + 1];
	size_t v[KIOSK_ROWS + 1], i, n = 0;
	int hide[KIOSK_ROWS + 1];

	for (i = 0; i < y->nkiosks; i++) {
		if (n < KIOSK_ROWS || (n == KIOSK_ROWS && i + 1 == y->nkiosks)) {
			labels[n] = y->kiosks[i].name;
			v[n++] = y->kiosks[i].n;
		} else {
			if (n == KIOSK_ROWS) {
				labels[n] = "other kiosks";
				v[n++] = 0;
			}
			v[KIOSK_ROWS] += y->kiosks[i].n;
		}
	}
	if (exact)
		memset(hide, 0, sizeof(hide));
	else
		report_suppress(v, n, 1, hide);
	hbar_chart(f, "Requests by kiosk", "hatch-k", labels, v, hide, n);
}

static void
row(FILE *f, const char *label, size_t v, int hidden, int sub)
{
	fprintf(f, "<tr%s><td>%s</td><td class=\"n\">", sub ? " class=\"sub\"" : "", label);
	count_text(f, v, hidden);
	fputs("</td></tr>\n", f);
}

static void
table(FILE *f, const struct prog_year *y, int exact)
{
	size_t about[3] = { y->self, y->friend, y->questions };
	size_t single[6] = { y->came, y->met, y->identified, y->information, y->referred, y->urgent };
	size_t ident[3] = { y->outcomes[OUTCOME_ASSAULT], y->outcomes[OUTCOME_GROOMING],
	                    y->outcomes[OUTCOME_TRAFFICKING] };
	int ha[3] = { 0, 0, 0 }, hs[6] = { 0, 0, 0, 0, 0, 0 }, hi[3] = { 0, 0, 0 };
	char dur[32];

	if (!exact) {
		report_suppress(about, 3, 1, ha);
		report_suppress(single, 6, 0, hs);
		report_suppress(ident, 3, 1, hi);
	}
	fputs("<table>\n<tr><th>Students who</th><th class=\"n\">Count</th></tr>\n", f);
	row(f, "Came forward", y->came, hs[0], 0);
	row(f, "for themselves", y->self, ha[0], 1);
	row(f, "for a friend", y->friend, ha[1], 1);
	row(f, "with questions", y->questions, ha[2], 1);
	row(f, "Said they were in danger now (urgent)", y->urgent, hs[5], 0);
	row(f, "Met with the social worker", y->met, hs[1], 0);
	row(f, "Identified as sexually assaulted, groomed or trafficked", y->identified, hs[2], 0);
	row(f, "assaulted", ident[0], hi[0], 1);
	row(f, "groomed", ident[1], hi[1], 1);
	row(f, "trafficked", ident[2], hi[2], 1);
	row(f, "Wanted information only", y->information, hs[3], 0);
	row(f, "Referred (child protective services, police or services)", y->referred, hs[4], 0);
	fputs("<tr><td>Median time from a request to the first action on it</td><td class=\"n\">", f);
	if (y->median < 0)
		fputs("none recorded", f);
	else if (!exact && y->nwaits < REPORT_SMALL)
		fputs("not shown (fewer than 5)", f);
	else {
		prog_duration(y->median, dur);
		fputs(dur, f);
	}
	fputs("</td></tr>\n</table>\n", f);
}

int
report_html(FILE *f, const struct prog_year *y, int exact, time_t now)
{
	size_t ov[OUTCOME_N + 1];
	int hm[PROG_MONTHS], ho[OUTCOME_N + 1];
	char label[16], made[32];
	struct tm tm;
	int i;

	prog_year_label(y->year, y->start_month, label);
	if (localtime_r(&now, &tm) == NULL || strftime(made, sizeof(made), "%Y-%m-%d", &tm) == 0)
		memcpy(made, "?", 2);
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<title>Program figures, school year %s</title>\n<style>\n%s</style>\n</head>\n"
	        "<body>\n<h1>Program figures, school year %s</h1>\n", label, style, label);
	fprintf(f, "<p>%s %d to %s %d. Students who asked, at a school kiosk, to talk to the "
	        "social worker privately.</p>\n", prog_month_name(y, 0), y->year,
	        prog_month_name(y, PROG_MONTHS - 1), y->start_month == 1 ? y->year : y->year + 1);
	if (y->came == 0)
		fprintf(f, "<p><strong>No requests were made in this school year.</strong></p>\n");
	table(f, y, exact);
	if (y->came > 0) {
		if (exact)
			memset(hm, 0, sizeof(hm));
		else
			report_suppress(y->month, PROG_MONTHS, 1, hm);
		fputs("<h2>Requests per month</h2>\n", f);
		month_chart(f, y, hm);
		for (i = 0; i < OUTCOME_N; i++)
			ov[i] = y->outcomes[i];
		ov[OUTCOME_N] = y->no_outcome;
		if (exact)
			memset(ho, 0, sizeof(ho));
		else
			report_suppress(ov, OUTCOME_N + 1, 1, ho);
		fputs("<div class=\"two\">\n<div><h2>Requests by kiosk</h2>\n", f);
		kiosk_chart(f, y, exact);
		fputs("</div>\n<div><h2>Requests by outcome</h2>\n", f);
		hbar_chart(f, "Requests by outcome", "hatch-o", outcome_labels, ov, ho, OUTCOME_N + 1);
		fputs("</div>\n</div>\n", f);
	}
	fprintf(f, "<p class=\"foot\">%s Counted: requests from the district's enrolled kiosks "
	        "with a valid signature, by the month the student made them; kiosk tests left "
	        "out. Met: any outcome but &ldquo;not found&rdquo;. First action: the first note, "
	        "outcome, referral or &ldquo;handled&rdquo; mark. This page holds counts only: "
	        "no name, message or request id. Made %s by safeharbor.</p>\n</body>\n</html>\n",
	        exact ? "Exact counts: small numbers are shown, so a reader might pick out a "
	                "student; share this page with care." :
	                "Counts from 1 to 4 are shown as &ldquo;fewer than 5&rdquo; (&lt;5 in the "
	                "charts), so that no student can be picked out.",
	        made);
	return ferror(f) ? -1 : 0;
}
