/*
 * Test-only: sign arbitrary record text with a kiosk signing key, the way
 * a compromised or buggy kiosk could, so the reader's own checks (not the
 * signature) must refuse hostile content. Reads the record text (every
 * byte above the Signature line) on stdin, appends "Signature: <base64
 * Ed25519>\n", NUL-pads to SH_RECORD_SIZE and writes the plaintext to
 * stdout (longer text is written unpadded). Seal it with `age -r`.
 *   rel_forge SIGNING_KEY <text >plaintext
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "safeharbor/keys.h"
#include "safeharbor/record.h"

int
main(int argc, char **argv)
{
	static unsigned char buf[4 * SH_RECORD_SIZE];
	unsigned char sig[crypto_sign_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	struct keys_signing *k;
	size_t len, total;
	enum sh_status st;

	if (argc != 2) {
		fprintf(stderr, "usage: rel_forge SIGNING_KEY <text >plaintext\n");
		return 2;
	}
	if (sodium_init() < 0 || (k = keys_signing_new()) == NULL)
		return 2;
	if ((st = keys_signing_load(argv[1], k)) != SH_OK) {
		fprintf(stderr, "rel_forge: %s: %s\n", argv[1], sh_status_str(st));
		return 2;
	}
	len = fread(buf, 1, sizeof(buf) / 2, stdin);
	crypto_sign_detached(sig, NULL, buf, len, k->sk);
	keys_signing_free(k);
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	total = len + (size_t)snprintf((char *)buf + len, sizeof(buf) - len, "Signature: %s\n", b64);
	if (total < SH_RECORD_SIZE)
		total = SH_RECORD_SIZE;
	return fwrite(buf, 1, total, stdout) == total ? 0 : 1;
}
