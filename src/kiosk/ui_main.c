/*
 * The kiosk's main loop: keys and clock ticks go to flow.c, its effects are
 * carried out here (wipe, edit, send, PIN), then the state is drawn.
 *
 * Decisions: raw mode, so Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys (and
 * SIGINT/SIGQUIT/SIGTSTP are ignored besides); SIGTERM and SIGHUP end the
 * kiosk cleanly (wipe, endwin, exit 0), and so does a terminal that has
 * gone away without a SIGHUP (poll says POLLHUP, checked every turn, since
 * ncurses may keep returning keys or errors from it). The sandbox is entered once ncurses
 * has read the terminfo and everything else is loaded. A quick exit wipes
 * the answers, then scrubs ncurses' buffers and repaints the whole screen.
 */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "ui.h"
#include "safeharbor/sandbox.h"

static volatile sig_atomic_t stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGTTIN, &sa, NULL);
	sigaction(SIGTTOU, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The terminal has hung up or its descriptor is no longer valid. */
static int
terminal_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	if (poll(&p, 1, 0) < 0)
		return errno != EINTR && errno != EAGAIN;
	return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static void
edit(struct kiosk *k, const struct flow_key *key)
{
	struct textfield *tf = NULL;
	enum sh_status st = SH_OK;

	switch (flow_edit_target(k->flow)) {
	case FLOW_TARGET_FIELD: tf = k->field[flow_edit_field(k->flow)]; break;
	case FLOW_TARGET_MESSAGE: tf = k->message; break;
	case FLOW_TARGET_PIN: tf = k->pin; break;
	case FLOW_TARGET_CODE: tf = k->codefield; break;
	default: return;
	}
	switch (key->code) {
	case FK_CHAR: st = textfield_insert(tf, key->ch); break;
	case FK_ENTER: st = textfield_insert(tf, '\n'); break;
	case FK_BACKSPACE: textfield_backspace(tf); break;
	case FK_DELETE: textfield_delete(tf); break;
	case FK_LEFT: textfield_left(tf); break;
	case FK_RIGHT: textfield_right(tf); break;
	case FK_HOME: textfield_home(tf); break;
	case FK_END: textfield_end(tf); break;
	case FK_UP: textfield_up_wrapped(tf, ui_message_width()); break;
	case FK_DOWN: textfield_down_wrapped(tf, ui_message_width()); break;
	default: break;
	}
	k->flow->edit_full = st == SH_ERR_TOO_LARGE;
}

/* Carry out effects; returns 1 when the kiosk must end (PIN accepted). */
static int
apply(struct kiosk *k, unsigned fx, const struct flow_key *key, uint64_t now)
{
	struct flow *f = k->flow;

	if (fx & FLOW_FX_WIPE) {
		if (f->screen == FLOW_SENT)
			kiosk_wipe_but_code(k);   /* Sent shows the code, then wipes */
		else
			kiosk_wipe(k);
	}
	if (fx & FLOW_FX_CLEAR_CODE)
		textfield_clear(k->codefield);
	if (fx & FLOW_FX_ANON)
		kiosk_wipe_own_fields(k);
	if (fx & FLOW_FX_CLEAR_PIN)
		textfield_clear(k->pin);
	if ((fx & FLOW_FX_EDIT) && key != NULL)
		edit(k, key);
	f->message_empty = textfield_chars(k->message) == 0;
	if (f->lang < k->nlang)
		f->ncontact = (unsigned)screens_count(k->scr[f->lang], SCREENS_REACH, "contact");
	if (fx & FLOW_FX_EXIT)
		return 1;
	if (fx & FLOW_FX_SEND) {
		ui_draw(k, now, screens_get(k->scr[f->lang], SCREENS_COMMON, "sending", 0));
		enum sh_status st = kiosk_send(k, NULL);
		return apply(k, flow_send_result(f, st == SH_OK, kiosk_now_ms()), NULL, kiosk_now_ms());
	}
	if (fx & FLOW_FX_OPEN_CODE) {
		size_t len;
		const char *typed = textfield_data(k->codefield, &len);
		enum kiosk_code_result r;

		ui_draw(k, now, screens_get(k->scr[f->lang], SCREENS_CODE, "checking", 0));
		r = kiosk_open_code(k, typed, len, time(NULL));
		return apply(k, flow_code_result(f, r == KIOSK_CODE_FOUND ? FLOW_CODE_FOUND :
		                                    r == KIOSK_CODE_NONE ? FLOW_CODE_NONE :
		                                    FLOW_CODE_MALFORMED, kiosk_now_ms()),
		             NULL, kiosk_now_ms());
	}
	if (fx & FLOW_FX_PIN) {
		size_t len;
		const char *pin = textfield_data(k->pin, &len);
		/* nothing typed is no try: no Argon2id, no growing delay */
		int ok = len == 0 ? FLOW_PIN_EMPTY : kiosk_pin_verify(k, pin, len);
		return apply(k, flow_pin_result(f, ok, kiosk_now_ms()), NULL, kiosk_now_ms());
	}
	if (fx & FLOW_FX_REPAINT)
		ui_scrub();
	if (fx & (FLOW_FX_REDRAW | FLOW_FX_REPAINT))
		ui_draw(k, now, NULL);
	return 0;
}

int
ui_run(struct kiosk *k)
{
	struct sandbox_report rep;
	struct flow_key key;
	SCREEN *scr;
	uint64_t now, before;
	enum sh_status st;
	int quick_errs = 0, done = 0;
	const char *lacks;

	signals();
	if ((lacks = ui_term_lacks()) != NULL) {
		fprintf(stderr, "%s: TERM=%s: this terminal cannot run the kiosk: %s; "
		        "use the Linux console, xterm, screen or tmux, with TERM set to match\n",
		        KIOSK_PROG, getenv("TERM") ? getenv("TERM") : "", lacks);
		return 2;
	}
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		fprintf(stderr, "%s: cannot start the terminal (TERM=%s)\n", KIOSK_PROG,
		        getenv("TERM") ? getenv("TERM") : "");
		return 1;
	}
	set_term(scr);
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(UI_TICK_MS);
	ui_colors();
	memset(&rep, 0, sizeof rep);
	/* Fail closed: a kiosk that cannot confine itself does not open. */
	if ((st = sandbox_enter_replies(k->cfg.spool, k->cfg.replies, &rep)) != SH_OK) {
		endwin();
		delscreen(scr);
		fprintf(stderr, "%s: %s: cannot confine the kiosk: %s\n", KIOSK_PROG,
		        k->cfg.spool, sh_status_str(st));
		return 1;
	}

	now = kiosk_now_ms();
	flow_init(k->flow, (unsigned)k->nlang,
	          (unsigned)screens_count(k->scr[0], SCREENS_REACH, "contact"),
	          k->cfg.idle_seconds, k->cfg.sent_seconds, now);
	clearok(curscr, TRUE);
	ui_draw(k, now, NULL);
	while (!done && !stop_signal && !terminal_gone()) {
		before = kiosk_now_ms();
		enum ui_read r = ui_read_key(&key);
		now = kiosk_now_ms();
		if (r == UI_KEY && (LINES < SCREENS_ROWS || COLS < SCREENS_COLS) &&
		    !flow_key_works_small(k->flow, &key)) {
			/* nothing is shown: typing blind must not fill in answers */
			quick_errs = 0;
		} else if (r == UI_KEY) {
			quick_errs = 0;
			done = apply(k, flow_key(k->flow, &key, now), &key, now);
		} else if (r == UI_RESIZE) {
			quick_errs = 0;
			clearok(curscr, TRUE);
			ui_draw(k, now, NULL);
		} else {
			/* a terminal that has gone away returns at once, forever */
			if (now - before < UI_TICK_MS / 4) {
				if (++quick_errs > 50 && !isatty(STDIN_FILENO))
					break;
				if (quick_errs > 500)
					break;
			} else {
				quick_errs = 0;
			}
			done = apply(k, flow_tick(k->flow, now), NULL, now);
		}
		sodium_memzero(&key, sizeof key);
	}
	kiosk_wipe(k);
	flow_wipe(k->flow, kiosk_now_ms());
	ui_scrub();
	refresh();
	endwin();
	delscreen(scr);
	return 0;
}
