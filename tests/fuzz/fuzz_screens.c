/* libFuzzer harness: screen text files (src/screens.c) and wrapping. The
 * first byte picks which screen's rules apply. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safeharbor/screens.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
line(void *ctx, const char *s, size_t len, unsigned indent)
{
	size_t *sum = ctx;
	/* touch every byte handed out: ASan catches a bad range */
	for (size_t i = 0; i < len; i++)
		*sum += (unsigned char)s[i];
	*sum += indent;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct screens *s;
	size_t sum = 0;
	enum screens_id id;
	char *text;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	if (size < 1)
		return 0;
	id = (enum screens_id)(data[0] % SCREENS_N);
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if ((s = screens_new()) == NULL) {
		free(text);
		return 0;
	}
	if (screens_parse(s, id, "fuzz", text, size - 1, "2 school days", NULL, NULL) == SH_OK) {
		screens_wrap(screens_body(s, id), 76, line, &sum);
		screens_wrap(screens_body(s, id), 1, line, &sum);
	}
	/* wrapping arbitrary text must be safe too */
	screens_wrap(text, (unsigned)(data[0] % 90), line, &sum);
	screens_free(s);
	free(text);
	return 0;
}
