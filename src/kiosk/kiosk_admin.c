/*
 * The staff PIN: `--set-pin` makes the admin_pin_hash line (Argon2id via
 * crypto_pwhash_str), and the kiosk checks a typed PIN against it.
 *
 * Decisions: the PIN is read with echo off from the terminal, twice; when
 * stdin is not a terminal (scripts, demo.sh) one line is read from it. The
 * growing delay after wrong tries lives in flow.c (pure, unit-tested).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "kiosk.h"
#include "safeharbor/util.h"

#define PIN_MIN 4

int
kiosk_cmd_set_pin(void)
{
	char *pin = NULL, hash[crypto_pwhash_STRBYTES];
	size_t len = 0;
	int tty = isatty(STDIN_FILENO), rc = 1;

	if (util_read_passphrase(tty ? NULL : "-", "New admin PIN: ",
	                         tty ? "Repeat the PIN: " : NULL, &pin, &len) != 0) {
		if (errno == EINVAL)
			fprintf(stderr, "%s: the two PINs differ; nothing written\n", KIOSK_PROG);
		else if (errno == ENODATA)
			fprintf(stderr, "%s: the PIN must have %d to %d characters\n", KIOSK_PROG,
			        PIN_MIN, KIOSK_PIN_MAX_CHARS);
		else
			fprintf(stderr, "%s: cannot read the PIN%s: %s\n", KIOSK_PROG,
			        tty ? "" : " from standard input", strerror(errno));
		return errno == ENODATA ? 2 : 1;
	}
	if (len < PIN_MIN || len > KIOSK_PIN_MAX_CHARS) {
		fprintf(stderr, "%s: the PIN must have %d to %d characters\n", KIOSK_PROG, PIN_MIN,
		        KIOSK_PIN_MAX_CHARS);
		rc = 2;
		goto out;
	}
	if (crypto_pwhash_str(hash, pin, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "%s: cannot hash the PIN: out of memory\n", KIOSK_PROG);
		goto out;
	}
	printf("admin_pin_hash = %s\n", hash);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	sodium_free(pin);
	return rc;
}

int
kiosk_pin_verify(const struct kiosk *k, const char *pin, size_t len)
{
	if (k->cfg.admin_pin_hash[0] == '\0')
		return -1;
	return crypto_pwhash_str_verify(k->cfg.admin_pin_hash, pin, len) == 0 ? 1 : 0;
}
