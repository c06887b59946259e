/*
 * The student's typing (src/textfield.c): every byte pair is one edit
 * (insert a code point, paste UTF-8, backspace, delete, cursor moves,
 * clear) on a single-line and a multi-line field. After every edit the
 * invariants must hold: the text is valid UTF-8 of allowed characters,
 * within both limits, the cursor on a character boundary, and soft-wrap
 * starts increasing inside the text. Also textfield_utf8_decode on the
 * raw input: never claims more bytes than it was given.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/textfield.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct textfield *tf, int multiline)
{
	size_t len, off = 0, chars = 0, n, i, starts[64];
	const char *s = textfield_data(tf, &len);
	uint32_t cp;
	int cursor_ok = 0;

	if (len != textfield_len(tf) || len > 64 * 4 || textfield_cursor(tf) > len)
		abort();
	while (off < len) {
		if (off == textfield_cursor(tf))
			cursor_ok = 1;
		n = textfield_utf8_decode(s + off, len - off, &cp);
		if (n == 0 || n > len - off || !textfield_char_ok(cp, multiline))
			abort();
		off += n;
		chars++;
	}
	if (textfield_cursor(tf) == len)
		cursor_ok = 1;
	if (!cursor_ok || chars != textfield_chars(tf) || chars > textfield_max_chars(tf))
		abort();
	n = textfield_wrap(tf, 20, starts, 64);
	if (n < 1 || n > 64 || starts[0] != 0)
		abort();
	for (i = 1; i < n; i++)
		if (starts[i] <= starts[i - 1] || starts[i] > len)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct textfield *f[2];
	size_t i, k;
	uint32_t cp;

	if (f[0] == NULL) {
		if (sodium_init() < 0 || setlocale(LC_ALL, "C.UTF-8") == NULL)
			abort();
		f[0] = textfield_new(60, 60 * 4, 0);
		f[1] = textfield_new(64, 64 * 4, 1);
		if (f[0] == NULL || f[1] == NULL)
			abort();
	}
	for (i = 0; i < size; i++) {
		{
			size_t n = textfield_utf8_decode((const char *)data + i, size - i, &cp);
			if (n > size - i)
				abort();
		}
	}
	for (k = 0; k < 2; k++) {
		textfield_clear(f[k]);
		for (i = 0; i + 1 < size; i += 2) {
			uint8_t op = data[i], arg = data[i + 1];

			switch (op % 12) {
			case 0: case 1: case 2:
				(void)textfield_insert(f[k], arg);
				break;
			case 3:
				cp = (uint32_t)arg << (op % 7 * 3);
				(void)textfield_insert(f[k], cp);
				break;
			case 4: {
				size_t n = (size_t)arg % 16;
				if (n > size - i - 2)
					n = size - i - 2;
				(void)textfield_set(f[k], (const char *)data + i + 2, n);
				break;
			}
			case 5: (void)textfield_backspace(f[k]); break;
			case 6: (void)textfield_delete(f[k]); break;
			case 7: textfield_left(f[k]); break;
			case 8: textfield_right(f[k]); break;
			case 9: if (arg & 1) textfield_home(f[k]); else textfield_end(f[k]); break;
			case 10: if (arg & 1) textfield_up(f[k]); else textfield_down(f[k]); break;
			case 11: if (arg == 0) textfield_clear(f[k]); break;
			}
			check(f[k], (int)k);
		}
	}
	return 0;
}
