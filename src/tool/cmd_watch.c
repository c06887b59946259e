/*
 * watch [--on-new CMD] [--on-urgent CMD] [--command-timeout SECONDS]
 *
 * One poll loop, no polling of the spool: an inotify watch on new/ (files
 * renamed or written into it), a signalfd for SIGCHLD/SIGTERM/SIGINT/
 * SIGHUP, and timeouts only for what is due (a batch to close, a command
 * to kill, and, while the spool is gone, a look once a second to see
 * whether it came back).
 *
 * A batch: after the first event, WATCH_BATCH_MS more for the rest of a
 * sync burst; then new/ is listed and compared with the names known
 * before, so whatever arrived (also while the spool was away) counts once.
 * With --on-urgent the identity is unlocked once at start (sodium_malloc:
 * locked memory) and each new envelope is opened to see whether it is
 * urgent; only trusted records (valid signature, enrolled kiosk) count,
 * so a forged "urgent" never fires it. The record is wiped at once.
 *
 * Commands run as /bin/sh -c CMD in their own process group, stdin from
 * /dev/null, with SAFEHARBOR_EVENT (new|urgent), SAFEHARBOR_NEW,
 * SAFEHARBOR_URGENT and SAFEHARBOR_WAITING in the environment; one that
 * outlives the timeout is sent SIGTERM, then SIGKILL, and watch goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "watch.h"
#include "queue.h"
#include "safeharbor/envelope.h"
#include "safeharbor/fileio.h"
#include "safeharbor/util.h"

#define MAX_CHILDREN 8
#define KILL_GRACE_MS 2000
#define ABSENT_RETRY_MS 1000

struct child {
	pid_t pid;
	const char *what;          /* "--on-new" or "--on-urgent" */
	long long deadline;        /* ms: SIGTERM at, then SIGKILL after the grace */
	int termed;
};

struct names {
	char (*v)[SPOOL_NAME_MAX];
	size_t n, cap;
};

struct watch {
	struct tool_ctx *c;
	char newdir[TOOL_PATH_MAX];
	int ino, wd, wdspool, sfd;
	int absent;
	long long batch_due;       /* ms, 0: no batch open */
	long long retry_due;       /* ms, while absent */
	long timeout_ms;
	struct names known;
	struct child kids[MAX_CHILDREN];
	int urgent;                /* identities loaded: urgent checks on */
	unsigned char *ct, *pt;
	struct record *r;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress lines on stderr (journald keeps them for a user unit). */
static void
say(const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	warnx_("watch: %s", buf);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The envelope names now in new/, sorted. -1 when new/ cannot be read. */
static int
list_new(const char *dir, struct names *out)
{
	DIR *d;
	struct dirent *de;
	char base[SPOOL_NAME_MAX], flags[8];
	void *nv;

	out->n = 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (spool_parse_name(de->d_name, base, flags, sizeof(flags)) != 0)
			continue;
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 64;
			if ((nv = realloc(out->v, out->cap * sizeof(*out->v))) == NULL)
				die(TOOL_EXIT_FAIL, "out of memory");
			out->v = nv;
		}
		memcpy(out->v[out->n++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	qsort(out->v, out->n, sizeof(*out->v), cmp_name);
	return 0;
}

static int
known(const struct names *k, const char *name)
{
	return bsearch(name, k->v, k->n, sizeof(*k->v), cmp_name) != NULL;
}

/* Whether a new envelope is an urgent request from an enrolled kiosk. */
static int
trusted_urgent(struct watch *w, const char *name)
{
	const char *why;
	size_t ctlen;
	enum sh_status st;
	int dirfd, yes;

	if ((dirfd = open(w->newdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	yes = fileio_read_file(dirfd, name, w->ct, QUEUE_FILE_MAX, &ctlen);
	close(dirfd);
	if (yes != 0)
		return 0;
	st = envelope_open(w->ct, ctlen, &w->c->unlock, w->pt, w->r, NULL, &why);
	sodium_memzero(w->pt, SH_RECORD_SIZE);
	yes = st == SH_OK && w->r->danger == RECORD_DANGER_YES &&
	      w->r->about != RECORD_ABOUT_TEST &&
	      kiosks_find_pk(tool_kiosks(w->c), w->r->kiosk_pk) != NULL;
	record_clear(w->r);
	return yes;
}

static void
run(struct watch *w, const char *what, const char *cmd, const char *event, size_t nnew,
    size_t nurgent, size_t waiting)
{
	char v[32];
	size_t i;
	pid_t pid;
	int fd;

	for (i = 0; i < MAX_CHILDREN && w->kids[i].pid != 0; i++)
		;
	if (i == MAX_CHILDREN) {
		say("%s: %d commands still running; not starting another", what, MAX_CHILDREN);
		return;
	}
	if ((pid = fork()) < 0) {
		say("%s: cannot start: %s", what, strerror(errno));
		return;
	}
	if (pid == 0) {
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		setsid();
		if ((fd = open("/dev/null", O_RDONLY)) >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		setenv("SAFEHARBOR_EVENT", event, 1);
		snprintf(v, sizeof(v), "%zu", nnew);
		setenv("SAFEHARBOR_NEW", v, 1);
		snprintf(v, sizeof(v), "%zu", nurgent);
		setenv("SAFEHARBOR_URGENT", v, 1);
		snprintf(v, sizeof(v), "%zu", waiting);
		setenv("SAFEHARBOR_WAITING", v, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	w->kids[i].pid = pid;
	w->kids[i].what = what;
	w->kids[i].deadline = now_ms() + w->timeout_ms;
	w->kids[i].termed = 0;
}

static void gone(struct watch *w);

static void
close_batch(struct watch *w)
{
	struct names now = { NULL, 0, 0 };
	size_t i, nnew = 0, nurgent = 0;

	w->batch_due = 0;
	if (list_new(w->newdir, &now) != 0) {
		free(now.v);
		gone(w);
		return;
	}
	for (i = 0; i < now.n; i++) {
		if (known(&w->known, now.v[i]))
			continue;
		nnew++;
		if (w->urgent)
			nurgent += (size_t)trusted_urgent(w, now.v[i]);
	}
	free(w->known.v);
	w->known = now;
	if (nnew == 0)
		return;
	if (w->urgent)
		say("%zu new request%s (%zu urgent from an enrolled kiosk), %zu waiting", nnew,
		    nnew == 1 ? "" : "s", nurgent, now.n);
	else
		say("%zu new request%s, %zu waiting", nnew, nnew == 1 ? "" : "s", now.n);
	if (w->c->o.on_new != NULL)
		run(w, "--on-new", w->c->o.on_new, "new", nnew, nurgent, now.n);
	if (nurgent > 0 && w->c->o.on_urgent != NULL)
		run(w, "--on-urgent", w->c->o.on_urgent, "urgent", nnew, nurgent, now.n);
}

/* Watch new/ (arrivals) and the spool itself (moved, removed, unmounted)
 * again; 0 when both are there. */
static int
attach(struct watch *w)
{
	w->wdspool = inotify_add_watch(w->ino, w->c->spool, IN_DELETE_SELF | IN_MOVE_SELF |
	                               IN_UNMOUNT | IN_ONLYDIR | IN_DONT_FOLLOW);
	w->wd = inotify_add_watch(w->ino, w->newdir, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE |
	                          IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_ONLYDIR |
	                          IN_DONT_FOLLOW);
	if (w->wd >= 0 && w->wdspool >= 0)
		return 0;
	if (w->wd >= 0)
		inotify_rm_watch(w->ino, w->wd);
	if (w->wdspool >= 0)
		inotify_rm_watch(w->ino, w->wdspool);
	w->wd = w->wdspool = -1;
	return -1;
}

static void
gone(struct watch *w)
{
	if (w->absent)
		return;
	if (w->wd >= 0)
		inotify_rm_watch(w->ino, w->wd);
	if (w->wdspool >= 0)
		inotify_rm_watch(w->ino, w->wdspool);
	w->wd = w->wdspool = -1;
	w->absent = 1;
	w->retry_due = now_ms() + ABSENT_RETRY_MS;
	say("the spool's new/ folder (%s) is gone (unmounted or moved?); waiting for it to "
	    "come back", w->newdir);
}

static void
read_events(struct watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t len;
	char *p;

	while ((len = read(w->ino, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + len; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (w->absent || (ev->wd != w->wd && ev->wd != w->wdspool))
				continue;
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED)) {
				gone(w);
				continue;
			}
			if (w->batch_due == 0)
				w->batch_due = now_ms() + WATCH_BATCH_MS;
		}
	}
}

static void
reap(struct watch *w)
{
	size_t i;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < MAX_CHILDREN && w->kids[i].pid != pid; i++)
			;
		if (i == MAX_CHILDREN)
			continue;
		if (w->kids[i].termed)
			;   /* already reported */
		else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			say("%s command failed (exit status %d)", w->kids[i].what, WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			say("%s command killed by signal %d", w->kids[i].what, WTERMSIG(status));
		w->kids[i].pid = 0;
	}
}

static void
enforce_timeouts(struct watch *w, long long t)
{
	size_t i;

	for (i = 0; i < MAX_CHILDREN; i++) {
		struct child *k = &w->kids[i];

		if (k->pid == 0 || t < k->deadline)
			continue;
		if (!k->termed) {
			say("%s command still running after %ld s: stopped", k->what, w->timeout_ms / 1000);
			kill(-k->pid, SIGTERM);
			k->termed = 1;
			k->deadline = t + KILL_GRACE_MS;
		} else {
			kill(-k->pid, SIGKILL);
			k->deadline = t + KILL_GRACE_MS;
		}
	}
}

static int
next_timeout(const struct watch *w, long long t)
{
	long long due = -1, d;
	size_t i;

	if (w->batch_due != 0)
		due = w->batch_due;
	if (w->absent && (due < 0 || w->retry_due < due))
		due = w->retry_due;
	for (i = 0; i < MAX_CHILDREN; i++)
		if (w->kids[i].pid != 0 && (due < 0 || w->kids[i].deadline < due))
			due = w->kids[i].deadline;
	if (due < 0)
		return -1;
	d = due - t;
	return d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
}

static long
parse_timeout(const char *s)
{
	char *end;
	long v;

	if (s == NULL)
		return WATCH_DEFAULT_TIMEOUT;
	errno = 0;
	v = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || *end != '\0' || v < 1 || v > WATCH_MAX_TIMEOUT)
		die(TOOL_EXIT_USAGE, "--command-timeout: '%s': give whole seconds, 1 to %d", s,
		    WATCH_MAX_TIMEOUT);
	return v;
}

int
cmd_watch(struct tool_ctx *c)
{
	struct watch w;
	struct pollfd pfd[2];
	struct signalfd_siginfo si;
	sigset_t set;
	long long t;
	int stop = 0;

	memset(&w, 0, sizeof(w));
	w.c = c;
	w.wd = w.wdspool = -1;
	w.timeout_ms = parse_timeout(c->o.cmd_timeout) * 1000;
	if (util_snprintf(w.newdir, sizeof(w.newdir), "%s/new", tool_need_spool(c)) != 0)
		die(TOOL_EXIT_USAGE, "%s: path too long", c->spool);
	if (c->o.on_urgent != NULL) {
		tool_load_identities(c, 0);   /* once, into locked memory */
		tool_kiosks(c);
		w.urgent = 1;
		if ((w.ct = malloc(QUEUE_FILE_MAX)) == NULL ||
		    (w.pt = sodium_malloc(SH_RECORD_SIZE)) == NULL || (w.r = record_new()) == NULL)
			die(TOOL_EXIT_FAIL, "out of memory");
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    (w.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (w.ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0)
		die(TOOL_EXIT_FAIL, "watch: %s", strerror(errno));
	if (attach(&w) != 0)
		die(TOOL_EXIT_FAIL, "%s: cannot watch: %s", w.newdir, strerror(errno));
	if (list_new(w.newdir, &w.known) != 0)
		die(TOOL_EXIT_FAIL, "%s: %s", w.newdir, strerror(errno));
	say("watching %s (%zu waiting)%s", c->spool, w.known.n,
	    w.urgent ? "; urgent requests are checked with your key" : "");

	while (!stop) {
		pfd[0].fd = w.ino;
		pfd[0].events = POLLIN;
		pfd[1].fd = w.sfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, next_timeout(&w, now_ms())) < 0 && errno != EINTR)
			die(TOOL_EXIT_FAIL, "watch: poll: %s", strerror(errno));
		if (pfd[1].revents & POLLIN) {
			while (read(w.sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					stop = 1;
			reap(&w);
		}
		if (pfd[0].revents & POLLIN)
			read_events(&w);
		t = now_ms();
		if (w.absent && t >= w.retry_due) {
			if (attach(&w) == 0) {
				w.absent = 0;
				say("the spool's new/ folder is back; watching again");
				w.batch_due = t;    /* catch up with what came while it was away */
			} else {
				w.retry_due = t + ABSENT_RETRY_MS;
			}
		}
		if (w.batch_due != 0 && t >= w.batch_due && !w.absent)
			close_batch(&w);
		enforce_timeouts(&w, t);
	}
	say("stopped");
	free(w.known.v);
	free(w.ct);
	if (w.pt != NULL)
		sodium_free(w.pt);
	if (w.r != NULL)
		record_free(w.r);
	return TOOL_EXIT_OK;
}
