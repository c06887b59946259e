#ifndef SAFEHARBOR_TOOL_UI_NOTE_H
#define SAFEHARBOR_TOOL_UI_NOTE_H

/* The inbox's compose box for a case note (ui_note.c). */

#include <signal.h>
#include "safeharbor/textfield.h"

/* Let her write a note about the request shown as label, into tf (made
 * with the note limits, locked memory). 1: save it (Ctrl-D on a non-empty
 * note); 0: discarded (Esc, Ctrl-C, or *stop set by a signal), tf wiped.
 * Curses must be running with a UTF-8 locale. */
int ui_note_compose(const char *label, struct textfield *tf, volatile sig_atomic_t *stop);

#endif
