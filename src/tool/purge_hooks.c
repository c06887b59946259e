/*
 * What purge removes beside a request's envelopes (see purge.h): its case
 * items (notes, outcomes, referrals, changes of state; casefile.c) and the
 * social worker's answers in the replies folder (replies.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safeharbor/replies.h"
#include "safeharbor/util.h"
#include "casework.h"
#include "purge.h"

static long
case_items(struct tool_ctx *c, const struct queue_item *it, int dry_run, char *why,
           size_t whysize)
{
	size_t first, n = casefile_find(tool_cases(c), it->id, &first), removed = 0;
	enum sh_status st;

	if (dry_run || n == 0)
		return (long)n;
	if ((st = casefile_remove_request(c->cases, it->id, &removed)) != SH_OK) {
		util_snprintf(why, whysize, "%s", st == SH_ERR_IO ? strerror(errno) : sh_status_str(st));
		return -1;
	}
	return (long)removed;
}

/*
 * The answers sealed to the request's Reply-To key: every slot's name
 * (replies_name), each a regular file unlinked by that exact name, then
 * the folder synced. A student's own answer (About: reply) shares the key
 * of the request it answers; the files belong to the conversation and go
 * with its first request (cmd_purge keeps a conversation together), so
 * nothing is done for it. No replies folder configured: nothing to do.
 */

static long
replies(struct tool_ctx *c, const struct queue_item *it, int dry_run, char *why,
        size_t whysize)
{
	return purge_replies_older(c, it, (time_t)-1, dry_run, why, whysize);
}

long
purge_replies_older(struct tool_ctx *c, const struct queue_item *it, time_t before,
                    int dry_run, char *why, size_t whysize)
{
	char name[REPLIES_NAME_LEN + 1];
	struct age_recipient rk;
	struct stat sb;
	unsigned slot;
	long n = 0;
	int dirfd;

	if (c->replies[0] == '\0' || !it->has_reply_to || it->about == RECORD_ABOUT_REPLY)
		return 0;
	if ((dirfd = open(c->replies, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		util_snprintf(why, whysize, "%s: %s", c->replies, strerror(errno));
		return -1;
	}
	memcpy(rk.pk, it->reply_to, sizeof(rk.pk));
	for (slot = 0; slot < REPLIES_SLOTS; slot++) {
		replies_name(&rk, slot, name);
		if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (before != (time_t)-1 && sb.st_mtime >= before)
			continue;
		if (!dry_run && unlinkat(dirfd, name, 0) != 0 && errno != ENOENT)
			goto fail;
		n++;
	}
	if (!dry_run && n > 0 && fsync(dirfd) != 0)
		goto fail;
	close(dirfd);
	return n;
fail:
	util_snprintf(why, whysize, "%s: %s", c->replies, strerror(errno));
	close(dirfd);
	return -1;
}

const struct purge_hook purge_hooks[] = {
	{ "case items (notes, outcomes, marks)", case_items },
	{ "answers in the replies folder", replies },
	{ NULL, NULL }
};
