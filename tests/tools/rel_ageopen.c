/*
 * Test-only reader-level check: decrypt stdin with the plain age-keygen
 * identity file IDENTITY through age_decrypt_fd and write the plaintext to
 * stdout. Used for cases that cannot be built from a 16 KiB record
 * (reordered or duplicated chunks of a multi-chunk file written by `age`).
 * Prints the status phrase on stderr. Exit 0 decrypted, 1 refused, 2 usage.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "safeharbor/age.h"
#include "safeharbor/keys.h"

static int
sink_stdout(void *ctx, const unsigned char *buf, size_t len)
{
	(void)ctx;
	return fwrite(buf, 1, len, stdout) == len ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct keys_identities *ids;
	struct age_unlock u;
	char *text = NULL;
	size_t len = 0, errline = 0;
	enum sh_status st;

	if (argc != 2) {
		fprintf(stderr, "usage: rel_ageopen IDENTITY <in >out\n");
		return 2;
	}
	if (sodium_init() < 0 || (ids = keys_identities_new()) == NULL)
		return 2;
	st = keys_read_file_secure(argv[1], KEYS_MAX_FILE, &text, &len);
	if (st == SH_OK)
		st = keys_parse_identities(text, len, ids, &errline);
	if (text != NULL)
		sodium_free(text);
	if (st != SH_OK) {
		fprintf(stderr, "rel_ageopen: %s: %s\n", argv[1], sh_status_str(st));
		keys_identities_free(ids);
		return 2;
	}
	memset(&u, 0, sizeof u);
	keys_identities_unlock(ids, &u);
	st = age_decrypt_fd(&u, STDIN_FILENO, sink_stdout, NULL);
	fflush(stdout);
	keys_identities_free(ids);
	fprintf(stderr, "rel_ageopen: %s\n", sh_status_str(st));
	return st == SH_OK ? 0 : 1;
}
