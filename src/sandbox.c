/*
 * sandbox: the kiosk's own walls, in addition to the systemd unit's.
 *
 * Decisions:
 * - Landlock through raw syscalls (glibc has no wrappers; libc headers may
 *   be older than the kernel), with our own copies of the constants. The
 *   ruleset handles every filesystem right the running kernel knows, and
 *   grants only file work beneath the spool. Files opened before (tty,
 *   terminfo, screens) keep working: Landlock checks at open time.
 * - ABI 1 kernels (5.13-5.18) cannot rename a file between two
 *   directories under Landlock (no REFER right: always EXDEV), which would
 *   break Maildir delivery (tmp/ -> new/). There Landlock is not applied
 *   and the report says 0, exactly as on a kernel without Landlock.
 * - seccomp via libseccomp, default action EPERM rather than kill, so a
 *   call we forgot turns into an error the kiosk reports instead of a
 *   student's session vanishing. No exec, no fork, no sockets, no chmod,
 *   no ptrace; mmap/mprotect never with PROT_EXEC; ioctl only the terminal
 *   requests curses uses (TIOCSTI, which injects input, is not one);
 *   signals only to ourselves.
 * Non-goals: network rules beyond "no sockets" (the unit has no network
 * anyway); restricting reads of already-open descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <seccomp.h>

#include "safeharbor/sandbox.h"

/* Under valgrind (make valgrind) the filter would refuse the executable
 * mappings valgrind itself needs; RUNNING_ON_VALGRIND is a no-op sequence
 * on a real CPU, so this cannot be used to skip the filter in production. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

/* Landlock uapi (include/uapi/linux/landlock.h), kept here so the build
 * does not depend on the age of the installed kernel headers. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1

#define LL_FS_EXECUTE     (1ULL << 0)
#define LL_FS_WRITE_FILE  (1ULL << 1)
#define LL_FS_READ_FILE   (1ULL << 2)
#define LL_FS_READ_DIR    (1ULL << 3)
#define LL_FS_REMOVE_DIR  (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR   (1ULL << 6)
#define LL_FS_MAKE_DIR    (1ULL << 7)
#define LL_FS_MAKE_REG    (1ULL << 8)
#define LL_FS_MAKE_SOCK   (1ULL << 9)
#define LL_FS_MAKE_FIFO   (1ULL << 10)
#define LL_FS_MAKE_BLOCK  (1ULL << 11)
#define LL_FS_MAKE_SYM    (1ULL << 12)
#define LL_FS_REFER       (1ULL << 13)   /* ABI 2 */
#define LL_FS_TRUNCATE    (1ULL << 14)   /* ABI 3 */
#define LL_FS_IOCTL_DEV   (1ULL << 15)   /* ABI 5 */
#define LL_FS_ABI1        ((1ULL << 13) - 1)

#define LL_NET_BIND_TCP    (1ULL << 0)   /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)

#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)   /* ABI 6 */
#define LL_SCOPE_SIGNAL               (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

enum sh_status
sandbox_harden_process(void)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) != 0)
		return SH_ERR_IO;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return SH_ERR_IO;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return SH_ERR_IO;
	return SH_OK;
}

static int
landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, (size_t)0,
	                   LL_CREATE_RULESET_VERSION);
	if (abi < 0)
		return 0;      /* ENOSYS: not built; EOPNOTSUPP: disabled at boot */
	return abi > 1000 ? 1000 : (int)abi;
}

/* Read-only access beneath dir (the replies folder); a folder that is not
 * there (not synced yet) gets no rule and stays out of reach. */
static int
add_read_rule(int rfd, const char *dir)
{
	struct ll_path_beneath_attr rule;
	int dfd, rc;

	if (dir == NULL || (dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	memset(&rule, 0, sizeof rule);
	rule.allowed_access = LL_FS_READ_FILE | LL_FS_READ_DIR;
	rule.parent_fd = dfd;
	rc = (int)syscall(SYS_landlock_add_rule, rfd, LL_RULE_PATH_BENEATH, &rule, 0U);
	close(dfd);
	return rc;
}

static enum sh_status
landlock_apply(const char *spool, const char *replies, int abi)
{
	struct ll_ruleset_attr attr;
	struct ll_path_beneath_attr rule;
	int rfd, dfd, saved;

	memset(&attr, 0, sizeof attr);
	attr.handled_access_fs = LL_FS_ABI1 | LL_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= LL_FS_TRUNCATE;
	if (abi >= 5)
		attr.handled_access_fs |= LL_FS_IOCTL_DEV;
	if (abi >= 4)
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
	if (abi >= 6)
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;

	memset(&rule, 0, sizeof rule);
	rule.allowed_access = LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_WRITE_FILE |
	                      LL_FS_MAKE_REG | LL_FS_REMOVE_FILE | LL_FS_REFER;
	if (abi >= 3)
		rule.allowed_access |= LL_FS_TRUNCATE;

	dfd = open(spool, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT || errno == ENOTDIR ? SH_ERR_NOT_FOUND : SH_ERR_IO;
	/* Older kernels accept the larger struct as long as the fields they
	 * do not know are zero; pass the size they know to be exact. */
	size_t size = abi >= 6 ? sizeof attr : abi >= 4 ? 2 * sizeof(uint64_t)
	                                                 : sizeof(uint64_t);
	long r = syscall(SYS_landlock_create_ruleset, &attr, size, 0U);
	if (r < 0) {
		saved = errno;
		close(dfd);
		errno = saved;
		return SH_ERR_IO;
	}
	rfd = (int)r;
	rule.parent_fd = dfd;
	if (syscall(SYS_landlock_add_rule, rfd, LL_RULE_PATH_BENEATH, &rule, 0U) != 0 ||
	    add_read_rule(rfd, replies) != 0 ||
	    syscall(SYS_landlock_restrict_self, rfd, 0U) != 0) {
		saved = errno;
		close(dfd);
		close(rfd);
		errno = saved;
		return SH_ERR_IO;
	}
	close(dfd);
	close(rfd);
	return SH_OK;
}

/* System calls allowed without conditions. Each is either harmless or
 * checked again by Landlock (openat, rename, unlink: paths). */
static const int allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(close), SCMP_SYS(lseek),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(stat),
	SCMP_SYS(lstat), SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(getcwd),
	SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(getdents64),
	SCMP_SYS(rename), SCMP_SYS(renameat), SCMP_SYS(renameat2),
	SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(ftruncate),
	SCMP_SYS(fsync), SCMP_SYS(fdatasync), SCMP_SYS(utimensat),
	SCMP_SYS(fcntl), SCMP_SYS(dup), SCMP_SYS(dup2), SCMP_SYS(dup3),
	SCMP_SYS(pipe), SCMP_SYS(pipe2), SCMP_SYS(flock),
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(select), SCMP_SYS(pselect6),
	SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl), SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigsuspend), SCMP_SYS(rt_sigpending), SCMP_SYS(sigaltstack),
	SCMP_SYS(restart_syscall), SCMP_SYS(pause),
	SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep), SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday), SCMP_SYS(time),
	SCMP_SYS(alarm), SCMP_SYS(setitimer), SCMP_SYS(getitimer),
	SCMP_SYS(timerfd_create), SCMP_SYS(timerfd_settime), SCMP_SYS(timerfd_gettime),
	SCMP_SYS(getrandom),
	SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk), SCMP_SYS(madvise),
	SCMP_SYS(mlock), SCMP_SYS(mlock2), SCMP_SYS(munlock),
	SCMP_SYS(exit), SCMP_SYS(exit_group),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getppid),
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid),
	SCMP_SYS(getresuid), SCMP_SYS(getresgid), SCMP_SYS(getgroups),
	SCMP_SYS(getpgrp), SCMP_SYS(getpgid), SCMP_SYS(getsid),
	SCMP_SYS(getrlimit), SCMP_SYS(getrusage), SCMP_SYS(times),
	SCMP_SYS(sysinfo), SCMP_SYS(uname), SCMP_SYS(futex), SCMP_SYS(sched_yield),
	SCMP_SYS(sched_getaffinity),
};

/* Terminal requests ncurses and the C library make on the tty. */
static const unsigned long tty_ioctls[] = {
	TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, FIONREAD, TCFLSH,
	TCSBRK, TCXONC, TIOCGPGRP,
};

/* SCMP_An() leaves datum_b to the initializer, which clang -Wextra
 * flags; spell all four members. */
static struct scmp_arg_cmp
arg_cmp(unsigned arg, enum scmp_compare op, scmp_datum_t a, scmp_datum_t b)
{
	struct scmp_arg_cmp c = { arg, op, a, b };
	return c;
}

static enum sh_status
seccomp_apply(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int rc = 0;
	size_t i;
	scmp_datum_t self = (scmp_datum_t)getpid();

	if (ctx == NULL)
		return SH_ERR_NOMEM;
	for (i = 0; rc == 0 && i < sizeof allowed / sizeof allowed[0]; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	for (i = 0; rc == 0 && i < sizeof tty_ioctls / sizeof tty_ioctls[0]; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		                      arg_cmp(1, SCMP_CMP_EQ, (scmp_datum_t)tty_ioctls[i], 0));
	/* Memory: never executable. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
		                      arg_cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
		                      arg_cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* Signals: only to this process (abort(), raise()). */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
		                      arg_cmp(0, SCMP_CMP_EQ, self, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
		                      arg_cmp(0, SCMP_CMP_EQ, self, 0));
	/* Reading limits is fine, changing them is not. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
		                      arg_cmp(0, SCMP_CMP_EQ, 0, 0), arg_cmp(2, SCMP_CMP_EQ, 0, 0));
	if (rc == 0) {
		rc = seccomp_load(ctx);
		/* An outer filter (a systemd unit's SystemCallFilter=) may refuse
		 * the seccomp(2) call itself; prctl(PR_SET_SECCOMP) loads the
		 * same program. */
		if (rc != 0 && seccomp_api_set(1) == 0)
			rc = seccomp_load(ctx);
	}
	seccomp_release(ctx);
	if (rc != 0) {
		errno = -rc;
		return SH_ERR_IO;
	}
	return SH_OK;
}

enum sh_status
sandbox_enter(const char *spool, struct sandbox_report *rep)
{
	return sandbox_enter_replies(spool, NULL, rep);
}

enum sh_status
sandbox_enter_replies(const char *spool, const char *replies, struct sandbox_report *rep)
{
	enum sh_status st;
	struct stat sb;
	int abi;

	if (spool == NULL || rep == NULL)
		return SH_ERR_USAGE;
	rep->landlock_abi = 0;
	rep->seccomp = 0;
	if (stat(spool, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return SH_ERR_NOT_FOUND;
	/* Load the time zone now: /etc/localtime is out of reach afterwards. */
	tzset();
	/* Both Landlock and unprivileged seccomp require it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return SH_ERR_IO;
	if (UNDER_VALGRIND())
		return SH_OK;      /* report says: neither layer applied */
	abi = landlock_abi();
	if (abi >= 2) {
		st = landlock_apply(spool, replies, abi);
		if (st != SH_OK)
			return st;
		rep->landlock_abi = abi;
	}
	st = seccomp_apply();
	if (st != SH_OK)
		return st;
	rep->seccomp = 1;
	return SH_OK;
}
