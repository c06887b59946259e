/* UTF-8 editing buffer (src/textfield.c): multi-byte, wide and combining
 * characters, limits in characters and bytes, no control characters,
 * cursor moves, wrapping, wiping. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "safeharbor/textfield.h"
#include "safeharbor/record.h"

static struct textfield *tf;

static void
setup(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
	tf = textfield_new(10, 40, 0);
	cr_assert_not_null(tf);
}

static void
teardown(void)
{
	textfield_free(tf);
}

TestSuite(textfield, .init = setup, .fini = teardown);

static void
type(const char *s)
{
	size_t pos = 0, n, len = strlen(s);
	uint32_t cp;

	while (pos < len) {
		n = textfield_utf8_decode(s + pos, len - pos, &cp);
		cr_assert_neq(n, 0);
		cr_assert_eq(textfield_insert(tf, cp), SH_OK, "typing U+%04X", (unsigned)cp);
		pos += n;
	}
}

static const char *
text(void)
{
	return textfield_data(tf, NULL);
}

Test(textfield, ascii_insert_and_backspace)
{
	type("abc");
	cr_assert_str_eq(text(), "abc");
	cr_assert_eq(textfield_chars(tf), 3);
	cr_assert(textfield_backspace(tf));
	cr_assert_str_eq(text(), "ab");
	textfield_left(tf);
	type("X");
	cr_assert_str_eq(text(), "aXb");
	textfield_home(tf);
	cr_assert(textfield_delete(tf));
	cr_assert_str_eq(text(), "Xb");
	textfield_end(tf);
	cr_assert_eq(textfield_cursor(tf), 2);
	cr_assert_eq(textfield_delete(tf), 0);
	textfield_home(tf);
	cr_assert_eq(textfield_backspace(tf), 0);
}

Test(textfield, multibyte_backspace_removes_one_character)
{
	type("é李😀");
	cr_assert_eq(textfield_chars(tf), 3);
	cr_assert_eq(textfield_len(tf), 2 + 3 + 4);
	cr_assert(textfield_backspace(tf));
	cr_assert_str_eq(text(), "é李");
	cr_assert(textfield_backspace(tf));
	cr_assert_str_eq(text(), "é");
	cr_assert(textfield_backspace(tf));
	cr_assert_str_eq(text(), "");
	cr_assert_eq(textfield_chars(tf), 0);
}

Test(textfield, combining_sequence_is_one_character_for_the_cursor)
{
	type("ae\xcc\x81z");          /* a, e + COMBINING ACUTE, z */
	cr_assert_eq(textfield_chars(tf), 4);
	textfield_left(tf);            /* before z */
	textfield_left(tf);            /* before e + mark */
	cr_assert_eq(textfield_cursor(tf), 1);
	textfield_right(tf);
	cr_assert_eq(textfield_cursor(tf), 4);
	cr_assert(textfield_backspace(tf));   /* e and its mark go together */
	cr_assert_str_eq(text(), "az");
	cr_assert_eq(textfield_chars(tf), 2);
}

Test(textfield, display_width)
{
	type("a李b");
	cr_assert_eq(textfield_str_width(text(), textfield_len(tf)), 4);
	cr_assert_eq(textfield_cp_width(0x301), 0);
	cr_assert_eq(textfield_cp_width(0x674e), 2);
}

Test(textfield, char_limit)
{
	type("0123456789");
	cr_assert_eq(textfield_insert(tf, 'x'), SH_ERR_TOO_LARGE);
	cr_assert_eq(textfield_chars(tf), 10);
	cr_assert_str_eq(text(), "0123456789");
}

Test(textfield, byte_limit)
{
	struct textfield *small = textfield_new(10, 5, 0);
	cr_assert_eq(textfield_insert(small, 0x674e), SH_OK);
	cr_assert_eq(textfield_insert(small, 0x674e), SH_ERR_TOO_LARGE);
	cr_assert_eq(textfield_insert(small, 'a'), SH_OK);
	cr_assert_eq(textfield_insert(small, 'b'), SH_OK);
	cr_assert_eq(textfield_insert(small, 'c'), SH_ERR_TOO_LARGE);
	cr_assert_eq(textfield_len(small), 5);
	textfield_free(small);
}

Test(textfield, no_control_characters)
{
	static const uint32_t bad[] = { 0, 1, 7, 8, 9, '\n', '\r', 0x1b, 0x7f, 0x85, 0x9b,
	                                0xd800, 0x110000, 0x202e, 0x2066 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(textfield_insert(tf, bad[i]), SH_ERR_FORMAT, "U+%04X", (unsigned)bad[i]);
	cr_assert_eq(textfield_len(tf), 0);
	cr_assert_eq(textfield_set(tf, "a\x1b[2J", 5), SH_ERR_FORMAT);
	cr_assert_eq(textfield_set(tf, "\xc3", 1), SH_ERR_FORMAT);
	cr_assert_eq(textfield_set(tf, "\xed\xa0\x80", 3), SH_ERR_FORMAT);   /* surrogate */
	cr_assert_eq(textfield_set(tf, "\xc0\xaf", 2), SH_ERR_FORMAT);       /* overlong */
	cr_assert_eq(textfield_len(tf), 0);
}

Test(textfield, multiline_takes_newline_and_moves_by_line)
{
	struct textfield *m = textfield_new(SH_MESSAGE_MAX_CHARS, SH_MESSAGE_MAX, 1);
	cr_assert_eq(textfield_set(m, "hello\nab", 8), SH_OK);
	cr_assert_eq(textfield_insert(m, '\n'), SH_OK);
	cr_assert_eq(textfield_insert(m, '\t'), SH_ERR_FORMAT);
	textfield_up(m);               /* from the start of line 3 to line 2 */
	cr_assert_eq(textfield_cursor(m), 6);
	textfield_end(m);
	textfield_up(m);
	cr_assert_eq(textfield_cursor(m), 2);
	textfield_down(m);
	cr_assert_eq(textfield_cursor(m), 8);
	textfield_home(m);
	cr_assert_eq(textfield_cursor(m), 6);
	textfield_free(m);
}

Test(textfield, message_limit_matches_record)
{
	struct textfield *m = textfield_new(SH_MESSAGE_MAX_CHARS, SH_MESSAGE_MAX, 1);
	for (size_t i = 0; i < SH_MESSAGE_MAX_CHARS; i++)
		cr_assert_eq(textfield_insert(m, 0x1f600), SH_OK);
	cr_assert_eq(textfield_insert(m, 'a'), SH_ERR_TOO_LARGE);
	cr_assert_eq(textfield_len(m), SH_MESSAGE_MAX);
	textfield_free(m);
}

Test(textfield, clear_wipes_the_bytes)
{
	const char *p;
	type("secret");
	p = text();
	textfield_clear(tf);
	for (size_t i = 0; i < 40; i++)
		cr_assert_eq(p[i], 0);
	cr_assert_eq(textfield_chars(tf), 0);
	cr_assert_eq(textfield_cursor(tf), 0);
}

Test(textfield, wrap_words)
{
	struct textfield *m = textfield_new(200, 800, 1);
	size_t st[16], n;
	const char *s = "one two three four\nfive";
	cr_assert_eq(textfield_set(m, s, strlen(s)), SH_OK);
	n = textfield_wrap(m, 9, st, 16);
	cr_assert_eq(n, 4);
	cr_assert_eq(st[0], 0);
	cr_assert_eq(st[1], 8);    /* "three " */
	cr_assert_eq(st[2], 14);   /* "four" */
	cr_assert_eq(st[3], 19);   /* "five" after LF */
	/* a long word is cut at the width; wide characters never straddle */
	cr_assert_eq(textfield_set(m, "李李李李李", 15), SH_OK);
	n = textfield_wrap(m, 5, st, 16);
	cr_assert_eq(n, 3);
	cr_assert_eq(st[1], 6);
	cr_assert_eq(st[2], 12);
	textfield_free(m);
}

Test(textfield, up_and_down_by_wrapped_line)
{
	struct textfield *m = textfield_new(200, 800, 1);
	const char *s = "one two three four\nfive";
	/* width 9: "one two " | "three " | "four\n" | "five" */
	cr_assert_eq(textfield_set(m, s, strlen(s)), SH_OK);
	textfield_up_wrapped(m, 9);             /* from the end of "five" */
	cr_assert_eq(textfield_cursor(m), 18);  /* end of "four", before LF */
	textfield_up_wrapped(m, 9);
	cr_assert_eq(textfield_cursor(m), 12);  /* column 4 of "three": before its last e */
	textfield_up_wrapped(m, 9);
	cr_assert_eq(textfield_cursor(m), 4);   /* "one |two" */
	textfield_up_wrapped(m, 9);             /* first line: stays */
	cr_assert_eq(textfield_cursor(m), 4);
	textfield_down_wrapped(m, 9);
	cr_assert_eq(textfield_cursor(m), 12);
	textfield_down_wrapped(m, 9);
	textfield_down_wrapped(m, 9);
	cr_assert_eq(textfield_cursor(m), 23);  /* "five" is shorter: its end */
	textfield_down_wrapped(m, 9);           /* last line: stays */
	cr_assert_eq(textfield_cursor(m), 23);
	/* a long paragraph with no newline can be walked line by line */
	textfield_clear(m);
	for (int i = 0; i < 30; i++)
		cr_assert_eq(textfield_insert(m, i % 5 == 4 ? ' ' : 'a'), SH_OK);
	textfield_home(m);
	cr_assert_eq(textfield_cursor(m), 0);
	textfield_down_wrapped(m, 10);
	cr_assert_eq(textfield_cursor(m), 10);
	textfield_down_wrapped(m, 10);
	cr_assert_eq(textfield_cursor(m), 20);
	textfield_up_wrapped(m, 10);
	cr_assert_eq(textfield_cursor(m), 10);
	textfield_free(m);
}
