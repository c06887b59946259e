/* Screen text files (src/screens.c): the shipped en/es texts load cleanly
 * and fit, and every kind of problem is reported with file and line. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/screens.h"

struct seen {
	int n;
	char last[512];
	unsigned line;
	char first[512];
};

static void
rep(void *ctx, const char *file, unsigned line, const char *msg)
{
	struct seen *s = ctx;
	s->n++;
	s->line = line;
	snprintf(s->last, sizeof s->last, "%s:%u: %s", file, line, msg);
	if (s->n == 1)
		snprintf(s->first, sizeof s->first, "%s", s->last);
	fprintf(stderr, "%s\n", s->last);
}

static const char *
top(void)
{
	const char *t = getenv("SH_TOP");
	return t != NULL ? t : ".";
}

static void
setup(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"));
}

TestSuite(screens, .init = setup);

static struct seen
parse(enum screens_id id, const char *text)
{
	struct seen s = { 0, "", 0, "" };
	struct screens *sc = screens_new();
	enum sh_status st = screens_parse(sc, id, "t.txt", text, strlen(text), "2 school days", rep, &s);
	cr_assert_eq(st == SH_OK, s.n == 0, "status %d with %d problems", st, s.n);
	screens_free(sc);
	return s;
}

Test(screens, shipped_languages_load_cleanly)
{
	static const char *langs[] = { "en", "es" };
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/screens", top());
	for (size_t i = 0; i < 2; i++) {
		struct seen s = { 0, "", 0, "" };
		struct screens *sc = screens_new();
		cr_assert_eq(screens_load(sc, dir, langs[i], "2 school days", rep, &s), SH_OK,
		             "%s: %s", langs[i], s.last);
		cr_assert_eq(s.n, 0);
		cr_assert_str_eq(screens_get(sc, SCREENS_WELCOME, "title", 0),
		                 i == 0 ? "Talk to someone — privately" : "Habla con alguien — en privado");
		cr_assert_eq(screens_count(sc, SCREENS_ABOUT, "option"), 4);   /* 4: I have a code */
		cr_assert_eq(screens_count(sc, SCREENS_REVIEW, "option"), 3);
		cr_assert_geq(screens_count(sc, SCREENS_REACH, "contact"), 1);
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_HELP), "911"));
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_HELP), "1-888-373-7888"));
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_HELP), "233733"));
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_HELP), "988"));
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_INFO), "1-888-373-7888"));
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_NOTSENT), "NO"));
		cr_assert_not_null(strstr(screens_get(sc, SCREENS_SENT, "next", 0), "{follow_up}"));
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_WELCOME), "{readers}"));
		cr_assert_not_null(strstr(screens_body(sc, SCREENS_REVIEW), "{readers}"));
		cr_assert_str_eq(screens_readers(sc, NULL), i == 0 ? "the school social worker" :
		                 "la persona de trabajo social de la escuela");
		cr_assert_str_eq(screens_readers(sc, "x"), "x");
		/* no lead line names "your friend" on the me path */
		cr_assert_null(strstr(screens_get(sc, SCREENS_DANGER, "ask-self", 0), i == 0 ? "friend" : "amig"));
		cr_assert_str_eq(screens_follow_up(sc, "2 school days"),
		                 i == 0 ? "2 school days" : "2 días de clase");
		for (int id = 0; id < SCREENS_N; id++) {
			const char *t = screens_get(sc, (enum screens_id)id, "title", 0);
			cr_assert_null(strstr(t, "raffick"), "%s", t);
			cr_assert_null(strstr(t, "Trata"), "%s", t);
		}
		screens_free(sc);
	}
}

/* Plain words: no English sentence of 20 words or more. */
static void
check_sentences(const char *text, const char *where)
{
	int words = 0, inword = 0;
	for (const char *p = text; ; p++) {
		if (*p == '\0' || *p == '.' || *p == '?' || *p == '!' || *p == ':' || *p == '\n') {
			if (inword)
				words++;
			cr_assert_lt(words, 20, "%s: a sentence of %d words near \"%.40s\"", where, words, p - 40 > text ? p - 40 : text);
			words = 0;
			inword = 0;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == ' ') {
			if (inword)
				words++;
			inword = 0;
		} else {
			inword = 1;
		}
	}
}

Test(screens, english_sentences_are_short)
{
	char dir[4096];
	struct screens *sc = screens_new();
	snprintf(dir, sizeof dir, "%s/screens", top());
	cr_assert_eq(screens_load(sc, dir, "en", "2 school days", NULL, NULL), SH_OK);
	for (int id = 0; id < SCREENS_N; id++)
		check_sentences(screens_body(sc, (enum screens_id)id), screens_file_name((enum screens_id)id));
	screens_free(sc);
}

Test(screens, good_file_parses)
{
	struct screens *sc = screens_new();
	const char *t = "# comment\r\ntitle: Hello there\r\noption: One\noption: Two\noption: Three\n"
	                "option: Four\n---\nFirst line\njoined here.\n\n- an item\n- another\n\n\n";
	cr_assert_eq(screens_parse(sc, SCREENS_ABOUT, "a.txt", t, strlen(t), NULL, NULL, NULL), SH_OK);
	cr_assert_str_eq(screens_get(sc, SCREENS_ABOUT, "title", 0), "Hello there");
	cr_assert_str_eq(screens_get(sc, SCREENS_ABOUT, "option", 2), "Three");
	cr_assert_str_eq(screens_get(sc, SCREENS_ABOUT, "option", 4), "");
	cr_assert_str_eq(screens_body(sc, SCREENS_ABOUT), "First line joined here.\n\n- an item\n- another");
	screens_free(sc);
}

Test(screens, problems_name_the_line)
{
	struct seen s;

	s = parse(SCREENS_ABOUT, "title: x\noption: a\noption: b\noption: c\noption: d\nbogus: 1\n---\nbody\n");
	cr_assert_eq(s.line, 6);
	cr_assert_not_null(strstr(s.last, "unknown key \"bogus\""));

	s = parse(SCREENS_ABOUT, "title: x\noption: a\noption: b\n---\nbody\n");
	cr_assert_not_null(strstr(s.last, "needs 4 \"option:\" lines, has 2"), "%s", s.last);

	s = parse(SCREENS_WELCOME, "---\nbody\n");
	cr_assert_not_null(strstr(s.last, "missing \"title:\""));

	s = parse(SCREENS_WELCOME, "title: a\ntitle: b\n---\nbody\n");
	cr_assert_eq(s.line, 2);
	cr_assert_not_null(strstr(s.last, "twice"));

	s = parse(SCREENS_WELCOME, "title: a\n---\nok\nbad \xff byte\n");
	cr_assert_eq(s.line, 4);
	cr_assert_not_null(strstr(s.last, "UTF-8"));

	s = parse(SCREENS_WELCOME, "title: a\n---\nok\n\tindent\n");
	cr_assert_eq(s.line, 4);
	cr_assert_not_null(strstr(s.last, "tab"));

	s = parse(SCREENS_WELCOME, "title: a\x1b[2J\n---\nok\n");
	cr_assert_eq(s.line, 1);

	s = parse(SCREENS_WELCOME, "title: a\n");
	cr_assert_not_null(strstr(s.last, "missing body"));

	s = parse(SCREENS_WELCOME, "title:\n---\nx\n");
	cr_assert_not_null(strstr(s.first, "no text"));

	s = parse(SCREENS_WELCOME, "title a\n---\nx\n");
	cr_assert_not_null(strstr(s.first, "expected"));

	s = parse(SCREENS_COMMON, "language: x\n---\nbody\n");
	cr_assert_geq(s.n, 1);
}

Test(screens, titles_stay_neutral)
{
	struct seen s = parse(SCREENS_WELCOME, "title: Report Human TRAFFICKING\n---\nx\n");
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.line, 1);
	cr_assert_not_null(strstr(s.last, "neutral"));
	s = parse(SCREENS_WELCOME, "title: Víctimas de trata de personas\n---\nx\n");
	cr_assert_eq(s.n, 1);
	/* the hotline's name may appear in a body */
	s = parse(SCREENS_WELCOME, "title: Talk\n---\nNational Human Trafficking Hotline\n");
	cr_assert_eq(s.n, 0);
}

Test(screens, placeholders_are_checked)
{
	struct seen s = parse(SCREENS_CANCELLED, "title: Sent\n---\nIn {seconds} s.\n");
	cr_assert_eq(s.n, 0);
	s = parse(SCREENS_SENT, "title: Sent\nnext: in {follow_up}\nnext-urgent: now\ncode-label: Code:\n"
	          "code-keep: Keep it.\n---\n{readers}, {seconds}.\n");
	cr_assert_eq(s.n, 0, "%s", s.last);
	s = parse(SCREENS_SENT, "title: Sent\nnext: in {seconds}\nnext-urgent: now\ncode-label: C\ncode-keep: K\n---\nok\n");
	cr_assert_eq(s.line, 2);
	s = parse(SCREENS_CANCELLED, "title: Sent\n---\nok\nWithin {days}.\n");
	cr_assert_eq(s.line, 4);
	cr_assert_not_null(strstr(s.last, "{days}"));
	s = parse(SCREENS_WELCOME, "title: a\n---\nWithin {follow_up}.\n");
	cr_assert_eq(s.n, 1);
	s = parse(SCREENS_CANCELLED, "title: Sent\n---\nWithin {follow_up.\n");
	cr_assert_not_null(strstr(s.last, "brace"));
}

Test(screens, text_must_fit_80x24)
{
	char big[8192] = "title: Hi\n---\n";
	for (int i = 0; i < 20; i++)
		strcat(big, "This is a line of text that goes on.\n\n");
	struct seen s = parse(SCREENS_WELCOME, big);
	cr_assert_not_null(strstr(s.last, "too long for an 80x24 screen"), "%s", s.last);
	cr_assert_eq(s.line, 2);
	s = parse(SCREENS_WELCOME, "title: 0123456789012345678901234567890123456789012345678901234567890123456789XX\n---\nx\n");
	cr_assert_not_null(strstr(s.last, "too long for the screen"));
	/* wide characters count double */
	s = parse(SCREENS_WELCOME, "title: 李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李李\n---\nx\n");
	cr_assert_eq(s.n, 1);
}

Test(screens, missing_files_are_reported)
{
	struct seen s = { 0, "", 0, "" };
	struct screens *sc = screens_new();
	cr_assert_eq(screens_load(sc, "/nonexistent", "en", NULL, rep, &s), SH_ERR_NOT_FOUND);
	cr_assert_eq(s.n, SCREENS_N);
	cr_assert_not_null(strstr(s.last, "missing screen file"));
	screens_free(sc);
}

struct lines {
	int n;
	char l[16][128];
	unsigned ind[16];
};

static void
collect(void *ctx, const char *line, size_t len, unsigned indent)
{
	struct lines *L = ctx;
	if (L->n < 16) {
		snprintf(L->l[L->n], sizeof L->l[0], "%.*s", (int)len, line);
		L->ind[L->n] = indent;
	}
	L->n++;
}

Test(screens, wrap)
{
	struct lines L = { 0 };
	size_t n = screens_wrap("one two three four\n\n- item that wraps", 10, collect, &L);
	cr_assert_eq(n, 6);
	cr_assert_str_eq(L.l[0], "one two");
	cr_assert_str_eq(L.l[1], "three four");
	cr_assert_str_eq(L.l[2], "");
	cr_assert_str_eq(L.l[3], "- item");
	cr_assert_str_eq(L.l[4], "that");
	cr_assert_eq(L.ind[4], 2);
	cr_assert_str_eq(L.l[5], "wraps");
	memset(&L, 0, sizeof L);
	cr_assert_eq(screens_wrap("abcdefghijkl", 5, collect, &L), 3);
	cr_assert_str_eq(L.l[2], "kl");
}

Test(screens, expand)
{
	const struct screens_var v[] = { { "count", "12" }, { "max", "2000" } };
	char out[64];
	cr_assert_eq(screens_expand("{count} of {max} characters", v, 2, out, sizeof out), 0);
	cr_assert_str_eq(out, "12 of 2000 characters");
	cr_assert_eq(screens_expand("{nope}", v, 2, out, sizeof out), -1);
	cr_assert_eq(screens_expand("{count} of {max} characters", v, 2, out, 8), -1);
	cr_assert_eq(strlen(out) < 8, 1);
}
