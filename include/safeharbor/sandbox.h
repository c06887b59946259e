#ifndef SAFEHARBOR_SANDBOX_H
#define SAFEHARBOR_SANDBOX_H

/*
 * The kiosk's second wall, for machines where the systemd unit's sandbox is
 * not in use: once start-up has read its config, keys, screens, terminfo
 * and locale, sandbox_enter() limits the process to creating files in the
 * spool (Landlock, Linux >= 5.13; skipped with a note when the kernel lacks
 * it) and to the system calls the kiosk needs (seccomp via libseccomp;
 * others fail with EPERM rather than killing a student's session).
 */

#include <stddef.h>
#include "safeharbor/status.h"

struct sandbox_report {
	int landlock_abi;      /* 0: Landlock not available, not applied */
	int seccomp;           /* 1: filter loaded */
};

/* No new privileges, no core dumps, not dumpable. Safe to call early. */
enum sh_status sandbox_harden_process(void);

/* Restrict file access to the spool directory (read, create, rename,
 * remove inside it) and load the seccomp filter. */
enum sh_status sandbox_enter(const char *spool, struct sandbox_report *rep);
/* The same, and read-only access beneath replies (SPEC §9; NULL or a
 * folder that does not exist yet: none). */
enum sh_status sandbox_enter_replies(const char *spool, const char *replies,
                                     struct sandbox_report *rep);

#endif
