/*
 * keygen and pubkey. keygen writes exactly what `age-keygen | age -p`
 * would, refuses to overwrite, and prints only the recipient on stdout so
 * that `safeharbor keygen > recipients.txt` is the whole set-up step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/util.h"
#include "tool.h"

#define KEYGEN_SHORT_PASSPHRASE 10

int
cmd_keygen(struct tool_ctx *c)
{
	struct age_identity *id;
	struct age_recipient rcp;
	char recip[AGE_RECIPIENT_STRLEN + 1], dir[TOOL_PATH_MAX], *pass = NULL, *slash;
	const char *path = c->idpaths[0];
	size_t passlen = 0;
	int logn;
	enum sh_status st;

	if (c->nidpaths != 1)
		die(TOOL_EXIT_USAGE, "keygen: give one identity file (-i FILE)");
	if ((logn = tool_scrypt_logn(getenv("SAFEHARBOR_SCRYPT_LOGN"))) < 0)
		die(TOOL_EXIT_USAGE, "SAFEHARBOR_SCRYPT_LOGN: must be a number from 10 to %d",
		    AGE_SCRYPT_MAX_LOGN);
	if (access(path, F_OK) == 0)
		die(TOOL_EXIT_FAIL, "%s: %s", path, sh_status_str(SH_ERR_EXISTS));
	if (errno != ENOENT)
		die(TOOL_EXIT_FAIL, "%s: %s", path, strerror(errno));
	if (util_snprintf(dir, sizeof(dir), "%s", path) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (tool_mkdirs(dir) != 0)
			die(TOOL_EXIT_FAIL, "%s: cannot create directory: %s", dir, strerror(errno));
	}
	if (tool_read_passphrase(c->o.passfile, "New passphrase for your safeharbor key: ", 1,
	                         &pass, &passlen) != 0) {
		if (c->o.passfile != NULL)
			die(TOOL_EXIT_USAGE, "%s: cannot read passphrase: %s", c->o.passfile,
			    errno == ENODATA ? "empty" : strerror(errno));
		if (errno == ENODATA)
			die(TOOL_EXIT_USAGE, "keygen: the passphrase was empty; nothing written, "
			    "run keygen again");
		if (errno == EINVAL)
			die(TOOL_EXIT_USAGE, "keygen: the two entries differ; nothing written, "
			    "run keygen again");
		if (errno == ENOTTY || errno == ENXIO)
			die(TOOL_EXIT_USAGE, "keygen: no terminal to ask for a new passphrase "
			    "(run it in a terminal, or use --passphrase-file FILE)");
		die(TOOL_EXIT_USAGE, "keygen: cannot read a passphrase from the terminal: %s",
		    strerror(errno));
	}
	/* Not refused (her choice), but said: the file may be copied and tried offline. */
	if (passlen < KEYGEN_SHORT_PASSPHRASE)
		warnx_("warning: a passphrase of %zu characters is easy to guess for anyone who "
		       "copies the key file; a few words are better", passlen);
	if ((id = sodium_malloc(sizeof(*id))) == NULL) {
		sodium_free(pass);
		die(TOOL_EXIT_FAIL, "out of memory");
	}
	age_identity_generate(id);
	age_identity_recipient(id, &rcp);
	st = keys_write_identity(path, id, pass, passlen, logn);
	sodium_free(pass);
	sodium_free(id);
	if (st != SH_OK)
		die(TOOL_EXIT_FAIL, "%s: %s", path,
		    st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
	age_recipient_format(&rcp, recip);
	printf("%s\n", recip);
	if (fflush(stdout) != 0)
		die(TOOL_EXIT_FAIL, "standard output: %s", strerror(errno));
	/* Someone at a terminal gets the next steps; scripts get one line. */
	if (isatty(STDERR_FILENO))
		warnx_("created %s: keep it, and its passphrase, safe: without both no request "
		       "can be read. Give the age1... line above to IT for the kiosks' "
		       "recipients.txt.", path);
	return TOOL_EXIT_OK;
}

int
cmd_pubkey(struct tool_ctx *c)
{
	struct age_recipient rcp;
	char recip[AGE_RECIPIENT_STRLEN + 1];
	size_t i;

	tool_load_identities(c, 0);
	for (i = 0; i < c->unlock.nids; i++) {
		if (c->o.staff) {
			struct keys_signing *sk = keys_signing_new();
			char tok[KEYS_STAFF_STRLEN + 1];

			if (sk == NULL)
				die(TOOL_EXIT_FAIL, "out of locked memory");
			keys_staff_derive(&c->unlock.ids[i], sk);
			keys_staff_format(sk->pk, tok);
			keys_signing_free(sk);
			printf("%s\n", tok);
			continue;
		}
		age_identity_recipient(&c->unlock.ids[i], &rcp);
		age_recipient_format(&rcp, recip);
		printf("%s\n", recip);
	}
	return TOOL_EXIT_OK;
}
