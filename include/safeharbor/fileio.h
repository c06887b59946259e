#ifndef SAFEHARBOR_FILEIO_H
#define SAFEHARBOR_FILEIO_H

/* The read and write loops every file-handling module needs: they retry
 * EINTR and short transfers so callers only see done or failed. */

#include <stddef.h>

/* Read until EOF or cap bytes; *got says how many. 0, or -1 with errno. */
int fileio_read_upto(int fd, void *buf, size_t cap, size_t *got);

/* Write all len bytes. 0, or -1 with errno (EIO for a zero-byte write). */
int fileio_write_all(int fd, const void *data, size_t len);

#endif
