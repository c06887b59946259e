/* audit_parse (the plaintext of an audit log entry; anyone with the
 * recipients' public keys can seal one) on arbitrary bytes: never crashes
 * or reads out of bounds; an accepted entry formats back to the very same
 * bytes (one encoding per entry, so the chain hash means one thing). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char buf[AUDIT_ENTRY_SIZE], out[AUDIT_ENTRY_SIZE];
	struct audit_entry e;
	const char *why;

	if (size > AUDIT_ENTRY_SIZE)
		return 0;
	/* short inputs are padded, so most runs reach the field parser */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, data, size);
	if (audit_parse(buf, sizeof(buf), &e, &why) != 0) {
		if (why == NULL)
			abort();
		return 0;
	}
	if (audit_format(&e, out) != 0 || memcmp(out, buf, sizeof(buf)) != 0)
		abort();
	return 0;
}
