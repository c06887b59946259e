#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/replycode.h"

static char out[REPLYCODE_MAX + 1];

static void
init(void)
{
	cr_assert(sodium_init() >= 0);
}

TestSuite(replycode, .init = init);

static enum sh_status
norm(const char *in)
{
	size_t n;

	return replycode_normalize(in, strlen(in), out, &n);
}

Test(replycode, forgives_case_separators_and_accents)
{
	static const char *const same[] = {
		"maple-river-stone-otter-lake",
		"Maple River Stone Otter Lake",
		"  MAPLE--river  stone_otter.lake  ",
		"maple\xc2\xa0river\xe2\x80\x93stone/otter,lake",     /* NBSP, en dash */
		"m\xc3\xa1pl\xc3\xa9-r\xc3\xaf" "ver-st\xc3\xb3ne-\xc3\x93tter-l\xc3\xa0ke",
		"mape\xcc\x81-river-stone-otter-lake",                    /* combining acute */
	};
	size_t i;

	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		cr_assert_eq(norm(same[i]), SH_OK, "%zu", i);
		if (i == 5)
			cr_assert_str_eq(out, "mape-river-stone-otter-lake");
		else
			cr_assert_str_eq(out, "maple-river-stone-otter-lake", "%zu: %s", i, out);
	}
	cr_assert_eq(norm("\xc3\xb1" "and\xc3\xba-\xc5\xbe" "eta-\xc5\x82" "ake-\xc3\xa7" "a-\xc3\xbf" "es"), SH_OK);
	cr_assert_str_eq(out, "nandu-zeta-lake-ca-yes");
}

Test(replycode, refuses_what_is_not_a_code)
{
	static const char *const bad[] = {
		"", "   ", "maple-river-stone", "a-b-c-d-e-f-g", "maple-river-st0ne-otter",
		"maple-river-stone-\xf0\x9f\x98\x80", "maple-river-stone-otter-\xc3",
		"maple-river-stone-\xc0\xaf", "maple-river-stone-\xed\xa0\x80",
		"maple-river-stone-abcdefghijklm", "maple-river-stone-\xc3\x9f",   /* sharp s */
		"maple-river-stone-otter\n", "\xd0\xbc\xd0\xb0-river-stone-otter",  /* Cyrillic */
	};
	char big[REPLYCODE_INPUT_MAX + 2];
	size_t i, n = 99;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(out, 'x', sizeof out);
		cr_assert_eq(norm(bad[i]), SH_ERR_FORMAT, "%zu", i);
		cr_assert(sodium_is_zero((unsigned char *)out, sizeof out), "wiped %zu", i);
	}
	memset(big, ' ', sizeof big);
	memcpy(big, "maple river stone otter", 23);
	cr_assert_eq(replycode_normalize(big, sizeof big, out, &n), SH_ERR_TOO_LARGE);
	cr_assert_eq(n, 0);
	/* exactly the limit, trailing spaces: fine */
	cr_assert_eq(replycode_normalize(big, REPLYCODE_INPUT_MAX, out, &n), SH_OK);
	cr_assert_str_eq(out, "maple-river-stone-otter");
	cr_assert_eq(n, 23);
}

Test(replycode, words_needed_reach_44_bits)
{
	cr_assert_eq(replycode_words_needed(128), 0);   /* 6 x 7 = 42 bits */
	cr_assert_eq(replycode_words_needed(256), 6);
	cr_assert_eq(replycode_words_needed(511), 6);
	cr_assert_eq(replycode_words_needed(512), 5);
	cr_assert_eq(replycode_words_needed(2047), 5);
	cr_assert_eq(replycode_words_needed(2048), 4);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	cr_assert_not_null(f, "%s", path);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

Test(replycode, shipped_lists_make_codes)
{
	static const char *const langs[] = { "screens/en/words.txt", "screens/es/words.txt" };
	struct replycode_words *w;
	char code2[REPLYCODE_MAX + 1];
	size_t i, len, el, n;
	const char *why;
	char *text, *p, *dash;

	for (i = 0; i < 2; i++) {
		text = slurp(langs[i], &len);
		cr_assert_eq(replycode_words_parse(text, len, &w, &el, &why), SH_OK, "%s:%zu: %s",
		             langs[i], el, why);
		cr_assert_geq(replycode_words_count(w), REPLYCODE_LIST_MIN);
		cr_assert_eq(replycode_make(w, out, sizeof out), SH_OK);
		cr_assert_eq(replycode_make(w, code2, sizeof code2), SH_OK);
		cr_assert_str_neq(out, code2);
		/* 5 words from the list, and already in normal form */
		for (n = 0, p = out; p != NULL; n++, p = dash != NULL ? dash + 1 : NULL) {
			dash = strchr(p, '-');
			cr_assert(replycode_words_has(w, p, dash != NULL ? (size_t)(dash - p) : strlen(p)));
		}
		cr_assert_eq(n, 5);
		strcpy(code2, out);
		cr_assert_eq(replycode_normalize(code2, strlen(code2), out, &len), SH_OK);
		cr_assert_str_eq(out, code2);
		replycode_words_free(w);
		free(text);
	}
}

Test(replycode, word_list_problems_name_their_line)
{
	char text[8192];
	struct replycode_words *w = NULL;
	size_t el, pos, i;
	const char *why;

	pos = (size_t)snprintf(text, sizeof text, "# list\n\n");
	for (i = 0; i < 600; i++)
		pos += (size_t)snprintf(text + pos, sizeof text - pos, "w%c%c%c\n",
		                        'a' + (int)(i / 26 / 26 % 26), 'a' + (int)(i / 26 % 26),
		                        'a' + (int)(i % 26));
	cr_assert_eq(replycode_words_parse(text, pos, &w, &el, &why), SH_OK);
	cr_assert_eq(replycode_words_count(w), 600);
	replycode_words_free(w);
	text[2 + 7 + 5] = 'A';             /* line 4: "wAab" */
	cr_assert_eq(replycode_words_parse(text, pos, &w, &el, &why), SH_ERR_FORMAT);
	cr_assert_eq(el, 4);
	cr_assert_null(w);
	text[2 + 7 + 5] = 'a';
	memcpy(text + 13, "waaa", 4);     /* line 4 repeats line 3 */
	cr_assert_eq(replycode_words_parse(text, pos, &w, &el, &why), SH_ERR_FORMAT);
	cr_assert_eq(el, 4);
	cr_assert_eq(replycode_words_parse("abc\r\nabd\n", 9, &w, &el, &why), SH_ERR_FORMAT);
	cr_assert_eq(el, 0, "too few words is the whole file");
	cr_assert_eq(replycode_words_parse("ab\n", 3, &w, &el, &why), SH_ERR_FORMAT);
	cr_assert_eq(el, 1);
}

/* Known answer from independent tools: the Argon2 reference CLI
 *   printf %s maple-river-stone-otter-lake |
 *     argon2 safeharbor-rk-v1 -id -t 6 -k 65536 -p 1 -l 32 -r
 * gives the secret; `age-keygen -y` on it (as AGE-SECRET-KEY-1...) gives
 * the recipient. */
Test(replycode, derive_known_answer)
{
	static const char code[] = "maple-river-stone-otter-lake";
	struct age_identity *id = sodium_malloc(sizeof *id), *id2 = sodium_malloc(sizeof *id2);
	struct age_recipient rk;
	char hex[65], r[AGE_RECIPIENT_STRLEN + 1];

	cr_assert_eq(replycode_derive(code, strlen(code), id), SH_OK);
	sodium_bin2hex(hex, sizeof hex, id->sk, sizeof id->sk);
	cr_assert_str_eq(hex, "77eed656fafa08c11b17f004adf7722803b4a4778d2b13acfbe20cce90218d3f");
	age_identity_recipient(id, &rk);
	age_recipient_format(&rk, r);
	cr_assert_str_eq(r, "age1zz8unem5rmadlul2hyf05x5cht6u0ww5wda55s6z69n34vczjgvqytzuww");
	cr_assert_eq(replycode_derive("maple-river-stone-otter-lakes", 29, id2), SH_OK);
	cr_assert(sodium_memcmp(id->sk, id2->sk, sizeof id->sk) != 0);
	cr_assert_eq(replycode_derive("", 0, id2), SH_ERR_USAGE);
	sodium_free(id);
	sodium_free(id2);
}
