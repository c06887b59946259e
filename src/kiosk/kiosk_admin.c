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
#include <termios.h>
#include <unistd.h>
#include <sodium.h>

#include "kiosk.h"

#define PIN_MIN 4
#define PIN_BUF 256

static int
read_line(int fd, char *buf, size_t size, size_t *len)
{
	size_t n = 0;
	char c;
	ssize_t r;

	while ((r = read(fd, &c, 1)) == 1) {
		if (c == '\n')
			break;
		if (n + 1 >= size)
			return -1;
		buf[n++] = c;
	}
	sodium_memzero(&c, sizeof c);
	if (r < 0)
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	return 0;
}

static int
prompt(const char *text, char *buf, size_t size, size_t *len)
{
	struct termios old, quiet;
	int rc;

	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	fputs(text, stderr);
	fflush(stderr);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
		return -1;
	rc = read_line(STDIN_FILENO, buf, size, len);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

int
kiosk_cmd_set_pin(void)
{
	char *pin, *again, hash[crypto_pwhash_STRBYTES];
	size_t len = 0, againlen = 0;
	int rc = 1;

	pin = sodium_malloc(PIN_BUF);
	again = sodium_malloc(PIN_BUF);
	if (pin == NULL || again == NULL) {
		fprintf(stderr, "%s: out of locked memory\n", KIOSK_PROG);
		goto out;
	}
	if (isatty(STDIN_FILENO)) {
		if (prompt("New admin PIN: ", pin, PIN_BUF, &len) != 0 ||
		    prompt("Repeat the PIN: ", again, PIN_BUF, &againlen) != 0) {
			fprintf(stderr, "%s: cannot read the PIN\n", KIOSK_PROG);
			goto out;
		}
		if (len != againlen || sodium_memcmp(pin, again, len) != 0) {
			fprintf(stderr, "%s: the two PINs differ; nothing written\n", KIOSK_PROG);
			goto out;
		}
	} else if (read_line(STDIN_FILENO, pin, PIN_BUF, &len) != 0) {
		fprintf(stderr, "%s: cannot read the PIN from standard input\n", KIOSK_PROG);
		goto out;
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
	if (pin != NULL)
		sodium_free(pin);
	if (again != NULL)
		sodium_free(again);
	return rc;
}

int
kiosk_pin_verify(const struct kiosk *k, const char *pin, size_t len)
{
	if (k->cfg.admin_pin_hash[0] == '\0')
		return -1;
	return crypto_pwhash_str_verify(k->cfg.admin_pin_hash, pin, len) == 0 ? 1 : 0;
}
