/*
 * The listing filter. An envelope that cannot be opened says nothing about
 * its urgency or kiosk, so those conditions leave it out; it is never
 * "handled" unless its file says so, so --open keeps it (it still needs a
 * look).
 */
#include <stdio.h>
#include <string.h>

#include "safeharbor/util.h"
#include "kiosks.h"
#include "qfilter.h"
#include "queue.h"
#include "tooltime.h"

void
qfilter_init(struct qfilter *f)
{
	memset(f, 0, sizeof(*f));
	f->kiosk = QFILTER_ANY_KIOSK;
}

int
qfilter_active(const struct qfilter *f)
{
	return f->open_only || f->urgent_only || f->since != 0 || f->until != 0 ||
	       f->kiosk != QFILTER_ANY_KIOSK;
}

int
qfilter_match(const struct qfilter *f, const struct queue_item *it)
{
	int opened = queue_item_opened(it);

	if (f->open_only && it->e.state == SPOOL_HANDLED)
		return 0;
	if (f->urgent_only && !(opened && it->danger == RECORD_DANGER_YES))
		return 0;
	if (f->since != 0 && it->e.mtime < f->since)
		return 0;
	if (f->until != 0 && it->e.mtime >= f->until)
		return 0;
	if (f->kiosk != QFILTER_ANY_KIOSK && !(opened && it->kiosk == f->kiosk))
		return 0;
	return 1;
}

int
qfilter_kiosk_index(const struct kiosks *k, const char *name)
{
	size_t i;

	for (i = 0; k != NULL && i < k->n; i++)
		if (strcmp(k->v[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
add_part(char *out, size_t size, size_t *len, const char *part)
{
	if (util_snprintf(out + *len, size - *len, "%s%s", *len > 0 ? ", " : "", part) == 0)
		*len = strlen(out);
}

void
qfilter_describe(const struct qfilter *f, const struct kiosks *k, char *out, size_t size)
{
	char buf[96], day[TOOLTIME_DATE_MAX];
	size_t len = 0;
	time_t last;

	if (size == 0)
		return;
	out[0] = '\0';
	if (f->open_only)
		add_part(out, size, &len, "open");
	if (f->urgent_only)
		add_part(out, size, &len, "urgent");
	if (f->since != 0) {
		tooltime_date(f->since, day);
		util_snprintf(buf, sizeof(buf), "since %s", day);
		add_part(out, size, &len, buf);
	}
	last = f->until - 1;
	if (f->until != 0) {
		tooltime_date(last, day);
		util_snprintf(buf, sizeof(buf), "until %s", day);
		add_part(out, size, &len, buf);
	}
	if (f->kiosk != QFILTER_ANY_KIOSK) {
		util_snprintf(buf, sizeof(buf), "kiosk %s",
		              k != NULL && f->kiosk >= 0 && (size_t)f->kiosk < k->n ?
		              k->v[f->kiosk].name : "?");
		add_part(out, size, &len, buf);
	}
}
