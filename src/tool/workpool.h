#ifndef SAFEHARBOR_TOOL_WORKPOOL_H
#define SAFEHARBOR_TOOL_WORKPOOL_H

/*
 * Opening thousands of envelopes is X25519 and ChaCha20 work that splits
 * well across CPUs: the calling thread and helper threads claim indexes
 * in turn, each with its own state (buffers in locked memory), and every
 * item is written by the one worker that claimed it.
 */

#include <stddef.h>

#define WORKPOOL_MAX 8
#define WORKPOOL_STACK (512u * 1024u)   /* each helper's stack */

struct workpool_job {
	size_t n;                                  /* items 0..n-1 */
	size_t workers;                            /* wanted (workpool_size) */
	void *shared;
	void *(*init)(void *shared);               /* a worker's state, NULL: cannot */
	void (*fini)(void *state);
	void (*run)(void *state, size_t i);
	/* called on the calling thread every 16 of its items; may be NULL */
	void (*progress)(void *shared, size_t done, size_t total);
};

/* How many workers for n items: forced if non-zero (tests, benchmarks),
 * else one per online CPU, one alone under 16 items; at most WORKPOOL_MAX
 * and n. */
size_t workpool_size(size_t n, unsigned forced);

/* Run every item. A helper that cannot be set up or started is not:
 * the others claim its share. 0, or -1 when the calling thread's own state
 * cannot be made (nothing run). */
int workpool_run(const struct workpool_job *job);

#endif
