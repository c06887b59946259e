#ifndef SAFEHARBOR_RECLINE_H
#define SAFEHARBOR_RECLINE_H

/*
 * The pieces every fixed-size, line-based plaintext shares (the request
 * record, the case item): a bounded "Name: value\n" reader that never
 * reads past its length, the 32-hex-digit id check, and the NUL-padding
 * check.
 */

#include <stddef.h>

struct recline {
	const unsigned char *buf;
	size_t len, pos;
};

/* The line at pos if it is "name: value\n" with exactly that name, a value
 * without NUL and the newline inside the buffer: 0, value and pos past it.
 * Otherwise -1, pos unchanged. */
int recline_take(struct recline *in, const char *name, const char **value, size_t *vlen);

/* 0 when v is SH_RECORD_ID_HEX lowercase hex digits, else -1. */
int recline_check_id(const char *v, size_t n);

/* Whether p[0..n) are all NUL (not constant-time: padding is no secret). */
int recline_all_nul(const unsigned char *p, size_t n);

#endif
