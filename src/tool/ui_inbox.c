/*
 * inbox: full-screen triage, the only curses code in the tool. The list of
 * requests is on top (urgent first, newest first), the selected request
 * below; Enter reads it full screen and marks it seen. Every key, the help
 * screen and the key bar come from one table (inbox_keys). Decisions: the
 * passphrase is asked before curses starts; a record is decrypted only
 * while selected, into locked memory, and wiped when the selection moves;
 * nothing is written to disk; the screen is blanked before curses ends (on
 * quit, on a signal and in die()) so no student words stay on the
 * terminal. Ctrl-C quits cleanly (raw mode), SIGTERM/SIGHUP too.
 * What is a row, what is selected, searching and filtering live in the
 * model (inbox_model.c); the words of a request in recfmt.c. While open,
 * the inbox looks at new/ and cur/ each second and merges what arrived
 * (queue_refresh opens only the new envelopes).
 */
#include <curses.h>
#include <errno.h>
#include <sys/stat.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "safeharbor/reply.h"
#include "safeharbor/util.h"
#include "audit_log.h"
#include "casework.h"
#include "convo.h"
#include "inbox_model.h"
#include "queue.h"
#include "recfmt.h"
#include "textfold.h"
#include "tool.h"
#include "tooltime.h"
#include "ui_compose.h"

#define TEXT_MAX (SH_RECORD_SIZE * 4 + 4096)   /* a record, escapes and labels */
#define SEARCH_MAX 128
#define STATUS_MAX 160

enum action {
	ACT_DOWN, ACT_UP, ACT_PGDOWN, ACT_PGUP, ACT_HOME, ACT_END, ACT_OPEN, ACT_BACK,
	ACT_HANDLED, ACT_REOPEN, ACT_TOGGLE, ACT_SEARCH, ACT_NEXT, ACT_PREV, ACT_NEXTREQ,
	ACT_PREVREQ, ACT_FILTER, ACT_NOTE, ACT_REPLY, ACT_HELP, ACT_REDRAW, ACT_QUIT, ACT_NONE
};

struct inbox_key {
	int keys[4];             /* 0-terminated */
	const char *name;        /* as shown in help and the key bar */
	enum action act;
	const char *help;
	const char *bar;         /* short label in the key bar, or NULL */
};

#define CTRL_KEY(c) ((c) & 0x1f)

static const struct inbox_key inbox_keys[] = {
	{ { KEY_DOWN, 'j', 0 }, "Down/j", ACT_DOWN, "next request; in a request, scroll down", NULL },
	{ { KEY_UP, 'k', 0 }, "Up/k", ACT_UP, "previous request; in a request, scroll up", NULL },
	{ { KEY_NPAGE, ' ', CTRL_KEY('f'), 0 }, "PgDn/Space", ACT_PGDOWN, "page down", NULL },
	{ { KEY_PPAGE, 'b', CTRL_KEY('b'), 0 }, "PgUp/b", ACT_PGUP, "page up", NULL },
	{ { KEY_HOME, 'g', 0 }, "Home/g", ACT_HOME, "first request", NULL },
	{ { KEY_END, 'G', 0 }, "End/G", ACT_END, "last request", NULL },
	{ { '\n', '\r', KEY_ENTER, 0 }, "Enter", ACT_OPEN, "read the request full screen (marks it seen)", "read" },
	{ { 'q', 27, KEY_LEFT, 0 }, "q/Esc", ACT_BACK, "back to the list; in the list, quit", "quit" },
	{ { 'h', 'd', 0 }, "h/d", ACT_HANDLED, "mark handled", "handled" },
	{ { 'u', 0 }, "u", ACT_REOPEN, "mark open again (not handled)", "open" },
	{ { 'w', 0 }, "w", ACT_NOTE, "write a case note (sealed; Ctrl-D saves, Esc discards)", "note" },
	{ { 'a', 0 }, "a", ACT_TOGGLE, "show or hide handled requests", "all" },
	{ { '/', 0 }, "/", ACT_SEARCH, "search names, fields and messages", "search" },
	{ { 'n', 0 }, "n", ACT_NEXT, "next search match", NULL },
	{ { 'N', 0 }, "N", ACT_PREV, "previous search match", NULL },
	{ { 'J', ']', 0 }, "J/]", ACT_NEXTREQ, "next request (also while reading one)", NULL },
	{ { 'K', '[', 0 }, "K/[", ACT_PREVREQ, "previous request (also while reading one)", NULL },
	{ { 'f', 0 }, "f", ACT_FILTER, "filters: urgent only, one kiosk, received since/until", "filter" },
	{ { 'r', 0 }, "r", ACT_REPLY, "answer the student (500 characters; Ctrl-D sends, Esc discards)", "reply" },
	{ { '?', KEY_F(1), 0 }, "?", ACT_HELP, "this help", "help" },
	{ { CTRL_KEY('l'), 0 }, "Ctrl-L", ACT_REDRAW, "redraw the screen", NULL },
	{ { 'Q', CTRL_KEY('c'), 0 }, "Q/Ctrl-C", ACT_QUIT, "quit at once", NULL },
};

#define NKEYS (sizeof(inbox_keys) / sizeof(inbox_keys[0]))

void
inbox_print_keys(FILE *f)
{
	size_t i;

	fprintf(f, "keys in the inbox:\n");
	for (i = 0; i < NKEYS; i++)
		fprintf(f, "  %-12s %s\n", inbox_keys[i].name, inbox_keys[i].help);
}

enum mode { MODE_LIST, MODE_READ, MODE_HELP, MODE_FILTER };

struct inbox {
	struct tool_ctx *c;
	struct queue q;
	struct inbox_model m;
	size_t top;              /* first row on screen */
	enum mode mode;
	size_t scroll;           /* in read mode, first text line */
	struct record *rec;      /* the selected record, decrypted */
	size_t rec_item;         /* which item rec holds, or SIZE_MAX */
	enum sh_status rec_st;
	char *text;              /* formatted record (locked memory) */
	size_t textlen, textcap;
	struct record *srec;     /* search scratch (locked) */
	char *stext;
	char *search;            /* locked: may be a student's name */
	char status[STATUS_MAX];
	char notice[STATUS_MAX]; /* arrivals: stays until a key is pressed */
	struct timespec dirs[2]; /* mtimes of new/ and cur/ at the last look */
	time_t looked;           /* when (monotonic seconds) */
};

static volatile sig_atomic_t got_signal;
static int curses_on;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* Blank the screen before leaving curses: no student words may remain. */
static void
screen_off(void)
{
	if (!curses_on)
		return;
	curses_on = 0;
	clear();
	refresh();
	endwin();
}

static enum action
key_action(int ch)
{
	size_t i, k;

	for (i = 0; i < NKEYS; i++)
		for (k = 0; k < 4 && inbox_keys[i].keys[k] != 0; k++)
			if (inbox_keys[i].keys[k] == ch)
				return inbox_keys[i].act;
	return ACT_NONE;
}

/* Draws at most width columns of UTF-8 text; controls and bad bytes as '?'.
 * Returns the columns used. */
static int
draw_text(int y, int x, int width, const char *s, size_t len)
{
	mbstate_t ps;
	wchar_t wc;
	size_t i = 0, n;
	int used = 0, w;

	memset(&ps, 0, sizeof(ps));
	move(y, x);
	while (i < len && used < width) {
		n = mbrtowc(&wc, s + i, len - i, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof(ps));
			wc = L'?';
			n = 1;
		}
		if (!iswprint((wint_t)wc))
			wc = L'?';
		if ((w = wcwidth(wc)) < 0)
			w = 1;
		if (used + w > width)
			break;
		addnwstr(&wc, 1);
		used += w;
		i += n;
	}
	return used;
}

/* Bytes of the next display line of s (at most width columns), breaking at
 * a space when it can; *skip gets the bytes to step over after it. */
static size_t
wrap_line(const char *s, size_t len, int width, size_t *skip)
{
	mbstate_t ps;
	wchar_t wc;
	size_t i = 0, n, lastsp = 0;
	int used = 0, w;

	memset(&ps, 0, sizeof(ps));
	*skip = 0;
	while (i < len) {
		if (s[i] == '\n') {
			*skip = 1;
			return i;
		}
		n = mbrtowc(&wc, s + i, len - i, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof(ps));
			wc = L'?';
			n = 1;
		}
		if ((w = wcwidth(wc)) < 0)
			w = 1;
		if (used + w > width) {
			if (lastsp > 0) {
				*skip = 1;
				return lastsp;
			}
			return i > 0 ? i : n;
		}
		if (s[i] == ' ')
			lastsp = i;
		used += w;
		i += n;
	}
	return i;
}

static void
status_set(struct inbox *ib, const char *msg)
{
	util_snprintf(ib->status, sizeof(ib->status), "%s", msg);
}

static void
rebuild(struct inbox *ib)
{
	if (inbox_model_rebuild(&ib->m, &ib->q) != 0)
		die(TOOL_EXIT_FAIL, "out of memory");
}

/* Decrypt the selected item (once per selection). */
static void
load_selected(struct inbox *ib)
{
	size_t idx = inbox_model_selected(&ib->m), need;
	int opened;

	if (idx == SIZE_MAX) {
		sodium_memzero(ib->text, ib->textcap);
		ib->textlen = 0;
		ib->rec_item = SIZE_MAX;
		return;
	}
	if (idx == ib->rec_item)
		return;
	record_clear(ib->rec);
	sodium_memzero(ib->text, ib->textcap);
	ib->rec_item = idx;
	ib->rec_st = SH_ERR_NO_MATCH;
	if (queue_item_opened(&ib->q.items[idx]))
		ib->rec_st = queue_open_item(&ib->q, idx, &ib->c->unlock, ib->rec);
	opened = ib->rec_st == SH_OK || ib->rec_st == SH_ERR_SIGNATURE;
	/* her case lines may make the text longer than a record */
	if (opened && (need = recfmt_text_max(ib->c, ib->rec)) > ib->textcap) {
		sodium_free(ib->text);
		if ((ib->text = sodium_malloc(need)) == NULL)
			die(TOOL_EXIT_FAIL, "out of memory");
		ib->textcap = need;
	}
	if (!opened && queue_item_opened(&ib->q.items[idx])) {
		/* opened for the list, refused now (file changed since listed,
		 * gone): say why, and show nothing under the listed trust */
		char rel[SPOOL_NAME_MAX + 8];
		int n;

		tool_rel_name(&ib->q.items[idx].e, rel, sizeof(rel));
		n = snprintf(ib->text, ib->textcap, "Envelope:         %s\nCANNOT OPEN:      %s\n",
		             rel, ib->rec_st == SH_ERR_IO ? strerror(errno) : sh_status_str(ib->rec_st));
		ib->textlen = n < 0 ? 0 : (size_t)n < ib->textcap ? (size_t)n : ib->textcap - 1;
		return;
	}
	ib->textlen = recfmt_text(ib->c, &ib->q, &ib->q.items[idx], opened ? ib->rec : NULL, 0,
	                          ib->text, ib->textcap);
}

/* The queue changed under the rows (state set, reload): rows again, and
 * the selected text formatted again. */
static void
queue_changed(struct inbox *ib)
{
	rebuild(ib);
	ib->rec_item = SIZE_MAX;
}

static void
draw_row(struct inbox *ib, int y, size_t row, int width)
{
	const struct queue_item *it = &ib->q.items[ib->m.rows[row]];
	char line[512], date[TOOLTIME_DATE_MAX], kiosk[128];
	int sel = row == ib->m.sel;

	tooltime_date(it->e.mtime, date);
	if (!queue_item_opened(it)) {
		util_snprintf(line, sizeof(line), "%c %-10s %s  %-7s CANNOT OPEN: %s",
		              sel ? '>' : ' ', "-", date, queue_state_str(it->e.state),
		              queue_item_reason(it, kiosk, sizeof(kiosk)));
	} else {
		struct convo cv;
		const char *label;
		char lbl[64];

		tool_kiosk_text(ib->c, it, kiosk, sizeof(kiosk));
		convo_of(ib->c, &ib->q, ib->m.rows[row], &cv);
		label = convo_label(&ib->q, &cv, lbl, sizeof(lbl));
		util_snprintf(line, sizeof(line), "%c %-10.*s %s  %-7s %-6s %-8s %s%s%s%s%s",
		              sel ? '>' : ' ', (int)(it->shortlen > 10 ? 10 : it->shortlen), it->id,
		              date, queue_state_str(it->e.state), record_about_str(it->about),
		              recfmt_danger_short(it->danger),
		              tool_item_overdue(ib->c, it, time(NULL)) ? "OVERDUE  " : "", kiosk,
		              label != NULL ? "  [" : "", label != NULL ? label : "",
		              label != NULL ? "]" : "");
	}
	if (sel)
		attron(A_REVERSE);
	else if (queue_item_opened(it) && it->danger == RECORD_DANGER_YES &&
	         it->e.state != SPOOL_HANDLED)
		attron(A_BOLD);
	else if (it->e.state == SPOOL_HANDLED)
		attron(A_DIM);
	move(y, 0);
	clrtoeol();
	draw_text(y, 0, width, line, strlen(line));
	if (sel)
		for (int x = (int)strlen(line); x < width; x++)
			mvaddch(y, x, ' ');
	attrset(A_NORMAL);
}

/* Draws text lines from first (after wrapping) into rows y0..y1-1;
 * returns the total number of wrapped lines. */
static size_t
draw_wrapped(struct inbox *ib, int y0, int y1, int width, size_t first)
{
	size_t pos = 0, line = 0, n, skip;
	int y = y0;

	while (pos < ib->textlen) {
		n = wrap_line(ib->text + pos, ib->textlen - pos, width, &skip);
		if (line >= first && y < y1)
			draw_text(y++, 0, width, ib->text + pos, n);
		line++;
		pos += n + skip;
		if (n + skip == 0)
			break;
	}
	return line;
}

/* In a request, q goes back to the list and Enter does nothing: say so. */
static void
draw_keybar(int y, int width, const char *status, int reading)
{
	char bar[256];
	size_t i, len = 0;

	move(y, 0);
	clrtoeol();
	attron(A_REVERSE);
	if (status[0] != '\0') {
		draw_text(y, 0, width, status, strlen(status));
	} else {
		bar[0] = '\0';
		for (i = 0; i < NKEYS; i++) {
			const char *what = inbox_keys[i].bar;

			if (what == NULL || (reading && inbox_keys[i].act == ACT_OPEN))
				continue;
			if (reading && inbox_keys[i].act == ACT_BACK)
				what = "back";
			if (util_snprintf(bar + len, sizeof(bar) - len, "%s %s  ", inbox_keys[i].name,
			                  what) != 0)
				break;
			len = strlen(bar);
		}
		draw_text(y, 0, width, bar, strlen(bar));
	}
	attroff(A_REVERSE);
}

/* A full-screen page (help, filters): cleared, its title in bold. */
static void
draw_page_title(int width, const char *title)
{
	erase();
	attron(A_BOLD);
	draw_text(0, 0, width, title, strlen(title));
	attroff(A_BOLD);
}

static void
draw_help(int width, int height)
{
	char line[256];
	size_t i;
	int y = 2;

	draw_page_title(width, "safeharbor inbox: keys");
	for (i = 0; i < NKEYS && y < height - 1; i++, y++) {
		util_snprintf(line, sizeof(line), "  %-12s %s", inbox_keys[i].name, inbox_keys[i].help);
		draw_text(y, 0, width, line, strlen(line));
	}
	draw_keybar(height - 1, width, "Press any key to go back", 0);
}

static void
draw_filter(struct inbox *ib, int width, int height)
{
	const struct qfilter *f = &ib->m.filter;
	const struct kiosks *k = ib->c->kiosks_loaded ? &ib->c->kiosks : NULL;
	char line[256], day[TOOLTIME_DATE_MAX];
	time_t last;
	int y = 2;

	draw_page_title(width, "safeharbor inbox: filters");
	util_snprintf(line, sizeof(line), "  u  urgent only:     %s", f->urgent_only ? "yes" : "no");
	draw_text(y++, 0, width, line, strlen(line));
	util_snprintf(line, sizeof(line), "  a  handled ones:    %s",
	              ib->m.show_handled ? "shown" : "hidden");
	draw_text(y++, 0, width, line, strlen(line));
	util_snprintf(line, sizeof(line), "  k  kiosk:           %s",
	              f->kiosk == QFILTER_ANY_KIOSK ? "any" :
	              k != NULL && f->kiosk >= 0 && (size_t)f->kiosk < k->n ? k->v[f->kiosk].name : "?");
	draw_text(y++, 0, width, line, strlen(line));
	if (f->since != 0)
		tooltime_date(f->since, day);
	util_snprintf(line, sizeof(line), "  s  received since:  %s", f->since != 0 ? day : "any day");
	draw_text(y++, 0, width, line, strlen(line));
	last = f->until - 1;
	if (f->until != 0)
		tooltime_date(last, day);
	util_snprintf(line, sizeof(line), "  e  received until:  %s", f->until != 0 ? day : "any day");
	draw_text(y++, 0, width, line, strlen(line));
	y++;
	draw_text(y++, 0, width, "  c  clear every filter", 23);
	draw_keybar(height - 1, width, ib->status[0] != '\0' ? ib->status :
	            "u a k s e c: change   Enter/q: back to the list", 0);
}

static void
count_open(const struct queue *q, size_t *total, size_t *open, size_t *urgent, size_t *tests)
{
	size_t i;

	*total = *open = *urgent = *tests = 0;
	for (i = 0; i < q->nvis; i++) {
		const struct queue_item *it = &q->items[i];

		if (!queue_item_opened(it))
			continue;
		/* kiosk tests are not students: counted apart, as stats does */
		if (it->about == RECORD_ABOUT_TEST) {
			(*tests)++;
			continue;
		}
		(*total)++;
		if (it->e.state != SPOOL_HANDLED) {
			(*open)++;
			if (it->danger == RECORD_DANGER_YES)
				(*urgent)++;
		}
	}
}

static void
draw(struct inbox *ib)
{
	int H = LINES, W = COLS, lh, y;
	size_t open, urgent, total, tests, sel = ib->m.sel;
	char title[256], extra[128] = "", what[128];
	const char *bar;

	if (ib->mode == MODE_HELP) {
		draw_help(W, H);
		refresh();
		return;
	}
	if (ib->mode == MODE_FILTER) {
		draw_filter(ib, W, H);
		refresh();
		return;
	}
	erase();
	if (H < 6 || W < 20) {
		draw_text(0, 0, W, "window too small", 16);
		refresh();
		return;
	}
	load_selected(ib);
	bar = ib->notice[0] != '\0' ? ib->notice : ib->status;
	if (ib->mode == MODE_READ) {
		size_t nlines;

		util_snprintf(title, sizeof(title),
		              "Request %zu of %zu   (q: back to the list, J/K: next/previous)",
		              sel + 1, ib->m.nrows);
		attron(A_BOLD);
		draw_text(0, 0, W, title, strlen(title));
		attroff(A_BOLD);
		nlines = draw_wrapped(ib, 0, 0, W, 0);          /* count only */
		if (nlines <= (size_t)(H - 2))
			ib->scroll = 0;
		else if (ib->scroll > nlines - (size_t)(H - 2))
			ib->scroll = nlines - (size_t)(H - 2);
		draw_wrapped(ib, 1, H - 1, W, ib->scroll);
		draw_keybar(H - 1, W, bar, 1);
		refresh();
		return;
	}
	count_open(&ib->q, &total, &open, &urgent, &tests);
	if (tests > 0)
		util_snprintf(extra, sizeof(extra), ", %zu kiosk test%s", tests, tests == 1 ? "" : "s");
	if (ib->q.nrefused > 0)
		util_snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		              ", %zu unreadable", ib->q.nrefused);
	{
		struct qfilter f = ib->m.filter;

		f.open_only = 0;         /* said by the (a: ...) hint */
		qfilter_describe(&f, ib->c->kiosks_loaded ? &ib->c->kiosks : NULL, what,
		                 sizeof(what));
	}
	util_snprintf(title, sizeof(title),
	              "safeharbor: %zu request%s, %zu open, %zu urgent open%s%s%s%s",
	              total, total == 1 ? "" : "s", open, urgent, extra,
	              ib->m.show_handled ? "" : "   (a: show handled)",
	              what[0] != '\0' ? "   filter: " : "", what);
	attron(A_BOLD);
	draw_text(0, 0, W, title, strlen(title));
	attroff(A_BOLD);
	lh = (H - 3) / 2;
	if (lh < 3)
		lh = 3;
	if (sel < ib->top)
		ib->top = sel;
	if (sel >= ib->top + (size_t)lh)
		ib->top = sel - (size_t)lh + 1;
	if (ib->top >= ib->m.nrows)
		ib->top = 0;
	if (ib->m.nrows == 0) {
		const char *none = ib->q.nvis == 0 ? "No requests." :
		                   "No requests to show (a shows handled ones, f the filters).";

		draw_text(2, 2, W - 2, none, strlen(none));
	}
	for (y = 0; y < lh && ib->top + (size_t)y < ib->m.nrows; y++)
		draw_row(ib, 1 + y, ib->top + (size_t)y, W);
	move(1 + lh, 0);
	attron(A_REVERSE);
	for (y = 0; y < W; y++)
		addch('-');
	attroff(A_REVERSE);
	if (ib->m.nrows > 0)
		draw_wrapped(ib, 2 + lh, H - 1, W, 0);
	draw_keybar(H - 1, W, bar, 0);
	refresh();
}

/* Reads a line on the bottom line into buf (max bytes with the NUL).
 * 1 on Enter with text, 0 on cancel or empty. */
static int
prompt_line(const char *label, char *buf, size_t max)
{
	size_t len = 0, ll = strlen(label);
	int ch;

	sodium_memzero(buf, max);
	for (;;) {
		move(LINES - 1, 0);
		clrtoeol();
		draw_text(LINES - 1, 0, COLS, label, ll);
		draw_text(LINES - 1, (int)ll, COLS - (int)ll, buf, len);
		refresh();
		ch = getch();
		if (ch == ERR) {
			if (got_signal)
				return 0;
			continue;
		}
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			return len > 0;
		if (ch == 27 || ch == CTRL_KEY('c') || ch == CTRL_KEY('g'))
			return 0;
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0) {
			do
				len--;
			while (len > 0 && ((unsigned char)buf[len] & 0xc0) == 0x80);
			buf[len] = '\0';
			continue;
		}
		if (ch >= 0x20 && ch < 0x100 && ch != 127 && len + 1 < max) {
			buf[len++] = (char)ch;
			buf[len] = '\0';
		}
	}
}

/* Search predicate: the request's whole text, folded. Uses its own record
 * and buffer so the one on screen is not disturbed. */
static int
search_match(void *vib, size_t idx)
{
	struct inbox *ib = vib;
	enum sh_status st;
	size_t len;
	int hit;

	if (!queue_item_opened(&ib->q.items[idx]))
		return 0;
	st = queue_open_item(&ib->q, idx, &ib->c->unlock, ib->srec);
	if (st != SH_OK && st != SH_ERR_SIGNATURE) {
		record_clear(ib->srec);
		return 0;
	}
	len = recfmt_text(ib->c, &ib->q, &ib->q.items[idx], ib->srec, 0, ib->stext, TEXT_MAX);
	hit = textfold_contains(ib->stext, len, ib->search, strlen(ib->search));
	sodium_memzero(ib->stext, len);
	record_clear(ib->srec);
	return hit;
}

static void
search(struct inbox *ib, int dir)
{
	if (ib->search[0] == '\0') {
		status_set(ib, "no search yet: press /");
		return;
	}
	switch (inbox_model_search(&ib->m, dir, search_match, ib)) {
	case INBOX_FOUND:
		ib->scroll = 0;
		break;
	case INBOX_ONLY_THIS:
		status_set(ib, "only this request matches");
		break;
	case INBOX_NOT_FOUND:
		status_set(ib, ib->m.show_handled && !qfilter_active(&ib->m.filter) ? "not found" :
		           ib->m.show_handled ? "not found among the requests shown (f: filters)" :
		           "not found among open requests (a shows the handled ones too)");
		break;
	}
}

static void
set_state(struct inbox *ib, enum spool_state s)
{
	size_t idx = inbox_model_selected(&ib->m);
	enum sh_status st;
	char msg[STATUS_MAX];

	if (idx == SIZE_MAX)
		return;
	if (!queue_item_opened(&ib->q.items[idx])) {
		status_set(ib, "this envelope cannot be opened (safeharbor verify)");
		return;
	}
	if ((st = queue_set_state(&ib->q, idx, s)) != SH_OK) {
		util_snprintf(msg, sizeof(msg), "cannot mark: %s",
		              st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		status_set(ib, msg);
		return;
	}
	inbox_model_keep_selected(&ib->m);
	queue_changed(ib);
	if (audit_append_quiet(ib->c, s == SPOOL_HANDLED ? "handled" : "open", ib->q.items[idx].id,
	                       NULL, msg, sizeof(msg)) != 0) {
		status_set(ib, "marked, but the audit log could not record it (safeharbor verify)");
		return;
	}
	status_set(ib, s == SPOOL_HANDLED ? "marked handled" : "marked open");
}

/* w: a case note about the selected request, sealed at once. */
static void
write_note(struct inbox *ib)
{
	size_t idx = inbox_model_selected(&ib->m), len;
	const struct queue_item *it;
	struct textfield *tf;
	const char *text;
	char title[SH_RECORD_ID_HEX + 96];

	if (idx == SIZE_MAX)
		return;
	it = &ib->q.items[idx];
	if (!queue_item_opened(it)) {
		status_set(ib, "this envelope cannot be opened: no note");
		return;
	}
	if ((tf = compose_field_new(&compose_note)) == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	util_snprintf(title, sizeof(title), "New case note for %.*s (sealed; nothing is written "
	              "in clear)", (int)it->shortlen, it->id);
	if (ui_compose(&compose_note, title, tf, &got_signal)) {
		text = compose_text(tf, &len);
		status_set(ib, tool_case_try_add(ib->c, it->id, CASE_NOTE, -1, text, len) == SH_OK ?
		           "note saved (sealed)" : "the note could not be saved");
		ib->rec_item = SIZE_MAX;      /* show it under the request */
	} else {
		status_set(ib, "note discarded");
	}
	textfield_free(tf);
}

static void
move_sel(struct inbox *ib, long delta)
{
	inbox_model_move(&ib->m, delta);
	ib->scroll = 0;
}

/* Dates typed in the filter view. */
static void
prompt_day(struct inbox *ib, int until)
{
	char day[16];
	time_t start, next;

	if (!prompt_line(until ? "Received until (YYYY-MM-DD, empty: any day): " :
	                 "Received since (YYYY-MM-DD, empty: any day): ", day, sizeof(day))) {
		if (until)
			ib->m.filter.until = 0;
		else
			ib->m.filter.since = 0;
		return;
	}
	if (tooltime_parse_day(day, &start, &next) != 0) {
		status_set(ib, "not a date: type it as YYYY-MM-DD");
		return;
	}
	if (until)
		ib->m.filter.until = next;
	else
		ib->m.filter.since = start;
}

static void
handle_filter(struct inbox *ib, int ch)
{
	struct qfilter *f = &ib->m.filter;
	const struct kiosks *k = tool_kiosks(ib->c);

	ib->status[0] = '\0';
	switch (ch) {
	case 'u': f->urgent_only = !f->urgent_only; break;
	case 'a': ib->m.show_handled = !ib->m.show_handled; break;
	case 'k':
		/* any -> each enrolled kiosk in turn -> any */
		if (f->kiosk == QFILTER_ANY_KIOSK)
			f->kiosk = k->n > 0 ? 0 : QFILTER_ANY_KIOSK;
		else if ((size_t)f->kiosk + 1 < k->n)
			f->kiosk++;
		else
			f->kiosk = QFILTER_ANY_KIOSK;
		if (k->n == 0)
			status_set(ib, "no kiosk is enrolled (safeharbor kiosks add NAME KEY)");
		break;
	case 's': prompt_day(ib, 0); break;
	case 'e': prompt_day(ib, 1); break;
	case 'c':
		qfilter_init(f);
		f->open_only = 1;
		ib->m.show_handled = 0;
		break;
	case '\n': case '\r': case KEY_ENTER: case 'q': case 27: case 'f':
		ib->mode = MODE_LIST;
		break;
	default:
		status_set(ib, "u a k s e c: change   Enter/q: back to the list");
		return;
	}
	queue_changed(ib);
}

/* r: an answer written in the compose box (locked memory), then signed,
 * sealed and stored as `safeharbor reply` does. Its lines stay lines: the
 * reply record keeps LF and the kiosk draws them. */
static void
reply_selected(struct inbox *ib)
{
	size_t idx = inbox_model_selected(&ib->m), len;
	const struct queue_item *it;
	struct textfield *tf;
	char msg[STATUS_MAX];
	const char *err, *text;
	unsigned slot = 0;
	int audited = 0;

	if (idx == SIZE_MAX)
		return;
	it = &ib->q.items[idx];
	if (ib->c->replies[0] == '\0') {
		status_set(ib, "no replies folder: replies = DIR in safeharbor.conf, or SAFEHARBOR_REPLIES");
		return;
	}
	if (!queue_item_opened(it) || !it->has_reply_to) {
		status_set(ib, "this request has no reply key: it cannot be answered at a kiosk");
		return;
	}
	if (!queue_item_trusted(it)) {
		status_set(ib, "not from an enrolled kiosk: answer it with safeharbor reply -f, if at all");
		return;
	}
	if ((tf = compose_field_new(&compose_reply)) == NULL) {
		status_set(ib, "out of locked memory");
		return;
	}
	if (ui_compose(&compose_reply, "Answer to the student \xe2\x80\x94 she reads it at a kiosk "
	               "with her code; Ctrl-D sends, Esc discards", tf, &got_signal)) {
		text = compose_text(tf, &len);
		err = tool_reply_send(ib->c, &ib->q, idx, text, len, &slot, &audited);
		if (err != NULL)
			snprintf(msg, sizeof msg, "not sent: %s", err);
		else if (!audited)
			snprintf(msg, sizeof msg, "answered (answer %u), but the audit log could not "
			         "record it (safeharbor verify)", slot + 1);
		else
			snprintf(msg, sizeof msg, "answered (answer %u): sync the replies folder to the kiosks",
			         slot + 1);
		status_set(ib, msg);
	} else {
		status_set(ib, "nothing sent");
	}
	textfield_free(tf);
}

static void
open_selected(struct inbox *ib)
{
	size_t idx = inbox_model_selected(&ib->m);

	if (idx == SIZE_MAX)
		return;
	ib->mode = MODE_READ;
	ib->scroll = 0;
	if (queue_item_opened(&ib->q.items[idx]) && ib->q.items[idx].e.state == SPOOL_NEW &&
	    queue_set_state(&ib->q, idx, SPOOL_SEEN) == SH_OK) {
		char why[STATUS_MAX];

		queue_changed(ib);
		if (audit_append_quiet(ib->c, "seen", ib->q.items[idx].id, NULL, why,
		                       sizeof(why)) != 0)
			status_set(ib, "the audit log could not record this (safeharbor verify)");
	}
}

/* Returns 0 to quit. */
static int
handle(struct inbox *ib, enum action a)
{
	int page = LINES > 6 ? (LINES - 3) / 2 : 1;

	if (ib->mode == MODE_HELP) {
		ib->mode = MODE_LIST;
		return a != ACT_QUIT;
	}
	ib->status[0] = '\0';
	ib->notice[0] = '\0';
	if (ib->mode == MODE_READ) {
		switch (a) {
		case ACT_DOWN: ib->scroll++; return 1;
		case ACT_UP: if (ib->scroll > 0) ib->scroll--; return 1;
		case ACT_PGDOWN: ib->scroll += (size_t)(LINES - 3); return 1;
		case ACT_PGUP: ib->scroll = ib->scroll > (size_t)(LINES - 3) ? ib->scroll - (size_t)(LINES - 3) : 0; return 1;
		case ACT_HOME: ib->scroll = 0; return 1;
		case ACT_END: ib->scroll = SIZE_MAX / 2; return 1;   /* clamped when drawn */
		case ACT_BACK: case ACT_OPEN: ib->mode = MODE_LIST; ib->scroll = 0; return 1;
		default: break;
		}
	}
	switch (a) {
	case ACT_DOWN: move_sel(ib, 1); break;
	case ACT_UP: move_sel(ib, -1); break;
	case ACT_PGDOWN: move_sel(ib, page); break;
	case ACT_PGUP: move_sel(ib, -page); break;
	case ACT_HOME: move_sel(ib, -(long)ib->m.nrows); break;
	case ACT_END: move_sel(ib, (long)ib->m.nrows); break;
	case ACT_NEXTREQ: case ACT_PREVREQ:
		move_sel(ib, a == ACT_NEXTREQ ? 1 : -1);
		if (ib->mode == MODE_READ)
			open_selected(ib);    /* reading the next one marks it seen too */
		break;
	case ACT_OPEN: open_selected(ib); break;
	case ACT_BACK: return 0;
	case ACT_HANDLED: set_state(ib, SPOOL_HANDLED); break;
	case ACT_REOPEN: set_state(ib, SPOOL_SEEN); break;
	case ACT_TOGGLE:
		ib->m.show_handled = !ib->m.show_handled;
		queue_changed(ib);
		status_set(ib, ib->m.show_handled ? "showing handled requests" : "hiding handled requests");
		break;
	case ACT_SEARCH:
		if (prompt_line("Search: ", ib->search, SEARCH_MAX)) {
			ib->mode = MODE_LIST;
			search(ib, 1);
		}
		break;
	case ACT_NEXT: search(ib, 1); break;
	case ACT_PREV: search(ib, -1); break;
	case ACT_FILTER: ib->mode = MODE_FILTER; break;
	case ACT_NOTE: write_note(ib); break;
	case ACT_REPLY: reply_selected(ib); break;
	case ACT_HELP: ib->mode = MODE_HELP; break;
	case ACT_REDRAW: clearok(curscr, TRUE); break;
	case ACT_QUIT: return 0;
	case ACT_NONE: status_set(ib, "unknown key: press ? for help"); break;
	}
	return 1;
}

/* mtimes of new/ and cur/: a delivery, a sync or another `safeharbor mark`
 * renames a file in one of them, which changes its mtime. */
static void
dir_times(const char *spool, struct timespec out[2])
{
	static const char *const sub[2] = { "new", "cur" };
	char path[TOOL_PATH_MAX];
	struct stat sb;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		if (util_snprintf(path, sizeof(path), "%s/%s", spool, sub[i]) == 0 &&
		    stat(path, &sb) == 0)
			out[i] = sb.st_mtim;
	}
}

static time_t
mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Once a second: when the spool changed, merge it (new envelopes only are
 * opened) and say what arrived. */
static void
look_for_arrivals(struct inbox *ib)
{
	struct timespec now[2];
	size_t added = 0, urgent = 0;
	enum sh_status st;

	if (mono_seconds() == ib->looked)
		return;
	ib->looked = mono_seconds();
	dir_times(ib->q.spool, now);
	if (memcmp(now, ib->dirs, sizeof(now)) == 0)
		return;
	memcpy(ib->dirs, now, sizeof(now));
	st = queue_refresh(&ib->q, &ib->c->unlock, tool_kiosks(ib->c), &added, &urgent);
	if (st != SH_OK) {
		util_snprintf(ib->status, sizeof(ib->status), "cannot read the spool again: %s",
		              st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		return;
	}
	queue_changed(ib);
	if (urgent > 0)
		util_snprintf(ib->notice, sizeof(ib->notice),
		              "NEW URGENT REQUEST%s (%zu): at the top of the list", urgent == 1 ? "" : "S",
		              urgent);
	else if (added > 0)
		util_snprintf(ib->notice, sizeof(ib->notice), "%zu new request%s arrived", added,
		              added == 1 ? "" : "s");
	if (urgent > 0)
		beep();
}

int
cmd_inbox(struct tool_ctx *c)
{
	struct inbox ib;
	struct sigaction sa;
	int ch;

	if (c->o.grep != NULL || c->o.open_only)
		die(TOOL_EXIT_USAGE, "inbox: %s", c->o.grep != NULL ?
		    "--grep is for list; in the inbox, press / to search" :
		    "--open is how the inbox starts (press a to show handled requests)");
	memset(&ib, 0, sizeof(ib));
	inbox_model_init(&ib.m);
	tool_filter_from_opts(c, &ib.m.filter);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		die(TOOL_EXIT_USAGE, "inbox: needs a terminal (use 'safeharbor list' in scripts)");
	ib.c = c;
	ib.rec_item = SIZE_MAX;
	ib.m.filter.open_only = 1;       /* handled ones: the a key */
	dir_times(tool_need_spool(c), ib.dirs);   /* before the load: nothing is missed */
	tool_load_queue(c, &ib.q);      /* passphrase asked here, before curses */
	ib.looked = mono_seconds();
	ib.rec = record_new();
	ib.srec = record_new();
	ib.textcap = TEXT_MAX;
	ib.text = sodium_malloc(ib.textcap);
	ib.stext = sodium_malloc(TEXT_MAX);
	ib.search = sodium_malloc(SEARCH_MAX);
	if (ib.rec == NULL || ib.srec == NULL || ib.text == NULL || ib.stext == NULL ||
	    ib.search == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	sodium_memzero(ib.text, ib.textcap);
	sodium_memzero(ib.search, SEARCH_MAX);
	rebuild(&ib);
	if (c->memlock_why != NULL)
		status_set(&ib, "warning: memory not locked: what you read may reach swap "
		           "(safeharbor verify says why)");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setlocale(LC_ALL, "");
	util_set_die_hook(screen_off);
	if (initscr() == NULL)
		die(TOOL_EXIT_FAIL, "inbox: cannot start the screen");
	curses_on = 1;
	raw();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(50);
	timeout(250);
	for (;;) {
		look_for_arrivals(&ib);
		draw(&ib);
		ch = getch();
		if (got_signal)
			break;
		if (ch == ERR || ch == KEY_RESIZE)
			continue;
		if (ib.mode == MODE_FILTER) {
			handle_filter(&ib, ch);
			continue;
		}
		if (!handle(&ib, ib.mode == MODE_HELP ? ACT_NONE : key_action(ch)))
			break;
	}
	screen_off();
	util_set_die_hook(NULL);
	record_free(ib.rec);
	record_free(ib.srec);
	sodium_free(ib.text);
	sodium_free(ib.stext);
	sodium_free(ib.search);
	inbox_model_free(&ib.m);
	queue_free(&ib.q);
	return TOOL_EXIT_OK;
}
