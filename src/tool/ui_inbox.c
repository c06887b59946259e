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
 */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "safeharbor/queue.h"
#include "safeharbor/termsafe.h"
#include "safeharbor/tool.h"
#include "safeharbor/util.h"

#define TEXT_MAX (SH_RECORD_SIZE * 2)
#define SEARCH_MAX 128
#define STATUS_MAX 160

enum action {
	ACT_DOWN, ACT_UP, ACT_PGDOWN, ACT_PGUP, ACT_HOME, ACT_END, ACT_OPEN, ACT_BACK,
	ACT_HANDLED, ACT_REOPEN, ACT_TOGGLE, ACT_SEARCH, ACT_NEXT, ACT_HELP, ACT_REDRAW,
	ACT_QUIT, ACT_NONE
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
	{ { 'a', 0 }, "a", ACT_TOGGLE, "show or hide handled requests", "all" },
	{ { '/', 0 }, "/", ACT_SEARCH, "search names, fields and messages", "search" },
	{ { 'n', 0 }, "n", ACT_NEXT, "next search match", NULL },
	{ { '?', KEY_F(1), 0 }, "?", ACT_HELP, "this help", "help" },
	{ { CTRL_KEY('l'), 0 }, "Ctrl-L", ACT_REDRAW, "redraw the screen", NULL },
	{ { 'Q', CTRL_KEY('c'), 0 }, "Q/Ctrl-C", ACT_QUIT, "quit at once", NULL },
};

#define NKEYS (sizeof(inbox_keys) / sizeof(inbox_keys[0]))

enum mode { MODE_LIST, MODE_READ, MODE_HELP };

struct inbox {
	struct tool_ctx *c;
	struct queue q;
	size_t *rows;            /* indexes into q.items shown */
	size_t nrows, sel, top;
	int show_handled;
	enum mode mode;
	size_t scroll;           /* in read mode, first text line */
	struct record *rec;      /* the selected record, decrypted */
	size_t rec_item;         /* which item rec holds, or SIZE_MAX */
	enum sh_status rec_st;
	char *text;              /* formatted record (locked memory) */
	size_t textlen;
	char *search;            /* locked: may be a student's name */
	char status[STATUS_MAX];
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
rebuild_rows(struct inbox *ib)
{
	size_t i, keep = ib->nrows > 0 ? ib->rows[ib->sel] : SIZE_MAX, oldsel = ib->sel;

	ib->nrows = 0;
	for (i = 0; i < ib->q.nvis; i++) {
		if (!ib->show_handled && ib->q.items[i].e.state == SPOOL_HANDLED && i != keep)
			continue;
		ib->rows[ib->nrows++] = i;
	}
	ib->sel = 0;
	for (i = 0; i < ib->nrows; i++)
		if (ib->rows[i] == keep)
			ib->sel = i;
	if (keep == SIZE_MAX || (ib->nrows > 0 && ib->rows[ib->sel] != keep))
		ib->sel = oldsel < ib->nrows ? oldsel : (ib->nrows > 0 ? ib->nrows - 1 : 0);
}

/* Drop the handled row that was kept while selected. */
static void
settle_rows(struct inbox *ib)
{
	size_t keep_pos = ib->sel, i, n = 0;

	if (ib->show_handled)
		return;
	for (i = 0; i < ib->nrows; i++) {
		if (ib->q.items[ib->rows[i]].e.state == SPOOL_HANDLED) {
			if (i < keep_pos && ib->sel > 0)
				ib->sel--;
			continue;
		}
		ib->rows[n++] = ib->rows[i];
	}
	ib->nrows = n;
	if (ib->sel >= n)
		ib->sel = n > 0 ? n - 1 : 0;
}

static void
append(struct inbox *ib, const char *s, size_t len)
{
	if (len > TEXT_MAX - 1 - ib->textlen)
		len = TEXT_MAX - 1 - ib->textlen;
	memcpy(ib->text + ib->textlen, s, len);
	ib->textlen += len;
	ib->text[ib->textlen] = '\0';
}

/* A student's words or a name from the spool: through termsafe, as every
 * printer of the tool (the drawing below is a second line of defence). */
static void
append_safe(struct inbox *ib, const char *s, size_t len)
{
	size_t room = TEXT_MAX - ib->textlen, need;

	need = termsafe_copy(ib->text + ib->textlen, room, s, len, TERMSAFE_MULTILINE);
	ib->textlen += need < room ? need : strlen(ib->text + ib->textlen);
}

static void
appendf_line(struct inbox *ib, const char *label, const char *value)
{
	append(ib, label, strlen(label));
	append(ib, value, strlen(value));
	append(ib, "\n", 1);
}

static void
format_record(struct inbox *ib, const struct queue_item *it)
{
	const struct record *r = ib->rec;
	char buf[256], key[KEYS_KIOSK_STRLEN + 1];
	int f;

	sodium_memzero(ib->text, TEXT_MAX);
	ib->textlen = 0;
	if (!queue_item_opened(it)) {
		tool_rel_name(&it->e, buf, sizeof(buf));
		append(ib, "Envelope:     ", 14);
		append_safe(ib, buf, strlen(buf));
		append(ib, "\n", 1);
		appendf_line(ib, "CANNOT OPEN: ", queue_item_reason(it, key, sizeof(key)));
		return;
	}
	if (ib->rec_st != SH_OK && ib->rec_st != SH_ERR_SIGNATURE) {
		appendf_line(ib, "CANNOT OPEN: ", sh_status_str(ib->rec_st));
		return;
	}
	appendf_line(ib, "Id:           ", r->id);
	appendf_line(ib, "Created:      ", r->created);
	appendf_line(ib, "About:        ", record_about_str(r->about));
	appendf_line(ib, "Danger:       ", r->danger == RECORD_DANGER_YES ? "YES - URGENT" :
	             record_danger_str(r->danger));
	tool_kiosk_text(ib->c, it, buf, sizeof(buf));
	appendf_line(ib, "Kiosk:        ", buf);
	if (!queue_item_trusted(it)) {
		keys_kiosk_format(r->kiosk_pk, key);
		appendf_line(ib, "Key:          ", key);
	}
	appendf_line(ib, "State:        ", queue_state_str(it->e.state));
	appendf_line(ib, "Language:     ", r->language);
	for (f = 0; f < RECORD_NFIELDS; f++) {
		const char *fn = record_field_name((enum record_field)f);
		int pad = 13 - (int)strlen(fn);

		if (r->field[f][0] == '\0')
			continue;
		append(ib, fn, strlen(fn));
		append(ib, ":", 1);
		append(ib, "             ", (size_t)(pad < 1 ? 1 : pad));
		append_safe(ib, r->field[f], strlen(r->field[f]));
		append(ib, "\n", 1);
	}
	append(ib, "\nMessage:\n", 10);
	if (r->message_len == 0)
		append(ib, "(none)\n", 7);
	else
		append_safe(ib, r->message, r->message_len);
}

/* Decrypt the selected item (once per selection). */
static void
load_selected(struct inbox *ib)
{
	size_t idx;

	if (ib->nrows == 0) {
		sodium_memzero(ib->text, TEXT_MAX);
		ib->textlen = 0;
		ib->rec_item = SIZE_MAX;
		return;
	}
	idx = ib->rows[ib->sel];
	if (idx == ib->rec_item)
		return;
	record_clear(ib->rec);
	ib->rec_item = idx;
	ib->rec_st = SH_ERR_NO_MATCH;
	if (queue_item_opened(&ib->q.items[idx]))
		ib->rec_st = queue_open_item(&ib->q, idx, &ib->c->unlock, ib->rec);
	format_record(ib, &ib->q.items[idx]);
}

static void
draw_row(struct inbox *ib, int y, size_t row, int width)
{
	const struct queue_item *it = &ib->q.items[ib->rows[row]];
	char line[512], date[16], kiosk[128];
	struct tm tm;
	int sel = row == ib->sel;

	if (localtime_r(&it->e.mtime, &tm) == NULL || strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
		memcpy(date, "?", 2);
	if (!queue_item_opened(it)) {
		util_snprintf(line, sizeof(line), "%c %-10s %s  %-8s CANNOT OPEN: %s",
		              sel ? '>' : ' ', "-", date, queue_state_str(it->e.state),
		              queue_item_reason(it, kiosk, sizeof(kiosk)));
	} else {
		tool_kiosk_text(ib->c, it, kiosk, sizeof(kiosk));
		util_snprintf(line, sizeof(line), "%c %-10.*s %s  %-7s %-6s %-8s %s",
		              sel ? '>' : ' ', (int)(it->shortlen > 10 ? 10 : it->shortlen), it->id,
		              date, queue_state_str(it->e.state), record_about_str(it->about),
		              it->danger == RECORD_DANGER_YES ? "URGENT" :
		              it->danger == RECORD_DANGER_UNSURE ? "not sure" : "-", kiosk);
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

static void
draw_help(int width, int height)
{
	char line[256];
	size_t i;
	int y = 2;

	erase();
	attron(A_BOLD);
	draw_text(0, 0, width, "safeharbor inbox: keys", 22);
	attroff(A_BOLD);
	for (i = 0; i < NKEYS && y < height - 1; i++, y++) {
		util_snprintf(line, sizeof(line), "  %-12s %s", inbox_keys[i].name, inbox_keys[i].help);
		draw_text(y, 0, width, line, strlen(line));
	}
	draw_keybar(height - 1, width, "Press any key to go back", 0);
}

static void
draw(struct inbox *ib)
{
	int H = LINES, W = COLS, lh, y;
	size_t i, open = 0, urgent = 0, total;
	char title[256], refused[48] = "";

	if (ib->mode == MODE_HELP) {
		draw_help(W, H);
		refresh();
		return;
	}
	erase();
	for (i = 0; i < ib->q.nvis; i++) {
		const struct queue_item *it = &ib->q.items[i];

		if (it->e.state != SPOOL_HANDLED && queue_item_opened(it)) {
			open++;
			if (queue_item_opened(it) && it->danger == RECORD_DANGER_YES)
				urgent++;
		}
	}
	if (H < 6 || W < 20) {
		draw_text(0, 0, W, "window too small", 16);
		refresh();
		return;
	}
	load_selected(ib);
	if (ib->mode == MODE_READ) {
		size_t nlines;

		util_snprintf(title, sizeof(title), "Request %zu of %zu   (q: back to the list)",
		              ib->sel + 1, ib->nrows);
		attron(A_BOLD);
		draw_text(0, 0, W, title, strlen(title));
		attroff(A_BOLD);
		nlines = draw_wrapped(ib, 0, 0, W, 0);          /* count only */
		if (nlines <= (size_t)(H - 2))
			ib->scroll = 0;
		else if (ib->scroll > nlines - (size_t)(H - 2))
			ib->scroll = nlines - (size_t)(H - 2);
		draw_wrapped(ib, 1, H - 1, W, ib->scroll);
		draw_keybar(H - 1, W, ib->status, 1);
		refresh();
		return;
	}
	total = ib->q.nvis - ib->q.nrefused;
	if (ib->q.nrefused > 0)
		util_snprintf(refused, sizeof(refused), ", %zu unreadable", ib->q.nrefused);
	util_snprintf(title, sizeof(title), "safeharbor: %zu request%s, %zu open, %zu urgent open%s%s",
	              total, total == 1 ? "" : "s", open, urgent, refused,
	              ib->show_handled ? "" : "   (a: show handled)");
	attron(A_BOLD);
	draw_text(0, 0, W, title, strlen(title));
	attroff(A_BOLD);
	lh = (H - 3) / 2;
	if (lh < 3)
		lh = 3;
	if (ib->sel < ib->top)
		ib->top = ib->sel;
	if (ib->sel >= ib->top + (size_t)lh)
		ib->top = ib->sel - (size_t)lh + 1;
	if (ib->nrows == 0)
		draw_text(2, 2, W - 2, ib->q.nvis == 0 ? "No requests." :
		          "No open requests (a shows handled ones).", ib->q.nvis == 0 ? 12 : 40);
	for (y = 0; y < lh && ib->top + (size_t)y < ib->nrows; y++)
		draw_row(ib, 1 + y, ib->top + (size_t)y, W);
	move(1 + lh, 0);
	attron(A_REVERSE);
	for (y = 0; y < W; y++)
		addch('-');
	attroff(A_REVERSE);
	if (ib->nrows > 0)
		draw_wrapped(ib, 2 + lh, H - 1, W, 0);
	draw_keybar(H - 1, W, ib->status, 0);
	refresh();
}

/* Reads a search string on the bottom line into ib->search. */
static int
prompt_search(struct inbox *ib)
{
	size_t len = 0;
	int ch;

	sodium_memzero(ib->search, SEARCH_MAX);
	for (;;) {
		move(LINES - 1, 0);
		clrtoeol();
		draw_text(LINES - 1, 0, COLS, "Search: ", 8);
		draw_text(LINES - 1, 8, COLS - 8, ib->search, len);
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
			while (len > 0 && ((unsigned char)ib->search[len] & 0xc0) == 0x80);
			ib->search[len] = '\0';
			continue;
		}
		if (ch >= 0x20 && ch < 0x100 && ch != 127 && len + 1 < SEARCH_MAX) {
			ib->search[len++] = (char)ch;
			ib->search[len] = '\0';
		}
	}
}

static int
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive for ASCII letters; other bytes must match exactly. */
static int
contains_ci(const char *hay, size_t haylen, const char *needle)
{
	size_t n = strlen(needle), i, j;

	if (n == 0 || n > haylen)
		return 0;
	for (i = 0; i + n <= haylen; i++) {
		for (j = 0; j < n; j++)
			if (fold((unsigned char)hay[i + j]) != fold((unsigned char)needle[j]))
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

static void
search_next(struct inbox *ib)
{
	size_t k, row, idx;

	if (ib->search[0] == '\0') {
		status_set(ib, "no search yet: press /");
		return;
	}
	for (k = 1; k <= ib->nrows; k++) {
		row = (ib->sel + k) % ib->nrows;
		idx = ib->rows[row];
		if (!queue_item_opened(&ib->q.items[idx]))
			continue;
		ib->sel = row;
		load_selected(ib);
		if (contains_ci(ib->text, ib->textlen, ib->search)) {
			ib->scroll = 0;
			status_set(ib, k == ib->nrows ? "only this request matches" : "");
			return;
		}
	}
	status_set(ib, ib->show_handled ? "not found" :
	           "not found among open requests (a shows the handled ones too)");
}

static void
set_state(struct inbox *ib, enum spool_state s)
{
	size_t idx;
	enum sh_status st;
	char msg[STATUS_MAX];

	if (ib->nrows == 0)
		return;
	idx = ib->rows[ib->sel];
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
	ib->rec_item = SIZE_MAX;     /* state line changed */
	status_set(ib, s == SPOOL_HANDLED ? "marked handled" : "marked open");
}

static void
move_sel(struct inbox *ib, long delta)
{
	long n = (long)ib->nrows, s = (long)ib->sel + delta;

	settle_rows(ib);
	n = (long)ib->nrows;
	if (n == 0)
		return;
	if (s < 0)
		s = 0;
	if (s >= n)
		s = n - 1;
	ib->sel = (size_t)s;
	ib->scroll = 0;
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
	case ACT_HOME: move_sel(ib, -(long)ib->nrows); break;
	case ACT_END: move_sel(ib, (long)ib->nrows); break;
	case ACT_OPEN:
		if (ib->nrows == 0)
			break;
		ib->mode = MODE_READ;
		ib->scroll = 0;
		if (queue_item_opened(&ib->q.items[ib->rows[ib->sel]]) &&
		    ib->q.items[ib->rows[ib->sel]].e.state == SPOOL_NEW) {
			queue_set_state(&ib->q, ib->rows[ib->sel], SPOOL_SEEN);
			ib->rec_item = SIZE_MAX;
		}
		break;
	case ACT_BACK: return 0;
	case ACT_HANDLED: set_state(ib, SPOOL_HANDLED); break;
	case ACT_REOPEN: set_state(ib, SPOOL_SEEN); break;
	case ACT_TOGGLE:
		ib->show_handled = !ib->show_handled;
		rebuild_rows(ib);
		if (!ib->show_handled)
			settle_rows(ib);
		status_set(ib, ib->show_handled ? "showing handled requests" : "hiding handled requests");
		break;
	case ACT_SEARCH:
		if (prompt_search(ib)) {
			ib->mode = MODE_LIST;
			search_next(ib);
		}
		break;
	case ACT_NEXT: search_next(ib); break;
	case ACT_HELP: ib->mode = MODE_HELP; break;
	case ACT_REDRAW: clearok(curscr, TRUE); break;
	case ACT_QUIT: return 0;
	case ACT_NONE: status_set(ib, "unknown key: press ? for help"); break;
	}
	return 1;
}

int
cmd_inbox(struct tool_ctx *c)
{
	struct inbox ib;
	struct sigaction sa;
	int ch;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		die(TOOL_EXIT_USAGE, "inbox: needs a terminal (use 'safeharbor list' in scripts)");
	memset(&ib, 0, sizeof(ib));
	ib.c = c;
	ib.rec_item = SIZE_MAX;
	tool_load_queue(c, &ib.q);      /* passphrase asked here, before curses */
	ib.rows = malloc((ib.q.nvis > 0 ? ib.q.nvis : 1) * sizeof(*ib.rows));
	ib.rec = record_new();
	ib.text = sodium_malloc(TEXT_MAX);
	ib.search = sodium_malloc(SEARCH_MAX);
	if (ib.rows == NULL || ib.rec == NULL || ib.text == NULL || ib.search == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	sodium_memzero(ib.text, TEXT_MAX);
	sodium_memzero(ib.search, SEARCH_MAX);
	rebuild_rows(&ib);

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
	timeout(500);
	for (;;) {
		draw(&ib);
		ch = getch();
		if (got_signal)
			break;
		if (ch == ERR)
			continue;
		if (ch == KEY_RESIZE)
			continue;
		if (!handle(&ib, ib.mode == MODE_HELP ? ACT_NONE : key_action(ch)))
			break;
	}
	screen_off();
	util_set_die_hook(NULL);
	record_free(ib.rec);
	sodium_free(ib.text);
	sodium_free(ib.search);
	free(ib.rows);
	queue_free(&ib.q);
	return TOOL_EXIT_OK;
}
