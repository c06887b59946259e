#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tool/jsonw.h"

static char *buf;
static size_t len;

static FILE *
mem(void)
{
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	return f;
}

static void
done(FILE *f, const char *want)
{
	fclose(f);
	cr_assert_str_eq(buf, want);
	free(buf);
	buf = NULL;
}

static void
one_string(const char *s, size_t n, const char *want)
{
	struct jsonw w;
	FILE *f = mem();

	jsonw_init(&w, f);
	jsonw_string_n(&w, s, n);
	cr_assert_eq(jsonw_finish(&w), 0);
	done(f, want);
}

Test(jsonw, escapes_quote_backslash_and_controls)
{
	one_string("a\"b\\c", 5, "\"a\\\"b\\\\c\"\n");
	one_string("l1\nl2\r\t\b\f", 9, "\"l1\\nl2\\r\\t\\b\\f\"\n");
	one_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"\n");
	one_string("nul\0x", 5, "\"nul\\u0000x\"\n");
	one_string("</script>", 9, "\"</script>\"\n");
}

Test(jsonw, utf8_passes_and_invalid_becomes_replacement)
{
	one_string("Jos\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82", 17,
	           "\"Jos\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82\"\n");
	one_string("\xff", 1, "\"\\ufffd\"\n");
	one_string("a\xc3", 2, "\"a\\ufffd\"\n");                /* cut sequence */
	one_string("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"\n");       /* overlong '/' */
	one_string("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"\n"); /* surrogate */
	one_string("\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n"); /* > U+10FFFF */
}

Test(jsonw, structure_and_values)
{
	struct jsonw w;
	FILE *f = mem();

	jsonw_init(&w, f);
	jsonw_begin_array(&w);
	jsonw_begin_object(&w);
	jsonw_kv_string(&w, "id", "ab");
	jsonw_kv_string(&w, "none", NULL);
	jsonw_kv_int(&w, "n", -42);
	jsonw_kv_bool(&w, "t", 1);
	jsonw_key(&w, "empty");
	jsonw_begin_array(&w);
	jsonw_end_array(&w);
	jsonw_end_object(&w);
	jsonw_begin_object(&w);
	jsonw_end_object(&w);
	jsonw_end_array(&w);
	cr_assert_eq(jsonw_finish(&w), 0);
	done(f, "[\n  {\n    \"id\": \"ab\",\n    \"none\": null,\n    \"n\": -42,\n"
	        "    \"t\": true,\n    \"empty\": []\n  },\n  {}\n]\n");
}

Test(jsonw, unbalanced_is_an_error)
{
	struct jsonw w;
	FILE *f = mem();

	jsonw_init(&w, f);
	jsonw_begin_array(&w);
	cr_assert_eq(jsonw_finish(&w), -1);
	fclose(f);
	free(buf);
	f = mem();
	jsonw_init(&w, f);
	jsonw_end_object(&w);
	cr_assert_eq(jsonw_finish(&w), -1);
	fclose(f);
	free(buf);
}

Test(jsonw, key_escaped_too)
{
	struct jsonw w;
	FILE *f = mem();

	jsonw_init(&w, f);
	jsonw_begin_object(&w);
	jsonw_kv_int(&w, "a\"b", 1);
	jsonw_end_object(&w);
	cr_assert_eq(jsonw_finish(&w), 0);
	done(f, "{\n  \"a\\\"b\": 1\n}\n");
}
