#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/termsafe.h"

static char *
copy(const char *s, size_t len, unsigned flags)
{
	static char out[512];

	termsafe_copy(out, sizeof(out), s, len, flags);
	return out;
}

Test(termsafe, plain_utf8_passes)
{
	cr_assert_str_eq(copy("new/3fa9.age:2,S", 16, 0), "new/3fa9.age:2,S");
	cr_assert_str_eq(copy("Señora Núñez 田中", strlen("Señora Núñez 田中"), 0),
	                 "Señora Núñez 田中");
}

Test(termsafe, escapes_c0_del_and_esc)
{
	const char s[] = "a\x1b]0;owned\x07" "b\x7f" "c\rd\be";

	cr_assert_str_eq(copy(s, sizeof(s) - 1, 0),
	                 "a\\x1b]0;owned\\x07b\\x7fc\\x0dd\\x08e");
	/* the NUL is escaped too: len, not strlen, says what was read */
	cr_assert_str_eq(copy("x\0y", 3, 0), "x\\x00y");
}

Test(termsafe, newline_and_tab_only_in_multiline)
{
	cr_assert_str_eq(copy("1\n2\t3", 5, 0), "1\\x0a2\\x093");
	cr_assert_str_eq(copy("1\n2\t3", 5, TERMSAFE_MULTILINE), "1\n2\t3");
	cr_assert_str_eq(copy("1\x1b[2J", 5, TERMSAFE_MULTILINE), "1\\x1b[2J");
}

Test(termsafe, escapes_c1_bidi_and_invalid_bytes)
{
	/* U+009B (C1 CSI), U+202E (right-to-left override), U+2066, U+FEFF */
	const char s[] = "\xc2\x9b" "2J|\xe2\x80\xae" "gpj.exe|\xe2\x81\xa6|\xef\xbb\xbf";

	cr_assert_str_eq(copy(s, sizeof(s) - 1, 0),
	                 "\\x9b2J|\\u202egpj.exe|\\u2066|\\ufeff");
	/* a lone continuation byte, an overlong NUL, a surrogate, a cut sequence */
	cr_assert_str_eq(copy("\x80|\xc0\x80|\xed\xa0\x80|\xe2\x80", 11, 0),
	                 "\\x80|\\xc0\\x80|\\xed\\xa0\\x80|\\xe2\\x80");
}

Test(termsafe, cut_is_whole_and_reports_length)
{
	char out[8];
	size_t need = termsafe_copy(out, sizeof(out), "ab\x1b" "cdef", 7, 0);

	cr_assert_eq(need, 10);
	/* "ab\x1b" is 6 bytes, "c" fits, "d" would leave no room for the NUL */
	cr_assert_str_eq(out, "ab\\x1bc");
	need = termsafe_copy(out, 4, "ab\x1b", 3, 0);
	cr_assert_str_eq(out, "ab");
}

Test(termsafe, line_prints_one_line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(termsafe_line(f, "tmp/%s: %d problems", "x\n\x1b[2Jverify: 0", 3), 0);
	fclose(f);
	cr_assert_str_eq(buf, "tmp/x\\x0a\\x1b[2Jverify: 0: 3 problems\n");
	free(buf);
}

Test(termsafe, write_long_text_keeps_characters_whole)
{
	char *buf = NULL, *in;
	size_t len = 0, i, n = 3000;
	FILE *f = open_memstream(&buf, &len);

	/* "é" is two bytes: a cut between them would print two escapes */
	in = malloc(n * 2 + 2);
	cr_assert_not_null(in);
	in[0] = 'x';
	for (i = 0; i < n; i++)
		memcpy(in + 1 + 2 * i, "\xc3\xa9", 2);
	termsafe_write(f, in, 1 + 2 * n, 0);
	fclose(f);
	cr_assert_eq(len, 1 + 2 * n);
	cr_assert_eq(memcmp(buf, in, len), 0);
	free(in);
	free(buf);
}
