/* The student flow state machine (src/flow.c): every transition, back,
 * quick exit and timeout from every screen, the self/friend/info paths,
 * the F12 staff key and PIN rate limit, and the help bar. */
#include <criterion/criterion.h>
#include <string.h>

#include "safeharbor/flow.h"

#define IDLE 90u
#define SENT 30u

static struct flow F;
static uint64_t now;

static void
setup(void)
{
	now = 1000;
	flow_init(&F, 2, 4, IDLE, SENT, now);
}

TestSuite(flow, .init = setup);

static unsigned
key(enum flow_keycode code, uint32_t ch)
{
	struct flow_key k = { code, ch };
	now += 10;
	return flow_key(&F, &k, now);
}

static unsigned
ch(char c)
{
	return key(FK_CHAR, (uint32_t)(unsigned char)c);
}

static unsigned
keys(const char *s)
{
	unsigned fx = 0;
	for (; *s; s++)
		fx |= ch(*s);
	return fx;
}

/* Walk to a screen by the self path (or friend/info where needed). */
static void
reach_screen(enum flow_screen s)
{
	setup();
	switch (s) {
	case FLOW_WELCOME: break;
	case FLOW_ABOUT: keys("1"); break;
	case FLOW_INFO: keys("13"); break;
	case FLOW_DANGER: keys("11"); break;
	case FLOW_HELP: keys("111"); break;
	case FLOW_REACH: keys("112"); break;
	case FLOW_MESSAGE: keys("112"); key(FK_CTRL, 'n'); break;
	case FLOW_REVIEW: keys("112"); key(FK_CTRL, 'n'); key(FK_TAB, 0); key(FK_ENTER, 0); break;
	case FLOW_NOT_SENT:
		reach_screen(FLOW_REVIEW);
		cr_assert(ch('1') & FLOW_FX_SEND);
		flow_send_result(&F, 0, now);
		break;
	case FLOW_SENT:
		reach_screen(FLOW_REVIEW);
		cr_assert(ch('1') & FLOW_FX_SEND);
		flow_send_result(&F, 1, now);
		break;
	case FLOW_ADMIN: key(FK_FKEY, FLOW_ADMIN_FKEY); break;
	case FLOW_CHANGE: reach_screen(FLOW_REVIEW); keys("2"); break;
	case FLOW_CANCEL: reach_screen(FLOW_REVIEW); keys("3"); break;
	case FLOW_CANCELLED: reach_screen(FLOW_REVIEW); keys("31"); break;
	case FLOW_CODE: keys("14"); break;
	case FLOW_NO_ANSWER:
		reach_screen(FLOW_CODE);
		cr_assert(keys("abc") & FLOW_FX_EDIT);
		cr_assert(key(FK_ENTER, 0) & FLOW_FX_OPEN_CODE);
		flow_code_result(&F, FLOW_CODE_NONE, now);
		break;
	case FLOW_ANSWER:
		reach_screen(FLOW_CODE);
		cr_assert(key(FK_ENTER, 0) & FLOW_FX_OPEN_CODE);
		flow_code_result(&F, FLOW_CODE_FOUND, now);
		break;
	default: cr_assert_fail("no such screen");
	}
	cr_assert_eq(F.screen, s, "wanted %s, at %s", flow_screen_name(s), flow_screen_name(F.screen));
}

static int
help_has(const char *keyname, enum flow_help_text t)
{
	struct flow_help_item it[FLOW_HELP_MAX];
	size_t n = flow_help(&F, it, FLOW_HELP_MAX);
	for (size_t i = 0; i < n; i++)
		if (strcmp(it[i].keyname, keyname) == 0 && it[i].text == t)
			return 1;
	return 0;
}

Test(flow, starts_at_welcome)
{
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(flow_noptions(&F), 2);
}

Test(flow, welcome_language_keys)
{
	/* another language first shows Welcome (its privacy words) in it */
	cr_assert(keys("2") & FLOW_FX_REDRAW);
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(F.lang, 1);
	cr_assert_eq(F.sel, 1);
	keys("1");               /* and back to English, still on Welcome */
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(F.lang, 0);
	keys("22");              /* the language shown goes on */
	cr_assert_eq(F.screen, FLOW_ABOUT);
	cr_assert_eq(F.lang, 1);
	keys("0");               /* back: Welcome in the chosen language */
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(F.lang, 1);
	setup();
	keys("1");
	cr_assert_eq(F.lang, 0);
	setup();
	keys("3");               /* only two languages */
	cr_assert_eq(F.screen, FLOW_WELCOME);
	keys("0");               /* no back from Welcome */
	cr_assert_eq(F.screen, FLOW_WELCOME);
}

Test(flow, arrows_and_enter_pick)
{
	key(FK_DOWN, 0);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(F.lang, 1);
	key(FK_ENTER, 0);        /* the highlight stays on the language shown */
	cr_assert_eq(F.screen, FLOW_ABOUT);
	cr_assert_eq(F.lang, 1);
	key(FK_UP, 0);           /* wraps to the last option: I have a code */
	key(FK_UP, 0);           /* questions */
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_INFO);
	cr_assert_eq(F.about, RECORD_ABOUT_INFO);
}

Test(flow, self_path)
{
	unsigned fx;

	keys("11");
	cr_assert_eq(F.about, RECORD_ABOUT_SELF);
	cr_assert_eq(F.screen, FLOW_DANGER);
	keys("2");
	cr_assert_eq(F.danger, RECORD_DANGER_NO);
	cr_assert_eq(F.screen, FLOW_REACH);
	cr_assert_eq(flow_reach_nfields(&F), 5);
	cr_assert_eq(flow_reach_field(&F, 0), RECORD_NAME);
	cr_assert_eq(flow_edit_target(&F), FLOW_TARGET_FIELD);
	cr_assert_eq(flow_edit_field(&F), RECORD_NAME);
	/* digits are text on Reach */
	cr_assert(ch('7') & FLOW_FX_EDIT);
	cr_assert_eq(F.screen, FLOW_REACH);
	for (unsigned i = 1; i < 5; i++) {
		key(FK_ENTER, 0);
		cr_assert_eq(F.focus, i);
	}
	cr_assert_eq(flow_reach_field(&F, 4), RECORD_CONTACT_WAY);
	cr_assert_eq(flow_edit_target(&F), FLOW_TARGET_NONE);
	key(FK_RIGHT, 0);
	cr_assert_eq(F.contact, 1);
	key(FK_LEFT, 0);
	key(FK_LEFT, 0);
	cr_assert_eq(F.contact, 4);
	ch(' ');
	cr_assert_eq(F.contact, 0);
	key(FK_ENTER, 0);        /* Enter on the last field goes on */
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert_eq(flow_edit_target(&F), FLOW_TARGET_MESSAGE);
	F.message_empty = 0;     /* the caller's field holds text now */
	fx = key(FK_ENTER, 0);   /* a new line */
	cr_assert(fx & FLOW_FX_EDIT);
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert(ch('1') & FLOW_FX_EDIT);
	key(FK_TAB, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_NEXT);
	cr_assert_eq(flow_edit_target(&F), FLOW_TARGET_NONE);
	cr_assert_eq(ch('x'), 0);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	fx = ch('1');
	cr_assert(fx & FLOW_FX_SEND);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	fx = flow_send_result(&F, 1, now);
	cr_assert(fx & FLOW_FX_WIPE);
	cr_assert_eq(F.screen, FLOW_SENT);
	cr_assert_eq(F.lang, 0);
}

Test(flow, friend_path)
{
	keys("2222");
	cr_assert_eq(F.lang, 1);
	cr_assert_eq(F.about, RECORD_ABOUT_FRIEND);
	cr_assert_eq(F.screen, FLOW_REACH);
	cr_assert_eq(flow_reach_nfields(&F), 7);
	cr_assert_eq(flow_edit_field(&F), RECORD_FRIEND_NAME);
	key(FK_TAB, 0);
	cr_assert_eq(flow_edit_field(&F), RECORD_FRIEND_GRADE);
	key(FK_DOWN, 0);
	cr_assert_eq(flow_edit_field(&F), RECORD_NAME);
	key(FK_UP, 0);
	key(FK_BTAB, 0);
	cr_assert_eq(flow_edit_field(&F), RECORD_FRIEND_NAME);
	/* Ctrl-N: stay anonymous, one key, goes on to Message */
	cr_assert(key(FK_CTRL, 'n') & FLOW_FX_ANON);
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert_eq(F.about, RECORD_ABOUT_FRIEND);
}

Test(flow, info_path_and_meeting)
{
	keys("13");
	cr_assert_eq(F.screen, FLOW_INFO);
	cr_assert_eq(flow_noptions(&F), 3);
	keys("2");               /* ask for a meeting */
	cr_assert_eq(F.screen, FLOW_DANGER);
	cr_assert_eq(F.about, RECORD_ABOUT_INFO);
	cr_assert_not(F.question);
	cr_assert_str_eq(flow_lead_key(&F), "ask-info");
	keys("0");               /* back goes to the info screen */
	cr_assert_eq(F.screen, FLOW_INFO);
	cr_assert(ch('3') & FLOW_FX_WIPE);   /* "start over" */
	cr_assert_eq(F.screen, FLOW_WELCOME);
}

Test(flow, danger_yes_shows_help_first)
{
	keys("111");
	cr_assert_eq(F.danger, RECORD_DANGER_YES);
	cr_assert_eq(F.screen, FLOW_HELP);
	cr_assert_eq(flow_noptions(&F), 1);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REACH);
	/* back from Reach returns to the help screen on the urgent path */
	key(FK_BTAB, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_BACK);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_HELP);
	keys("0");
	cr_assert_eq(F.screen, FLOW_DANGER);
	keys("3");               /* not sure: the help numbers too, not urgent */
	cr_assert_eq(F.danger, RECORD_DANGER_UNSURE);
	cr_assert_eq(F.screen, FLOW_HELP);
	cr_assert_str_eq(flow_lead_key(&F), "lead-unsure");
	keys("1");
	cr_assert_eq(F.screen, FLOW_REACH);
	key(FK_BTAB, 0);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_HELP);
	keys("02");
	cr_assert_eq(F.danger, RECORD_DANGER_NO);
	cr_assert_eq(F.screen, FLOW_REACH);
}

Test(flow, back_from_every_screen)
{
	static const struct { enum flow_screen from, to; } cases[] = {
		{ FLOW_ABOUT, FLOW_WELCOME }, { FLOW_INFO, FLOW_ABOUT },
		{ FLOW_DANGER, FLOW_ABOUT }, { FLOW_HELP, FLOW_DANGER },
		{ FLOW_REACH, FLOW_DANGER }, { FLOW_MESSAGE, FLOW_REACH },
		{ FLOW_REVIEW, FLOW_MESSAGE }, { FLOW_NOT_SENT, FLOW_REVIEW },
		{ FLOW_SENT, FLOW_WELCOME }, { FLOW_WELCOME, FLOW_WELCOME },
		{ FLOW_CHANGE, FLOW_REVIEW }, { FLOW_CANCEL, FLOW_REVIEW },
		{ FLOW_CANCELLED, FLOW_WELCOME },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		reach_screen(cases[i].from);
		switch (cases[i].from) {
		case FLOW_REACH:
		case FLOW_MESSAGE:
			key(FK_BTAB, 0);     /* to [Back] */
			cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_BACK);
			key(FK_ENTER, 0);
			break;
		case FLOW_SENT:
		case FLOW_CANCELLED:
			key(FK_ENTER, 0);
			break;
		default:
			keys("0");
		}
		cr_assert_eq(F.screen, cases[i].to, "back from %s: at %s",
		             flow_screen_name(cases[i].from), flow_screen_name(F.screen));
	}
}

Test(flow, back_button_by_left_right)
{
	reach_screen(FLOW_MESSAGE);
	key(FK_TAB, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_NEXT);
	key(FK_RIGHT, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_BACK);
	key(FK_LEFT, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_NEXT);
	key(FK_TAB, 0);
	key(FK_TAB, 0);          /* wraps to the text */
	cr_assert_eq(flow_edit_target(&F), FLOW_TARGET_MESSAGE);
}

Test(flow, quick_exit_from_every_screen)
{
	for (int s = 0; s < FLOW_NSCREENS; s++) {
		for (int how = 0; how < 2; how++) {
			unsigned fx;
			reach_screen((enum flow_screen)s);
			if (s == FLOW_ADMIN && how == 0)
				continue;        /* Esc there goes back: see admin_esc_* */
			fx = how == 0 ? key(FK_ESC, 0) : key(FK_CTRL, 'c');
			cr_assert(fx & FLOW_FX_WIPE, "%s", flow_screen_name((enum flow_screen)s));
			cr_assert(fx & FLOW_FX_REPAINT);
			cr_assert_eq(F.screen, FLOW_WELCOME);
			cr_assert_eq(F.lang, 0);
			cr_assert_eq(F.contact, 0);
			cr_assert_eq(F.about, RECORD_ABOUT_SELF);
			cr_assert_eq(F.danger, RECORD_DANGER_NO);
		}
	}
}

Test(flow, idle_timeout_from_every_screen)
{
	for (int s = 1; s < FLOW_NSCREENS; s++) {
		unsigned fx;
		reach_screen((enum flow_screen)s);
		if (s == FLOW_SENT || s == FLOW_CANCELLED) {
			cr_assert_eq(flow_tick(&F, now + SENT * 1000 - 1), 0);
			fx = flow_tick(&F, now + SENT * 1000);
			cr_assert(fx & FLOW_FX_WIPE);
			cr_assert_eq(F.screen, FLOW_WELCOME);
			continue;
		}
		cr_assert_eq(flow_tick(&F, now + IDLE * 1000 - 1), 0, "%s", flow_screen_name((enum flow_screen)s));
		fx = flow_tick(&F, now + IDLE * 1000);
		cr_assert(fx & FLOW_FX_REDRAW);
		cr_assert_eq(flow_countdown_left(&F, now + IDLE * 1000), FLOW_COUNTDOWN_MS / 1000);
		cr_assert_eq(F.screen, (enum flow_screen)s);
		fx = flow_tick(&F, now + IDLE * 1000 + FLOW_COUNTDOWN_MS);
		cr_assert(fx & FLOW_FX_WIPE, "%s", flow_screen_name((enum flow_screen)s));
		cr_assert(fx & FLOW_FX_REPAINT);
		cr_assert_eq(F.screen, FLOW_WELCOME);
		cr_assert_eq(flow_countdown_left(&F, now + IDLE * 1000 + FLOW_COUNTDOWN_MS), 0);
	}
}

Test(flow, any_key_cancels_countdown)
{
	unsigned fx;

	reach_screen(FLOW_REACH);
	now += IDLE * 1000;
	flow_tick(&F, now);
	cr_assert_neq(flow_countdown_left(&F, now), 0);
	fx = ch('x');            /* consumed: cancels only, no text edit */
	cr_assert_eq(fx & FLOW_FX_EDIT, 0);
	cr_assert_eq(flow_countdown_left(&F, now), 0);
	cr_assert_eq(F.screen, FLOW_REACH);
	cr_assert_eq(flow_tick(&F, now + FLOW_COUNTDOWN_MS), 0);
	cr_assert_eq(F.screen, FLOW_REACH);
	/* Esc during the countdown is still quick exit */
	flow_tick(&F, now + IDLE * 1000 + 100);
	cr_assert(key(FK_ESC, 0) & FLOW_FX_WIPE);
}

Test(flow, no_timeout_at_welcome_or_when_disabled)
{
	cr_assert_eq(flow_tick(&F, now + 1000u * 100000u), 0);
	/* Welcome left in another language goes back to the first one */
	keys("2");
	cr_assert_eq(flow_tick(&F, now + IDLE * 1000 - 1), 0);
	cr_assert(flow_tick(&F, now + IDLE * 1000) & FLOW_FX_REDRAW);
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(F.lang, 0);
	cr_assert_eq(flow_tick(&F, now + 1000u * 100000u), 0);
	flow_init(&F, 2, 4, 0, SENT, now);
	keys("11");
	cr_assert_eq(flow_tick(&F, now + 1000u * 100000u), 0);
	cr_assert_eq(F.screen, FLOW_DANGER);
}

Test(flow, review_change_asks_what)
{
	static const struct { char pick; enum flow_screen to; } cases[] = {
		{ '2', FLOW_DANGER }, { '3', FLOW_REACH }, { '4', FLOW_MESSAGE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		reach_screen(FLOW_REVIEW);
		keys("2");
		cr_assert_eq(F.screen, FLOW_CHANGE);
		cr_assert_eq(flow_noptions(&F), 4);
		ch(cases[i].pick);
		cr_assert_eq(F.screen, cases[i].to);
		/* one step, then straight back to Review, answers kept */
		switch (cases[i].to) {
		case FLOW_DANGER: keys("2"); break;
		case FLOW_REACH: key(FK_CTRL, 'n'); break;
		default: key(FK_ENTER, 0); break;
		}
		cr_assert_eq(F.screen, FLOW_REVIEW, "after %c: %s", cases[i].pick, flow_screen_name(F.screen));
		cr_assert_not(F.changing);
	}
	/* danger -> yes shows help, then Review */
	reach_screen(FLOW_REVIEW);
	keys("221");
	cr_assert_eq(F.screen, FLOW_HELP);
	keys("1");
	cr_assert_eq(F.screen, FLOW_REVIEW);
	cr_assert_eq(F.danger, RECORD_DANGER_YES);
	/* back from the screen changed: the change menu; 0 there: Review */
	reach_screen(FLOW_REVIEW);
	keys("23");
	key(FK_BTAB, 0);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_CHANGE);
	keys("0");
	cr_assert_eq(F.screen, FLOW_REVIEW);
	/* who it is about: back from there is the change menu, not Welcome */
	keys("21");
	cr_assert_eq(F.screen, FLOW_ABOUT);
	cr_assert_eq(ch('0') & FLOW_FX_WIPE, 0);
	cr_assert_eq(F.screen, FLOW_CHANGE);
	/* once picked: the whole way again */
	keys("1");
	cr_assert_eq(F.screen, FLOW_ABOUT);
	keys("2");
	cr_assert_eq(F.screen, FLOW_DANGER);
	keys("2");
	cr_assert_eq(F.screen, FLOW_REACH);
}

Test(flow, review_cancel_asks_then_says_nothing_was_sent)
{
	unsigned fx;

	reach_screen(FLOW_REVIEW);
	fx = ch('3');
	cr_assert_eq(fx & FLOW_FX_WIPE, 0);     /* not yet */
	cr_assert_eq(F.screen, FLOW_CANCEL);
	keys("2");                              /* no, go back */
	cr_assert_eq(F.screen, FLOW_REVIEW);
	keys("3");
	keys("0");
	cr_assert_eq(F.screen, FLOW_REVIEW);
	keys("3");
	fx = ch('1');
	cr_assert(fx & FLOW_FX_WIPE);
	cr_assert_eq(F.screen, FLOW_CANCELLED);
	cr_assert_eq(F.about, RECORD_ABOUT_SELF);
	cr_assert_eq(flow_tick(&F, now + SENT * 1000 - 1), 0);
	cr_assert(flow_tick(&F, now + SENT * 1000) & FLOW_FX_WIPE);
	cr_assert_eq(F.screen, FLOW_WELCOME);
	reach_screen(FLOW_REVIEW);
	cr_assert_eq(ch('9'), 0);   /* out of range: nothing */
	cr_assert_eq(F.screen, FLOW_REVIEW);
}

Test(flow, not_sent_retry_and_start_over)
{
	reach_screen(FLOW_NOT_SENT);
	cr_assert_eq(flow_noptions(&F), 2);
	cr_assert(ch('1') & FLOW_FX_SEND);
	flow_send_result(&F, 1, now);
	cr_assert_eq(F.screen, FLOW_SENT);
	reach_screen(FLOW_NOT_SENT);
	cr_assert(ch('2') & FLOW_FX_WIPE);
	cr_assert_eq(F.screen, FLOW_WELCOME);
}

Test(flow, sent_wipes_answers_at_once)
{
	reach_screen(FLOW_REVIEW);
	F.contact = 3;
	ch('1');
	cr_assert(flow_send_result(&F, 1, now) & FLOW_FX_WIPE);
	cr_assert_eq(F.contact, 0);
	cr_assert_eq(F.about, RECORD_ABOUT_SELF);
	cr_assert_eq(F.screen, FLOW_SENT);
	cr_assert_eq(ch('1') & FLOW_FX_WIPE, 0);   /* stray digits only keep it longer */
	cr_assert_eq(F.screen, FLOW_SENT);
}

Test(flow, sent_stays_until_enter_and_any_key_keeps_it)
{
	reach_screen(FLOW_SENT);
	cr_assert_str_eq(flow_lead_key(&F), "next");
	cr_assert_eq(flow_tick(&F, now + SENT * 1000 - 1), 0);
	now += SENT * 1000 - 1000;
	ch('x');                                   /* more time */
	cr_assert_eq(flow_tick(&F, now + SENT * 1000 - 1), 0);
	cr_assert_eq(F.screen, FLOW_SENT);
	key(FK_DOWN, 0);
	key(FK_FKEY, 5);
	cr_assert_eq(flow_tick(&F, now + SENT * 1000 - 1), 0);
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_WIPE); /* start over */
	cr_assert_eq(F.screen, FLOW_WELCOME);
	reach_screen(FLOW_SENT);
	cr_assert(key(FK_ESC, 0) & FLOW_FX_WIPE);
	reach_screen(FLOW_SENT);
	cr_assert(flow_tick(&F, now + SENT * 1000) & FLOW_FX_WIPE);
}

Test(flow, sent_tells_an_urgent_request_what_to_do_now)
{
	reach_screen(FLOW_HELP);
	keys("1");
	key(FK_CTRL, 'n');
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	ch('1');
	flow_send_result(&F, 1, now);
	cr_assert_eq(F.danger, RECORD_DANGER_NO);   /* the answer itself is wiped */
	cr_assert(F.sent_urgent);
	cr_assert_str_eq(flow_lead_key(&F), "next-urgent");
	key(FK_ENTER, 0);
	cr_assert_not(F.sent_urgent);
	/* "not sure" is not urgent */
	keys("113");
	keys("1");
	key(FK_CTRL, 'n');
	key(FK_ENTER, 0);
	ch('1');
	flow_send_result(&F, 1, now);
	cr_assert_not(F.sent_urgent);
}

Test(flow, six_keys_make_the_shortest_request)
{
	unsigned fx = 0;

	keys("112");
	fx |= key(FK_CTRL, 'n');
	fx |= key(FK_ENTER, 0);                    /* empty message: goes on */
	cr_assert_eq(F.screen, FLOW_REVIEW);
	fx = ch('1');
	cr_assert(fx & FLOW_FX_SEND);
}

Test(flow, enter_on_an_empty_message_goes_on)
{
	reach_screen(FLOW_MESSAGE);
	cr_assert(help_has("Enter", FLOW_HELP_NEXT));
	F.message_empty = 0;
	cr_assert(help_has("Enter", FLOW_HELP_NEWLINE));
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_EDIT);
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	F.message_empty = 1;
	cr_assert_eq(key(FK_ENTER, 0) & FLOW_FX_EDIT, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
}

Test(flow, danger_asks_the_question_of_its_path)
{
	reach_screen(FLOW_DANGER);
	cr_assert_str_eq(flow_lead_key(&F), "ask-self");
	keys("02");
	cr_assert_eq(F.about, RECORD_ABOUT_FRIEND);
	cr_assert_str_eq(flow_lead_key(&F), "ask-friend");
	keys("2");
	cr_assert_str_eq(flow_lead_key(&F), "lead-friend");
	reach_screen(FLOW_REACH);
	cr_assert_null(flow_lead_key(&F));
}

Test(flow, questions_path_writes_a_question)
{
	keys("13");
	keys("1");               /* write a question */
	cr_assert(F.question);
	cr_assert_eq(F.screen, FLOW_DANGER);
	keys("2");
	key(FK_CTRL, 'n');
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert_str_eq(flow_lead_key(&F), "lead-question");
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	cr_assert(ch('1') & FLOW_FX_SEND);
	cr_assert_eq(F.about, RECORD_ABOUT_INFO);
}

Test(flow, reach_has_a_leave_out_my_name_button)
{
	reach_screen(FLOW_REACH);
	for (int i = 0; i < 5; i++)
		key(FK_TAB, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_NEXT);
	key(FK_RIGHT, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_ANON);
	cr_assert(help_has("Enter", FLOW_HELP_PRESS));
	key(FK_RIGHT, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_BACK);
	key(FK_RIGHT, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_NEXT);
	key(FK_LEFT, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_BACK);
	key(FK_LEFT, 0);
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_ANON);
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	/* the contact choice names its arrows */
	reach_screen(FLOW_REACH);
	cr_assert(help_has("Enter", FLOW_HELP_NEXT_FIELD));
	cr_assert_not(help_has("\u2190\u2192", FLOW_HELP_CONTACT));
	for (int i = 0; i < 4; i++)
		key(FK_ENTER, 0);
	cr_assert(help_has("\u2190\u2192", FLOW_HELP_CONTACT));
	key(FK_RIGHT, 0);
	cr_assert_eq(F.contact, 1);
}

Test(flow, admin_esc_goes_back_with_answers_kept)
{
	reach_screen(FLOW_REACH);
	key(FK_TAB, 0);
	key(FK_TAB, 0);
	F.contact = 2;
	key(FK_FKEY, FLOW_ADMIN_FKEY);
	cr_assert_eq(F.screen, FLOW_ADMIN);
	cr_assert(help_has("Esc", FLOW_HELP_BACK));
	cr_assert_not(help_has("Esc", FLOW_HELP_QUICK_EXIT));
	ch('4');
	unsigned fx = key(FK_ESC, 0);
	cr_assert_eq(fx & FLOW_FX_WIPE, 0);
	cr_assert(fx & FLOW_FX_CLEAR_PIN);
	cr_assert_eq(F.screen, FLOW_REACH);
	cr_assert_eq(F.focus, 2);
	cr_assert_eq(F.contact, 2);
	cr_assert_eq(F.danger, RECORD_DANGER_NO);
	/* Ctrl-C there is still the quick exit */
	key(FK_FKEY, FLOW_ADMIN_FKEY);
	cr_assert(key(FK_CTRL, 'c') & FLOW_FX_WIPE);
	cr_assert_eq(F.screen, FLOW_WELCOME);
}

Test(flow, empty_pin_is_no_try)
{
	reach_screen(FLOW_ADMIN);
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_PIN);
	flow_pin_result(&F, FLOW_PIN_EMPTY, now);
	cr_assert_eq(F.pin_fails, 0);
	cr_assert_eq(flow_pin_wait(&F, now), 0);
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_NONE);
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_PIN);
}

Test(flow, lockdown_keys_are_harmless)
{
	for (int s = 0; s < FLOW_NSCREENS; s++) {
		if (s == FLOW_ADMIN)
			continue;
		reach_screen((enum flow_screen)s);
		key(FK_CTRL, 'z');
		key(FK_CTRL, 'd');
		key(FK_CTRL, '\\');
		key(FK_OTHER, 0);
		key(FK_FKEY, 1);
		key(FK_FKEY, 11);
		cr_assert_eq(F.screen, (enum flow_screen)s, "%s", flow_screen_name((enum flow_screen)s));
	}
}

Test(flow, f12_opens_the_pin_prompt)
{
	cr_assert(key(FK_FKEY, FLOW_ADMIN_FKEY) & FLOW_FX_CLEAR_PIN);
	cr_assert_eq(F.screen, FLOW_ADMIN);
	cr_assert_eq(flow_edit_target(&F), FLOW_TARGET_PIN);
	cr_assert(ch('5') & FLOW_FX_EDIT);
	cr_assert(key(FK_ESC, 0) & FLOW_FX_CLEAR_PIN);
	cr_assert_eq(F.screen, FLOW_WELCOME);
}

Test(flow, admin_pin_rate_limit_grows_and_survives_wipe)
{
	unsigned fx;

	reach_screen(FLOW_ADMIN);
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_PIN);
	flow_pin_result(&F, 0, now);
	cr_assert(F.pin_wrong);
	cr_assert_eq(flow_pin_wait(&F, now), 1);
	fx = key(FK_ENTER, 0);   /* too soon: not checked, and the field is cleared */
	cr_assert_eq(fx & FLOW_FX_PIN, 0);
	cr_assert(fx & FLOW_FX_CLEAR_PIN);
	now += 1000;
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_PIN);
	flow_pin_result(&F, 0, now);
	cr_assert_eq(flow_pin_wait(&F, now), 2);
	now += 2000;
	key(FK_ENTER, 0);
	flow_pin_result(&F, 0, now);
	cr_assert_eq(flow_pin_wait(&F, now), 4);
	/* quick exit and come back: the delay is still there */
	key(FK_CTRL, 'c');
	key(FK_FKEY, FLOW_ADMIN_FKEY);
	cr_assert_eq(F.screen, FLOW_ADMIN);
	cr_assert_neq(flow_pin_wait(&F, now), 0);
	cr_assert_eq(key(FK_ENTER, 0) & FLOW_FX_PIN, 0);
	for (int i = 0; i < 40; i++) {
		now += FLOW_PIN_DELAY_MAX_MS;
		key(FK_ENTER, 0);
		flow_pin_result(&F, 0, now);
	}
	cr_assert_eq(flow_pin_wait(&F, now), FLOW_PIN_DELAY_MAX_MS / 1000);
	now += FLOW_PIN_DELAY_MAX_MS;
	cr_assert(key(FK_ENTER, 0) & FLOW_FX_PIN);
	cr_assert(flow_pin_result(&F, 1, now) & FLOW_FX_EXIT);
}

Test(flow, admin_without_pin_configured)
{
	reach_screen(FLOW_ADMIN);
	key(FK_ENTER, 0);
	cr_assert_eq(flow_pin_result(&F, -1, now) & FLOW_FX_EXIT, 0);
	cr_assert(F.pin_unset);
	cr_assert_eq(F.screen, FLOW_ADMIN);
}

Test(flow, help_bar_names_the_keys)
{
	for (int s = 0; s < FLOW_NSCREENS; s++) {
		reach_screen((enum flow_screen)s);
		cr_assert(help_has("Esc", s == FLOW_ADMIN ? FLOW_HELP_BACK : FLOW_HELP_QUICK_EXIT),
		          "%s", flow_screen_name((enum flow_screen)s));
	}
	reach_screen(FLOW_WELCOME);
	cr_assert(help_has("1-2", FLOW_HELP_LANGUAGE));
	reach_screen(FLOW_ABOUT);
	cr_assert(help_has("1-4", FLOW_HELP_CHOOSE));
	cr_assert(help_has("0", FLOW_HELP_BACK));
	cr_assert(help_has("\u2191\u2193", FLOW_HELP_MOVE));
	cr_assert(help_has("Enter", FLOW_HELP_OK));
	reach_screen(FLOW_HELP);
	cr_assert(help_has("1", FLOW_HELP_CHOOSE));
	reach_screen(FLOW_REACH);
	cr_assert(help_has("Enter", FLOW_HELP_NEXT_FIELD));
	cr_assert(help_has("Shift-Tab", FLOW_HELP_PREV_FIELD));
	cr_assert(help_has("Ctrl-N", FLOW_HELP_ANONYMOUS));
	reach_screen(FLOW_MESSAGE);
	F.message_empty = 0;
	cr_assert(help_has("Enter", FLOW_HELP_NEWLINE));
	cr_assert(help_has("Tab", FLOW_HELP_BUTTONS));
	reach_screen(FLOW_SENT);
	cr_assert(help_has("Enter", FLOW_HELP_START_OVER));
	cr_assert(help_has("", FLOW_HELP_MORE_TIME));
	cr_assert_str_eq(flow_help_key(FLOW_HELP_QUICK_EXIT), "help-quick-exit");
}

Test(flow, wipe_zeroes_answers_but_keeps_settings)
{
	keys("212");
	F.contact = 2;
	flow_wipe(&F, now);
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(F.contact, 0);
	cr_assert_eq(F.lang, 0);
	cr_assert_eq(F.about, RECORD_ABOUT_SELF);
	cr_assert_eq(F.nlang, 2);
	cr_assert_eq(F.ncontact, 4);
	cr_assert_eq(F.idle_ms, IDLE * 1000);
}

/* QA: "Try again in 0 s." stayed after the wait was over. */
Test(flow, pin_note_drops_the_seconds_once_the_wait_is_over)
{
	reach_screen(FLOW_ADMIN);
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_NONE);
	key(FK_ENTER, 0);
	flow_pin_result(&F, 0, now);
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_WRONG_WAIT);
	cr_assert_eq(flow_pin_wait(&F, now), 1);
	now += 999;
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_WRONG_WAIT);
	now += 1;
	cr_assert_eq(flow_pin_wait(&F, now), 0);
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_WRONG);
	/* one more redraw comes after the wait ends, so the screen catches up */
	cr_assert(flow_tick(&F, now) & FLOW_FX_REDRAW);
	/* leave and come back while still locked: "wait", no "wrong" */
	key(FK_ENTER, 0);
	flow_pin_result(&F, 0, now);
	key(FK_ESC, 0);
	cr_assert_neq(F.screen, FLOW_ADMIN);
	key(FK_FKEY, FLOW_ADMIN_FKEY);
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_WAIT);
	now += FLOW_PIN_DELAY_MAX_MS;
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_NONE);
	key(FK_ENTER, 0);
	flow_pin_result(&F, -1, now);
	cr_assert_eq(flow_pin_note(&F, now), FLOW_PIN_NOTE_UNSET);
}

/* QA: a message of only spaces and line breaks showed as "1 characters"
 * and was sent; it counts as no message. */
Test(flow, blank_message_is_no_message)
{
	cr_assert(flow_message_blank("", 0));
	cr_assert(flow_message_blank("\n", 1));
	cr_assert(flow_message_blank(" \n\t \r\n  ", 8));
	cr_assert(flow_message_blank("\xc2\xa0\xe3\x80\x80\xe2\x80\x83", 8));  /* NBSP, ideographic, em space */
	cr_assert_not(flow_message_blank("a", 1));
	cr_assert_not(flow_message_blank("\n\n.\n", 4));
	cr_assert_not(flow_message_blank("  \xe6\x9d\x8e", 5));                  /* 李 */
	cr_assert_not(flow_message_blank("\xc3\xa9", 2));
	cr_assert_not(flow_message_blank("\xe2\x80", 2));                        /* cut UTF-8 */
	cr_assert_not(flow_message_blank(" 0", 2));
}

/* QA: on Message with [Next] or [Back] focused, the bar said "Enter New
 * line"; it must say what Enter does there, and do it. */
Test(flow, message_help_follows_the_focus)
{
	reach_screen(FLOW_MESSAGE);
	F.message_empty = 0;
	cr_assert(help_has("Enter", FLOW_HELP_NEWLINE));
	cr_assert_not(help_has("Enter", FLOW_HELP_PRESS));
	key(FK_TAB, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_NEXT);
	cr_assert(help_has("Enter", FLOW_HELP_PRESS));
	cr_assert_not(help_has("Enter", FLOW_HELP_NEWLINE));
	key(FK_TAB, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_BACK);
	cr_assert(help_has("Enter", FLOW_HELP_PRESS));
	cr_assert_not(help_has("Enter", FLOW_HELP_NEWLINE));
	cr_assert(help_has("Tab", FLOW_HELP_BUTTONS));
	cr_assert(help_has("Esc", FLOW_HELP_QUICK_EXIT));
	key(FK_TAB, 0);                       /* back in the text */
	cr_assert(help_has("Enter", FLOW_HELP_NEWLINE));
	cr_assert_eq(key(FK_ENTER, 0) & FLOW_FX_EDIT, FLOW_FX_EDIT);
	key(FK_BTAB, 0);                      /* [Back] */
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REACH);
	F.message_empty = 1;
	reach_screen(FLOW_MESSAGE);
	key(FK_TAB, 0);                       /* [Next] */
	cr_assert_eq(key(FK_ENTER, 0) & FLOW_FX_EDIT, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	cr_assert_str_eq(flow_help_key(FLOW_HELP_PRESS), "help-press");
}

/* QA: on a too-small window only Esc worked, so IT could not stop the
 * kiosk with F12 + PIN; typing into answers must stay ignored. */
Test(flow, keys_that_work_on_a_small_window)
{
	struct flow_key esc = { FK_ESC, 0 }, cc = { FK_CTRL, 'c' }, f12 = { FK_FKEY, FLOW_ADMIN_FKEY };
	struct flow_key a = { FK_CHAR, 'a' }, one = { FK_CHAR, '1' }, enter = { FK_ENTER, 0 };
	struct flow_key bs = { FK_BACKSPACE, 0 }, tab = { FK_TAB, 0 }, f1 = { FK_FKEY, 1 };

	for (int s = 0; s < FLOW_NSCREENS; s++) {
		if (s == FLOW_ADMIN)
			continue;
		reach_screen((enum flow_screen)s);
		cr_assert(flow_key_works_small(&F, &esc));
		cr_assert(flow_key_works_small(&F, &cc));
		cr_assert(flow_key_works_small(&F, &f12));
		cr_assert_not(flow_key_works_small(&F, &a), "%s", flow_screen_name(F.screen));
		cr_assert_not(flow_key_works_small(&F, &one));
		cr_assert_not(flow_key_works_small(&F, &enter));
		cr_assert_not(flow_key_works_small(&F, &bs));
		cr_assert_not(flow_key_works_small(&F, &tab));
		cr_assert_not(flow_key_works_small(&F, &f1));
	}
	reach_screen(FLOW_ADMIN);
	cr_assert(flow_key_works_small(&F, &one));       /* the PIN */
	cr_assert(flow_key_works_small(&F, &bs));
	cr_assert(flow_key_works_small(&F, &enter));
	cr_assert(flow_key_works_small(&F, &esc));
}

/* SPEC §9: About 4, the code, the answer, writing back. */
Test(flow, code_answer_and_write_back)
{
	unsigned fx;

	keys("1");
	fx = keys("4");
	cr_assert_eq(F.screen, FLOW_CODE);
	cr_assert(fx & FLOW_FX_CLEAR_CODE);
	cr_assert_eq(flow_edit_target(&F), FLOW_TARGET_CODE);
	cr_assert(keys("maple 0") & FLOW_FX_EDIT, "digits are typed, not Back");
	cr_assert_eq(F.screen, FLOW_CODE);
	cr_assert(help_has("Enter", FLOW_HELP_OK));
	cr_assert(help_has("Esc", FLOW_HELP_QUICK_EXIT));

	/* malformed: stay and say so; any other outcome leaves the field */
	fx = key(FK_ENTER, 0);
	cr_assert(fx & FLOW_FX_OPEN_CODE);
	fx = flow_code_result(&F, FLOW_CODE_MALFORMED, now);
	cr_assert_eq(F.screen, FLOW_CODE);
	cr_assert(F.code_malformed);
	cr_assert_eq(fx & FLOW_FX_CLEAR_CODE, 0, "what was typed stays to be corrected");
	key(FK_ENTER, 0);
	fx = flow_code_result(&F, FLOW_CODE_NONE, now);
	cr_assert_eq(F.screen, FLOW_NO_ANSWER);
	cr_assert(fx & FLOW_FX_CLEAR_CODE);
	cr_assert(fx & FLOW_FX_REPAINT);
	cr_assert_eq(flow_noptions(&F), 2);
	fx = keys("1");                       /* try again */
	cr_assert_eq(F.screen, FLOW_CODE);
	cr_assert(fx & FLOW_FX_CLEAR_CODE);
	cr_assert_eq(F.code_malformed, 0, "a new try starts clean");

	/* Tab to Back, Enter: About */
	key(FK_TAB, 0);
	key(FK_TAB, 0);
	cr_assert_eq(flow_button_at(&F), FLOW_BUTTON_BACK);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_ABOUT);

	/* found: the answer; 1 writes back (Danger, a message, About: reply) */
	keys("4");
	key(FK_ENTER, 0);
	flow_code_result(&F, FLOW_CODE_FOUND, now);
	cr_assert_eq(F.screen, FLOW_ANSWER);
	keys("12");
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert_eq(F.about, RECORD_ABOUT_REPLY);
	key(FK_TAB, 0);
	key(FK_TAB, 0);
	key(FK_ENTER, 0);                     /* Back: the Danger question */
	cr_assert_eq(F.screen, FLOW_DANGER);
	keys("0");                            /* and the answer to read again */
	cr_assert_eq(F.screen, FLOW_ANSWER);
	keys("12");
	F.message_empty = 0;
	key(FK_TAB, 0);
	key(FK_ENTER, 0);                     /* Next */
	cr_assert_eq(F.screen, FLOW_REVIEW);
	keys("2");                            /* change: only the message */
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	key(FK_TAB, 0);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	cr_assert(keys("1") & FLOW_FX_SEND);
	cr_assert_eq(F.about, RECORD_ABOUT_REPLY);
	fx = flow_send_result(&F, 1, now);
	cr_assert_eq(F.screen, FLOW_SENT);
	cr_assert(fx & FLOW_FX_WIPE);
	cr_assert_eq(F.about, RECORD_ABOUT_SELF);

	/* 2 on the answer, and 0: wipe and Welcome */
	setup();
	reach_screen(FLOW_ANSWER);
	fx = keys("2");
	cr_assert(fx & FLOW_FX_WIPE);
	cr_assert_eq(F.screen, FLOW_WELCOME);
	reach_screen(FLOW_ANSWER);
	fx = keys("0");
	cr_assert(fx & FLOW_FX_WIPE);
	cr_assert_eq(F.screen, FLOW_WELCOME);
	/* a result that comes when the student has left does nothing */
	cr_assert_eq(flow_code_result(&F, FLOW_CODE_FOUND, now), 0);
	cr_assert_eq(F.screen, FLOW_WELCOME);
}

/* Writing back asks the Danger question (a student in danger now is
 * urgent), has its own words, and an empty write-back cannot be sent. */
Test(flow, write_back_asks_danger_and_needs_words)
{
	unsigned fx;

	setup();
	reach_screen(FLOW_ANSWER);
	keys("1");
	cr_assert_eq(F.screen, FLOW_DANGER, "writing back asks about danger");
	cr_assert_eq(F.about, RECORD_ABOUT_REPLY);
	cr_assert_str_eq(flow_lead_key(&F), "ask-self");
	keys("1");                            /* yes: who can help now */
	cr_assert_eq(F.screen, FLOW_HELP);
	cr_assert_eq(F.danger, RECORD_DANGER_YES);
	keys("1");
	cr_assert_eq(F.screen, FLOW_MESSAGE, "no Reach: she is known by her code");
	cr_assert_str_eq(flow_lead_key(&F), "lead-reply");
	cr_assert(!help_has("Enter", FLOW_HELP_NEXT), "Enter does not go on from an empty write-back");

	/* Enter on the empty box, and Next: stay, and say why */
	F.message_empty = 1;
	fx = key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert_eq(fx & FLOW_FX_SEND, 0);
	cr_assert(F.need_message);
	key(FK_TAB, 0);
	cr_assert_eq(F.need_message, 0, "the note goes with the next key");
	key(FK_ENTER, 0);                     /* Next */
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert(F.need_message);

	/* words typed: Review, Send; urgent */
	F.message_empty = 0;
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	/* emptied on the way (caller's flag): Send goes back to the box */
	F.message_empty = 1;
	fx = keys("1");
	cr_assert_eq(fx & FLOW_FX_SEND, 0, "an empty write-back is never sent");
	cr_assert_eq(F.screen, FLOW_MESSAGE);
	cr_assert(F.need_message);
	F.message_empty = 0;
	key(FK_TAB, 0);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_REVIEW);
	cr_assert(keys("1") & FLOW_FX_SEND);
	cr_assert_eq(F.danger, RECORD_DANGER_YES);
	flow_send_result(&F, 1, now);
	cr_assert(F.sent_urgent, "a write-back in danger is urgent");

	/* back from Message after "yes" shows the help again */
	setup();
	reach_screen(FLOW_ANSWER);
	keys("111");
	keys("");
	key(FK_TAB, 0);
	key(FK_TAB, 0);
	key(FK_ENTER, 0);
	cr_assert_eq(F.screen, FLOW_HELP);
}
