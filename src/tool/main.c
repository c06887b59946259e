/*
 * safeharbor: the social worker's tool. main() parses the command line
 * (global options may come before or after the command), reads the config
 * and calls one command. Secrets are released at exit, also after die().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sodium.h>

#include "audit_log.h"
#include "purge.h"
#include "watch.h"
#include "safeharbor/memlock.h"
#include "safeharbor/util.h"
#include "tool.h"

enum {
	OPT_JSON = 1 << 0,
	OPT_CSV = 1 << 1,
	OPT_OUT = 1 << 2,
	OPT_FORCE = 1 << 3,
	OPT_SINCE = 1 << 4,
	OPT_CLEAN = 1 << 5,
	OPT_YEAR = 1 << 6,
	OPT_EXACT = 1 << 7,
	OPT_FILTER = 1 << 8,     /* --open --urgent --until --kiosk --grep */
	OPT_RECIP = 1 << 9,      /* rekey, verify -R FILE */
	OPT_PURGE = 1 << 10,     /* --handled-before, --dry-run */
	OPT_WATCH = 1 << 11      /* --on-new, --on-urgent, --command-timeout */
};

struct command {
	const char *name;
	int (*fn)(struct tool_ctx *);
	int opts;
	size_t minargs, maxargs;
	const char *synopsis;
	const char *help;
};

static const struct command commands[] = {
	{ "init", cmd_init, 0, 0, 0, "init [--spool DIR]",
	  "create the spool (tmp/ new/ cur/, mode 0700) and a commented safeharbor.conf" },
	{ "keygen", cmd_keygen, 0, 0, 0, "keygen [-i FILE] [--passphrase-file FILE]",
	  "create a passphrase-protected identity; print its age1... recipient" },
	{ "pubkey", cmd_pubkey, 0, 0, 0, "pubkey",
	  "print the age1... recipient of each identity" },
	{ "list", cmd_list, OPT_JSON | OPT_SINCE | OPT_FILTER, 0, 0,
	  "list [--json] [--open] [--urgent] [--since DATE] [--until DATE] [--kiosk NAME]\n"
	  "       [--grep TEXT]",
	  "list requests, urgent first, then newest (DATE: YYYY-MM-DD, local;\n"
	  "      --grep: names, fields and messages, case- and accent-blind)" },
	{ "show", cmd_show, OPT_JSON, 1, 1, "show ID [--json]",
	  "show one request in full and mark it seen" },
	{ "inbox", cmd_inbox, OPT_SINCE | OPT_FILTER, 0, 0,
	  "inbox [--urgent] [--since DATE] [--until DATE] [--kiosk NAME]",
	  "full-screen inbox: read, mark handled, search, filter (f); shows arrivals" },
	{ "mark", cmd_mark, 0, 2, 3,
	  "mark ID handled|open | mark ID outcome NAME |\n"
	  "  mark ID referred cps|police|services",
	  "mark a request handled or open again, or record its outcome (met, information,\n"
	  "      assault, grooming, trafficking, no-concern, not-found) or a referral" },
	{ "note", cmd_note, 0, 1, 1, "note ID  (the note on standard input)",
	  "add a sealed case note to a request" },
	{ "export", cmd_export, OPT_JSON | OPT_CSV | OPT_OUT | OPT_FORCE, 0, 0,
	  "export --json|--csv [-o FILE|-] [-f|--force]",
	  "write every request in plaintext (JSON or CSV)" },
	{ "stats", cmd_stats, OPT_JSON | OPT_SINCE | OPT_YEAR, 0, 0,
	  "stats [--json] [--since YYYY-MM-DD] [--year YYYY]",
	  "program numbers by school year: came forward, met, identified, referred, urgent" },
	{ "report", cmd_report, OPT_OUT | OPT_FORCE | OPT_YEAR | OPT_EXACT, 0, 0,
	  "report [--year YYYY] -o FILE.html [-f|--force] [--exact]",
	  "the school year's figures as one printable page (counts only)" },
	{ "verify", cmd_verify, OPT_CLEAN | OPT_RECIP, 0, 0, "verify [--clean-tmp] [-R FILE]",
	  "check every envelope; which key opens them, which kiosks still seal to a\n"
	  "      retired key (not in -R FILE or the config's recipients); exit 1 if any problem" },
	{ "rekey", cmd_rekey, OPT_RECIP, 0, 0, "rekey -R FILE",
	  "re-seal every envelope you can open to the recipients in FILE (after a key\n"
	  "      rotation, before the old key is destroyed); flags and names are kept" },
	{ "purge", cmd_purge, OPT_PURGE, 0, TOOL_MAX_ARGS,
	  "purge --handled-before YYYY-MM-DD [--dry-run] [ID...]",
	  "remove requests handled before the date (and any named ones); print counts" },
	{ "watch", cmd_watch, OPT_WATCH, 0, 0,
	  "watch [--on-new CMD] [--on-urgent CMD] [--command-timeout SECONDS]",
	  "wait for requests; run CMD with counts only in its environment" },
	{ "log", cmd_log, OPT_JSON, 0, 0, "log [--json]",
	  "the audit log: who did what, when (local time); exit 1 if its chain is broken" },
	{ "kiosks", cmd_kiosks, 0, 1, 3, "kiosks add NAME KEY | kiosks list | kiosks remove NAME",
	  "manage the enrolled kiosk keys" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static struct tool_ctx ctx;

static void
cleanup(void)
{
	tool_ctx_free(&ctx);
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: safeharbor [--spool DIR] [-i IDENTITY]... [--passphrase-file FILE]\n"
	        "                  COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s\n      %s\n", commands[i].synopsis, commands[i].help);
	fprintf(f, "\noptions (before or after the command):\n"
	        "  --spool DIR             the queue (env SAFEHARBOR_SPOOL)\n"
	        "  -i, --identity FILE     identity file, repeatable (env SAFEHARBOR_IDENTITY;\n"
	        "                          default ~/.config/safeharbor/identity.age)\n"
	        "  --passphrase-file FILE  read the passphrase from FILE instead of the terminal\n"
	        "  -h, --help              this help (or COMMAND --help)\n"
	        "  -V, --version           print the version\n"
	        "\nexit status: 0 success, 1 data refused or operation failed,\n"
	        "             2 usage or configuration error\n"
	        "manual: man safeharbor (in a source tree: man -l doc/safeharbor.1)\n");
}

static void
command_usage(FILE *f, const struct command *cmd)
{
	fprintf(f, "usage: safeharbor %s\n  %s\n", cmd->synopsis, cmd->help);
	fprintf(f, "global options: --spool DIR, -i FILE (repeatable), --passphrase-file FILE\n");
	if (cmd->fn == cmd_inbox)
		inbox_print_keys(f);
}

static _Noreturn void bad_usage(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static _Noreturn void
bad_usage(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "safeharbor: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd != NULL)
		fprintf(stderr, "usage: safeharbor %s\n", cmd->synopsis);
	else
		fprintf(stderr, "Try 'safeharbor --help'.\n");
	exit(TOOL_EXIT_USAGE);
}

struct optdef {
	const char *lng;
	char shrt;
	int has_arg;
	int bit;      /* command option bit, 0 for global ones */
	int id;
};

enum { O_SPOOL, O_ID, O_PASS, O_HELP, O_VERSION, O_JSONO, O_CSVO, O_OUTO, O_FORCEO,
       O_SINCEO, O_CLEANO, O_YEARO, O_EXACTO, O_UNTILO, O_OPENO, O_URGENTO, O_KIOSKO,
       O_GREPO, O_RECIPO, O_HANDLEDB, O_DRYRUN, O_ONNEW, O_ONURGENT, O_CMDTIMEOUT };

static const struct optdef optdefs[] = {
	{ "spool", 0, 1, 0, O_SPOOL },
	{ "identity", 'i', 1, 0, O_ID },
	{ "passphrase-file", 0, 1, 0, O_PASS },
	{ "help", 'h', 0, 0, O_HELP },
	{ "version", 'V', 0, 0, O_VERSION },
	{ "json", 0, 0, OPT_JSON, O_JSONO },
	{ "csv", 0, 0, OPT_CSV, O_CSVO },
	{ "output", 'o', 1, OPT_OUT, O_OUTO },
	{ "force", 'f', 0, OPT_FORCE, O_FORCEO },
	{ "since", 0, 1, OPT_SINCE, O_SINCEO },
	{ "clean-tmp", 0, 0, OPT_CLEAN, O_CLEANO },
	{ "year", 0, 1, OPT_YEAR, O_YEARO },
	{ "exact", 0, 0, OPT_EXACT, O_EXACTO },
	{ "until", 0, 1, OPT_FILTER, O_UNTILO },
	{ "recipients", 'R', 1, OPT_RECIP, O_RECIPO },
	{ "open", 0, 0, OPT_FILTER, O_OPENO },
	{ "urgent", 0, 0, OPT_FILTER, O_URGENTO },
	{ "kiosk", 0, 1, OPT_FILTER, O_KIOSKO },
	{ "grep", 0, 1, OPT_FILTER, O_GREPO },
	{ "handled-before", 0, 1, OPT_PURGE, O_HANDLEDB },
	{ "dry-run", 0, 0, OPT_PURGE, O_DRYRUN },
	{ "on-new", 0, 1, OPT_WATCH, O_ONNEW },
	{ "on-urgent", 0, 1, OPT_WATCH, O_ONURGENT },
	{ "command-timeout", 0, 1, OPT_WATCH, O_CMDTIMEOUT },
};

#define NOPTDEFS (sizeof(optdefs) / sizeof(optdefs[0]))

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
apply(struct tool_opts *o, const struct optdef *d, const char *val, int *seen)
{
	*seen |= d->bit;
	switch (d->id) {
	case O_SPOOL: o->spool = val; break;
	case O_ID:
		if (o->nids >= KEYS_MAX_IDENTITIES)
			bad_usage(NULL, "too many -i options (at most %d)", KEYS_MAX_IDENTITIES);
		o->ids[o->nids++] = val;
		break;
	case O_PASS: o->passfile = val; break;
	case O_HELP: o->help = 1; break;
	case O_VERSION:
		printf("safeharbor %s\n", SH_VERSION);
		exit(TOOL_EXIT_OK);
	case O_JSONO: o->json = 1; break;
	case O_CSVO: o->csv = 1; break;
	case O_OUTO: o->out = val; break;
	case O_FORCEO: o->force = 1; break;
	case O_SINCEO: o->since = val; break;
	case O_CLEANO: o->clean_tmp = 1; break;
	case O_YEARO: o->year = val; break;
	case O_EXACTO: o->exact = 1; break;
	case O_UNTILO: o->until = val; break;
	case O_RECIPO: o->recipients = val; break;
	case O_OPENO: o->open_only = 1; break;
	case O_URGENTO: o->urgent_only = 1; break;
	case O_KIOSKO: o->kiosk = val; break;
	case O_GREPO: o->grep = val; break;
	case O_HANDLEDB: o->handled_before = val; break;
	case O_DRYRUN: o->dry_run = 1; break;
	case O_ONNEW: o->on_new = val; break;
	case O_ONURGENT: o->on_urgent = val; break;
	case O_CMDTIMEOUT: o->cmd_timeout = val; break;
	default: break;
	}
}

/* Returns the command option bits seen. */
static int
parse_args(int argc, char **argv, struct tool_opts *o)
{
	int i, seen = 0, dashdash = 0;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct optdef *d = NULL;

		if (dashdash || a[0] != '-' || a[1] == '\0') {
			if (o->cmd == NULL)
				o->cmd = a;
			else if (o->nargs >= TOOL_MAX_ARGS)
				bad_usage(NULL, "too many arguments (from '%s')", a);
			else
				o->args[o->nargs++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);

			for (k = 0; k < NOPTDEFS; k++)
				if (strlen(optdefs[k].lng) == n && strncmp(optdefs[k].lng, a + 2, n) == 0)
					d = &optdefs[k];
			if (d == NULL)
				bad_usage(NULL, "unknown option '%s'", a);
			if (eq != NULL) {
				if (!d->has_arg)
					bad_usage(NULL, "option '%s' takes no value", a);
				val = eq + 1;
			}
		} else {
			for (k = 0; k < NOPTDEFS; k++)
				if (optdefs[k].shrt == a[1])
					d = &optdefs[k];
			if (d == NULL || (a[2] != '\0' && !d->has_arg))
				bad_usage(NULL, "unknown option '%s'", a);
			if (a[2] != '\0')
				val = a + 2;
		}
		if (d->has_arg && val == NULL) {
			if (i + 1 >= argc)
				bad_usage(NULL, "option '%s' needs a value", a);
			val = argv[++i];
		}
		if (d->has_arg && val[0] == '\0')
			bad_usage(NULL, "option '%s' needs a non-empty value", a);
		apply(o, d, val, &seen);
	}
	return seen;
}

/* Records and keys must never reach a core file; every file the tool
 * creates (identity, kiosks list, export) is private. */
static void
harden(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	umask(077);
}

int
main(int argc, char **argv)
{
	const struct command *cmd;
	int seen, rc;
	size_t k;

	util_set_progname("safeharbor");
	harden();
	if (sodium_init() < 0) {
		fprintf(stderr, "safeharbor: libsodium: cannot initialise\n");
		return TOOL_EXIT_FAIL;
	}
	tool_ctx_init(&ctx);
	atexit(cleanup);
	seen = parse_args(argc, argv, &ctx.o);
	if (ctx.o.cmd == NULL) {
		if (ctx.o.help) {
			usage(stdout);
			return TOOL_EXIT_OK;
		}
		usage(stderr);
		return TOOL_EXIT_USAGE;
	}
	if (strcmp(ctx.o.cmd, "help") == 0) {
		if (ctx.o.nargs > 0 && (cmd = find_command(ctx.o.args[0])) != NULL)
			command_usage(stdout, cmd);
		else
			usage(stdout);
		return TOOL_EXIT_OK;
	}
	if ((cmd = find_command(ctx.o.cmd)) == NULL)
		bad_usage(NULL, "unknown command '%s'", ctx.o.cmd);
	if (ctx.o.help) {
		command_usage(stdout, cmd);
		return TOOL_EXIT_OK;
	}
	for (k = 0; k < NOPTDEFS; k++)
		if ((seen & optdefs[k].bit & ~cmd->opts) != 0)
			bad_usage(cmd, "option --%s does not apply to this command", optdefs[k].lng);
	if (ctx.o.nargs < cmd->minargs)
		bad_usage(cmd, "%s: missing argument", cmd->name);
	if (ctx.o.nargs > cmd->maxargs)
		bad_usage(cmd, "unexpected argument '%s'", ctx.o.args[cmd->maxargs]);
	tool_configure(&ctx);
	/* decrypted text also sits in stdio's and ncurses' buffers: keep all
	 * of it off swap where the limit allows (verify, show and the inbox
	 * say when it does not) */
	(void)memlock_all(&ctx.memlock_why);
	rc = cmd->fn(&ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnx_("stdout: write error");
		rc = TOOL_EXIT_FAIL;
	}
	return rc;
}
