#ifndef SAFEHARBOR_SCREENS_H
#define SAFEHARBOR_SCREENS_H

/*
 * Every student-facing word, loaded from plain text files in
 * <screens>/<lang>/<name>.txt (format: screens/README). Loading validates
 * each file completely: UTF-8, no control characters, known keys only,
 * required keys present, placeholders known, titles neutral, and that the
 * text fits the 80x24 layout. Every problem is reported with file and line,
 * so `--check` can list them all. No curses here.
 */

#include <stddef.h>
#include "safeharbor/status.h"

enum screens_id {
	SCREENS_COMMON,
	SCREENS_WELCOME,
	SCREENS_ABOUT,
	SCREENS_INFO,
	SCREENS_DANGER,
	SCREENS_HELP,
	SCREENS_REACH,
	SCREENS_MESSAGE,
	SCREENS_REVIEW,
	SCREENS_SENT,
	SCREENS_NOTSENT,
	SCREENS_TIMEOUT,
	SCREENS_ADMIN,
	SCREENS_SMALL,
	SCREENS_CHANGE,
	SCREENS_CANCEL,
	SCREENS_CANCELLED,
	SCREENS_CODE,         /* "I have a code" (SPEC §9) */
	SCREENS_ANSWER,
	SCREENS_NOANSWER,
	SCREENS_N
};

#define SCREENS_COLS 80
#define SCREENS_ROWS 24
#define SCREENS_MARGIN 2            /* columns left and right of text */
#define SCREENS_TEXT_COLS (SCREENS_COLS - 2 * SCREENS_MARGIN)
#define SCREENS_BOX_COLS 56         /* text width inside the timeout box */
#define SCREENS_SMALL_COLS 38       /* text width of the "too small" note */
#define SCREENS_READERS_COLS 60     /* widest {readers} (config readers) */
#define SCREENS_FILE_MAX 65536
#define SCREENS_MAX_VALUES 32

/* line is 0 when the problem concerns the whole file. */
typedef void (*screens_report)(void *ctx, const char *file, unsigned line, const char *msg);

struct screens;

struct screens *screens_new(void);
void screens_free(struct screens *s);

/* Load and validate every file of one language (dir/lang/NAME.txt).
 * follow_up is the config text put into {follow_up} (for the fit check).
 * Reports every problem; SH_OK when there was none, SH_ERR_FORMAT when any
 * file was wrong, SH_ERR_NOT_FOUND when a file or the directory is missing. */
enum sh_status screens_load(struct screens *s, const char *dir, const char *lang,
                            const char *follow_up, screens_report rep, void *ctx);

/* Parse and validate one file's text (name is used in reports). */
enum sh_status screens_parse(struct screens *s, enum screens_id id, const char *name,
                             const char *text, size_t len, const char *follow_up,
                             screens_report rep, void *ctx);

const char *screens_file_name(enum screens_id id);     /* "welcome" */
/* Value of key (idx-th for repeated keys), or "" if absent. */
const char *screens_get(const struct screens *s, enum screens_id id, const char *key, size_t idx);
size_t screens_count(const struct screens *s, enum screens_id id, const char *key);
/* What {follow_up} says in this language: common.txt's "follow-up" when
 * the language gives one, else the config's follow_up. */
const char *screens_follow_up(const struct screens *s, const char *config_value);
/* Who reads a request, in this language: the config's value when it gives
 * one (config_value, may be NULL or ""), else common.txt's "readers". */
const char *screens_readers(const struct screens *s, const char *config_value);
/* The body: paragraphs one per line, "" lines between paragraphs. */
const char *screens_body(const struct screens *s, enum screens_id id);

/* Wrap normalized text (as screens_body returns, after expansion) to width
 * columns. fn (may be NULL) gets each line with its indent (list items
 * hang by 2). Returns the number of lines. */
typedef void (*screens_line_fn)(void *ctx, const char *line, size_t len, unsigned indent);
size_t screens_wrap(const char *text, unsigned width, screens_line_fn fn, void *ctx);

/* Replace {name} placeholders. 0 ok, -1 if out is too small or a
 * placeholder is unknown. */
struct screens_var {
	const char *name;
	const char *value;
};
int screens_expand(const char *tmpl, const struct screens_var *vars, size_t nvars,
                   char *out, size_t outsize);

#endif
