/* The words of a request: every contact choice a kiosk offers (screens/,
 * each language) has the social worker's wording, the labels and danger
 * words are the ones both show and the inbox use, and the search folding
 * finds Spanish names without accents or case. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/screens.h"
#include "../../src/tool/recfmt.h"
#include "../../src/tool/textfold.h"
#include "../../src/tool/tooltime.h"

static void
setup(void)
{
	cr_assert(sodium_init() >= 0);
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
}

TestSuite(recfmt, .init = setup);

Test(recfmt, every_contact_choice_of_every_language_is_known)
{
	static const char *const langs[] = { "en", "es" };
	char dir[1024];
	size_t l, i, n;

	snprintf(dir, sizeof(dir), "%s/screens", getenv("SH_TOP") != NULL ? getenv("SH_TOP") : ".");
	struct screens *sc[2];

	for (l = 0; l < 2; l++) {
		cr_assert_not_null(sc[l] = screens_new());
		cr_assert_eq(screens_load(sc[l], dir, langs[l], "2 school days", NULL, NULL), SH_OK);
	}
	n = screens_count(sc[0], SCREENS_REACH, "contact");
	cr_assert_geq(n, 4);
	cr_assert_eq(screens_count(sc[1], SCREENS_REACH, "contact"), n);
	for (i = 0; i < n; i++) {
		const char *en = screens_get(sc[0], SCREENS_REACH, "contact", i);
		const char *es = screens_get(sc[1], SCREENS_REACH, "contact", i);

		cr_assert_not_null(recfmt_contact(en), "en: '%s' unknown", en);
		cr_assert_not_null(recfmt_contact(es), "es: '%s' unknown", es);
		/* choice i reads the same whichever language the student used */
		cr_assert_str_eq(recfmt_contact(en), recfmt_contact(es), "choice %zu", i);
	}
	for (l = 0; l < 2; l++)
		screens_free(sc[l]);
	/* the same choice in two languages reads the same */
	cr_assert_str_eq(recfmt_contact("Find me at school"), recfmt_contact("Búscame en la escuela"));
	cr_assert_null(recfmt_contact("call my aunt"));
}

Test(recfmt, labels_and_danger_words)
{
	cr_assert_str_eq(recfmt_field_label(RECORD_NAME, RECORD_ABOUT_FRIEND), "Reported by");
	cr_assert_str_eq(recfmt_field_label(RECORD_NAME, RECORD_ABOUT_SELF), "Name");
	cr_assert_str_eq(recfmt_danger_short(RECORD_DANGER_UNSURE), "not sure");
	cr_assert_str_eq(recfmt_danger_short(RECORD_DANGER_YES), "URGENT");
	cr_assert(strncmp(recfmt_danger_long(RECORD_DANGER_YES), "yes (URGENT", 11) == 0);
	cr_assert_str_eq(recfmt_danger_long(RECORD_DANGER_UNSURE), "not sure");
}

static int
finds(const char *hay, const char *needle)
{
	return textfold_contains(hay, strlen(hay), needle, strlen(needle));
}

Test(recfmt, search_is_case_and_accent_blind)
{
	cr_assert(finds("Name: José Núñez\n", "jose nunez"));
	cr_assert(finds("Name: JOSÉ NÚÑEZ\n", "José Núñez"));
	cr_assert(finds("Name: jose nunez\n", "JOSÉ"));
	/* decomposed input (e + U+0301) matches too */
	cr_assert(finds("Name: Jose\xcc\x81", "josé"));
	cr_assert(finds("Straße", "STRASSE"));
	cr_assert(finds("Ana María", "maria"));
	cr_assert(!finds("Ana María", "mario"));
	cr_assert(!finds("Ana", ""));
	/* other scripts keep their marks, and still match themselves */
	cr_assert(finds("Зоя Ким", "зоя"));
	cr_assert(finds("你好", "你好"));
	/* invalid UTF-8 in the search text does not crash or match wrongly */
	cr_assert(!finds("abc", "\xff"));
	cr_assert(finds("a\xff" "b", "A\xff"));
}

Test(recfmt, created_time_is_read_as_utc)
{
	cr_assert_eq(tooltime_created("2026-11-29T08:00Z"), (time_t)1795939200);
	cr_assert_eq(tooltime_created("2026-11-29T08:15Z"), (time_t)1795939200 + 900);
	cr_assert_eq(tooltime_created("2026-11-29 08:00"), (time_t)-1);
	cr_assert_eq(tooltime_created("2026-11-29T08:00Zjunk"), (time_t)-1);
}
