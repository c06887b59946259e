#ifndef SAFEHARBOR_KIOSK_UI_H
#define SAFEHARBOR_KIOSK_UI_H

/* Seams between the ui_*.c files (the only files that include curses). */

#include <stdint.h>
#include "kiosk.h"

enum ui_read { UI_NOTHING, UI_KEY, UI_RESIZE };

/* Wait up to the tick for one key; turn it into an abstract key. */
enum ui_read ui_read_key(struct flow_key *k);
/* Throw away everything ncurses has buffered of the input. */
void ui_flush_input(void);

/* Draw the current state (status: a line for the status row, or NULL). */
void ui_draw(const struct kiosk *k, uint64_t now, const char *status);
/* Overwrite every cell ncurses holds and everything it sent, then clear. */
void ui_scrub(void);
void ui_colors(void);
/* Columns the message box wraps at, for moving the cursor by screen line. */
unsigned ui_message_width(void);

#define UI_TICK_MS 200

#endif
