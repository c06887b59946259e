/*
 * libFuzzer: full age decryption with a fixed identity (the CCTV test key,
 * so seeds from tests/data/age decrypt) and a passphrase with a low scrypt
 * cap. Checks that released plaintext never exceeds the input, that a
 * header the reader accepts also passes age_header_check, and that
 * age_decrypt_to_secure and age_decrypt_into reach the same verdict and
 * length.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sodium.h>

#include "safeharbor/age.h"

#define INTO_MAX (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char identity[] =
	"AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

static int
count_sink(void *ctx, const unsigned char *buf, size_t len)
{
	size_t *n = ctx;

	if (len == 0 || len > AGE_CHUNK_SIZE)
		__builtin_trap();
	(void)buf;
	*n += len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct age_identity *id;
	struct age_unlock u = { 0 };
	size_t released = 0, off;
	enum sh_status st;

	if (id == NULL) {
		if (sodium_init() < 0)
			__builtin_trap();
		id = sodium_malloc(sizeof *id);
		if (id == NULL || age_identity_parse(identity, sizeof identity - 1, id) != SH_OK)
			__builtin_trap();
	}
	u.ids = id;
	u.nids = 1;
	u.passphrase = "password";
	u.passlen = 8;
	u.max_logn = 12;
	st = age_decrypt_mem(&u, data, size, count_sink, &released);
	if (released > size)
		__builtin_trap();
	if ((st == SH_OK || st == SH_ERR_HEADER_MAC || st == SH_ERR_PAYLOAD) &&
	    age_header_check(data, size, &off) != SH_OK)
		__builtin_trap();
	/* The secure-buffer form (which authenticates in place) agrees. */
	{
		unsigned char *out;
		size_t outlen;
		enum sh_status st2 = age_decrypt_to_secure(&u, data, size, size, &out, &outlen);

		if (st2 != st || (st == SH_OK && outlen != released))
			__builtin_trap();
		if (st2 == SH_OK)
			sodium_free(out);
		else if (out != NULL)
			__builtin_trap();
	}
	/* So does the caller-buffer form, into one buffer reused across
	 * inputs, and a failure leaves that buffer all zero. */
	if (size <= INTO_MAX) {
		static unsigned char *buf;
		size_t outlen, i;
		enum sh_status st3;

		if (buf == NULL && (buf = sodium_malloc(INTO_MAX)) == NULL)
			__builtin_trap();
		memset(buf, 0xa5, size);
		st3 = age_decrypt_into(&u, data, size, buf, size, &outlen);
		if (st3 != st || (st == SH_OK && outlen != released))
			__builtin_trap();
		for (i = 0; st3 != SH_OK && i < size; i++)
			if (buf[i] != 0)
				__builtin_trap();
	}
	return 0;
}
