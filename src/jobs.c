/* jobs.c — memory groups on worker threads, results reported in input order (see jobs.h).
 *
 * The workers report too: the one that finishes the next file to report reports it, and every
 * file after it that is done, while the others lint on. A reporting thread of its own slept and
 * woke for nearly every file (the next one to report was the one being linted), and was a third
 * thread on two cores: ~5,000 context switches over the corpus. */
#include "jobs.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "engine.h"
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
	pthread_cond_t room;
	size_t next_group, next_report, pending;
	bool reporting; /* a worker is reporting: the others leave the next ones to it */
};

/* The lint order of group g into order[] (room for the group's files). */
static void group_order(const struct dg_jobs *j, size_t g, size_t *order)
{
	size_t first = j->starts[g], n = j->starts[g + 1] - first;

	if (j->order && n > 1) {
		j->order(j->ctx, first, n, order);
		return;
	}
	for (size_t k = 0; k < n; k++)
		order[k] = first + k;
}

static size_t largest_group(const struct dg_jobs *j)
{
	size_t most = 1;

	for (size_t g = 0; g < j->n_groups; g++)
		if (j->starts[g + 1] - j->starts[g] > most)
			most = j->starts[g + 1] - j->starts[g];
	return most;
}

/* With mu held: unless another worker is at it, reports every file from next_report on that
 * is done (the report itself outside the lock, so that the others lint meanwhile). */
static void report_ready(struct pool *p)
{
	const struct dg_jobs *j = p->j;

	if (p->reporting)
		return; /* that worker looks at the next slot again once it is done */
	p->reporting = true;
	while (p->next_report < j->n_files && p->slots[p->next_report].done) {
		size_t i = p->next_report;
		struct slot *s = &p->slots[i];
		size_t found = s->res.n_findings;

		pthread_mutex_unlock(&p->mu);
		j->report(j->ctx, i, &s->res, s->reported);
		dg_result_clear(&s->res);
		pthread_mutex_lock(&p->mu);
		p->pending -= found;
		p->next_report = i + 1;
		pthread_cond_broadcast(&p->room);
	}
	p->reporting = false;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	const struct dg_jobs *j = p->j;
	size_t *order = dg_xcalloc(largest_group(j), sizeof(*order));

	pthread_mutex_lock(&p->mu);
	while (p->next_group < j->n_groups) {
		size_t g = p->next_group++, first = j->starts[g], end = j->starts[g + 1];
		struct dg_catalog *cat;

		pthread_mutex_unlock(&p->mu);
		group_order(j, g, order);
		cat = dg_catalog_new();
		for (size_t k = 0; k < end - first; k++) {
			size_t i = order[k];
			struct slot *s = &p->slots[i];
			bool reported;

			pthread_mutex_lock(&p->mu);
			/* never the group that holds the next file to report: it would wait for
			 * itself (groups are taken in order, so that group has a thread) */
			while (p->pending > PENDING_FINDINGS_MAX &&
			       (p->next_report < first || p->next_report >= end))
				pthread_cond_wait(&p->room, &p->mu);
			pthread_mutex_unlock(&p->mu);
			reported = j->lint(j->ctx, cat, i, &s->res);
			pthread_mutex_lock(&p->mu);
			s->reported = reported;
			s->done = true;
			p->pending += s->res.n_findings;
			report_ready(p);
			pthread_mutex_unlock(&p->mu);
		}
		dg_catalog_free(cat);
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	free(order);
	dg_lint_caches_free();
	return NULL;
}

/* One thread: each group linted in its order; a result is reported as soon as every file before
 * it in the group is (at once, in the input order), so memory holds only those waiting. */
static void run_here(const struct dg_jobs *j)
{
	size_t most = largest_group(j);
	size_t *order = dg_xcalloc(most, sizeof(*order));
	struct slot *slots = dg_xcalloc(most, sizeof(*slots));

	for (size_t g = 0; g < j->n_groups; g++) {
		size_t first = j->starts[g], n = j->starts[g + 1] - first, next = 0;
		struct dg_catalog *cat = dg_catalog_new();

		group_order(j, g, order);
		for (size_t k = 0; k < n; k++) {
			struct slot *s = &slots[order[k] - first];

			s->reported = j->lint(j->ctx, cat, order[k], &s->res);
			s->done = true;
			for (; next < n && slots[next].done; next++) {
				j->report(j->ctx, first + next, &slots[next].res,
					  slots[next].reported);
				dg_result_clear(&slots[next].res);
				slots[next].done = false;
			}
		}
		dg_catalog_free(cat);
	}
	free(slots);
	free(order);
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
	pthread_cond_init(&p.room, NULL);
	for (unsigned t = 0; t < n; t++)
		if (dg_thread_start(&threads[started], worker, &p))
			started++;
	if (!started) {
		free(threads);
		free(p.slots);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.room);
		run_here(j);
		return -1;
	}
	/* every file done is reported by the worker that finished it or by the one reporting
	 * then, which looks again before it stops: when the last worker ends, all are */
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	free(p.slots);
	pthread_mutex_destroy(&p.mu);
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
