/* Items claimed in turn by the calling thread and helpers (workpool.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "workpool.h"

struct pool {
	const struct workpool_job *job;
	atomic_size_t next, done;
};

struct worker {
	struct pool *p;
	void *state;
	int reports;
	pthread_t th;
};

size_t
workpool_size(size_t n, unsigned forced)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t w = forced > 0 ? forced : cpus > 0 ? (size_t)cpus : 1;

	if (w > WORKPOOL_MAX)
		w = WORKPOOL_MAX;
	/* Threads pay off only when there is work to split. */
	if (forced == 0 && n < 16)
		w = 1;
	return w > n ? (n > 0 ? n : 1) : w;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	const struct workpool_job *job = w->p->job;
	size_t i, mine;

	for (mine = 0; (i = atomic_fetch_add(&w->p->next, 1)) < job->n; mine++) {
		if (w->reports && job->progress != NULL && (mine % 16) == 0)
			job->progress(job->shared, atomic_load(&w->p->done), job->n);
		job->run(w->state, i);
		atomic_fetch_add(&w->p->done, 1);
	}
	return NULL;
}

int
workpool_run(const struct workpool_job *job)
{
	struct worker w[WORKPOOL_MAX];
	struct pool p;
	pthread_attr_t attr;
	size_t want = job->workers < 1 ? 1 : job->workers > WORKPOOL_MAX ? WORKPOOL_MAX : job->workers;
	size_t started = 1, i;
	int attr_init, attr_ok;

	memset(w, 0, sizeof(w));
	/* Small stacks: under mlockall (memlock.c) every page of a thread's
	 * stack is locked and resident, and a worker needs little. */
	attr_init = pthread_attr_init(&attr) == 0;
	attr_ok = attr_init && pthread_attr_setstacksize(&attr, WORKPOOL_STACK) == 0;
	p.job = job;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	w[0].p = &p;
	w[0].reports = 1;
	if ((w[0].state = job->init(job->shared)) == NULL) {
		if (attr_init)
			pthread_attr_destroy(&attr);
		return -1;
	}
	for (i = 1; i < want; i++) {
		w[i].p = &p;
		if ((w[i].state = job->init(job->shared)) == NULL)
			break;
		if (pthread_create(&w[i].th, attr_ok ? &attr : NULL, work, &w[i]) != 0) {
			job->fini(w[i].state);
			break;
		}
		started++;
	}
	(void)work(&w[0]);
	for (i = 1; i < started; i++)
		pthread_join(w[i].th, NULL);
	if (attr_init)
		pthread_attr_destroy(&attr);
	for (i = 0; i < started; i++)
		job->fini(w[i].state);
	return 0;
}
