#ifndef SAFEHARBOR_BENCH_CLOCK_H
#define SAFEHARBOR_BENCH_CLOCK_H

/* The benchmarks' two clocks, in seconds. */

#include <time.h>

/* Wall time (monotonic). */
static inline double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Process CPU time: time spent descheduled does not count. */
static inline double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
