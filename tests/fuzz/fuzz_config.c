/* config_parse on arbitrary bytes: every report names a file and a key,
 * and SH_OK means no error was reported. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct counts {
	int errors;
};

static void
report(void *ctx, int severity, const char *file, int line, const char *key, const char *msg)
{
	struct counts *c = ctx;

	if (file == NULL || key == NULL || msg == NULL || line < 0 || *msg == '\0')
		abort();
	(void)strlen(key);
	if (severity)
		c->errors++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kiosk_config c;
	struct counts n = { 0 };
	enum sh_status st;
	char *text;
	size_t i;

	if ((text = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(text, data, size);
	config_defaults(&c);
	st = config_parse(text, size, "fuzz.conf", "/etc/safeharbor", &c, report, &n);
	if ((st == SH_OK) != (n.errors == 0))
		abort();
	if (c.nlanguages == 0 || c.nlanguages > CONFIG_MAX_LANGUAGES ||
	    c.idle_seconds < 10 || c.idle_seconds > 3600)
		abort();
	for (i = 0; i < c.nlanguages; i++)
		if (strlen(c.languages[i]) > CONFIG_LANG_MAX)
			abort();
	if (memchr(c.spool, '\0', sizeof(c.spool)) == NULL)
		abort();
	free(text);
	return 0;
}
