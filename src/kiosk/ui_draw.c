/*
 * Drawing: one pass that paints the flow state with the screen texts.
 *
 * Decisions: every string is clipped to the columns left on its row, so
 * nothing is ever drawn outside the window, whatever a school puts in its
 * screen files or a student types. Focus and errors are shown with reverse,
 * bold and markers; colour (by role) is only an extra. Student text is
 * drawn straight from its locked buffer, never copied.
 *
 * Layout (80x24 and larger): title bar on row 0, body from row 2, the
 * screen's own part (options, fields, message box, summary) below it, a
 * status row and a two-row help bar at the bottom.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

enum role { ROLE_TITLE = 1, ROLE_ERROR, ROLE_KEY };

static int colors;

void
ui_colors(void)
{
	if (!has_colors() || start_color() == ERR)
		return;
	init_pair(ROLE_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(ROLE_ERROR, COLOR_RED, use_default_colors() == OK ? -1 : COLOR_BLACK);
	init_pair(ROLE_KEY, COLOR_BLACK, COLOR_CYAN);
	colors = 1;
}

static attr_t
role(enum role r)
{
	switch (r) {
	case ROLE_TITLE: return A_REVERSE | A_BOLD | (colors ? (attr_t)COLOR_PAIR(ROLE_TITLE) : 0);
	case ROLE_ERROR: return A_BOLD | (colors ? (attr_t)COLOR_PAIR(ROLE_ERROR) : 0);
	case ROLE_KEY: return A_REVERSE | (colors ? (attr_t)COLOR_PAIR(ROLE_KEY) : 0);
	}
	return A_NORMAL;
}

/* Bytes of s (len) that fit in maxw columns; *w gets their width. */
static size_t
fit(const char *s, size_t len, int maxw, int *w)
{
	size_t pos = 0, n;
	int used = 0;
	uint32_t cp;

	while (pos < len) {
		n = textfield_utf8_decode(s + pos, len - pos, &cp);
		if (n == 0 || cp == '\n' || cp == '\0')
			break;
		int cw = (int)textfield_cp_width(cp);
		if (used + cw > maxw)
			break;
		used += cw;
		pos += n;
	}
	if (w != NULL)
		*w = used;
	return pos;
}

/* Draw s at (y, x), at most maxw columns and never past the window. */
static int
put(int y, int x, const char *s, size_t len, int maxw, attr_t a)
{
	size_t n;
	int w;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (maxw > COLS - x)
		maxw = COLS - x;
	if (maxw <= 0)
		return 0;
	n = fit(s, len, maxw, &w);
	attrset((int)(a));
	mvaddnstr(y, x, s, (int)n);
	attrset((int)(A_NORMAL));
	return w;
}

static int
puts_(int y, int x, const char *s, int maxw, attr_t a)
{
	return put(y, x, s, strlen(s), maxw, a);
}

struct wrapctx {
	int y, x, maxy, width;
	attr_t a;
};

static void
wrap_line(void *ctx, const char *line, size_t len, unsigned indent)
{
	struct wrapctx *w = ctx;

	if (w->y <= w->maxy)
		put(w->y, w->x + (int)indent, line, len, w->width - (int)indent, w->a);
	w->y++;
}

/* Wrap text (after placeholders) into rows y..maxy; returns the next row. */
static int
draw_text(const char *text, int y, int x, int width, int maxy, attr_t a)
{
	struct wrapctx w = { y, x, maxy, width, a };

	screens_wrap(text, (unsigned)(width > 0 ? width : 1), wrap_line, &w);
	return w.y;
}

static const struct screens *lang_of(const struct kiosk *k);

/* Who can read a request, in the language shown. */
static const char *
readers_of(const struct kiosk *k)
{
	unsigned l = k->flow->lang < k->nlang ? k->flow->lang : 0;

	return screens_readers(k->scr[l], config_readers(&k->cfg, l));
}

static void
expand_k(const struct kiosk *k, const char *tmpl, char *out, size_t outsize,
         unsigned seconds, size_t count, size_t max)
{
	char sec[16], cnt[24], mx[24];
	const struct screens_var vars[] = {
		{ "follow_up", screens_follow_up(lang_of(k), k->cfg.follow_up) },
		{ "seconds", sec }, { "count", cnt }, { "max", mx }, { "readers", readers_of(k) },
	};

	snprintf(sec, sizeof sec, "%u", seconds);
	snprintf(cnt, sizeof cnt, "%zu", count);
	snprintf(mx, sizeof mx, "%zu", max);
	if (screens_expand(tmpl, vars, sizeof vars / sizeof vars[0], out, outsize) != 0)
		snprintf(out, outsize, "%s", tmpl);
}

static const struct screens *
lang_of(const struct kiosk *k)
{
	unsigned l = k->flow->lang;
	return k->scr[l < k->nlang ? l : 0];
}

static enum screens_id
file_of(enum flow_screen s)
{
	switch (s) {
	case FLOW_WELCOME: return SCREENS_WELCOME;
	case FLOW_ABOUT: return SCREENS_ABOUT;
	case FLOW_INFO: return SCREENS_INFO;
	case FLOW_DANGER: return SCREENS_DANGER;
	case FLOW_HELP: return SCREENS_HELP;
	case FLOW_REACH: return SCREENS_REACH;
	case FLOW_MESSAGE: return SCREENS_MESSAGE;
	case FLOW_REVIEW: return SCREENS_REVIEW;
	case FLOW_SENT: return SCREENS_SENT;
	case FLOW_NOT_SENT: return SCREENS_NOTSENT;
	case FLOW_ADMIN: return SCREENS_ADMIN;
	case FLOW_CHANGE: return SCREENS_CHANGE;
	case FLOW_CANCEL: return SCREENS_CANCEL;
	case FLOW_CANCELLED: return SCREENS_CANCELLED;
	case FLOW_CODE: return SCREENS_CODE;
	case FLOW_ANSWER: return SCREENS_ANSWER;
	case FLOW_NO_ANSWER: return SCREENS_NOANSWER;
	default: return SCREENS_WELCOME;
	}
}

static void
draw_help(const struct kiosk *k, const struct screens *sc)
{
	struct flow_help_item it[FLOW_HELP_MAX];
	size_t n = flow_help(k->flow, it, FLOW_HELP_MAX), i;
	int y = LINES - 2, x = 1;

	mvhline(LINES - 2, 0, ' ', COLS);
	mvhline(LINES - 1, 0, ' ', COLS);
	for (i = 0; i < n; i++) {
		const char *t = screens_get(sc, SCREENS_COMMON, flow_help_key(it[i].text), 0);
		if (*t == '\0')       /* help-press is optional (screens older than it) */
			t = screens_get(sc, SCREENS_COMMON, flow_help_key(FLOW_HELP_OK), 0);
		int boxed = it[i].keyname[0] != '\0';
		int need = (boxed ? (int)textfield_str_width(it[i].keyname, strlen(it[i].keyname)) + 3 : 0) +
		           (int)textfield_str_width(t, strlen(t)) + 2;
		if (x + need > COLS && x > 1) {
			if (y == LINES - 1)
				return;
			y++;
			x = 1;
		}
		if (boxed) {
			x += put(y, x, " ", 1, 1, role(ROLE_KEY));
			x += puts_(y, x, it[i].keyname, COLS - x, role(ROLE_KEY) | A_BOLD);
			x += put(y, x, " ", 1, 1, role(ROLE_KEY));
			x += 1;
		}
		x += puts_(y, x, t, COLS - x, A_NORMAL);
		x += 3;
	}
}

static int
draw_options(const struct kiosk *k, const struct screens *sc, enum screens_id id, int y)
{
	unsigned n = flow_noptions(k->flow), i;
	char num[16];

	for (i = 0; i < n && y < LINES - 3; i++, y++) {
		const char *t;
		int sel = i == k->flow->sel, x = SCREENS_MARGIN;
		if (k->flow->screen == FLOW_WELCOME)
			t = screens_get(k->scr[i < k->nlang ? i : 0], SCREENS_COMMON, "language", 0);
		else
			t = screens_get(sc, id, "option", i);
		snprintf(num, sizeof num, "%u", i + 1);
		x += puts_(y, x, sel ? "> " : "  ", 2, A_BOLD);
		x += puts_(y, x, "[", 1, A_NORMAL);
		x += puts_(y, x, num, 2, A_BOLD);
		x += puts_(y, x, "] ", 2, A_NORMAL);
		puts_(y, x, t, COLS - x - SCREENS_MARGIN, sel ? A_REVERSE | A_BOLD : A_NORMAL);
	}
	return y;
}

static const char *
field_label_key(enum record_field f)
{
	switch (f) {
	case RECORD_NAME: return "label-name";
	case RECORD_GRADE: return "label-grade";
	case RECORD_TEACHER: return "label-teacher";
	case RECORD_BEST_TIME: return "label-best-time";
	case RECORD_CONTACT_WAY: return "label-contact-way";
	case RECORD_FRIEND_NAME: return "label-friend-name";
	case RECORD_FRIEND_GRADE: return "label-friend-grade";
	default: return "label-name";
	}
}

/* A one-line text box; returns the cursor column when focused. */
static int
draw_box(const struct textfield *tf, int y, int x, int w, int focused)
{
	size_t len, cur = textfield_cursor(tf), start = 0;
	const char *s = textfield_data(tf, &len);
	attr_t a = focused ? A_REVERSE : A_UNDERLINE;
	int cx;

	attrset((int)(a));
	mvhline(y, x, ' ', w);
	attrset((int)(A_NORMAL));
	/* scroll so the cursor stays inside the box */
	while ((int)textfield_str_width(s + start, cur - start) > w - 1) {
		uint32_t cp;
		size_t n = textfield_utf8_decode(s + start, len - start, &cp);
		start += n == 0 ? 1 : n;
		while (start < len && ((unsigned char)s[start] & 0xc0u) == 0x80u)
			start++;
	}
	put(y, x, s + start, len - start, w, a);
	cx = x + (int)textfield_str_width(s + start, cur - start);
	return cx;
}

static void
draw_buttons(const struct kiosk *k, const struct screens *sc, int y)
{
	enum flow_button b = flow_button_at(k->flow);
	int x = SCREENS_MARGIN;
	const char *next = screens_get(sc, SCREENS_COMMON, "button-next", 0);
	const char *back = screens_get(sc, SCREENS_COMMON, "button-back", 0);

	x += puts_(y, x, b == FLOW_BUTTON_NEXT ? ">[ " : " [ ", 3, A_BOLD);
	x += puts_(y, x, next, 14, b == FLOW_BUTTON_NEXT ? A_REVERSE | A_BOLD : A_NORMAL);
	x += puts_(y, x, " ]", 2, A_BOLD);
	x += 3;
	if (k->flow->screen == FLOW_REACH) {
		const char *anon = screens_get(sc, SCREENS_REACH, "button-anon", 0);
		x += puts_(y, x, b == FLOW_BUTTON_ANON ? ">[ " : " [ ", 3, A_BOLD);
		x += puts_(y, x, anon, 30, b == FLOW_BUTTON_ANON ? A_REVERSE | A_BOLD : A_NORMAL);
		x += puts_(y, x, " ]", 2, A_BOLD);
		x += 3;
	}
	x += puts_(y, x, b == FLOW_BUTTON_BACK ? ">[ " : " [ ", 3, A_BOLD);
	x += puts_(y, x, back, 14, b == FLOW_BUTTON_BACK ? A_REVERSE | A_BOLD : A_NORMAL);
	puts_(y, x, " ]", 2, A_BOLD);
}

#define LABEL_W 28

static void
draw_reach(const struct kiosk *k, const struct screens *sc, int y, int *cy, int *cx)
{
	const struct flow *f = k->flow;
	unsigned n = flow_reach_nfields(f), i;
	int boxw = COLS - 2 * SCREENS_MARGIN - LABEL_W - 8;
	char cnt[24];

	if (boxw > SH_FIELD_MAX_CHARS + 2)
		boxw = SH_FIELD_MAX_CHARS + 2;
	for (i = 0; i < n && y < LINES - 5; i++, y++) {
		enum record_field rf = flow_reach_field(f, i);
		int focused = f->focus == i, x = SCREENS_MARGIN;
		puts_(y, 0, focused ? ">" : " ", 1, A_BOLD);
		puts_(y, x, screens_get(sc, SCREENS_REACH, field_label_key(rf), 0), LABEL_W - 1,
		      focused ? A_BOLD : A_NORMAL);
		x += LABEL_W;
		if (rf == RECORD_CONTACT_WAY) {
			const char *t = f->contact == 0 ?
			                screens_get(sc, SCREENS_REACH, "contact-none", 0) :
			                screens_get(sc, SCREENS_REACH, "contact", f->contact - 1);
			x += puts_(y, x, "< ", 2, A_BOLD);
			x += puts_(y, x, t, boxw - 4, focused ? A_REVERSE : A_UNDERLINE);
			puts_(y, x, " >", 2, A_BOLD);
			continue;
		}
		int c = draw_box(k->field[rf], y, x, boxw, focused);
		if (focused) {
			*cy = y;
			*cx = c;
			snprintf(cnt, sizeof cnt, "%zu/%d", textfield_chars(k->field[rf]), SH_FIELD_MAX_CHARS);
			puts_(y, x + boxw + 1, cnt, 7, A_NORMAL);
		}
	}
	draw_buttons(k, sc, y + 1);
}

unsigned
ui_message_width(void)
{
	int w = COLS - 2 * SCREENS_MARGIN - 3;   /* frame, and room for the cursor */

	return w > 1 ? (unsigned)w : 1u;
}

static void
draw_message(const struct kiosk *k, const struct screens *sc, int y, int *cy, int *cx)
{
	size_t starts[SH_MESSAGE_MAX_CHARS + 2];
	const struct textfield *m = k->message;
	size_t len, cur = textfield_cursor(m), nl, i, curline = 0, top = 0;
	const char *s = textfield_data(m, &len);
	int bottom = LINES - 6, x0 = SCREENS_MARGIN, w = COLS - 2 * SCREENS_MARGIN;
	int inner = bottom - y - 1, innerw = w - 2;
	char lim[128];

	if (inner < 1)
		inner = 1;
	/* frame */
	mvaddch(y, x0, ACS_ULCORNER);
	mvhline(y, x0 + 1, ACS_HLINE, innerw);
	mvaddch(y, x0 + w - 1, ACS_URCORNER);
	mvvline(y + 1, x0, ACS_VLINE, inner);
	mvvline(y + 1, x0 + w - 1, ACS_VLINE, inner);
	mvaddch(bottom, x0, ACS_LLCORNER);
	mvhline(bottom, x0 + 1, ACS_HLINE, innerw);
	mvaddch(bottom, x0 + w - 1, ACS_LRCORNER);
	nl = textfield_wrap(m, ui_message_width(), starts, sizeof starts / sizeof starts[0]);
	for (i = 0; i < nl; i++)
		if (starts[i] <= cur)
			curline = i;
	if (curline >= (size_t)inner)
		top = curline - (size_t)inner + 1;
	for (i = top; i < nl && i < top + (size_t)inner; i++) {
		size_t a = starts[i], b = i + 1 < nl ? starts[i + 1] : len;
		put(y + 1 + (int)(i - top), x0 + 1, s + a, b - a, innerw - 1,
		    k->flow->focus == 0 ? A_NORMAL : A_DIM);
	}
	if (k->flow->focus == 0) {
		*cy = y + 1 + (int)(curline - top);
		*cx = x0 + 1 + (int)textfield_str_width(s + starts[curline], cur - starts[curline]);
	}
	expand_k(k, screens_get(sc, SCREENS_MESSAGE, "limit", 0), lim, sizeof lim, 0,
	       textfield_chars(m), SH_MESSAGE_MAX_CHARS);
	puts_(bottom + 1, COLS - SCREENS_MARGIN - (int)textfield_str_width(lim, strlen(lim)), lim,
	      COLS, A_NORMAL);
	draw_buttons(k, sc, bottom + 2);
}

static int
summary_line(int y, const char *label, const char *value, size_t vlen, attr_t a)
{
	int x = SCREENS_MARGIN;

	if (vlen == SIZE_MAX)
		vlen = strlen(value);
	puts_(y, x, label, LABEL_W - 2, A_BOLD);
	put(y, x + LABEL_W, value, vlen, COLS - x - LABEL_W - SCREENS_MARGIN, a);
	return y + 1;
}

static void
draw_review(const struct kiosk *k, const struct screens *sc, int y)
{
	const struct flow *f = k->flow;
	static const char *const about_keys[] = { "about-self", "about-friend", "about-info", "about-self",
	                                          "about-reply" };
	static const char *const danger_keys[] = { "danger-no", "danger-yes", "danger-unsure" };
	const char *none = screens_get(sc, SCREENS_COMMON, "not-given", 0);
	size_t starts[SH_MESSAGE_MAX_CHARS + 2];
	unsigned n, i;
	int last = LINES - 3 - (int)flow_noptions(f) - 1;   /* options end above the status row */
	char cnt[128];
	size_t len;
	const char *s;
	/* a write-back asks no Reach boxes: none shown, no "no name" note */
	int reply = f->about == RECORD_ABOUT_REPLY;
	int no_name = !reply && f->about != RECORD_ABOUT_FRIEND &&
	              textfield_chars(k->field[RECORD_NAME]) == 0;

	/* a request about oneself with no name: say how an answer can come */
	if (no_name)
		puts_(last--, SCREENS_MARGIN, screens_get(sc, SCREENS_REVIEW, "no-name", 0),
		      COLS - 2 * SCREENS_MARGIN, A_BOLD);
	n = reply ? 0 : flow_reach_nfields(f);
	y = summary_line(y, screens_get(sc, SCREENS_REVIEW, "label-about", 0),
	                 screens_get(sc, SCREENS_REVIEW, about_keys[(unsigned)f->about < 5u ? f->about : 0], 0), SIZE_MAX, A_NORMAL);
	y = summary_line(y, screens_get(sc, SCREENS_REVIEW, "label-danger", 0),
	                 screens_get(sc, SCREENS_REVIEW, danger_keys[f->danger % 3u], 0), SIZE_MAX,
	                 f->danger == RECORD_DANGER_YES ? role(ROLE_ERROR) : A_NORMAL);
	for (i = 0; i < n && y < last; i++) {
		enum record_field rf = flow_reach_field(f, i);
		const char *label = screens_get(sc, SCREENS_REACH, field_label_key(rf), 0);
		if (rf == RECORD_CONTACT_WAY) {
			s = f->contact ? screens_get(sc, SCREENS_REACH, "contact", f->contact - 1) : none;
			len = strlen(s);
		} else {
			s = textfield_data(k->field[rf], &len);
			if (len == 0) {
				s = none;
				len = strlen(s);
			}
		}
		y = summary_line(y, label, s, len, A_NORMAL);
	}
	s = textfield_data(k->message, &len);
	if (flow_message_blank(s, len)) {
		snprintf(cnt, sizeof cnt, "%s", none);
		len = 0;       /* not sent: nothing to show */
	} else {
		expand_k(k, screens_get(sc, SCREENS_REVIEW, "message-count", 0), cnt, sizeof cnt, 0,
		       textfield_chars(k->message), SH_MESSAGE_MAX_CHARS);
	}
	if (y < last)
		y = summary_line(y, screens_get(sc, SCREENS_REVIEW, f->question ? "label-question" : "label-message", 0),
		                 cnt, SIZE_MAX, A_NORMAL);
	/* the first lines of the message, wrapped as the editor wraps them;
	 * "…" after the last one shown when more does not fit */
	if (len > 0) {
		int w = COLS - 2 * SCREENS_MARGIN - LABEL_W;
		size_t nl = textfield_wrap(k->message, w > 3 ? (unsigned)w - 2 : 1u, starts,
		                           sizeof starts / sizeof starts[0]);

		for (i = 0; i < nl && y < last; i++, y++) {
			size_t a = starts[i], b = i + 1 < nl ? starts[i + 1] : len;
			int x = SCREENS_MARGIN + LABEL_W;

			x += put(y, x, s + a, b - a, w - 2, A_DIM);
			if (y + 1 == last && i + 1 < nl)
				puts_(y, x + 1, "…", 1, A_DIM);
		}
	}
	draw_options(k, sc, SCREENS_REVIEW, last + 1 + no_name);
}

/* "I have a code": the box, the buttons, and what a code looks like when
 * what was typed cannot be one. */
static void
draw_code(const struct kiosk *k, const struct screens *sc, int y, int *cy, int *cx)
{
	int x = SCREENS_MARGIN, boxw = COLS - 2 * SCREENS_MARGIN - LABEL_W - 2;
	int focused = k->flow->focus == 0, c;

	puts_(y, x, screens_get(sc, SCREENS_CODE, "prompt", 0), LABEL_W - 1, A_BOLD);
	c = draw_box(k->codefield, y, x + LABEL_W, boxw, focused);
	if (focused) {
		*cy = y;
		*cx = c;
	}
	draw_buttons(k, sc, y + 2);
	if (k->flow->code_malformed)
		draw_text(screens_get(sc, SCREENS_CODE, "malformed", 0), y + 4, x,
		          COLS - 2 * SCREENS_MARGIN, LINES - 4, role(ROLE_ERROR));
}

/* The social worker's answer (already checked: signed by a staff key,
 * not expired), then the options under it. */
/* reply_fits_kiosk's figures are this screen's at 80x24: the answer is
 * indented 2 more; rows 2.. hold the title gap, a body of up to 2 lines
 * and a blank; 2 options, a blank, the status row and the help bar below. */
_Static_assert(SH_REPLY_KIOSK_COLS == SCREENS_COLS - 2 * SCREENS_MARGIN - 2, "answer width");
_Static_assert(SH_REPLY_KIOSK_ROWS == SCREENS_ROWS - 4 - 2 - (2 + 2 + 1), "answer rows");

static void
draw_answer(const struct kiosk *k, const struct screens *sc, int y)
{
	const struct kiosk_convo *c = k->convo;
	int last = LINES - 4 - (int)flow_noptions(k->flow);
	int w = COLS - 2 * SCREENS_MARGIN - 2;

	/* safeharbor reply refuses what does not fit at 80x24 (reply_fits_kiosk);
	 * an answer that still does not fit ends with a mark, never overflows */
	if (c != NULL && c->have_answer) {
		if (y + (int)screens_wrap(c->answer.text, (unsigned)w, NULL, NULL) > last) {
			y = draw_text(c->answer.text, y, SCREENS_MARGIN + 2, w, last - 2, A_BOLD);
			puts_(last - 1, SCREENS_MARGIN + 2, "[…]", w, A_DIM);
			y = last;
		} else {
			y = draw_text(c->answer.text, y, SCREENS_MARGIN + 2, w, last - 1, A_BOLD);
		}
	}
	draw_options(k, sc, SCREENS_ANSWER, y < last ? y + 1 : last);
}

/* Sent: the code on a line of its own, and what to do with it. */
static int
draw_sent_code(const struct kiosk *k, const struct screens *sc, int y)
{
	const struct kiosk_convo *c = k->convo;
	int x = SCREENS_MARGIN;
	char keep[1024];

	if (c == NULL || c->code[0] == '\0')
		return y;
	x += puts_(y, x, screens_get(sc, SCREENS_SENT, "code-label", 0), 24, A_BOLD) + 1;
	puts_(y, x, c->code, COLS - x - SCREENS_MARGIN, A_REVERSE | A_BOLD);
	expand_k(k, screens_get(sc, SCREENS_SENT, "code-keep", 0), keep, sizeof keep, 0, 0, 0);
	return draw_text(keep, y + 1, SCREENS_MARGIN, COLS - 2 * SCREENS_MARGIN, LINES - 5,
	                 A_NORMAL) + 1;
}

static void
draw_admin(const struct kiosk *k, const struct screens *sc, uint64_t now, int y, int *cy, int *cx)
{
	char buf[256];
	size_t i, n = textfield_chars(k->pin);
	int x = SCREENS_MARGIN;
	unsigned wait = flow_pin_wait(k->flow, now);
	const char *note = NULL;

	x += puts_(y, x, screens_get(sc, SCREENS_ADMIN, "prompt", 0), 30, A_BOLD);
	x += 2;
	attrset((int)(A_REVERSE));
	mvhline(y, x, ' ', 20);
	for (i = 0; i < n && i < 19; i++)
		mvaddch(y, x + (int)i, '*');
	attrset((int)(A_NORMAL));
	*cy = y;
	*cx = x + (int)(n < 19 ? n : 19);
	y += 2;
	switch (flow_pin_note(k->flow, now)) {
	case FLOW_PIN_NOTE_UNSET: note = "unset"; break;
	case FLOW_PIN_NOTE_WRONG_WAIT: note = "wrong"; break;
	case FLOW_PIN_NOTE_WRONG: note = "wrong-again"; break;
	case FLOW_PIN_NOTE_WAIT: note = "wait"; break;
	case FLOW_PIN_NOTE_NONE: return;
	}
	expand_k(k, screens_get(sc, SCREENS_ADMIN, note, 0), buf, sizeof buf, wait, 0, 0);
	puts_(y, SCREENS_MARGIN, buf, COLS - 2 * SCREENS_MARGIN, role(ROLE_ERROR));
}

static void
draw_countdown(const struct kiosk *k, const struct screens *sc, uint64_t now)
{
	char body[4096];
	int w = SCREENS_BOX_COLS + 4, h, y0, x0, y;

	expand_k(k, screens_body(sc, SCREENS_TIMEOUT), body, sizeof body,
	       flow_countdown_left(k->flow, now), 0, 0);
	h = (int)screens_wrap(body, SCREENS_BOX_COLS, NULL, NULL) + 4;
	y0 = (LINES - h) / 2;
	x0 = (COLS - w) / 2;
	attrset((int)(A_BOLD));
	for (y = y0; y < y0 + h; y++)
		mvhline(y, x0, ' ', w);
	mvaddch(y0, x0, ACS_ULCORNER);
	mvhline(y0, x0 + 1, ACS_HLINE, w - 2);
	mvaddch(y0, x0 + w - 1, ACS_URCORNER);
	mvvline(y0 + 1, x0, ACS_VLINE, h - 2);
	mvvline(y0 + 1, x0 + w - 1, ACS_VLINE, h - 2);
	mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
	mvhline(y0 + h - 1, x0 + 1, ACS_HLINE, w - 2);
	mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
	attrset((int)(A_NORMAL));
	puts_(y0 + 1, x0 + 2, screens_get(sc, SCREENS_TIMEOUT, "title", 0), SCREENS_BOX_COLS, A_BOLD);
	draw_text(body, y0 + 2, x0 + 2, SCREENS_BOX_COLS, y0 + h - 2, A_NORMAL);
}

static void draw_admin(const struct kiosk *k, const struct screens *sc, uint64_t now, int y,
                       int *cy, int *cx);

static const char *
title_key(const struct flow *f)
{
	if (f->screen == FLOW_REACH && f->about == RECORD_ABOUT_FRIEND)
		return "title-friend";
	if (f->screen == FLOW_MESSAGE && f->about == RECORD_ABOUT_REPLY)
		return "title-reply";
	if (f->screen == FLOW_MESSAGE && f->question)
		return "title-question";
	return "title";
}

/* Below 80x24: a short note (it names Esc); on the staff prompt, the PIN
 * field under it, so IT can stop a kiosk on a small terminal. */
static void
draw_small(const struct kiosk *k, uint64_t now)
{
	int w = COLS - 2, y, cy = -1, cx = -1;

	erase();
	if (w > SCREENS_SMALL_COLS)
		w = SCREENS_SMALL_COLS;
	y = draw_text(screens_body(lang_of(k), SCREENS_SMALL), 0, 1, w, LINES - 1, A_BOLD);
	if (k->flow->screen == FLOW_ADMIN && y + 3 <= LINES)
		draw_admin(k, lang_of(k), now, y + 1, &cy, &cx);
	if (cy >= 0 && cx >= 0 && cy < LINES && cx < COLS) {
		move(cy, cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
}

void
ui_draw(const struct kiosk *k, uint64_t now, const char *status)
{
	const struct flow *f = k->flow;
	const struct screens *sc = lang_of(k);
	enum screens_id id = file_of(f->screen);
	char body[16384];
	int y, cy = -1, cx = -1;

	if (LINES < SCREENS_ROWS || COLS < SCREENS_COLS) {
		draw_small(k, now);
		refresh();
		return;
	}
	erase();
	if (flow_countdown_left(f, now) > 0) {
		/* nothing of the answers stays readable beside the countdown */
		draw_countdown(k, sc, now);
		curs_set(0);
		refresh();
		return;
	}
	attrset((int)(role(ROLE_TITLE)));
	mvhline(0, 0, ' ', COLS);
	puts_(0, SCREENS_MARGIN, screens_get(sc, id, title_key(f), 0), COLS - 2 * SCREENS_MARGIN,
	      role(ROLE_TITLE));
	attrset((int)(A_NORMAL));
	y = 2;
	if (flow_lead_key(f) != NULL) {
		expand_k(k, screens_get(sc, id, flow_lead_key(f), 0), body, sizeof body,
		         k->cfg.sent_seconds, 0, 0);
		y = draw_text(body, y, SCREENS_MARGIN, COLS - 2 * SCREENS_MARGIN, LINES - 5, A_BOLD) + 1;
	}
	if (f->screen == FLOW_SENT)
		y = draw_sent_code(k, sc, y);
	/* Message's body says it is optional: a write-back is not (lead-reply) */
	if (!(f->screen == FLOW_MESSAGE && f->about == RECORD_ABOUT_REPLY)) {
		expand_k(k, screens_body(sc, id), body, sizeof body, k->cfg.sent_seconds, 0, 0);
		y = draw_text(body, y, SCREENS_MARGIN, COLS - 2 * SCREENS_MARGIN, LINES - 5, A_NORMAL) + 1;
	}
	switch (f->screen) {
	case FLOW_REACH:
		draw_reach(k, sc, y, &cy, &cx);
		break;
	case FLOW_MESSAGE:
		draw_message(k, sc, y, &cy, &cx);
		break;
	case FLOW_REVIEW:
		draw_review(k, sc, y);
		break;
	case FLOW_ADMIN:
		draw_admin(k, sc, now, y, &cy, &cx);
		break;
	case FLOW_CODE:
		draw_code(k, sc, y, &cy, &cx);
		break;
	case FLOW_ANSWER:
		draw_answer(k, sc, y);
		break;
	default:
		if (flow_is_choice(f->screen))
			draw_options(k, sc, id, y);
	}
	if (f->edit_full)
		status = screens_get(sc, SCREENS_COMMON, "full", 0);
	else if (f->need_message && f->screen == FLOW_MESSAGE)
		status = screens_get(sc, SCREENS_MESSAGE, "need-reply", 0);
	if (status != NULL)
		puts_(LINES - 3, SCREENS_MARGIN, status, COLS - 2 * SCREENS_MARGIN, role(ROLE_ERROR));
	draw_help(k, sc);
	if (cy >= 0 && cx >= 0 && cy < LINES && cx < COLS) {
		move(cy, cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

void
ui_scrub(void)
{
	static const char filler[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	int pass, y, x;

	/* Two full screens of invisible filler: every cell of stdscr, newscr
	 * and curscr is overwritten, and more than a screenful of output goes
	 * through ncurses' output buffer, so no earlier text stays in either. */
	int invis = (termattrs() & A_INVIS) != 0;

	for (pass = 0; pass < 2; pass++) {
		erase();
		attrset((int)(invis ? A_INVIS : A_BOLD));
		for (y = 0; y < LINES; y++)
			for (x = 0; x < COLS - (y == LINES - 1); x++)
				mvaddch(y, x, invis ? (chtype)filler[(size_t)(x + y + pass * 7) % (sizeof filler - 1)] : ' ');
		attrset((int)(A_NORMAL));
		clearok(curscr, TRUE);
		refresh();
	}
	erase();
	clearok(curscr, TRUE);
	ui_flush_input();
}
