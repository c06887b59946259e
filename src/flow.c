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

#define BIT(s) (1u << (s))
#define ALL ((1u << FLOW_NSCREENS) - 1u)
#define CHOICE (BIT(FLOW_WELCOME) | BIT(FLOW_ABOUT) | BIT(FLOW_INFO) | BIT(FLOW_DANGER) | \
                BIT(FLOW_HELP) | BIT(FLOW_REVIEW) | BIT(FLOW_NOT_SENT))
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
	A_START_OVER
};

struct action_row {
	enum flow_keycode code;
	uint32_t lo, hi;           /* FK_CHAR / FK_CTRL range */
	unsigned screens;
	enum action action;
	const char *keyname;       /* NULL: works, but not shown in the help bar */
	enum flow_help_text help;
};

/* The one table. Order matters: first match wins; help follows it. */
static const struct action_row actions[] = {
	{ FK_ESC, 0, 0, ALL, A_QUICK_EXIT, "Esc", FLOW_HELP_QUICK_EXIT },
	{ FK_CTRL, 'c', 'c', ALL, A_QUICK_EXIT, NULL, FLOW_HELP_QUICK_EXIT },
	{ FK_FKEY, FLOW_ADMIN_FKEY, FLOW_ADMIN_FKEY, ALL, A_ADMIN, NULL, FLOW_HELP_OK },
	{ FK_CHAR, '1', '9', BIT(FLOW_WELCOME), A_PICK, "1-N", FLOW_HELP_LANGUAGE },
	{ FK_CHAR, '1', '9', CHOICE_BACK, A_PICK, "1-N", FLOW_HELP_CHOOSE },
	{ FK_CHAR, '0', '0', CHOICE_BACK, A_BACK, "0", FLOW_HELP_BACK },
	{ FK_UP, 0, 0, CHOICE, A_PREV, "\u2191\u2193", FLOW_HELP_MOVE },
	{ FK_DOWN, 0, 0, CHOICE, A_NEXT, NULL, FLOW_HELP_MOVE },
	{ FK_ENTER, 0, 0, CHOICE, A_ACTIVATE, "Enter", FLOW_HELP_OK },
	{ FK_TAB, 0, 0, BIT(FLOW_REACH), A_NEXT_FIELD, "Tab", FLOW_HELP_NEXT_FIELD },
	{ FK_TAB, 0, 0, BIT(FLOW_MESSAGE), A_NEXT_FIELD, "Tab", FLOW_HELP_BUTTONS },
	{ FK_BTAB, 0, 0, BIT(FLOW_REACH) | BIT(FLOW_MESSAGE), A_PREV_FIELD, "Shift-Tab",
	  FLOW_HELP_PREV_FIELD },
	{ FK_DOWN, 0, 0, BIT(FLOW_REACH), A_NEXT_FIELD, NULL, FLOW_HELP_NEXT_FIELD },
	{ FK_UP, 0, 0, BIT(FLOW_REACH), A_PREV_FIELD, NULL, FLOW_HELP_PREV_FIELD },
	{ FK_ENTER, 0, 0, BIT(FLOW_REACH), A_FIELD_ENTER, NULL, FLOW_HELP_NEXT_FIELD },
	{ FK_ENTER, 0, 0, BIT(FLOW_MESSAGE), A_FIELD_ENTER, "Enter", FLOW_HELP_NEWLINE },
	{ FK_CTRL, 'n', 'n', BIT(FLOW_REACH), A_ANON, "Ctrl-N", FLOW_HELP_ANONYMOUS },
	{ FK_ENTER, 0, 0, BIT(FLOW_ADMIN), A_PIN_OK, "Enter", FLOW_HELP_OK },
	{ FK_ENTER, 0, 0, BIT(FLOW_SENT), A_START_OVER, "Enter", FLOW_HELP_START_OVER },
};

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
	[FLOW_HELP_OK] = "help-ok",
	[FLOW_HELP_START_OVER] = "help-start-over",
};

static const char *const screen_names[FLOW_NSCREENS] = {
	"welcome", "about", "info", "danger", "help", "reach", "message",
	"review", "sent", "notsent", "admin",
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
	case FLOW_ABOUT: return 3;
	case FLOW_INFO: return 2;
	case FLOW_DANGER: return 3;
	case FLOW_HELP: return 1;
	case FLOW_REVIEW: return 3;
	case FLOW_NOT_SENT: return 2;
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
	else if (f->screen == FLOW_MESSAGE)
		n = 1;
	else
		return FLOW_BUTTON_NONE;
	if (f->focus == n)
		return FLOW_BUTTON_NEXT;
	if (f->focus == n + 1)
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

static void
go(struct flow *f, enum flow_screen s)
{
	f->screen = s;
	f->sel = 0;
	f->focus = 0;
	f->edit_full = 0;
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
	f->contact = 0;
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

static unsigned
back(struct flow *f, uint64_t now)
{
	switch (f->screen) {
	case FLOW_ABOUT:
	case FLOW_SENT:
		return wipe_fx(f, now);
	case FLOW_INFO:
		go(f, FLOW_ABOUT);
		break;
	case FLOW_DANGER:
		go(f, f->via_info ? FLOW_INFO : FLOW_ABOUT);
		break;
	case FLOW_HELP:
		go(f, FLOW_DANGER);
		break;
	case FLOW_REACH:
		go(f, f->danger == RECORD_DANGER_YES ? FLOW_HELP : FLOW_DANGER);
		break;
	case FLOW_MESSAGE:
		go(f, FLOW_REACH);
		break;
	case FLOW_REVIEW:
		go(f, FLOW_MESSAGE);
		break;
	case FLOW_NOT_SENT:
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
		f->lang = n;
		go(f, FLOW_ABOUT);
		break;
	case FLOW_ABOUT:
		f->via_info = 0;
		if (n == 2) {
			f->about = RECORD_ABOUT_INFO;
			go(f, FLOW_INFO);
		} else {
			f->about = n == 0 ? RECORD_ABOUT_SELF : RECORD_ABOUT_FRIEND;
			go(f, FLOW_DANGER);
		}
		break;
	case FLOW_INFO:
		if (n == 1)
			return wipe_fx(f, now);
		f->via_info = 1;
		go(f, FLOW_DANGER);
		break;
	case FLOW_DANGER:
		if (n == 0) {
			f->danger = RECORD_DANGER_YES;
			go(f, FLOW_HELP);
		} else {
			f->danger = n == 1 ? RECORD_DANGER_NO : RECORD_DANGER_UNSURE;
			go(f, FLOW_REACH);
		}
		break;
	case FLOW_HELP:
		go(f, FLOW_REACH);
		break;
	case FLOW_REVIEW:
		if (n == 0)
			return FLOW_FX_SEND | FLOW_FX_REDRAW;
		if (n == 1) {
			go(f, FLOW_REACH);
			break;
		}
		return wipe_fx(f, now);
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
		return flow_reach_nfields(f) + 2;
	if (f->screen == FLOW_MESSAGE)
		return 3;
	return 1;
}

static unsigned
field_enter(struct flow *f, uint64_t now)
{
	enum flow_button b = flow_button_at(f);
	unsigned nf;

	if (b == FLOW_BUTTON_BACK)
		return back(f, now);
	if (f->screen == FLOW_MESSAGE) {
		if (b == FLOW_BUTTON_NEXT) {
			go(f, FLOW_REVIEW);
			return FLOW_FX_REDRAW;
		}
		return FLOW_FX_EDIT | FLOW_FX_REDRAW;     /* a new line */
	}
	nf = flow_reach_nfields(f);
	if (b == FLOW_BUTTON_NEXT || f->focus + 1 >= nf) {
		go(f, FLOW_MESSAGE);
		return FLOW_FX_REDRAW;
	}
	f->focus++;
	return FLOW_FX_REDRAW;
}

/* Keys no table row claims: text editing, the contact choice, buttons. */
static unsigned
unbound(struct flow *f, const struct flow_key *k)
{
	enum flow_button b = flow_button_at(f);

	if (b != FLOW_BUTTON_NONE) {
		if (k->code == FK_LEFT || k->code == FK_RIGHT) {
			unsigned n = nitems(f);
			f->focus = b == FLOW_BUTTON_NEXT ? n - 1 : n - 2;
			return FLOW_FX_REDRAW;
		}
		return 0;
	}
	if (f->screen == FLOW_REACH && f->focus < flow_reach_nfields(f) &&
	    flow_reach_field(f, f->focus) == RECORD_CONTACT_WAY) {
		unsigned n = f->ncontact + 1;
		if (k->code == FK_RIGHT || (k->code == FK_CHAR && k->ch == ' ')) {
			f->contact = (f->contact + 1) % n;
			return FLOW_FX_REDRAW;
		}
		if (k->code == FK_LEFT) {
			f->contact = (f->contact + n - 1) % n;
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

static const struct action_row *
lookup(const struct flow *f, const struct flow_key *k)
{
	size_t i;

	for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		const struct action_row *a = &actions[i];
		if (a->code != k->code || (a->screens & BIT(f->screen)) == 0)
			continue;
		if ((k->code == FK_CHAR || k->code == FK_CTRL || k->code == FK_FKEY) && (k->ch < a->lo || k->ch > a->hi))
			continue;
		return a;
	}
	return NULL;
}

unsigned
flow_key(struct flow *f, const struct flow_key *k, uint64_t now)
{
	const struct action_row *a;
	unsigned n = nitems(f);

	f->last_input = now;
	a = lookup(f, k);
	if (f->countdown_until != 0) {
		f->countdown_until = 0;
		if (a == NULL || a->action != A_QUICK_EXIT)
			return FLOW_FX_REDRAW;   /* "still here": the key only cancels */
	}
	if (a == NULL)
		return unbound(f, k);
	/* On Reach and Message, focus decides what some keys mean. */
	switch (a->action) {
	case A_QUICK_EXIT:
		return wipe_fx(f, now);
	case A_ADMIN:
		if (f->screen == FLOW_ADMIN)
			return 0;
		go(f, FLOW_ADMIN);
		f->pin_wrong = 0;
		return FLOW_FX_REDRAW | FLOW_FX_CLEAR_PIN;
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
		f->contact = 0;
		go(f, FLOW_MESSAGE);
		return FLOW_FX_ANON | FLOW_FX_REDRAW;
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
	if (f->screen == FLOW_SENT) {
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
	if (f->screen == FLOW_WELCOME || f->idle_ms == 0)
		return 0;
	if (now >= f->last_input && now - f->last_input >= f->idle_ms) {
		f->countdown_until = now + FLOW_COUNTDOWN_MS;
		return FLOW_FX_REDRAW;
	}
	return 0;
}

unsigned
flow_send_result(struct flow *f, int ok, uint64_t now)
{
	f->last_input = now;
	if (!ok) {
		go(f, FLOW_NOT_SENT);
		return FLOW_FX_REDRAW;
	}
	forget(f);
	go(f, FLOW_SENT);
	f->sent_until = now + f->sent_ms;
	return FLOW_FX_WIPE | FLOW_FX_REPAINT | FLOW_FX_REDRAW;
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
		if (a->keyname == NULL || (a->screens & BIT(f->screen)) == 0)
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
	return n;
}
