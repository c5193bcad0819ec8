/* jobs.c — memory groups on worker threads, results back in input order (see jobs.h). */
#include "jobs.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "migration.h"

/* Results linted ahead of the report wait in memory (findings, not trees); past this many
 * findings a worker waits for the report to catch up (never the one whose file is next). */
#define PENDING_FINDINGS_MAX 200000

/* As the CLI's own thread: libpg_query's recursion needs a deep stack (see main.c). */
#define WORKER_STACK ((size_t)1 << 30)

struct slot {
	struct dg_result res;
	bool done, reported;
};

struct pool {
	const struct dg_jobs *j;
	struct slot *slots;
	pthread_mutex_t mu;
	pthread_cond_t done, room;
	size_t next_group, next_report, pending;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	const struct dg_jobs *j = p->j;

	pthread_mutex_lock(&p->mu);
	while (p->next_group < j->n_groups) {
		size_t g = p->next_group++;
		struct dg_catalog *cat;

		pthread_mutex_unlock(&p->mu);
		cat = dg_catalog_new();
		for (size_t i = j->starts[g]; i < j->starts[g + 1]; i++) {
			struct slot *s = &p->slots[i];
			bool reported;

			pthread_mutex_lock(&p->mu);
			while (p->pending > PENDING_FINDINGS_MAX && i != p->next_report)
				pthread_cond_wait(&p->room, &p->mu);
			pthread_mutex_unlock(&p->mu);
			reported = j->lint(j->ctx, cat, i, &s->res);
			pthread_mutex_lock(&p->mu);
			s->reported = reported;
			s->done = true;
			p->pending += s->res.n_findings;
			pthread_cond_signal(&p->done);
			pthread_mutex_unlock(&p->mu);
		}
		dg_catalog_free(cat);
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	dg_migration_caches_free();
	return NULL;
}

static void run_here(const struct dg_jobs *j)
{
	for (size_t g = 0; g < j->n_groups; g++) {
		struct dg_catalog *cat = dg_catalog_new();

		for (size_t i = j->starts[g]; i < j->starts[g + 1]; i++) {
			struct dg_result res;
			bool reported = j->lint(j->ctx, cat, i, &res);

			j->report(j->ctx, i, &res, reported);
			dg_result_clear(&res);
		}
		dg_catalog_free(cat);
	}
}

bool dg_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	bool ok = false;

	if (pthread_attr_init(&attr) != 0)
		return false;
	ok = pthread_attr_setstacksize(&attr, WORKER_STACK) == 0 &&
	     pthread_create(t, &attr, fn, arg) == 0;
	pthread_attr_destroy(&attr);
	return ok;
}

int dg_jobs_run(const struct dg_jobs *j)
{
	struct pool p = {0};
	pthread_t *threads;
	unsigned n = j->jobs, started = 0;

	if (n > j->n_groups)
		n = (unsigned)j->n_groups;
	if (n <= 1) {
		run_here(j);
		return 0;
	}
	p.j = j;
	p.slots = dg_xcalloc(j->n_files ? j->n_files : 1, sizeof(*p.slots));
	threads = dg_xcalloc(n, sizeof(*threads));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.done, NULL);
	pthread_cond_init(&p.room, NULL);
	for (unsigned t = 0; t < n; t++)
		if (dg_thread_start(&threads[started], worker, &p))
			started++;
	if (!started) {
		free(threads);
		free(p.slots);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.done);
		pthread_cond_destroy(&p.room);
		run_here(j);
		return -1;
	}
	for (size_t i = 0; i < j->n_files; i++) {
		struct slot *s = &p.slots[i];
		size_t found;

		pthread_mutex_lock(&p.mu);
		while (!s->done)
			pthread_cond_wait(&p.done, &p.mu);
		pthread_mutex_unlock(&p.mu);
		found = s->res.n_findings;
		j->report(j->ctx, i, &s->res, s->reported);
		dg_result_clear(&s->res);
		pthread_mutex_lock(&p.mu);
		p.pending -= found;
		p.next_report = i + 1;
		pthread_cond_broadcast(&p.room);
		pthread_mutex_unlock(&p.mu);
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	free(p.slots);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.done);
	pthread_cond_destroy(&p.room);
	return 0;
}

unsigned dg_jobs_default(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}
