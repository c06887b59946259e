/*
 * The inbox's compose box, for a case note and for an answer to the
 * student: drawn over the inbox, the text held only in a textfield (locked
 * memory), never in a temporary file or an editor's swap file. Enter is a
 * new line, Ctrl-D saves or sends, Esc or Ctrl-C discards. Curses code
 * only (limits and words: compose.c); the caller seals and wipes.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "safeharbor/util.h"
#include "ui_compose.h"

#define CTRL(c) ((c) & 0x1f)
#define COMPOSE_LINES_MAX 512

static void
draw(const struct compose_kind *k, const char *title, struct textfield *tf, const char *msg)
{
	size_t starts[COMPOSE_LINES_MAX], n, i, cur = textfield_cursor(tf), len, line = 0, top = 0;
	const char *data = textfield_data(tf, &len);
	int x0 = 2, y0 = 2, w = COLS - 4, h = LINES - 4, rows, cx, y;
	char head[320];
	unsigned width;

	if (w < 20 || h < 6) {
		erase();
		mvaddstr(0, 0, "The window is too small to write here.");
		refresh();
		return;
	}
	width = (unsigned)(w - 2);
	rows = h - 4;
	n = textfield_wrap(tf, width, starts, COMPOSE_LINES_MAX);
	for (i = 0; i < n; i++)
		if (starts[i] <= cur)
			line = i;
	if (line >= (size_t)rows)
		top = line - (size_t)rows + 1;
	/* the whole screen: slivers of the request beside the box read as
	 * a broken screen (and show a student's details for nothing) */
	erase();
	attron(A_REVERSE);
	util_snprintf(head, sizeof(head), " %s ", title);
	mvaddnstr(y0, x0, head, w);
	attroff(A_REVERSE);
	for (y = 0; y < rows && top + (size_t)y < n; y++) {
		size_t s = starts[top + (size_t)y];
		size_t e = top + (size_t)y + 1 < n ? starts[top + (size_t)y + 1] : len;

		/* the text is printable by construction (textfield_char_ok) */
		while (e > s && data[e - 1] == '\n')
			e--;
		mvaddnstr(y0 + 2 + y, x0 + 1, data + s, (int)(e - s));
	}
	compose_footer(k, tf, msg, head, sizeof(head));
	attron(A_REVERSE);
	mvaddnstr(y0 + h - 1, x0, head, w);
	attroff(A_REVERSE);
	cx = (int)textfield_str_width(data + starts[line], cur - starts[line]);
	move(y0 + 2 + (int)(line - top), x0 + 1 + (cx < (int)width ? cx : (int)width - 1));
	refresh();
}

int
ui_compose(const struct compose_kind *k, const char *title, struct textfield *tf,
           volatile sig_atomic_t *stop)
{
	char msg[64] = "";
	size_t len;
	wint_t ch;
	int r, saved = 0;

	curs_set(1);
	for (;;) {
		draw(k, title, tf, msg);
		msg[0] = '\0';
		r = get_wch(&ch);
		if (*stop)
			break;
		if (r == ERR)
			continue;
		if (r == KEY_CODE_YES) {
			switch (ch) {
			case KEY_LEFT: textfield_left(tf); break;
			case KEY_RIGHT: textfield_right(tf); break;
			case KEY_UP: textfield_up_wrapped(tf, (unsigned)(COLS - 6)); break;
			case KEY_DOWN: textfield_down_wrapped(tf, (unsigned)(COLS - 6)); break;
			case KEY_HOME: textfield_home(tf); break;
			case KEY_END: textfield_end(tf); break;
			case KEY_BACKSPACE: textfield_backspace(tf); break;
			case KEY_DC: textfield_delete(tf); break;
			case KEY_ENTER: (void)textfield_insert(tf, '\n'); break;
			default: break;
			}
			continue;
		}
		if (ch == CTRL('d')) {
			(void)compose_text(tf, &len);
			if (len > 0) {
				saved = 1;
				break;
			}
			compose_why(k, 0, msg, sizeof(msg));
		} else if (ch == 27 || ch == CTRL('c')) {
			break;
		} else if (ch == 127 || ch == CTRL('h')) {
			textfield_backspace(tf);
		} else if (ch == '\r' || ch == '\n') {
			if (textfield_insert(tf, '\n') == SH_ERR_TOO_LARGE)
				compose_why(k, 1, msg, sizeof(msg));
		} else if (textfield_insert(tf, (uint32_t)ch) == SH_ERR_TOO_LARGE) {
			compose_why(k, 1, msg, sizeof(msg));
		}
	}
	curs_set(0);
	if (!saved)
		textfield_clear(tf);
	return saved;
}
