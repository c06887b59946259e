#ifndef SAFEHARBOR_TOOL_QFILTER_H
#define SAFEHARBOR_TOOL_QFILTER_H

/*
 * Which requests a listing shows: `list --open --urgent --since --until
 * --kiosk` and the inbox's filter view share this one predicate. Dates are
 * local calendar days (SPEC §6: local time everywhere) and compare with the
 * time the envelope was received.
 */

#include <stddef.h>
#include <time.h>

struct queue_item;
struct kiosks;

#define QFILTER_ANY_KIOSK (-2)   /* kiosk: no filter */

struct qfilter {
	int open_only;           /* not handled */
	int urgent_only;         /* Danger: yes */
	time_t since;            /* received at or after (0: no bound) */
	time_t until;            /* received before (0: no bound) */
	int kiosk;               /* enrolled index, or QFILTER_ANY_KIOSK */
};

void qfilter_init(struct qfilter *f);
/* Whether any condition is set. */
int qfilter_active(const struct qfilter *f);
int qfilter_match(const struct qfilter *f, const struct queue_item *it);

/* Enrolled kiosk index by name, or -1. */
int qfilter_kiosk_index(const struct kiosks *k, const char *name);

/* A short description of the active conditions ("open, urgent, since
 * 2026-11-01"), for titles and messages. */
void qfilter_describe(const struct qfilter *f, const struct kiosks *k, char *out,
                      size_t size);

#endif
