/*
 * verify's report on keys after a rotation: how many envelopes each of her
 * keys opens, which are retired (not among the recipients she seals to
 * now: -R FILE, else the config's recipients, else every key but the
 * first -i file's), and which kiosks still seal to a retired key (their
 * newest request opens only with one): those would be lost once the old
 * key is destroyed, so each is a problem.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/termsafe.h"
#include "safeharbor/util.h"
#include "keyuse.h"
#include "queue.h"
#include "tool.h"

struct newest {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	int kiosk;
	char created[SH_CREATED_LEN + 1];
	int opener;
};

static void
current_keys(struct tool_ctx *c, int *current, const char **from)
{
	struct age_recipient r[KEYS_MAX_RECIPIENTS];
	const char *file = c->o.recipients != NULL ? c->o.recipients :
	                   c->recipients_path[0] != '\0' ? c->recipients_path : NULL;
	size_t nr = 0, line = 0, j;
	enum sh_status st;

	if (file != NULL) {
		st = keys_load_recipients(file, r, KEYS_MAX_RECIPIENTS, &nr, &line);
		if (st != SH_OK)
			die(TOOL_EXIT_USAGE, "%s: %s", file, line > 0 ? "not an age1... recipient" :
			    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		keyuse_current(c, r, nr, current);
		*from = file;
		return;
	}
	for (j = 0; j < c->unlock.nids; j++)
		current[j] = c->id_file[j] == 0;
	*from = NULL;
}

size_t
tool_verify_keys(struct tool_ctx *c, const struct queue *q)
{
	int current[KEYS_MAX_IDENTITIES], opener;
	size_t count[KEYS_MAX_IDENTITIES + 1], i, j, nk = 0, problems = 0, ctlen = 0;
	struct newest *nw = calloc(q->n > 0 ? q->n : 1, sizeof(*nw));
	unsigned char *ct = malloc(QUEUE_FILE_MAX), *pt = sodium_malloc(SH_RECORD_SIZE);
	const char *from;
	char name[128];
	int err;

	if (nw == NULL || ct == NULL || pt == NULL)
		die(TOOL_EXIT_FAIL, "out of memory");
	current_keys(c, current, &from);
	memset(count, 0, sizeof(count));
	for (i = 0; i < q->n; i++) {
		const struct queue_item *it = &q->items[i];

		if (!queue_item_opened(it) ||
		    queue_read_envelope(q, &it->e, ct, &ctlen, &err) != SH_OK)
			continue;
		opener = keyuse_opener(c, ct, ctlen, pt);
		count[opener < 0 ? KEYS_MAX_IDENTITIES : (size_t)opener]++;
		for (j = 0; j < nk; j++)
			if (memcmp(nw[j].pk, it->kiosk_pk, sizeof(it->kiosk_pk)) == 0)
				break;
		if (j == nk) {
			memcpy(nw[nk].pk, it->kiosk_pk, sizeof(it->kiosk_pk));
			nw[nk].kiosk = it->kiosk;
			nk++;
		} else if (strcmp(it->created, nw[j].created) <= 0) {
			continue;
		}
		memcpy(nw[j].created, it->created, sizeof(nw[j].created));
		nw[j].opener = opener;
	}
	for (j = 0; j < c->unlock.nids; j++) {
		keyuse_name(c, (int)j, name, sizeof(name));
		termsafe_line(stdout, "key %s: opens %zu envelope%s (%s)", name, count[j],
		              count[j] == 1 ? "" : "s", current[j] ? "current" :
		              from != NULL ? "retired: not in the recipients file" : "older key");
		if (!current[j] && count[j] > 0)
			termsafe_line(stdout, "note: %zu envelope%s open only with a retired key: "
			              "'safeharbor rekey -R %s' re-seals them to your current keys",
			              count[j], count[j] == 1 ? "" : "s", from != NULL ? from : "FILE");
	}
	for (j = 0; j < nk; j++) {
		char key[KEYS_KIOSK_STRLEN + 1];

		if (nw[j].opener < 0 || current[nw[j].opener])
			continue;
		keyuse_name(c, nw[j].opener, name, sizeof(name));
		keys_kiosk_format(nw[j].pk, key);
		termsafe_line(stdout, "kiosk %s: still seals to a retired key: its newest request "
		              "(created %s) opens only with %s; give it a recipients file with "
		              "your current key", nw[j].kiosk >= 0 && c->kiosks_loaded &&
		              (size_t)nw[j].kiosk < c->kiosks.n ? c->kiosks.v[nw[j].kiosk].name : key,
		              nw[j].created, name);
		problems++;
	}
	sodium_free(pt);
	free(ct);
	free(nw);
	return problems;
}
