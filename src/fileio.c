#include <errno.h>
#include <unistd.h>

#include "safeharbor/fileio.h"

int
fileio_read_upto(int fd, void *buf, size_t cap, size_t *got)
{
	unsigned char *p = buf;
	size_t n = 0;
	ssize_t r;

	while (n < cap) {
		r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*got = n;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*got = n;
	return 0;
}

int
fileio_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}
