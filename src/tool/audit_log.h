#ifndef SAFEHARBOR_TOOL_AUDIT_LOG_H
#define SAFEHARBOR_TOOL_AUDIT_LOG_H

/*
 * The audit log in the spool (SPEC §11): audit/NNNNNNNNNN.age, one sealed
 * entry per state change (safeharbor/audit.h), sealed to the config's
 * recipients plus the keys at hand, so every social worker of the spool
 * reads who did what. Appends are serialised with flock and never replace
 * a file (link, not rename), so two machines racing keep both entries.
 */

#include <stdint.h>
#include <stdio.h>
#include "safeharbor/audit.h"
#include "tool.h"

#define AUDIT_DIR "audit"

/* Append one entry: action (audit_action_known), the request id (full
 * hex, or NULL) and a short detail (counts, a date; never a student's
 * words; NULL for none). Needs the identities loaded. On failure returns
 * -1 and, unless quiet, warns on stderr; the reason is in why. */
int audit_append(struct tool_ctx *c, const char *action, const char *id, const char *detail);
int audit_append_quiet(struct tool_ctx *c, const char *action, const char *id,
                       const char *detail, char *why, size_t whysize);

struct audit_item {
	uint64_t fileseq;                 /* from the file name */
	int ok;                           /* opened and parsed */
	char why[128];                    /* when not ok */
	struct audit_entry e;
	unsigned char hash[AUDIT_HASH_LEN];     /* of the plaintext, when ok */
	int read;                                /* the file's bytes were read */
	unsigned char cthash[AUDIT_HASH_LEN];   /* of the file's bytes, when read */
};

struct audit_log {
	struct audit_item *v;             /* sorted by fileseq */
	size_t n;
};

/* Open every entry (identities loaded). No audit folder: an empty log.
 * 0, or -1 (the folder cannot be read: message printed). */
int audit_load(struct tool_ctx *c, struct audit_log *log);
void audit_log_free(struct audit_log *log);
/* Every break of the chain (missing, moved, altered, unreadable entry),
 * one line each to out, prefixed by prefix. Returns how many. */
size_t audit_check(const struct audit_log *log, FILE *out, const char *prefix);

int cmd_log(struct tool_ctx *c);

#endif
