#ifndef SAFEHARBOR_FLOW_H
#define SAFEHARBOR_FLOW_H

/*
 * The student flow of SPEC §3 as a pure state machine: a key (already turned
 * into an abstract flow_key by the curses layer) or a clock tick, the current
 * state and the time in; the next state and a set of effects out. No I/O, no
 * curses, no clock reads: time is always an argument (milliseconds on a
 * monotonic clock).
 *
 * The state holds answers (About, Danger, contact choice), so callers keep
 * it in sodium_malloc memory; flow_wipe() zeroes it. Typed text lives in
 * textfields owned by the caller: FLOW_FX_EDIT asks the caller to apply the
 * key to the field named by flow_edit_target().
 *
 * All keys are bound in one action table (flow.c); the help bar of every
 * screen is generated from it (flow_help), so keys, dispatch and help cannot
 * drift apart.
 */

#include <stddef.h>
#include <stdint.h>
#include "safeharbor/record.h"

enum flow_screen {
	FLOW_WELCOME,
	FLOW_ABOUT,
	FLOW_INFO,        /* "I just have questions" */
	FLOW_DANGER,
	FLOW_HELP,        /* immediate help after "Danger: yes" */
	FLOW_REACH,
	FLOW_MESSAGE,
	FLOW_REVIEW,
	FLOW_SENT,
	FLOW_NOT_SENT,
	FLOW_ADMIN,       /* staff PIN entry */
	FLOW_CHANGE,      /* Review's "Change something": what to change */
	FLOW_CANCEL,      /* Review's "Cancel": are you sure? */
	FLOW_CANCELLED,   /* "Nothing was sent" */
	FLOW_CODE,        /* About 4, "I have a code": type it (SPEC §9) */
	FLOW_ANSWER,      /* the social worker's answer; write back or done */
	FLOW_NO_ANSWER,   /* wrong code and "no answer yet" alike */
	FLOW_NSCREENS
};

/* Abstract keys: the curses layer maps terminal keys onto these. */
enum flow_keycode {
	FK_NONE,
	FK_CHAR,          /* printable character, ch = code point */
	FK_ENTER,
	FK_TAB,
	FK_BTAB,
	FK_UP,
	FK_DOWN,
	FK_LEFT,
	FK_RIGHT,
	FK_HOME,
	FK_END,
	FK_BACKSPACE,
	FK_DELETE,
	FK_ESC,           /* a lone Escape */
	FK_CTRL,          /* ch = lowercase letter: Ctrl-C is 'c' */
	FK_FKEY,          /* function key, ch = its number */
	FK_OTHER          /* Alt-x, unknown sequences: harmless */
};

struct flow_key {
	enum flow_keycode code;
	uint32_t ch;
};

/* Effects returned by flow_key / flow_tick / flow_*_result (bit set). */
#define FLOW_FX_REDRAW   0x01u  /* draw the current state */
#define FLOW_FX_WIPE     0x02u  /* wipe every answer: textfields, record */
#define FLOW_FX_REPAINT  0x04u  /* clear the terminal fully (clearok) */
#define FLOW_FX_EDIT     0x08u  /* apply the key to flow_edit_target() */
#define FLOW_FX_SEND     0x10u  /* build, seal, deliver; then flow_send_result */
#define FLOW_FX_PIN      0x20u  /* verify the PIN field; then flow_pin_result */
#define FLOW_FX_EXIT     0x40u  /* admin PIN accepted: leave the program */
#define FLOW_FX_CLEAR_PIN 0x80u /* wipe the PIN field */
#define FLOW_FX_ANON    0x100u  /* wipe the student's own Reach fields */
#define FLOW_FX_OPEN_CODE 0x200u /* derive the key of the typed code, look for
                                  * an answer; then flow_code_result */
#define FLOW_FX_CLEAR_CODE 0x400u /* wipe the code field */

/* What FLOW_FX_EDIT edits. */
enum flow_target {
	FLOW_TARGET_NONE,
	FLOW_TARGET_FIELD,      /* record field flow_edit_field() */
	FLOW_TARGET_MESSAGE,
	FLOW_TARGET_PIN,
	FLOW_TARGET_CODE
};

/* Reach items: text fields, the contact-way choice, three buttons
 * (Next, Leave out my name, Back); Message: the text, Next, Back. */
#define FLOW_REACH_MAX 7
#define FLOW_COUNTDOWN_MS 20000u     /* visible "still there?" countdown */
#define FLOW_PIN_DELAY_MAX_MS 300000u

/* The staff key: F12 opens the PIN prompt; Esc there goes back to where
 * the student was, answers kept. */
#define FLOW_ADMIN_FKEY 12

/* flow_pin_result's ok for an empty PIN: nothing was tried. */
#define FLOW_PIN_EMPTY (-2)

enum flow_button { FLOW_BUTTON_NONE, FLOW_BUTTON_NEXT, FLOW_BUTTON_BACK, FLOW_BUTTON_ANON };

struct flow {
	enum flow_screen screen;
	unsigned nlang;            /* languages configured (>= 1) */
	unsigned lang;             /* chosen language index */
	unsigned ncontact;         /* contact-way options, 0 = "not chosen" extra */
	uint64_t idle_ms;
	uint64_t sent_ms;

	enum record_about about;
	enum record_danger danger;
	int via_info;              /* came to Danger from the info screen */
	int question;              /* "I just have questions" -> write a question */
	int changing;              /* came from Review's "Change something" */
	unsigned contact;          /* 0: not chosen, 1..ncontact */
	int message_empty;         /* the caller keeps it: message field empty */
	int sent_urgent;           /* the request just sent was urgent */

	unsigned sel;              /* highlighted option on choice screens */
	unsigned focus;            /* focused item on Reach / Message */

	uint64_t last_input;
	uint64_t countdown_until;  /* 0: no countdown shown */
	uint64_t sent_until;       /* Sent / Cancelled clear then */

	enum flow_screen admin_from;  /* where F12 was pressed */
	unsigned admin_sel, admin_focus;

	unsigned pin_fails;
	uint64_t pin_locked_until;
	int pin_wrong;             /* last PIN was wrong: show it */
	int pin_unset;             /* no admin PIN configured: show it */
	int edit_full;             /* last edit hit a limit (set by caller) */
	int code_malformed;        /* what was typed on Code cannot be a code */
	int need_message;          /* writing back with an empty box: say it */
};

/* What FLOW_FX_OPEN_CODE found (kiosk_open_code). */
enum flow_code_result { FLOW_CODE_MALFORMED, FLOW_CODE_NONE, FLOW_CODE_FOUND };

/* Set up at Welcome. idle_seconds 0 disables the idle timeout. */
void flow_init(struct flow *f, unsigned nlang, unsigned ncontact,
               unsigned idle_seconds, unsigned sent_seconds, uint64_t now);

/* Forget every answer (sodium_memzero) and go to Welcome. */
void flow_wipe(struct flow *f, uint64_t now);

unsigned flow_key(struct flow *f, const struct flow_key *k, uint64_t now);
unsigned flow_tick(struct flow *f, uint64_t now);
unsigned flow_send_result(struct flow *f, int ok, uint64_t now);
/* Found: the answer screen; none: the same "no answer" for every cause;
 * malformed: stay on Code and say what a code looks like. */
unsigned flow_code_result(struct flow *f, enum flow_code_result r, uint64_t now);
/* ok: 1 accepted, 0 wrong, -1 no PIN configured, FLOW_PIN_EMPTY nothing
 * typed (not counted as a try, starts no delay). */
unsigned flow_pin_result(struct flow *f, int ok, uint64_t now);

/* Number of numbered options on a choice screen (0 for other screens). */
unsigned flow_noptions(const struct flow *f);
/* Whether the screen is a numbered-choice screen. */
int flow_is_choice(enum flow_screen s);

/* Reach: number of items (fields + contact + 2 buttons), and what item i is. */
unsigned flow_reach_nfields(const struct flow *f);   /* text fields + contact */
enum record_field flow_reach_field(const struct flow *f, unsigned i);
enum flow_button flow_button_at(const struct flow *f);

enum flow_target flow_edit_target(const struct flow *f);
enum record_field flow_edit_field(const struct flow *f);

/* Which lead line goes above a screen's body, or NULL: the Danger
 * question for this path, the help screen's urgent / not-sure line, what
 * happens after Sent, the friend path's note on Reach. A key of the
 * screen's file. */
const char *flow_lead_key(const struct flow *f);

/* Seconds left on the idle countdown (0 when none is shown). */
unsigned flow_countdown_left(const struct flow *f, uint64_t now);
/* Seconds left before another PIN try is accepted. */
unsigned flow_pin_wait(const struct flow *f, uint64_t now);

/* Whether a key still counts while the window is too small to show the
 * flow: the quick exit, F12 and the staff PIN prompt work (IT must be able
 * to stop a kiosk on a small terminal); answers are never typed blind. */
int flow_key_works_small(const struct flow *f, const struct flow_key *k);

/* Whether a typed message holds nothing but spaces and line breaks (any
 * Unicode space): such a message counts as none and is not sent. */
int flow_message_blank(const char *s, size_t len);

/* What the PIN prompt says under the field. */
enum flow_pin_note {
	FLOW_PIN_NOTE_NONE,
	FLOW_PIN_NOTE_UNSET,       /* no admin PIN configured */
	FLOW_PIN_NOTE_WRONG_WAIT,  /* wrong, try again in flow_pin_wait() s */
	FLOW_PIN_NOTE_WRONG,       /* wrong, and the wait is over: no seconds */
	FLOW_PIN_NOTE_WAIT         /* still locked from earlier tries */
};
enum flow_pin_note flow_pin_note(const struct flow *f, uint64_t now);

/* Help bar, generated from the action table. */
enum flow_help_text {
	FLOW_HELP_QUICK_EXIT,
	FLOW_HELP_LANGUAGE,
	FLOW_HELP_CHOOSE,
	FLOW_HELP_BACK,
	FLOW_HELP_MOVE,
	FLOW_HELP_NEXT_FIELD,
	FLOW_HELP_PREV_FIELD,
	FLOW_HELP_ANONYMOUS,
	FLOW_HELP_NEWLINE,
	FLOW_HELP_BUTTONS,
	FLOW_HELP_PRESS,           /* Enter on a focused button */
	FLOW_HELP_OK,
	FLOW_HELP_START_OVER,
	FLOW_HELP_CONTACT,         /* left/right on the contact choice */
	FLOW_HELP_NEXT,            /* Enter on an empty message goes on */
	FLOW_HELP_MORE_TIME,       /* any key on Sent keeps it longer */
	FLOW_HELP_NTEXTS
};

struct flow_help_item {
	char keyname[16];          /* "Esc", "1-3", "Shift-Tab" */
	enum flow_help_text text;
};

#define FLOW_HELP_MAX 8
/* Fills items for the current screen and focus; returns how many. */
size_t flow_help(const struct flow *f, struct flow_help_item *items, size_t max);
/* Key in the screens' common file for a help text: "help-quick-exit". */
const char *flow_help_key(enum flow_help_text t);

const char *flow_screen_name(enum flow_screen s);

#endif
