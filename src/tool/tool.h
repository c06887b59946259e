#ifndef SAFEHARBOR_TOOL_H
#define SAFEHARBOR_TOOL_H

/*
 * The social worker's tool: one context passed to every command. main.c
 * parses the command line into tool_opts; toolconf.c adds the config file
 * and environment and loads identities (passphrase asked once per run).
 */

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include "safeharbor/age.h"
#include "safeharbor/keys.h"
#include "safeharbor/schooldays.h"
#include "safeharbor/spool.h"
#include "safeharbor/status.h"
#include "kiosks.h"
#include "mkdirs.h"

#define TOOL_PATH_MAX 4096
#define TOOL_MAX_ARGS 8

/* Exit codes (SPEC §6). */
#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FAIL 1
#define TOOL_EXIT_USAGE 2

struct tool_opts {
	const char *cmd;
	const char *spool;                       /* --spool */
	const char *replies;                     /* --replies */
	const char *ids[KEYS_MAX_IDENTITIES];    /* -i, in order */
	size_t nids;
	const char *passfile;                    /* --passphrase-file */
	int json, csv, force, clean_tmp, help, staff;
	const char *out;                         /* export -o */
	const char *since;                       /* stats, list --since */
	const char *until;                       /* list --until */
	const char *kiosk;                       /* list --kiosk NAME */
	const char *grep;                        /* list --grep TEXT */
	int open_only, urgent_only;              /* list --open, --urgent */
	const char *recipients;                  /* rekey -R FILE */
	const char *year;                        /* stats/report --year */
	int exact;                               /* report --exact */
	const char *handled_before;              /* purge --handled-before */
	int dry_run;                             /* purge --dry-run */
	const char *on_new, *on_urgent;          /* watch --on-new, --on-urgent */
	const char *cmd_timeout;                 /* watch --command-timeout */
	const char *args[TOOL_MAX_ARGS];         /* operands after the command */
	size_t nargs;
};

struct casefile;

struct tool_ctx {
	struct tool_opts o;
	char spool[TOOL_PATH_MAX];               /* "" when none configured */
	const char *spool_from;                  /* "--spool", "SAFEHARBOR_SPOOL", config path */
	char replies[TOOL_PATH_MAX];             /* "" when none configured */
	char idpaths[KEYS_MAX_IDENTITIES][TOOL_PATH_MAX];
	size_t nidpaths;
	int id_defaulted;                        /* idpaths[0] is the default path */
	char kiosks_path[TOOL_PATH_MAX];
	char conf_path[TOOL_PATH_MAX];
	struct keys_identities *ids;             /* NULL until loaded */
	unsigned char id_file[KEYS_MAX_IDENTITIES];  /* idpaths index of each loaded key */
	struct age_unlock unlock;
	struct kiosks kiosks;
	int kiosks_loaded;
	char recipients_path[TOOL_PATH_MAX];     /* config recipients, "" none */
	int year_start;                          /* first month of a school year, 1..12 */
	struct casefile *cases;                  /* casework.c, NULL until loaded */
	unsigned follow_up_days;                 /* config follow_up_days (school days) */
	unsigned reply_days;                     /* config reply_days: answers expire */
	char holidays_path[TOOL_PATH_MAX];       /* config holidays, "" when none */
	struct holidays *holidays;               /* loaded by tool_holidays() */
	const char *memlock_why;                 /* why memory is not locked, or NULL */
};

/* What safeharbor.conf says; paths expanded ("~/", relative to its folder). */
struct tool_conf {
	char spool[TOOL_PATH_MAX];
	char ids[KEYS_MAX_IDENTITIES][TOOL_PATH_MAX];
	size_t nids;
	char kiosks[TOOL_PATH_MAX];
	char replies[TOOL_PATH_MAX];
	char recipients[TOOL_PATH_MAX];          /* age -R file notes are sealed to */
	int year_start;                          /* school_year_start, 0: unset */
	char holidays[TOOL_PATH_MAX];
	int follow_up_days;                      /* -1: not set */
	int reply_days;                          /* -1: not set */
};

/* toolconf_file.c: parse config text (NUL-terminated). Each problem goes
 * to stderr naming file (and line for syntax); returns 0, or -1 when any
 * was an error (unknown keys and sections are only warnings). */
int tool_conf_parse(const char *text, const char *file, const char *basedir,
                    struct tool_conf *out);

/* toolconf.c */
void tool_ctx_init(struct tool_ctx *c);
void tool_ctx_free(struct tool_ctx *c);
/* Read the config file and environment; dies (exit 2) on a bad config. */
void tool_configure(struct tool_ctx *c);
/* The spool, checked to be an existing directory; dies (exit 2) otherwise. */
const char *tool_need_spool(struct tool_ctx *c);
/* The replies folder (--replies, SAFEHARBOR_REPLIES, config replies),
 * checked to be an existing directory; dies (exit 2) otherwise. */
const char *tool_need_replies(struct tool_ctx *c);
/* Load every identity, asking the passphrase at most once. optional: when
 * no identity was named and the default file does not exist, return 0
 * without dying. Returns 1 when identities are loaded. */
int tool_load_identities(struct tool_ctx *c, int optional);
/* util_read_passphrase, with the terminal restored if a signal ends the
 * program at the prompt. */
int tool_read_passphrase(const char *path, const char *prompt, int confirm,
                         char **out, size_t *len);
/* Enrolled kiosks (missing file: empty list); dies on a bad file. */
const struct kiosks *tool_kiosks(struct tool_ctx *c);
/* Parse SAFEHARBOR_SCRYPT_LOGN (10..22), default AGE_SCRYPT_DEFAULT_LOGN;
 * -1 if set but invalid. */
int tool_scrypt_logn(const char *env);

/* casework.c: release the run's case index (notes, outcomes), if loaded. */
void tool_cases_free(struct tool_ctx *c);

/* Commands: each returns an exit code. */
int cmd_init(struct tool_ctx *c);
int cmd_keygen(struct tool_ctx *c);
int cmd_pubkey(struct tool_ctx *c);
int cmd_list(struct tool_ctx *c);
int cmd_show(struct tool_ctx *c);
int cmd_mark(struct tool_ctx *c);
int cmd_export(struct tool_ctx *c);
int cmd_stats(struct tool_ctx *c);
int cmd_verify(struct tool_ctx *c);
int cmd_kiosks(struct tool_ctx *c);
int cmd_inbox(struct tool_ctx *c);
int cmd_reply(struct tool_ctx *c);
/* cmd_reply.c: sign, seal and store an answer to item idx (its Reply-To)
 * in c->replies, signed by the staff key of the identity that opens it.
 * NULL on success (*slot: which answer), else why nothing was written.
 * A stored answer appends a "reply" audit entry (the id only): *audited
 * says whether it did. */
struct queue;
const char *tool_reply_send(struct tool_ctx *c, const struct queue *q, size_t idx,
                            const char *text, size_t len, unsigned *slot, int *audited);
int cmd_code(struct tool_ctx *c);
int cmd_note(struct tool_ctx *c);
int cmd_rekey(struct tool_ctx *c);
int cmd_report(struct tool_ctx *c);
/* The inbox's keys, as its help screen lists them (safeharbor help inbox). */
void inbox_print_keys(FILE *f);

/* Shared by list/show/export/stats/inbox (toolqueue.c). */
struct queue;
struct queue_item;
struct spool_entry;
void tool_load_queue(struct tool_ctx *c, struct queue *q);
/* queue_load failed: say why (a spool refused for a link or its owner
 * names the folder) and exit. */
_Noreturn void tool_queue_die(const struct queue *q, const char *spool, enum sh_status st);
/* Resolve an operand to an item or die with the candidates (exit 1). */
size_t tool_resolve(const struct queue *q, const char *arg);
/* Display name of an item's kiosk: enrolled name or NULL. */
const char *tool_kiosk_name(struct tool_ctx *c, const struct queue_item *it);
struct jsonw;
struct record;
/* The listing fields of an item as JSON object members. */
void tool_item_json(struct tool_ctx *c, struct jsonw *w, const struct queue_item *it);
/* The same plus every field of the record and the message. */
void tool_record_json(struct tool_ctx *c, struct jsonw *w, const struct queue_item *it,
                      const struct record *r);
/* Kiosk name, or a "not from an enrolled kiosk" warning. */
void tool_kiosk_text(struct tool_ctx *c, const struct queue_item *it, char *out, size_t size);
/* verify's key report (verify_keys.c): returns the problems found. */
size_t tool_verify_keys(struct tool_ctx *c, const struct queue *q);
struct qfilter;
/* The list filters of the command line (cmd_list.c); dies (exit 2) on a
 * bad date or an unknown kiosk name. */
void tool_filter_from_opts(struct tool_ctx *c, struct qfilter *f);
/* "2026-11-29T08:00:00Z" from a time. */
void tool_iso_time(time_t t, char out[32]);
/* overdue.c: the holidays file named in the config (NULL: none; dies on a
 * bad one); whether an opened, open request is overdue at now (SPEC §11). */
const struct holidays *tool_holidays(struct tool_ctx *c);
int tool_item_overdue(struct tool_ctx *c, const struct queue_item *it, time_t now);
/* "new/abc.age:2,S" (relative to the spool). */
void tool_rel_name(const struct spool_entry *e, char *out, size_t size);

#endif
