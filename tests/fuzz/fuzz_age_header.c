/* libFuzzer: the strict age header parser (syntax and stanza structure). */
#include <stddef.h>
#include <stdint.h>

#include "safeharbor/age.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, i;

	if (age_header_check(data, size, &off) != SH_OK)
		return 0;
	if (off > size)
		__builtin_trap();
	/* An accepted header is printable ASCII lines: catches a lenient
	 * base64 decoder (libsodium 1.0.18 takes 0xaf for '/'). */
	for (i = 0; i < off; i++)
		if (data[i] != '\n' && (data[i] < 0x20 || data[i] > 0x7e))
			__builtin_trap();
	return 0;
}
