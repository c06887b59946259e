/*
 * Terminal keys -> abstract flow keys. No decisions: what a key means is
 * flow.c's business. Escape is FK_ESC (quick exit), also when another key
 * follows at once (Alt-x is Esc then x: leaving is always safe). An escape
 * sequence ncurses does not know (odd function keys, OSC, DCS) is read to
 * its end and becomes FK_OTHER, so no part of it is ever typed.
 */
#include <curses.h>

#include "ui.h"

#define SEQ_MAX 1024

static int
pending(wint_t *c)
{
	int r;

	timeout(0);
	r = get_wch(c);
	timeout(UI_TICK_MS);
	return r;
}

/* After a lone ESC from ncurses: if a control-sequence introducer is right
 * behind it, the terminal sent a sequence ncurses does not know (CSI, SS3,
 * OSC, DCS...): read it to its end so no part of it is typed, and ignore
 * it. Anything else right behind it (Alt-x, or a fast Esc then x) is a
 * quick exit followed by that key, which is given back for the next read. */
static int
swallow_sequence(void)
{
	wint_t c;
	int r, n;

	if ((r = pending(&c)) == ERR)
		return 0;
	if (r == KEY_CODE_YES) {
		ungetch((int)c);
		return 0;
	}
	switch (c) {
	case '[':      /* CSI: parameters and intermediates, then a final byte */
		for (n = 0; n < SEQ_MAX && pending(&c) == OK; n++)
			if (c >= 0x40 && c <= 0x7e)
				break;
		break;
	case 'O':      /* SS3: one more byte */
		pending(&c);
		break;
	case ']':      /* OSC, DCS, SOS, PM, APC: up to BEL or ESC \ */
	case 'P':
	case 'X':
	case '^':
	case '_':
		for (n = 0; n < SEQ_MAX && pending(&c) == OK; n++) {
			if (c == 7)
				break;
			if (c == 27) {
				pending(&c);
				break;
			}
		}
		break;
	default:
		unget_wch((wchar_t)c);
		c = 0;
		return 0;
	}
	c = 0;
	return 1;
}

void
ui_flush_input(void)
{
	wint_t c;
	int n = 0;

	/* ncurses reads one byte at a time into its key FIFO and takes it out
	 * again, so typed text never piles up there; drop what is pending. */
	while (n++ < 4096 && pending(&c) != ERR)
		;
	c = 0;
	flushinp();
}

enum ui_read
ui_read_key(struct flow_key *k)
{
	wint_t c;
	int r;

	k->code = FK_NONE;
	k->ch = 0;
	r = get_wch(&c);
	if (r == ERR)
		return UI_NOTHING;
	if (r == KEY_CODE_YES) {
		switch (c) {
		case KEY_RESIZE: return UI_RESIZE;
		case KEY_UP: k->code = FK_UP; break;
		case KEY_DOWN: k->code = FK_DOWN; break;
		case KEY_LEFT: k->code = FK_LEFT; break;
		case KEY_RIGHT: k->code = FK_RIGHT; break;
		case KEY_HOME: k->code = FK_HOME; break;
		case KEY_END: k->code = FK_END; break;
		case KEY_BACKSPACE: k->code = FK_BACKSPACE; break;
		case KEY_DC: k->code = FK_DELETE; break;
		case KEY_BTAB: k->code = FK_BTAB; break;
		case KEY_ENTER: k->code = FK_ENTER; break;
		default:
			if (c >= KEY_F(1) && c <= KEY_F(63)) {
				k->code = FK_FKEY;
				k->ch = (uint32_t)(c - KEY_F0);
			} else {
				k->code = FK_OTHER;
			}
		}
		return UI_KEY;
	}
	switch (c) {
	case 27:
		k->code = swallow_sequence() ? FK_OTHER : FK_ESC;
		break;
	case '\t': k->code = FK_TAB; break;
	case '\n':
	case '\r': k->code = FK_ENTER; break;
	case 8:
	case 127: k->code = FK_BACKSPACE; break;
	default:
		if (c >= 1 && c <= 26) {
			k->code = FK_CTRL;
			k->ch = (uint32_t)('a' + c - 1);
		} else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			k->code = FK_OTHER;
		} else {
			k->code = FK_CHAR;
			k->ch = (uint32_t)c;
		}
	}
	c = 0;
	return UI_KEY;
}
