/* The student flow state machine (src/flow.c): every transition, back,
 * quick exit and timeout from every screen, the self/friend/info paths,
 * the F12 staff key and PIN rate limit, and the help bar. */
#include <criterion/criterion.h>
#include <string.h>

#include "safeharbor/flow.h"

#define IDLE 90u
#define SENT 5u

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
	default: cr_assert_fail("no such screen");
	}
	cr_assert_eq(F.screen, s, "wanted %s, at %s", flow_screen_name(s), flow_screen_name(F.screen));
}

Test(flow, starts_at_welcome)
{
	cr_assert_eq(F.screen, FLOW_WELCOME);
	cr_assert_eq(flow_noptions(&F), 2);
}

Test(flow, welcome_language_keys)
{
	keys("2");
	cr_assert_eq(F.screen, FLOW_ABOUT);
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
	cr_assert_eq(F.screen, FLOW_ABOUT);
	cr_assert_eq(F.lang, 1);
	key(FK_UP, 0);           /* wraps to the last option: questions */
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
	keys("222");
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
	cr_assert_eq(flow_noptions(&F), 2);
	keys("1");               /* ask for a meeting */
	cr_assert_eq(F.screen, FLOW_DANGER);
	cr_assert_eq(F.about, RECORD_ABOUT_INFO);
	keys("0");               /* back goes to the info screen */
	cr_assert_eq(F.screen, FLOW_INFO);
	cr_assert(ch('2') & FLOW_FX_WIPE);   /* "start over" */
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
	keys("3");
	cr_assert_eq(F.danger, RECORD_DANGER_UNSURE);
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
		if (s == FLOW_SENT) {
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
	flow_init(&F, 2, 4, 0, SENT, now);
	keys("11");
	cr_assert_eq(flow_tick(&F, now + 1000u * 100000u), 0);
	cr_assert_eq(F.screen, FLOW_DANGER);
}

Test(flow, review_change_and_cancel)
{
	reach_screen(FLOW_REVIEW);
	keys("2");
	cr_assert_eq(F.screen, FLOW_REACH);
	reach_screen(FLOW_REVIEW);
	cr_assert(ch('3') & FLOW_FX_WIPE);
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
	cr_assert_eq(ch('1'), 0);   /* stray digits do nothing */
	cr_assert_eq(F.screen, FLOW_SENT);
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
	key(FK_ESC, 0);
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

Test(flow, help_bar_names_the_keys)
{
	for (int s = 0; s < FLOW_NSCREENS; s++) {
		reach_screen((enum flow_screen)s);
		cr_assert(help_has("Esc", FLOW_HELP_QUICK_EXIT), "%s", flow_screen_name((enum flow_screen)s));
	}
	reach_screen(FLOW_WELCOME);
	cr_assert(help_has("1-2", FLOW_HELP_LANGUAGE));
	reach_screen(FLOW_ABOUT);
	cr_assert(help_has("1-3", FLOW_HELP_CHOOSE));
	cr_assert(help_has("0", FLOW_HELP_BACK));
	cr_assert(help_has("\u2191\u2193", FLOW_HELP_MOVE));
	cr_assert(help_has("Enter", FLOW_HELP_OK));
	reach_screen(FLOW_HELP);
	cr_assert(help_has("1", FLOW_HELP_CHOOSE));
	reach_screen(FLOW_REACH);
	cr_assert(help_has("Tab", FLOW_HELP_NEXT_FIELD));
	cr_assert(help_has("Shift-Tab", FLOW_HELP_PREV_FIELD));
	cr_assert(help_has("Ctrl-N", FLOW_HELP_ANONYMOUS));
	reach_screen(FLOW_MESSAGE);
	cr_assert(help_has("Enter", FLOW_HELP_NEWLINE));
	cr_assert(help_has("Tab", FLOW_HELP_BUTTONS));
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
