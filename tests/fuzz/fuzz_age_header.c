/* libFuzzer: the strict age header parser (syntax and stanza structure). */
#include <stddef.h>
#include <stdint.h>

#include "safeharbor/age.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (age_header_check(data, size, &off) == SH_OK && off > size)
		__builtin_trap();
	return 0;
}
