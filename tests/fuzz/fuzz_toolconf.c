/* tool_conf_parse (the social worker's safeharbor.conf) on arbitrary text:
 * never crashes, and every path it keeps is NUL-terminated within
 * TOOL_PATH_MAX. The tool's file is included directly: the fuzz build
 * links the library only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/tool/toolconf_file.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tool_conf conf;
	char *text;
	size_t i;

	/* (its warnings go to stderr, as in the tool: run-fuzz.sh keeps them
	 * in the log, along with any sanitizer report) */
	setenv("HOME", "/home/worker", 1);
	if (size > 64 * 1024 || (text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (tool_conf_parse(text, "safeharbor.conf", "/home/worker/.config/safeharbor",
	                    &conf) == 0) {
		if (memchr(conf.spool, '\0', TOOL_PATH_MAX) == NULL ||
		    memchr(conf.kiosks, '\0', TOOL_PATH_MAX) == NULL ||
		    conf.nids > KEYS_MAX_IDENTITIES)
			abort();
		for (i = 0; i < conf.nids; i++)
			if (conf.ids[i][0] == '\0')
				abort();       /* an accepted identity line names a file */
	}
	free(text);
	return 0;
}
