/*
 * safeharbor-kiosk: parse options, load everything, run one command or the
 * kiosk. Refuses before curses starts when anything is not right.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "kiosk.h"
#include "safeharbor/memlock.h"
#include "safeharbor/sandbox.h"

static void
usage(FILE *to)
{
	fprintf(to,
	    "usage: %s [-c CONFIG] [--check | --enroll | --send-test]\n"
	    "       %s --set-pin | -h | --help | -V | --version\n"
	    "\n"
	    "  (no command)       run the kiosk\n"
	    "  --check            check config, keys, spool and screens\n"
	    "  --enroll           create the kiosk signing key, print its public key\n"
	    "  --send-test        deliver one test record\n"
	    "  --set-pin          print an admin_pin_hash line for the config\n"
	    "  -c, --config FILE  the config (default %s)\n"
	    "  -h, --help         this help\n"
	    "  -V, --version      the version\n"
	    "\n"
	    "Exit status: 0 ok, 1 failed, 2 usage or config error.\n",
	    KIOSK_PROG, KIOSK_PROG, CONFIG_DEFAULT_PATH);
}

int
main(int argc, char **argv)
{
	enum { RUN, CHECK, ENROLL, SEND_TEST, SET_PIN } cmd = RUN;
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'K' },
		{ "enroll", no_argument, NULL, 'E' },
		{ "send-test", no_argument, NULL, 'T' },
		{ "set-pin", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cfg = CONFIG_DEFAULT_PATH, *why;
	struct kiosk *k;
	int c, rc, ncmd = 0;

	sandbox_harden_process();
	while ((c = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cfg = optarg; break;
		case 'K': cmd = CHECK; ncmd++; break;
		case 'E': cmd = ENROLL; ncmd++; break;
		case 'T': cmd = SEND_TEST; ncmd++; break;
		case 'P': cmd = SET_PIN; ncmd++; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("%s %s\n", KIOSK_PROG, SH_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || ncmd > 1) {
		usage(stderr);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "%s: libsodium failed to start\n", KIOSK_PROG);
		return 1;
	}
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
		fprintf(stderr, "%s: the locale's character set is %s, not UTF-8: set LANG=C.UTF-8 (or another UTF-8 locale)\n",
		        KIOSK_PROG, nl_langinfo(CODESET));
		return 2;
	}
	switch (cmd) {
	case CHECK: return kiosk_cmd_check(cfg);
	case ENROLL: return kiosk_cmd_enroll(cfg);
	case SEND_TEST: return kiosk_cmd_send_test(cfg);
	case SET_PIN: return kiosk_cmd_set_pin();
	case RUN: break;
	}
	if ((k = sodium_malloc(sizeof *k)) == NULL) {
		fprintf(stderr, "%s: out of locked memory\n", KIOSK_PROG);
		return 1;
	}
	memset(k, 0, sizeof *k);
	/* before anything is typed, and before the sandbox closes mlockall */
	if (memlock_all(&why) != 0)
		fprintf(stderr, "%s: warning: memory not locked (%s): what students type may reach "
		        "swap in the terminal library's copies\n", KIOSK_PROG, why);
	if ((rc = kiosk_load(k, cfg, KIOSK_NEED_ALL)) != 0) {
		fprintf(stderr, "%s: %s: refusing to start: fix the problems above (try --check)\n",
		        KIOSK_PROG, cfg);
	} else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s: standard input and output must be a terminal\n", KIOSK_PROG);
		rc = 2;
	} else if (kiosk_alloc_answers(k) != 0) {
		fprintf(stderr, "%s: out of locked memory (is RLIMIT_MEMLOCK too small?)\n", KIOSK_PROG);
		rc = 1;
	} else {
		rc = ui_run(k);
	}
	kiosk_unload(k);
	sodium_free(k);
	return rc;
}
