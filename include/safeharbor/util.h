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

/* Read a passphrase: from a file (first line, without newline) when path is
 * non-NULL, else from /dev/tty with echo off. sodium_malloc'd result. */
int util_read_passphrase(const char *path, const char *prompt, int confirm,
                         char **out, size_t *len);

/* Write a string with snprintf and check truncation; 0 ok, -1 truncated. */
int util_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
