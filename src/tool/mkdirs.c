/*
 * mkdir -p with private modes, shared by keygen, the kiosk list and init.
 * Its own module so the kiosk list does not depend on the tool's config.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "mkdirs.h"

int
tool_mkdirs(const char *dir)
{
	char buf[PATH_MAX];
	size_t i, len = strlen(dir);
	struct stat sb;

	if (len == 0 || len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (stat(buf, &sb) != 0) {
			if (errno != ENOENT || (mkdir(buf, 0700) != 0 && errno != EEXIST))
				return -1;
		} else if (!S_ISDIR(sb.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		if (i < len)
			buf[i] = '/';
	}
	return 0;
}
