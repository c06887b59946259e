#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tool/csvw.h"

static char *buf;
static size_t len;

static void
row(const char *const *fields, size_t n, const char *want)
{
	struct csvw w;
	FILE *f = open_memstream(&buf, &len);
	size_t i;

	cr_assert_not_null(f);
	csvw_init(&w, f);
	for (i = 0; i < n; i++)
		csvw_field(&w, fields[i]);
	csvw_end_row(&w);
	cr_assert_eq(csvw_finish(&w), 0);
	fclose(f);
	cr_assert_str_eq(buf, want);
	free(buf);
}

Test(csvw, plain_fields_unquoted_crlf)
{
	const char *f[] = { "id", "name", "" };

	row(f, 3, "id,name,\r\n");
}

Test(csvw, comma_quote_newline_quoted)
{
	const char *f[] = { "a,b", "say \"hi\"", "l1\nl2", "cr\rx" };

	row(f, 4, "\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\"cr\rx\"\r\n");
}

Test(csvw, utf8_kept)
{
	const char *f[] = { "Jos\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac, \xf0\x9f\x99\x82" };

	row(f, 2, "Jos\xc3\xa9,\"\xe6\x97\xa5\xe6\x9c\xac, \xf0\x9f\x99\x82\"\r\n");
}

Test(csvw, formulas_neutralised)
{
	const char *f[] = { "=1+2", "+x", "-3", "@SUM(A1)", "a=b" };

	row(f, 5, "'=1+2,'+x,'-3,'@SUM(A1),a=b\r\n");
}

Test(csvw, formula_with_comma_quoted_after_apostrophe)
{
	const char *f[] = { "=HYPERLINK(\"x\",\"y\")" };

	row(f, 1, "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n");
}

Test(csvw, surrounding_spaces_quoted)
{
	const char *f[] = { " lead", "trail ", "in side" };

	row(f, 3, "\" lead\",\"trail \",in side\r\n");
}

Test(csvw, rows_reset_separator)
{
	struct csvw w;
	FILE *f = open_memstream(&buf, &len);

	csvw_init(&w, f);
	csvw_field(&w, "a");
	csvw_field(&w, "b");
	csvw_end_row(&w);
	csvw_field(&w, "c");
	csvw_field_n(&w, "d\0e", 3);
	csvw_end_row(&w);
	cr_assert_eq(csvw_finish(&w), 0);
	fclose(f);
	cr_assert_eq(len, 12);
	cr_assert(memcmp(buf, "a,b\r\nc,d\0e\r\n", 12) == 0);
	free(buf);
}
