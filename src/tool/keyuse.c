/* Keys and envelopes after a rotation (see keyuse.h). */
#include <string.h>
#include <sodium.h>

#include "safeharbor/record.h"
#include "safeharbor/util.h"
#include "keyuse.h"
#include "tool.h"

int
keyuse_opener(const struct tool_ctx *c, const unsigned char *ct, size_t ctlen,
              unsigned char *pt)
{
	struct age_unlock one;
	size_t j, ptlen;
	enum sh_status st;

	for (j = 0; j < c->unlock.nids; j++) {
		one = c->unlock;
		one.ids = &c->unlock.ids[j];
		one.nids = 1;
		st = age_decrypt_into(&one, ct, ctlen, pt, SH_RECORD_SIZE, &ptlen);
		sodium_memzero(pt, SH_RECORD_SIZE);
		if (st == SH_OK)
			return (int)j;
	}
	return -1;
}

void
keyuse_name(const struct tool_ctx *c, int j, char *out, size_t size)
{
	struct age_recipient r;
	char s[AGE_RECIPIENT_STRLEN + 1];

	if (j < 0 || (size_t)j >= c->unlock.nids) {
		util_snprintf(out, size, "none of your keys");
		return;
	}
	age_identity_recipient(&c->unlock.ids[j], &r);
	age_recipient_format(&r, s);
	util_snprintf(out, size, "%.12s...%s (%s)", s, s + AGE_RECIPIENT_STRLEN - 4,
	              c->idpaths[c->id_file[j]]);
}

size_t
keyuse_current(const struct tool_ctx *c, const struct age_recipient *r, size_t nr, int *current)
{
	struct age_recipient mine;
	size_t j, k, n = 0;

	for (j = 0; j < c->unlock.nids; j++) {
		current[j] = 0;
		age_identity_recipient(&c->unlock.ids[j], &mine);
		for (k = 0; k < nr; k++)
			if (sodium_memcmp(mine.pk, r[k].pk, sizeof(mine.pk)) == 0)
				current[j] = 1;
		n += (size_t)current[j];
	}
	return n;
}

size_t
keyuse_stanzas(const unsigned char *ct, size_t ctlen)
{
	size_t off = 0, i, n = 0;

	if (age_header_check(ct, ctlen, &off) != SH_OK)
		return 0;
	for (i = 0; i + 3 < off; i++)
		if (ct[i] == '\n' && ct[i + 1] == '-' && ct[i + 2] == '>' && ct[i + 3] == ' ')
			n++;
	return n;
}
