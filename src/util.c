/*
 * Messages and passphrase input for the two programs. Messages name the
 * thing and the cause ("safeharbor: demo/id.age: wrong passphrase"), never
 * a secret or a submission.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>

#include "safeharbor/termsafe.h"
#include "safeharbor/util.h"

static const char *progname = "safeharbor";
static void (*die_hook)(void);

void
util_set_progname(const char *name)
{
	progname = name;
}

void
util_set_die_hook(void (*hook)(void))
{
	die_hook = hook;
}

__attribute__((format(printf, 1, 0))) static void
vmessage(const char *fmt, va_list ap)
{
	/* paths and names in messages may come from a hostile spool */
	termsafe_puts(stderr, progname);
	fputs(": ", stderr);
	(void)termsafe_vline(stderr, fmt, ap);
}

void
warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	if (die_hook != NULL)
		die_hook();
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(code);
}

int
util_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

/* Reads one line into a sodium_malloc buffer; strips the newline. */
static int
read_line_fd(int fd, char *buf, size_t size, size_t *len)
{
	size_t n = 0;
	char c;
	ssize_t r;

	while ((r = read(fd, &c, 1)) == 1) {
		if (c == '\n')
			break;
		if (n + 1 >= size)
			return -1;
		buf[n++] = c;
	}
	if (r < 0)
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	return 0;
}

#define PASS_MAX 1024

static int
prompt_tty(int fd, const char *prompt, char *buf, size_t size, size_t *len)
{
	struct termios old, quiet;
	int rc;

	if (tcgetattr(fd, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	/* Echo goes off (and typeahead, already echoed, is dropped) before the
	 * prompt shows, as readpassphrase(3) does: whoever answers as soon as
	 * the prompt appears is neither echoed nor lost. */
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
		return -1;
	if (write(fd, prompt, strlen(prompt)) < 0)
		rc = -1;
	else
		rc = read_line_fd(fd, buf, size, len);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		rc = -1;
	return rc;
}

int
util_read_passphrase(const char *path, const char *prompt, const char *again_prompt,
                     char **out, size_t *len)
{
	char *buf, *again = NULL;
	size_t againlen = 0;
	int fd, rc;

	if ((buf = sodium_malloc(PASS_MAX)) == NULL)
		return -1;
	if (path != NULL && strcmp(path, "-") == 0) {
		rc = read_line_fd(STDIN_FILENO, buf, PASS_MAX, len);
	} else if (path != NULL) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			sodium_free(buf);
			return -1;
		}
		rc = read_line_fd(fd, buf, PASS_MAX, len);
		close(fd);
	} else {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0) {
			sodium_free(buf);
			errno = ENOTTY;
			return -1;
		}
		rc = prompt_tty(fd, prompt, buf, PASS_MAX, len);
		if (rc == 0 && again_prompt != NULL) {
			if ((again = sodium_malloc(PASS_MAX)) == NULL)
				rc = -1;
			else if (prompt_tty(fd, again_prompt, again, PASS_MAX, &againlen) != 0)
				rc = -1;
			else if (againlen != *len || sodium_memcmp(again, buf, *len) != 0) {
				errno = EINVAL;
				rc = -1;
			}
			if (again != NULL)
				sodium_free(again);
		}
		close(fd);
	}
	if (rc == 0 && *len == 0) {
		errno = ENODATA;
		rc = -1;
	}
	if (rc != 0) {
		sodium_free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}
