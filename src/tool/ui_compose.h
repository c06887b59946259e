#ifndef SAFEHARBOR_TOOL_UI_COMPOSE_H
#define SAFEHARBOR_TOOL_UI_COMPOSE_H

/* The inbox's compose box (ui_compose.c): a case note, an answer. */

#include <signal.h>
#include "safeharbor/textfield.h"
#include "compose.h"

/* Let her write into tf (made by compose_field_new(k), locked memory)
 * under title. 1: keep it (Ctrl-D on text that is not blank); 0:
 * discarded (Esc, Ctrl-C, or *stop set by a signal), tf wiped. Curses
 * must be running with a UTF-8 locale. */
int ui_compose(const struct compose_kind *k, const char *title, struct textfield *tf,
               volatile sig_atomic_t *stop);

#endif
