#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "safeharbor/sandbox.h"

/* SPEC §9: under the kiosk's Landlock rules the replies folder can be read
 * and nothing more: no file created, changed or removed there; the rest
 * of the file system stays out of reach. */

struct result {
	int status, abi;
	int read_reply, create_in_replies, write_reply, unlink_reply, read_outside;
};

static char base[64], spool[96], replies[96], reply[160], outside[96];

static int
err_of(int ok)
{
	return ok ? 0 : (errno ? errno : -1);
}

static void
put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

Test(sandbox_replies, replies_folder_is_read_only)
{
	struct result res;
	int fds[2], wst;
	pid_t pid;
	long abi = syscall(444 /* landlock_create_ruleset */, NULL, (size_t)0, 1U);

	snprintf(base, sizeof base, "/tmp/sh-sandbox-rep.XXXXXX");
	cr_assert_not_null(mkdtemp(base));
	snprintf(spool, sizeof spool, "%s/spool", base);
	snprintf(replies, sizeof replies, "%s/replies", base);
	cr_assert_eq(mkdir(spool, 0700), 0);
	cr_assert_eq(mkdir(replies, 0700), 0);
	snprintf(reply, sizeof reply, "%s/0123456789abcdef0123456789abcdef.age", replies);
	put_file(reply, "sealed answer");
	snprintf(outside, sizeof outside, "%s/outside.txt", base);
	put_file(outside, "not for the kiosk");

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct sandbox_report rep;
		char buf[32], path[200];
		int fd;

		memset(&res, 0, sizeof res);
		close(fds[0]);
		res.status = (int)sandbox_enter_replies(spool, replies, &rep);
		res.abi = rep.landlock_abi;
		errno = 0;
		fd = open(reply, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		res.read_reply = err_of(fd >= 0 && read(fd, buf, sizeof buf) == 13);
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof path, "%s/planted.age", replies);
		errno = 0;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		res.create_in_replies = err_of(fd >= 0);
		if (fd >= 0)
			close(fd);
		errno = 0;
		fd = open(reply, O_WRONLY | O_CLOEXEC);
		res.write_reply = err_of(fd >= 0);
		if (fd >= 0)
			close(fd);
		errno = 0;
		res.unlink_reply = err_of(unlink(reply) == 0);
		errno = 0;
		fd = open(outside, O_RDONLY | O_CLOEXEC);
		res.read_outside = err_of(fd >= 0);
		if (fd >= 0)
			close(fd);
		_exit(write(fds[1], &res, sizeof res) == (ssize_t)sizeof res ? 0 : 3);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &res, sizeof res), (ssize_t)sizeof res);
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &wst, 0), pid);
	cr_assert(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
	{
		char cmd[128];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
		cr_expect_eq(system(cmd), 0);
	}
	cr_assert_eq(res.status, 0);
	cr_expect_eq(res.read_reply, 0, "read a reply: errno %d", res.read_reply);
	if (res.abi == 0) {
		cr_assert_lt(abi, 2, "kernel has Landlock ABI %ld but it was not applied", abi);
		cr_skip_test("Landlock not available (ABI %ld): folder rules not tested", abi);
	}
	cr_expect_neq(res.create_in_replies, 0, "created a file in the replies folder");
	cr_expect_neq(res.write_reply, 0, "opened a reply for writing");
	cr_expect_neq(res.unlink_reply, 0, "removed a reply");
	cr_expect_eq(res.read_outside, EACCES, "read outside: errno %d", res.read_outside);
}
