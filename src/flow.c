/*
 * The student flow (SPEC §3) as a pure state machine.
 *
 * Decisions: every key goes through one action table (keys, the screens
 * they work on, what they do, their help text), so the help bar cannot
 * disagree with the dispatch. Arriving at Welcome always forgets every
 * answer. The idle countdown is FLOW_COUNTDOWN_MS long after idle_ms of no
 * keys; any key cancels it. PIN failures survive a wipe, so quick exit does
 * not reset the growing delay.
 *
 * Non-goals: no drawing, no text editing (the caller owns textfields and
 * applies FLOW_FX_EDIT), no clock reads.
 */
#include <string.h>
#include <stdio.h>
#include <sodium.h>

#include "safeharbor/flow.h"
#include "safeharbor/textfield.h"

#define BIT(s) (1u << (s))
#define ALL ((1u << FLOW_NSCREENS) - 1u)
#define CHOICE (BIT(FLOW_WELCOME) | BIT(FLOW_ABOUT) | BIT(FLOW_INFO) | BIT(FLOW_DANGER) | \
                BIT(FLOW_HELP) | BIT(FLOW_REVIEW) | BIT(FLOW_NOT_SENT) | BIT(FLOW_CHANGE) | \
                BIT(FLOW_CANCEL) | BIT(FLOW_ANSWER) | BIT(FLOW_NO_ANSWER))
#define TIMED (BIT(FLOW_SENT) | BIT(FLOW_CANCELLED))
#define CHOICE_BACK (CHOICE & ~BIT(FLOW_WELCOME))

enum action {
	A_QUICK_EXIT,
	A_ADMIN,
	A_PICK,
	A_BACK,
	A_PREV,
	A_NEXT,
	A_ACTIVATE,
	A_NEXT_FIELD,
	A_PREV_FIELD,
	A_FIELD_ENTER,
	A_ANON,
	A_PIN_OK,
	A_START_OVER,
	A_ADMIN_LEAVE,
	A_CONTACT_PREV,
	A_CONTACT_NEXT,
	A_CODE_ENTER
};

/* On Reach/Message, which focus a row needs: ON_TEXT a text box (on
 * Message: holding text), ON_EMPTY the empty message, ON_CONTACT the
 * contact-way choice, ON_BUTTON a button. */
enum focus_when { ANY_FOCUS, ON_TEXT, ON_EMPTY, ON_CONTACT, ON_BUTTON };

struct action_row {
	enum flow_keycode code;
	uint32_t lo, hi;           /* FK_CHAR / FK_CTRL range */
	unsigned screens;
	enum action action;
	const char *keyname;       /* NULL: works, but not shown in the help bar */
	enum flow_help_text help;
	enum focus_when when;      /* on Reach/Message: which focus it needs */
};

/* The one table. Order matters: first match wins; help follows it. */
static const struct action_row actions[] = {
	{ FK_ESC, 0, 0, BIT(FLOW_ADMIN), A_ADMIN_LEAVE, "Esc", FLOW_HELP_BACK, ANY_FOCUS },
	{ FK_ESC, 0, 0, ALL & ~BIT(FLOW_ADMIN), A_QUICK_EXIT, "Esc", FLOW_HELP_QUICK_EXIT, ANY_FOCUS },
	{ FK_CTRL, 'c', 'c', ALL, A_QUICK_EXIT, NULL, FLOW_HELP_QUICK_EXIT, ANY_FOCUS },
	{ FK_FKEY, FLOW_ADMIN_FKEY, FLOW_ADMIN_FKEY, ALL, A_ADMIN, NULL, FLOW_HELP_OK, ANY_FOCUS },
	{ FK_CHAR, '1', '9', BIT(FLOW_WELCOME), A_PICK, "1-N", FLOW_HELP_LANGUAGE, ANY_FOCUS },
	{ FK_CHAR, '1', '9', CHOICE_BACK, A_PICK, "1-N", FLOW_HELP_CHOOSE, ANY_FOCUS },
	{ FK_CHAR, '0', '0', CHOICE_BACK, A_BACK, "0", FLOW_HELP_BACK, ANY_FOCUS },
	{ FK_UP, 0, 0, CHOICE, A_PREV, "\u2191\u2193", FLOW_HELP_MOVE, ANY_FOCUS },
	{ FK_DOWN, 0, 0, CHOICE, A_NEXT, NULL, FLOW_HELP_MOVE, ANY_FOCUS },
	{ FK_ENTER, 0, 0, CHOICE, A_ACTIVATE, "Enter", FLOW_HELP_OK, ANY_FOCUS },
	{ FK_ENTER, 0, 0, BIT(FLOW_REACH), A_FIELD_ENTER, "Enter", FLOW_HELP_NEXT_FIELD, ON_TEXT },
	{ FK_ENTER, 0, 0, BIT(FLOW_REACH), A_FIELD_ENTER, "Enter", FLOW_HELP_NEXT_FIELD, ON_CONTACT },
	{ FK_ENTER, 0, 0, BIT(FLOW_REACH), A_FIELD_ENTER, "Enter", FLOW_HELP_PRESS, ON_BUTTON },
	{ FK_LEFT, 0, 0, BIT(FLOW_REACH), A_CONTACT_PREV, "\u2190\u2192", FLOW_HELP_CONTACT, ON_CONTACT },
	{ FK_RIGHT, 0, 0, BIT(FLOW_REACH), A_CONTACT_NEXT, NULL, FLOW_HELP_CONTACT, ON_CONTACT },
	{ FK_TAB, 0, 0, BIT(FLOW_REACH), A_NEXT_FIELD, "Tab", FLOW_HELP_NEXT_FIELD, ANY_FOCUS },
	{ FK_TAB, 0, 0, BIT(FLOW_MESSAGE) | BIT(FLOW_CODE), A_NEXT_FIELD, "Tab", FLOW_HELP_BUTTONS,
	  ANY_FOCUS },
	{ FK_ENTER, 0, 0, BIT(FLOW_CODE), A_CODE_ENTER, "Enter", FLOW_HELP_OK, ANY_FOCUS },
	{ FK_BTAB, 0, 0, BIT(FLOW_REACH) | BIT(FLOW_MESSAGE) | BIT(FLOW_CODE), A_PREV_FIELD, "Shift-Tab",
	  FLOW_HELP_PREV_FIELD, ANY_FOCUS },
	{ FK_DOWN, 0, 0, BIT(FLOW_REACH), A_NEXT_FIELD, NULL, FLOW_HELP_NEXT_FIELD, ANY_FOCUS },
	{ FK_UP, 0, 0, BIT(FLOW_REACH), A_PREV_FIELD, NULL, FLOW_HELP_PREV_FIELD, ANY_FOCUS },
	{ FK_ENTER, 0, 0, BIT(FLOW_MESSAGE), A_FIELD_ENTER, "Enter", FLOW_HELP_NEXT, ON_EMPTY },
	{ FK_ENTER, 0, 0, BIT(FLOW_MESSAGE), A_FIELD_ENTER, "Enter", FLOW_HELP_NEWLINE, ON_TEXT },
	{ FK_ENTER, 0, 0, BIT(FLOW_MESSAGE), A_FIELD_ENTER, "Enter", FLOW_HELP_PRESS, ON_BUTTON },
	{ FK_CTRL, 'n', 'n', BIT(FLOW_REACH), A_ANON, "Ctrl-N", FLOW_HELP_ANONYMOUS, ANY_FOCUS },
	{ FK_ENTER, 0, 0, BIT(FLOW_ADMIN), A_PIN_OK, "Enter", FLOW_HELP_OK, ANY_FOCUS },
	{ FK_ENTER, 0, 0, TIMED, A_START_OVER, "Enter", FLOW_HELP_START_OVER, ANY_FOCUS },
};

/* Shown in the help bar of Sent / Cancelled, handled by unbound(). */
static const struct flow_help_item more_time = { "", FLOW_HELP_MORE_TIME };

static const char *const help_keys[FLOW_HELP_NTEXTS] = {
	[FLOW_HELP_QUICK_EXIT] = "help-quick-exit",
	[FLOW_HELP_LANGUAGE] = "help-language",
	[FLOW_HELP_CHOOSE] = "help-choose",
	[FLOW_HELP_BACK] = "help-back",
	[FLOW_HELP_MOVE] = "help-move",
	[FLOW_HELP_NEXT_FIELD] = "help-next-field",
	[FLOW_HELP_PREV_FIELD] = "help-prev-field",
	[FLOW_HELP_ANONYMOUS] = "help-anonymous",
	[FLOW_HELP_NEWLINE] = "help-newline",
	[FLOW_HELP_BUTTONS] = "help-buttons",
	[FLOW_HELP_PRESS] = "help-press",
	[FLOW_HELP_OK] = "help-ok",
	[FLOW_HELP_START_OVER] = "help-start-over",
	[FLOW_HELP_CONTACT] = "help-contact",
	[FLOW_HELP_NEXT] = "help-next",
	[FLOW_HELP_MORE_TIME] = "help-more-time",
};

static const char *const screen_names[FLOW_NSCREENS] = {
	"welcome", "about", "info", "danger", "help", "reach", "message",
	"review", "sent", "notsent", "admin", "change", "cancel", "cancelled",
	"code", "answer", "noanswer",
};

static const enum record_field self_fields[] = {
	RECORD_NAME, RECORD_GRADE, RECORD_TEACHER, RECORD_BEST_TIME, RECORD_CONTACT_WAY,
};
static const enum record_field friend_fields[] = {
	RECORD_FRIEND_NAME, RECORD_FRIEND_GRADE, RECORD_NAME, RECORD_GRADE,
	RECORD_TEACHER, RECORD_BEST_TIME, RECORD_CONTACT_WAY,
};

const char *
flow_help_key(enum flow_help_text t)
{
	return (unsigned)t < FLOW_HELP_NTEXTS ? help_keys[t] : "";
}

const char *
flow_lead_key(const struct flow *f)
{
	switch (f->screen) {
	case FLOW_DANGER:
		return f->about == RECORD_ABOUT_FRIEND ? "ask-friend" :
		       f->about == RECORD_ABOUT_SELF || f->about == RECORD_ABOUT_REPLY ? "ask-self" :
		       "ask-info";
	case FLOW_HELP:
		return f->danger == RECORD_DANGER_YES ? "lead-urgent" : "lead-unsure";
	case FLOW_REACH:
		return f->about == RECORD_ABOUT_FRIEND ? "lead-friend" : NULL;
	case FLOW_MESSAGE:
		return f->about == RECORD_ABOUT_REPLY ? "lead-reply" :
		       f->question ? "lead-question" : NULL;
	case FLOW_SENT:
		return f->sent_urgent ? "next-urgent" : "next";
	default:
		return NULL;
	}
}

const char *
flow_screen_name(enum flow_screen s)
{
	return (unsigned)s < FLOW_NSCREENS ? screen_names[s] : "";
}

int
flow_is_choice(enum flow_screen s)
{
	return (CHOICE & BIT(s)) != 0;
}

unsigned
flow_noptions(const struct flow *f)
{
	switch (f->screen) {
	case FLOW_WELCOME: return f->nlang;
	case FLOW_ABOUT: return 4;
	case FLOW_ANSWER: return 2;
	case FLOW_NO_ANSWER: return 2;
	case FLOW_INFO: return 3;
	case FLOW_DANGER: return 3;
	case FLOW_HELP: return 1;
	case FLOW_REVIEW: return 3;
	case FLOW_NOT_SENT: return 2;
	case FLOW_CHANGE: return 4;
	case FLOW_CANCEL: return 2;
	default: return 0;
	}
}

unsigned
flow_reach_nfields(const struct flow *f)
{
	return f->about == RECORD_ABOUT_FRIEND ?
	       (unsigned)(sizeof friend_fields / sizeof friend_fields[0]) :
	       (unsigned)(sizeof self_fields / sizeof self_fields[0]);
}

enum record_field
flow_reach_field(const struct flow *f, unsigned i)
{
	if (i >= flow_reach_nfields(f))
		return RECORD_NFIELDS;
	return f->about == RECORD_ABOUT_FRIEND ? friend_fields[i] : self_fields[i];
}

enum flow_button
flow_button_at(const struct flow *f)
{
	unsigned n;

	if (f->screen == FLOW_REACH)
		n = flow_reach_nfields(f);
	else if (f->screen == FLOW_MESSAGE || f->screen == FLOW_CODE)
		n = 1;
	else
		return FLOW_BUTTON_NONE;
	if (f->focus == n)
		return FLOW_BUTTON_NEXT;
	if (f->screen == FLOW_REACH && f->focus == n + 1)
		return FLOW_BUTTON_ANON;
	if (f->focus == n + 1 + (f->screen == FLOW_REACH))
		return FLOW_BUTTON_BACK;
	return FLOW_BUTTON_NONE;
}

enum flow_target
flow_edit_target(const struct flow *f)
{
	switch (f->screen) {
	case FLOW_REACH:
		if (f->focus < flow_reach_nfields(f) &&
		    flow_reach_field(f, f->focus) != RECORD_CONTACT_WAY)
			return FLOW_TARGET_FIELD;
		return FLOW_TARGET_NONE;
	case FLOW_MESSAGE:
		return f->focus == 0 ? FLOW_TARGET_MESSAGE : FLOW_TARGET_NONE;
	case FLOW_ADMIN:
		return FLOW_TARGET_PIN;
	case FLOW_CODE:
		return f->focus == 0 ? FLOW_TARGET_CODE : FLOW_TARGET_NONE;
	default:
		return FLOW_TARGET_NONE;
	}
}

enum record_field
flow_edit_field(const struct flow *f)
{
	if (flow_edit_target(f) != FLOW_TARGET_FIELD)
		return RECORD_NFIELDS;
	return flow_reach_field(f, f->focus);
}

unsigned
flow_countdown_left(const struct flow *f, uint64_t now)
{
	if (f->countdown_until == 0 || now >= f->countdown_until)
		return 0;
	return (unsigned)((f->countdown_until - now + 999) / 1000);
}

unsigned
flow_pin_wait(const struct flow *f, uint64_t now)
{
	if (now >= f->pin_locked_until)
		return 0;
	return (unsigned)((f->pin_locked_until - now + 999) / 1000);
}

static int
is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xa0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

int
flow_message_blank(const char *s, size_t len)
{
	size_t pos = 0, n;
	uint32_t cp;

	while (pos < len) {
		n = textfield_utf8_decode(s + pos, len - pos, &cp);
		if (n == 0 || !is_space(cp))
			return 0;
		pos += n;
	}
	return 1;
}

enum flow_pin_note
flow_pin_note(const struct flow *f, uint64_t now)
{
	if (f->pin_unset)
		return FLOW_PIN_NOTE_UNSET;
	if (f->pin_wrong)
		return flow_pin_wait(f, now) > 0 ? FLOW_PIN_NOTE_WRONG_WAIT : FLOW_PIN_NOTE_WRONG;
	return flow_pin_wait(f, now) > 0 ? FLOW_PIN_NOTE_WAIT : FLOW_PIN_NOTE_NONE;
}

static void
go(struct flow *f, enum flow_screen s)
{
	f->screen = s;
	f->sel = 0;
	f->focus = 0;
	f->edit_full = 0;
	f->need_message = 0;
}

/* Forget answers but keep the screen, language and PIN rate limit. */
static void
forget(struct flow *f)
{
	sodium_memzero(&f->about, sizeof f->about);
	sodium_memzero(&f->danger, sizeof f->danger);
	f->about = RECORD_ABOUT_SELF;
	f->danger = RECORD_DANGER_NO;
	f->via_info = 0;
	f->question = 0;
	f->changing = 0;
	f->contact = 0;
	f->message_empty = 1;
	f->code_malformed = 0;
}

void
flow_init(struct flow *f, unsigned nlang, unsigned ncontact,
          unsigned idle_seconds, unsigned sent_seconds, uint64_t now)
{
	sodium_memzero(f, sizeof *f);
	f->nlang = nlang == 0 ? 1 : nlang;
	f->ncontact = ncontact;
	f->idle_ms = (uint64_t)idle_seconds * 1000u;
	f->sent_ms = (uint64_t)sent_seconds * 1000u;
	forget(f);
	go(f, FLOW_WELCOME);
	f->last_input = now;
}

void
flow_wipe(struct flow *f, uint64_t now)
{
	forget(f);
	f->lang = 0;
	f->countdown_until = 0;
	f->sent_until = 0;
	f->sent_urgent = 0;
	f->pin_wrong = 0;
	f->pin_unset = 0;
	f->last_input = now;
	go(f, FLOW_WELCOME);
}

static unsigned
wipe_fx(struct flow *f, uint64_t now)
{
	flow_wipe(f, now);
	return FLOW_FX_WIPE | FLOW_FX_REPAINT | FLOW_FX_REDRAW | FLOW_FX_CLEAR_PIN;
}

/* Back to Welcome, answers wiped, in the language chosen there. */
static unsigned
to_welcome(struct flow *f, uint64_t now)
{
	unsigned lang = f->lang;
	unsigned fx = wipe_fx(f, now);

	f->lang = lang;
	f->sel = lang;
	return fx;
}

/* After Danger (and its help): the student's boxes, or for a write-back
 * the message (she is known by her code). */
static enum flow_screen
after_danger(const struct flow *f)
{
	return f->about == RECORD_ABOUT_REPLY ? FLOW_MESSAGE : FLOW_REACH;
}

/* Where a step goes on to: straight back to Review when the student came
 * from "Change something". */
static void
go_on(struct flow *f, enum flow_screen next)
{
	go(f, f->changing ? FLOW_REVIEW : next);
	if (f->screen == FLOW_REVIEW)
		f->changing = 0;
}

static unsigned
back(struct flow *f, uint64_t now)
{
	if (f->changing && f->screen != FLOW_HELP) {
		f->changing = 0;
		go(f, f->about == RECORD_ABOUT_REPLY ? FLOW_REVIEW : FLOW_CHANGE);
		return FLOW_FX_REDRAW;
	}
	switch (f->screen) {
	case FLOW_ABOUT:
		return to_welcome(f, now);
	case FLOW_SENT:
	case FLOW_CANCELLED:
		return wipe_fx(f, now);
	case FLOW_INFO:
		go(f, FLOW_ABOUT);
		break;
	case FLOW_DANGER:
		go(f, f->about == RECORD_ABOUT_REPLY ? FLOW_ANSWER :
		      f->via_info ? FLOW_INFO : FLOW_ABOUT);
		break;
	case FLOW_HELP:
		go(f, FLOW_DANGER);
		break;
	case FLOW_REACH:
		go(f, f->danger != RECORD_DANGER_NO ? FLOW_HELP : FLOW_DANGER);
		break;
	case FLOW_MESSAGE:
		/* writing back has no Reach: back to the Danger question
		 * (or its help), and from there to the answer */
		if (f->about == RECORD_ABOUT_REPLY)
			go(f, f->danger != RECORD_DANGER_NO ? FLOW_HELP : FLOW_DANGER);
		else
			go(f, FLOW_REACH);
		break;
	case FLOW_REVIEW:
		go(f, FLOW_MESSAGE);
		break;
	case FLOW_CODE:
		go(f, FLOW_ABOUT);
		return FLOW_FX_REDRAW | FLOW_FX_CLEAR_CODE;
	case FLOW_NO_ANSWER:
		go(f, FLOW_CODE);
		return FLOW_FX_REDRAW | FLOW_FX_CLEAR_CODE;
	case FLOW_ANSWER:
		return to_welcome(f, now);
	case FLOW_NOT_SENT:
	case FLOW_CHANGE:
	case FLOW_CANCEL:
		go(f, FLOW_REVIEW);
		break;
	default:
		return 0;
	}
	return FLOW_FX_REDRAW;
}

static unsigned
pick(struct flow *f, unsigned n, uint64_t now)
{
	if (n >= flow_noptions(f))
		return 0;
	switch (f->screen) {
	case FLOW_WELCOME:
		/* another language first shows Welcome in it: its words on
		 * privacy are read before anything is asked; the language
		 * shown goes on */
		if (n != f->lang) {
			f->lang = n;
			f->sel = n;
			return FLOW_FX_REDRAW;
		}
		go(f, FLOW_ABOUT);
		break;
	case FLOW_ABOUT:
		f->via_info = 0;
		f->question = 0;
		f->changing = 0;
		if (n == 3) {
			go(f, FLOW_CODE);
			return FLOW_FX_REDRAW | FLOW_FX_CLEAR_CODE;
		} else if (n == 2) {
			f->about = RECORD_ABOUT_INFO;
			go(f, FLOW_INFO);
		} else {
			f->about = n == 0 ? RECORD_ABOUT_SELF : RECORD_ABOUT_FRIEND;
			go(f, FLOW_DANGER);
		}
		break;
	case FLOW_INFO:
		if (n == 2)
			return to_welcome(f, now);
		f->via_info = 1;
		f->question = n == 0;
		go(f, FLOW_DANGER);
		break;
	case FLOW_DANGER:
		f->danger = n == 0 ? RECORD_DANGER_YES : n == 1 ? RECORD_DANGER_NO : RECORD_DANGER_UNSURE;
		/* "yes" and "not sure" both show who to call now */
		if (f->danger == RECORD_DANGER_NO)
			go_on(f, after_danger(f));
		else
			go(f, FLOW_HELP);
		break;
	case FLOW_HELP:
		go_on(f, after_danger(f));
		break;
	case FLOW_REVIEW:
		if (n == 0 && f->about == RECORD_ABOUT_REPLY && f->message_empty) {
			/* an empty write-back says nothing: never sent */
			go(f, FLOW_MESSAGE);
			f->changing = 1;
			f->need_message = 1;
			break;
		}
		if (n == 0)
			return FLOW_FX_SEND | FLOW_FX_REDRAW;
		if (n == 1 && f->about == RECORD_ABOUT_REPLY) {
			/* an answer has only its message to change */
			f->changing = 1;
			go(f, FLOW_MESSAGE);
			break;
		}
		go(f, n == 1 ? FLOW_CHANGE : FLOW_CANCEL);
		break;
	case FLOW_ANSWER:
		if (n == 1)
			return to_welcome(f, now);
		/* writing back: the Danger question (so a student in danger
		 * now is urgent), then a message; no Reach: the kiosk keeps
		 * the code's key */
		f->about = RECORD_ABOUT_REPLY;
		f->danger = RECORD_DANGER_NO;
		go(f, FLOW_DANGER);
		break;
	case FLOW_NO_ANSWER:
		if (n == 1)
			return to_welcome(f, now);
		go(f, FLOW_CODE);
		return FLOW_FX_REDRAW | FLOW_FX_CLEAR_CODE;
	case FLOW_CHANGE:
		/* who it is about changes the boxes: once picked, the whole way
		 * again (About clears changing); back from About returns here */
		f->changing = 1;
		if (n == 0) {
			go(f, FLOW_ABOUT);
			break;
		}
		go(f, n == 1 ? FLOW_DANGER : n == 2 ? FLOW_REACH : FLOW_MESSAGE);
		break;
	case FLOW_CANCEL:
		if (n == 1) {
			go(f, FLOW_REVIEW);
			break;
		}
		forget(f);
		go(f, FLOW_CANCELLED);
		f->sent_until = now + f->sent_ms;
		return FLOW_FX_WIPE | FLOW_FX_REPAINT | FLOW_FX_REDRAW;
	case FLOW_NOT_SENT:
		if (n == 0)
			return FLOW_FX_SEND | FLOW_FX_REDRAW;
		return wipe_fx(f, now);
	default:
		return 0;
	}
	return FLOW_FX_REDRAW;
}

static unsigned
nitems(const struct flow *f)
{
	if (f->screen == FLOW_REACH)
		return flow_reach_nfields(f) + 3;
	if (f->screen == FLOW_MESSAGE || f->screen == FLOW_CODE)
		return 3;
	return 1;
}

/* "Leave out my name": wipe the student's own boxes, go on. */
static unsigned
anon(struct flow *f)
{
	f->contact = 0;
	go_on(f, FLOW_MESSAGE);
	return FLOW_FX_ANON | FLOW_FX_REDRAW;
}

static unsigned
field_enter(struct flow *f, uint64_t now)
{
	enum flow_button b = flow_button_at(f);
	unsigned nf;

	if (b == FLOW_BUTTON_BACK)
		return back(f, now);
	if (b == FLOW_BUTTON_ANON)
		return anon(f);
	if (f->screen == FLOW_MESSAGE) {
		if (f->about == RECORD_ABOUT_REPLY && f->message_empty &&
		    (b == FLOW_BUTTON_NEXT || b == FLOW_BUTTON_NONE)) {
			f->need_message = 1;     /* a write-back needs words */
			return FLOW_FX_REDRAW;
		}
		if (b == FLOW_BUTTON_NEXT || f->message_empty) {
			go_on(f, FLOW_REVIEW);
			return FLOW_FX_REDRAW;
		}
		return FLOW_FX_EDIT | FLOW_FX_REDRAW;     /* a new line */
	}
	nf = flow_reach_nfields(f);
	if (b == FLOW_BUTTON_NEXT || f->focus + 1 >= nf) {
		go_on(f, FLOW_MESSAGE);
		return FLOW_FX_REDRAW;
	}
	f->focus++;
	return FLOW_FX_REDRAW;
}

static int
on_contact(const struct flow *f)
{
	return f->screen == FLOW_REACH && f->focus < flow_reach_nfields(f) &&
	       flow_reach_field(f, f->focus) == RECORD_CONTACT_WAY;
}

/* Keys no table row claims: text editing, the contact choice, buttons,
 * more time on Sent. */
static unsigned
unbound(struct flow *f, const struct flow_key *k, uint64_t now)
{
	enum flow_button b = flow_button_at(f);

	if (TIMED & BIT(f->screen)) {
		f->sent_until = now + f->sent_ms;
		return FLOW_FX_REDRAW;
	}
	if (b != FLOW_BUTTON_NONE) {
		unsigned first = nitems(f) - (f->screen == FLOW_REACH ? 3 : 2);
		unsigned nb = nitems(f) - first;
		if (k->code == FK_RIGHT) {
			f->focus = first + (f->focus - first + 1) % nb;
			return FLOW_FX_REDRAW;
		}
		if (k->code == FK_LEFT) {
			f->focus = first + (f->focus - first + nb - 1) % nb;
			return FLOW_FX_REDRAW;
		}
		return 0;
	}
	if (on_contact(f)) {
		unsigned n = f->ncontact + 1;
		if (k->code == FK_CHAR && k->ch == ' ') {
			f->contact = (f->contact + 1) % n;
			return FLOW_FX_REDRAW;
		}
		if (k->code == FK_BACKSPACE || k->code == FK_DELETE) {
			f->contact = 0;
			return FLOW_FX_REDRAW;
		}
		return 0;
	}
	if (flow_edit_target(f) == FLOW_TARGET_NONE)
		return 0;
	switch (k->code) {
	case FK_CHAR:
	case FK_BACKSPACE:
	case FK_DELETE:
	case FK_LEFT:
	case FK_RIGHT:
	case FK_HOME:
	case FK_END:
		return FLOW_FX_EDIT | FLOW_FX_REDRAW;
	case FK_UP:
	case FK_DOWN:
		return f->screen == FLOW_MESSAGE ? FLOW_FX_EDIT | FLOW_FX_REDRAW : 0;
	default:
		return 0;
	}
}

static int
row_applies(const struct flow *f, const struct action_row *a)
{
	if ((a->screens & BIT(f->screen)) == 0)
		return 0;
	switch (a->when) {
	case ON_TEXT:
		return flow_button_at(f) == FLOW_BUTTON_NONE && !on_contact(f) &&
		       !(f->screen == FLOW_MESSAGE && f->message_empty);
	case ON_EMPTY: return flow_button_at(f) == FLOW_BUTTON_NONE && f->message_empty;
	case ON_CONTACT: return on_contact(f);
	case ON_BUTTON: return flow_button_at(f) != FLOW_BUTTON_NONE;
	case ANY_FOCUS: break;
	}
	return 1;
}

static const struct action_row *
lookup(const struct flow *f, const struct flow_key *k)
{
	size_t i;

	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		const struct action_row *a = &actions[i];
		if (a->code != k->code || !row_applies(f, a))
			continue;
		if ((k->code == FK_CHAR || k->code == FK_CTRL || k->code == FK_FKEY) && (k->ch < a->lo || k->ch > a->hi))
			continue;
		return a;
	}
	return NULL;
}

int
flow_key_works_small(const struct flow *f, const struct flow_key *k)
{
	const struct action_row *a;

	if (f->screen == FLOW_ADMIN)
		return 1;
	a = lookup(f, k);
	return a != NULL && (a->action == A_QUICK_EXIT || a->action == A_ADMIN);
}

unsigned
flow_key(struct flow *f, const struct flow_key *k, uint64_t now)
{
	const struct action_row *a;
	unsigned n = nitems(f);

	f->last_input = now;
	f->need_message = 0;
	a = lookup(f, k);
	if (f->countdown_until != 0) {
		f->countdown_until = 0;
		if (a == NULL || a->action != A_QUICK_EXIT)
			return FLOW_FX_REDRAW;   /* "still here": the key only cancels */
	}
	if (a == NULL)
		return unbound(f, k, now);
	/* On Reach and Message, focus decides what some keys mean. */
	switch (a->action) {
	case A_QUICK_EXIT:
		return wipe_fx(f, now);
	case A_ADMIN:
		if (f->screen == FLOW_ADMIN)
			return 0;
		f->admin_from = f->screen;
		f->admin_sel = f->sel;
		f->admin_focus = f->focus;
		go(f, FLOW_ADMIN);
		f->pin_wrong = 0;
		return FLOW_FX_REDRAW | FLOW_FX_CLEAR_PIN;
	case A_ADMIN_LEAVE:
		go(f, f->admin_from);
		f->sel = f->admin_sel;
		f->focus = f->admin_focus;
		f->pin_wrong = 0;
		f->pin_unset = 0;
		return FLOW_FX_REDRAW | FLOW_FX_CLEAR_PIN;
	case A_CONTACT_PREV:
		f->contact = (f->contact + f->ncontact) % (f->ncontact + 1);
		return FLOW_FX_REDRAW;
	case A_CONTACT_NEXT:
		f->contact = (f->contact + 1) % (f->ncontact + 1);
		return FLOW_FX_REDRAW;
	case A_PICK:
		return pick(f, k->ch - '1', now);
	case A_BACK:
		return back(f, now);
	case A_PREV:
		if (flow_noptions(f) > 0)
			f->sel = (f->sel + flow_noptions(f) - 1) % flow_noptions(f);
		return FLOW_FX_REDRAW;
	case A_NEXT:
		if (flow_noptions(f) > 0)
			f->sel = (f->sel + 1) % flow_noptions(f);
		return FLOW_FX_REDRAW;
	case A_ACTIVATE:
		return pick(f, f->sel, now);
	case A_NEXT_FIELD:
		f->focus = (f->focus + 1) % n;
		return FLOW_FX_REDRAW;
	case A_PREV_FIELD:
		f->focus = (f->focus + n - 1) % n;
		return FLOW_FX_REDRAW;
	case A_FIELD_ENTER:
		return field_enter(f, now);
	case A_ANON:
		return anon(f);
	case A_CODE_ENTER:
		if (flow_button_at(f) == FLOW_BUTTON_BACK)
			return back(f, now);
		return FLOW_FX_OPEN_CODE | FLOW_FX_REDRAW;
	case A_PIN_OK:
		if (now < f->pin_locked_until)
			return FLOW_FX_CLEAR_PIN | FLOW_FX_REDRAW;   /* too soon: not even tried */
		return FLOW_FX_PIN | FLOW_FX_REDRAW;
	case A_START_OVER:
		return wipe_fx(f, now);
	}
	return 0;
}

unsigned
flow_tick(struct flow *f, uint64_t now)
{
	if (TIMED & BIT(f->screen)) {
		if (now >= f->sent_until)
			return wipe_fx(f, now);
		return 0;
	}
	if (f->countdown_until != 0) {
		if (now >= f->countdown_until)
			return wipe_fx(f, now);
		return FLOW_FX_REDRAW;
	}
	if (f->screen == FLOW_ADMIN && now < f->pin_locked_until + 1000u)
		return FLOW_FX_REDRAW;
	if (f->idle_ms == 0)
		return 0;
	if (f->screen == FLOW_WELCOME) {
		/* nothing to hide there, but the next student finds Welcome in
		 * the first language again */
		if (f->lang != 0 && now >= f->last_input && now - f->last_input >= f->idle_ms)
			return wipe_fx(f, now);
		return 0;
	}
	if (now >= f->last_input && now - f->last_input >= f->idle_ms) {
		f->countdown_until = now + FLOW_COUNTDOWN_MS;
		return FLOW_FX_REDRAW;
	}
	return 0;
}

unsigned
flow_send_result(struct flow *f, int ok, uint64_t now)
{
	int urgent;

	f->last_input = now;
	if (!ok) {
		go(f, FLOW_NOT_SENT);
		return FLOW_FX_REDRAW;
	}
	urgent = f->danger == RECORD_DANGER_YES;
	forget(f);
	go(f, FLOW_SENT);
	f->sent_urgent = urgent;
	f->sent_until = now + f->sent_ms;
	return FLOW_FX_WIPE | FLOW_FX_REPAINT | FLOW_FX_REDRAW;
}

unsigned
flow_code_result(struct flow *f, enum flow_code_result r, uint64_t now)
{
	f->last_input = now;
	if (f->screen != FLOW_CODE)
		return 0;
	f->code_malformed = r == FLOW_CODE_MALFORMED;
	if (r == FLOW_CODE_MALFORMED)
		return FLOW_FX_REDRAW;
	/* what was typed is not needed any more: the kiosk holds the key */
	go(f, r == FLOW_CODE_FOUND ? FLOW_ANSWER : FLOW_NO_ANSWER);
	return FLOW_FX_REDRAW | FLOW_FX_CLEAR_CODE | FLOW_FX_REPAINT;
}

unsigned
flow_pin_result(struct flow *f, int ok, uint64_t now)
{
	uint64_t delay;
	unsigned shift;

	if (f->screen != FLOW_ADMIN)
		return FLOW_FX_CLEAR_PIN;
	if (ok > 0) {
		f->pin_fails = 0;
		return FLOW_FX_EXIT | FLOW_FX_CLEAR_PIN;
	}
	if (ok == FLOW_PIN_EMPTY) {
		f->pin_wrong = 0;
		return FLOW_FX_CLEAR_PIN | FLOW_FX_REDRAW;
	}
	if (ok < 0) {
		f->pin_unset = 1;
		return FLOW_FX_CLEAR_PIN | FLOW_FX_REDRAW;
	}
	f->pin_fails++;
	shift = f->pin_fails > 20 ? 19 : f->pin_fails - 1;
	delay = (uint64_t)1000u << shift;
	if (delay > FLOW_PIN_DELAY_MAX_MS)
		delay = FLOW_PIN_DELAY_MAX_MS;
	f->pin_locked_until = now + delay;
	f->pin_wrong = 1;
	return FLOW_FX_CLEAR_PIN | FLOW_FX_REDRAW;
}

size_t
flow_help(const struct flow *f, struct flow_help_item *items, size_t max)
{
	size_t i, j, n = 0;
	for (i = 0; i < sizeof actions / sizeof actions[0] && n < max; i++) {
		const struct action_row *a = &actions[i];
		int dup = 0;
		if (a->keyname == NULL || !row_applies(f, a))
			continue;
		/* an empty write-back does not go on (field_enter) */
		if (a->help == FLOW_HELP_NEXT && f->about == RECORD_ABOUT_REPLY)
			continue;
		for (j = 0; j < n; j++)
			if (items[j].text == a->help)
				dup = 1;
		if (dup)
			continue;
		if (strcmp(a->keyname, "1-N") == 0) {
			unsigned no = flow_noptions(f);
			if (no == 0)
				continue;
			if (no == 1)
				snprintf(items[n].keyname, sizeof items[n].keyname, "1");
			else
				snprintf(items[n].keyname, sizeof items[n].keyname, "1-%u", no);
		} else {
			snprintf(items[n].keyname, sizeof items[n].keyname, "%s", a->keyname);
		}
		items[n].text = a->help;
		n++;
	}
	if ((TIMED & BIT(f->screen)) && n < max)
		items[n++] = more_time;
	return n;
}
