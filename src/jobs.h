/* jobs.h — linting on several cores (--jobs) with the output of one.
 *
 * Files are independent but for the schema memory: the files of one memory group (consecutive
 * files sharing one catalog scope) are linted by one thread with one catalog, in the order the
 * group's `order` callback gives (its runner's, so that the catalog only ever moves forward);
 * groups go to worker threads, and their results are reported one at a time in exactly the input
 * order, so that every report is byte for byte what one thread writes. */
#ifndef DG_JOBS_H
#define DG_JOBS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "ddlguard/ddlguard.h"

/* Lints file `i` with the group's catalog into *res; false when the file is not reported (the
 * callback still ran it, e.g. for the schema memory). Runs on a worker thread: it must only
 * read what it shares with other calls. */
typedef bool (*dg_jobs_lint_fn)(void *ctx, struct dg_catalog *cat, size_t i, struct dg_result *res);
/* Receives file i's result, in input order (reported: what lint said), on one thread at a time:
 * the calling thread's with one job, else a worker's (each call happens after the one before
 * it, under the pool's lock: what it keeps needs no lock of its own). It may keep nothing of
 * *res: the pool clears it afterwards. */
typedef void (*dg_jobs_report_fn)(void *ctx, size_t i, struct dg_result *res, bool reported);
/* The order in which the files [first, first + n) of one group are linted: order[k] is the k-th
 * (a permutation of first … first + n - 1). Runs on a worker thread, like lint. */
typedef void (*dg_jobs_order_fn)(void *ctx, size_t first, size_t n, size_t *order);

struct dg_jobs {
	size_t n_files;
	/* group g is files [starts[g], starts[g + 1]) (starts[n_groups] == n_files) */
	const size_t *starts;
	size_t n_groups;
	unsigned jobs; /* threads that lint; 1: everything on the calling thread */
	dg_jobs_lint_fn lint;
	dg_jobs_report_fn report;
	void *ctx;
	dg_jobs_order_fn order; /* NULL: input order */
};

/* Runs every file through lint and report. Returns 0, or -1 when no thread could be started
 * (everything then ran on the calling thread, which is no error for the caller). */
int dg_jobs_run(const struct dg_jobs *j);

/* Starts fn(arg) on a thread with the deep stack libpg_query's recursion needs. */
bool dg_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* The processors this process may run on (like nproc), at least 1. */
unsigned dg_jobs_default(void);

#endif
