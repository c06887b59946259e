/*
 * Whole-process memory locking (see memlock.h). Decisions: never lock
 * under a finite RLIMIT_MEMLOCK (MCL_FUTURE would turn the limit into
 * allocation failures mid-run); a process with CAP_IPC_LOCK in its
 * effective set (root, outside most containers) may lock without a limit,
 * anyone else needs the limit raised to unlimited.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "safeharbor/memlock.h"

#define CAP_IPC_LOCK_BIT 14

/* CAP_IPC_LOCK in the effective set, from /proc (no libcap needed). */
static int
can_lock_unlimited(void)
{
	char line[256];
	unsigned long long eff = 0;
	int found = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "CapEff:", 7) == 0 && sscanf(line + 7, "%llx", &eff) == 1) {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found && ((eff >> CAP_IPC_LOCK_BIT) & 1);
}

int
memlock_possible(const char **why)
{
	struct rlimit rl;

	*why = NULL;
	if (can_lock_unlimited())
		return 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0) {
		*why = "cannot read the memory lock limit";
		return -1;
	}
	if (rl.rlim_cur != RLIM_INFINITY) {
		*why = "the memory lock limit (RLIMIT_MEMLOCK) is finite: set LimitMEMLOCK=infinity "
		       "in the systemd unit (or 'ulimit -l unlimited')";
		return -1;
	}
	return 0;
}

int
memlock_all(const char **why)
{
	if (memlock_possible(why) != 0)
		return -1;
	if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
		*why = errno == ENOMEM ? "not enough memory to lock the whole process" :
		       errno == EPERM ? "not permitted to lock memory" : "mlockall failed";
		return -1;
	}
	return 0;
}
