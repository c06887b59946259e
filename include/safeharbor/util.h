#ifndef SAFEHARBOR_UTIL_H
#define SAFEHARBOR_UTIL_H

/*
 * Tool-side helpers shared by both programs: messages in the form
 * "safeharbor: what: why", and x-wrappers that exit on failure. Library
 * modules (age, keys, record, spool, config) never call these.
 */

#include <stdarg.h>
#include <stddef.h>

/* Program name printed before every message (default "safeharbor"). */
void util_set_progname(const char *name);
/* Called by die() before printing, e.g. endwin(). NULL to clear. */
void util_set_die_hook(void (*hook)(void));

void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints message and exit status code. */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Read a passphrase or PIN into sodium_malloc'd memory: the first line of
 * the file at path ("-": standard input), or, when path is NULL, typed at
 * /dev/tty with echo off — twice when again (the second prompt) is given.
 * -1 with errno: EINVAL the two differ, ENODATA empty, ENOTTY no terminal. */
int util_read_passphrase(const char *path, const char *prompt, const char *again,
                         char **out, size_t *len);

/* Write a string with snprintf and check truncation; 0 ok, -1 truncated. */
int util_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
