#ifndef SAFEHARBOR_MEMLOCK_H
#define SAFEHARBOR_MEMLOCK_H

/*
 * Swap (SPEC §2.2): sodium_malloc locks the buffers we allocate, but
 * ncurses keeps its own heap copies of what is drawn (a student's typed
 * answers, a decrypted request in the inbox). Locking the whole process,
 * present and future pages (mlockall MCL_CURRENT|MCL_FUTURE), keeps those
 * off swap too.
 *
 * Only where the limit allows it without bound: RLIMIT_MEMLOCK unlimited
 * (systemd's LimitMEMLOCK=infinity) or CAP_IPC_LOCK. Under a finite limit
 * MCL_FUTURE would make allocations fail once it is reached (Argon2id and
 * scrypt need tens of MiB), so nothing is locked and the caller warns.
 */

/* Lock everything. 0, or -1 with *why (static text) saying why not. */
int memlock_all(const char **why);

/* Whether memlock_all would be allowed, without locking. 0 or -1/why. */
int memlock_possible(const char **why);

#endif
