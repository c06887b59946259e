/*
 * Test-only fast writer for the reliability suites: seals COUNT records
 * (About: test, signed with the kiosk key) to the recipients file and
 * delivers each with spool_deliver, exactly the library path the kiosk
 * uses. After each delivery returns SH_OK it prints "<name> <id>" and
 * flushes, so a line on stdout is a claim of durable delivery that the
 * crash and concurrency suites hold it to. COUNT 0 means forever.
 *
 *   rel_writer SPOOL RECIPIENTS SIGNING_KEY COUNT [PAUSE_US [FILL]]
 *
 * PAUSE_US spaces deliveries out so a concurrent reader overlaps them.
 * FILL: "empty" (default: an About: test record), "random" (About: self,
 * every field and the message of random length in 1- to 4-byte UTF-8), or
 * "max" (every field and the message at their character limits, all
 * 4-byte characters: the largest record a student can make).
 *
 * Exit: 0 all delivered, 1 a delivery failed, 2 usage or set-up error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "safeharbor/age.h"
#include "safeharbor/envelope.h"
#include "safeharbor/keys.h"
#include "safeharbor/record.h"
#include "safeharbor/spool.h"

static size_t
fill_text(char *out, size_t chars, int max)
{
	static const char *const glyph[] = { "a", "\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80" };
	size_t i, n = 0, g;

	for (i = 0; i < chars; i++) {
		g = max ? 3 : randombytes_uniform(4);
		memcpy(out + n, glyph[g], g + 1);
		n += g + 1;
	}
	out[n] = '\0';
	return n;
}

static int
fill_record(struct record *r, int max)
{
	static char buf[SH_MESSAGE_MAX + 1];
	size_t f, n;

	r->about = RECORD_ABOUT_SELF;
	r->danger = RECORD_DANGER_UNSURE;
	for (f = 0; f < RECORD_NFIELDS; f++) {
		n = fill_text(buf, max ? SH_FIELD_MAX_CHARS : randombytes_uniform(SH_FIELD_MAX_CHARS + 1), max);
		if (record_set_field(r, (enum record_field)f, buf, n) != SH_OK)
			return -1;
	}
	n = fill_text(buf, max ? SH_MESSAGE_MAX_CHARS : randombytes_uniform(SH_MESSAGE_MAX_CHARS + 1), max);
	if (record_set_message(r, buf, n) != SH_OK)
		return -1;
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

int
main(int argc, char **argv)
{
	struct age_recipient rcpt[KEYS_MAX_RECIPIENTS];
	size_t nr = 0, errline = 0, i;
	unsigned long count, pause_us = 0;
	int fill = 0;
	struct keys_signing *k;
	struct record *r;
	unsigned char *pt;
	enum sh_status st;

	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: rel_writer SPOOL RECIPIENTS SIGNING_KEY COUNT [PAUSE_US [empty|random|max]]\n");
		return 2;
	}
	count = strtoul(argv[4], NULL, 10);
	if (argc >= 6)
		pause_us = strtoul(argv[5], NULL, 10);
	if (argc == 7)
		fill = strcmp(argv[6], "random") == 0 ? 1 : strcmp(argv[6], "max") == 0 ? 2 : 0;
	if (sodium_init() < 0)
		return 2;
	st = keys_load_recipients(argv[2], rcpt, KEYS_MAX_RECIPIENTS, &nr, &errline);
	if (st != SH_OK || nr == 0) {
		fprintf(stderr, "rel_writer: %s: %s (line %zu)\n", argv[2], sh_status_str(st), errline);
		return 2;
	}
	k = keys_signing_new();
	r = record_new();
	pt = sodium_malloc(SH_RECORD_SIZE);
	if (k == NULL || r == NULL || pt == NULL)
		return 2;
	st = keys_signing_load(argv[3], k);
	if (st != SH_OK) {
		fprintf(stderr, "rel_writer: %s: %s\n", argv[3], sh_status_str(st));
		return 2;
	}
	for (i = 0; count == 0 || i < count; i++) {
		unsigned char *env = NULL;
		size_t envlen = 0;
		char name[SPOOL_NAME_MAX];

		record_clear(r);
		r->about = RECORD_ABOUT_TEST;
		r->danger = RECORD_DANGER_NO;
		if (record_set_language(r, "en") != SH_OK)
			return 2;
		if (fill != 0 && fill_record(r, fill == 2) != 0) {
			fprintf(stderr, "rel_writer: a valid %s record was refused by record_set_*\n",
			        fill == 2 ? "maximal" : "random");
			return 1;
		}
		st = envelope_seal(r, k, rcpt, nr, time(NULL), pt, &env, &envlen);
		if (st == SH_OK)
			st = spool_deliver(argv[1], env, envlen, name);
		free(env);
		if (st != SH_OK) {
			fprintf(stderr, "rel_writer: delivery %zu: %s\n", i, sh_status_str(st));
			return 1;
		}
		printf("%s %s\n", name, r->id);
		fflush(stdout);
		if (pause_us > 0) {
			struct timespec ts = { (time_t)(pause_us / 1000000),
			                       (long)(pause_us % 1000000) * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	sodium_free(pt);
	record_free(r);
	keys_signing_free(k);
	return 0;
}
