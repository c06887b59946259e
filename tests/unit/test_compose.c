/* The compose box's pure half (src/tool/compose.c): each kind's limits,
 * the count shown, the text kept (trailing blanks dropped, lines kept). */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "safeharbor/caserec.h"
#include "safeharbor/reply.h"
#include "../../src/tool/compose.h"

static void
setup(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
}

TestSuite(compose, .init = setup);

static void
type(struct textfield *tf, const char *s)
{
	cr_assert_eq(textfield_set(tf, s, strlen(s)), SH_OK);
}

Test(compose, an_answer_stops_at_the_reply_limit)
{
	struct textfield *tf = compose_field_new(&compose_reply);
	size_t i;

	cr_assert_not_null(tf);
	for (i = 0; i < SH_REPLY_TEXT_MAX_CHARS; i++)
		cr_assert_eq(textfield_insert(tf, 0xe9), SH_OK);     /* é: 2 bytes */
	cr_assert_eq(textfield_insert(tf, 'x'), SH_ERR_TOO_LARGE);
	cr_assert_eq(textfield_insert(tf, '\n'), SH_ERR_TOO_LARGE);
	cr_assert_eq(textfield_chars(tf), 500);
	textfield_free(tf);
}

Test(compose, a_note_keeps_its_own_larger_limit)
{
	struct textfield *tf = compose_field_new(&compose_note);
	size_t i;

	cr_assert_not_null(tf);
	for (i = 0; i < SH_REPLY_TEXT_MAX_CHARS + 1; i++)
		cr_assert_eq(textfield_insert(tf, 'a'), SH_OK);
	cr_assert_eq(textfield_max_chars(tf), CASEREC_TEXT_MAX_CHARS);
	textfield_free(tf);
}

Test(compose, the_footer_counts_what_is_left_and_names_the_key)
{
	struct textfield *tf = compose_field_new(&compose_reply);
	char out[200];

	type(tf, "Hola\nMs. Rivera");
	compose_footer(&compose_reply, tf, "", out, sizeof out);
	cr_assert_not_null(strstr(out, "15/500 characters (485 left)"), "%s", out);
	cr_assert_not_null(strstr(out, "Ctrl-D send"), "%s", out);
	compose_footer(&compose_note, tf, "the note is full", out, sizeof out);
	cr_assert_not_null(strstr(out, "Ctrl-D save"), "%s", out);
	cr_assert_not_null(strstr(out, "the note is full"), "%s", out);
	compose_why(&compose_reply, 0, out, sizeof out);
	cr_assert_str_eq(out, "the answer is empty");
	compose_why(&compose_reply, 1, out, sizeof out);
	cr_assert_str_eq(out, "the answer is full");
	textfield_free(tf);
}

Test(compose, the_text_keeps_its_lines_and_drops_trailing_blanks)
{
	struct textfield *tf = compose_field_new(&compose_reply);
	const char *s;
	size_t len;

	type(tf, "Come to room 12.\n\nMs. Rivera  \n \n");
	s = compose_text(tf, &len);
	cr_assert_eq(len, strlen("Come to room 12.\n\nMs. Rivera"));
	cr_assert_eq(memcmp(s, "Come to room 12.\n\nMs. Rivera", len), 0);
	textfield_clear(tf);
	type(tf, " \n  \n");
	(void)compose_text(tf, &len);
	cr_assert_eq(len, 0, "blank is nothing to send");
	textfield_free(tf);
}
