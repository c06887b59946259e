/* The enrolled-kiosks file parser (src/tool/kiosks_file.c), and the JSON
 * string escaper (src/tool/jsonw.c) on the same bytes: the escaped output
 * must hold no raw control character and be valid UTF-8. The tool sources
 * are included directly: the fuzz build links the library only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tool/kiosks_file.c"
#include "../../src/tool/mkdirs.c"
#include "../../src/tool/jsonw.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_kiosks(const char *text, size_t size)
{
	struct kiosks k;
	char tok[KEYS_KIOSK_STRLEN + 1];
	const char *why = NULL;
	size_t line = 0, i;
	enum sh_status st;

	kiosks_init(&k);
	st = kiosks_parse(text, size, &k, &line, &why);
	if (st == SH_OK) {
		for (i = 0; i < k.n; i++) {
			keys_kiosk_format(k.v[i].pk, tok);
			if (!kiosks_name_valid(k.v[i].name) || strcmp(tok, k.v[i].key) != 0)
				abort();
			if (kiosks_find_pk(&k, k.v[i].pk) != &k.v[i])
				abort();
		}
	} else if (st == SH_ERR_FORMAT && (line == 0 || why == NULL)) {
		abort();
	}
	kiosks_free(&k);
}

static void
check_json(const char *text, size_t size)
{
	struct jsonw w;
	char *out = NULL;
	size_t outlen = 0, i, l;
	FILE *f = open_memstream(&out, &outlen);

	if (f == NULL)
		abort();
	jsonw_init(&w, f);
	jsonw_string_n(&w, text, size);
	if (jsonw_finish(&w) != 0)
		abort();
	fclose(f);
	if (outlen < 3 || out[0] != '"' || out[outlen - 2] != '"' || out[outlen - 1] != '\n')
		abort();
	for (i = 0; i < outlen - 1; i += l) {
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			abort();
		if ((l = utf8_len((const unsigned char *)out + i, outlen - 1 - i)) == 0)
			abort();
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if ((text = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(text, data, size);
	check_kiosks(text, size);
	check_json(text, size);
	free(text);
	return 0;
}
