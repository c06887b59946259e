/*
 * Can this terminal run the kiosk? It needs cursor addressing (cup) to
 * draw screens at all, and an F12 key (kf12): without it IT could not stop
 * the kiosk with the staff PIN. Checked from terminfo before curses starts,
 * so a TERM=dumb console is refused with a message instead of a garbled
 * screen. The Linux console, xterm, screen and tmux entries have both.
 */
#include <curses.h>
#include <term.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ui.h"

static int
has_str(const char *cap)
{
	char *v = tigetstr(cap);

	return v != NULL && v != (char *)-1 && *v != '\0';
}

const char *
ui_term_lacks(void)
{
	const char *term = getenv("TERM");
	const char *why = NULL;
	TERMINAL *old = cur_term;
	int err = 0;

	if (term == NULL || *term == '\0')
		return "TERM is not set";
	if (setupterm(term, STDOUT_FILENO, &err) != OK)
		return err == -1 ? "no terminfo database found" :
		       "no terminfo entry for this TERM (see TERMINFO)";
	if (!has_str("cup"))
		why = "it cannot move the cursor (no \"cup\" in its terminfo entry)";
	else if (!has_str("kf12"))
		why = "it has no F12 key, the staff key (no \"kf12\" in its terminfo entry)";
	del_curterm(cur_term);
	set_curterm(old);
	return why;
}
