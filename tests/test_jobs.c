/* test_jobs.c — the --jobs pool: every file linted once, in its group's order with its group's
 * catalog, reported in input order one at a time (on the calling thread with one job, by the
 * workers with more); real linting on several threads gives what one thread gives. Run under
 * ThreadSanitizer too (tools/test.sh, build-tsan), which sees the reports' unlocked counters. */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "jobs.h"
#include "testkit.h"

#define N_FILES 200

struct fake {
	size_t starts[N_FILES + 1], n_groups;
	struct dg_catalog *cat_of[N_FILES];
	int linted[N_FILES];
	size_t next_report, reported;
	pthread_t caller;
	unsigned jobs;
	atomic_bool in_report; /* a report is under way: no other may start */
	bool by_worker;	       /* a report came from a thread other than the caller's */
	pthread_mutex_t mu;
	size_t order_in_group[N_FILES]; /* the how-many-th file of its group linted */
	size_t group_counter[N_FILES];
	size_t group_of[N_FILES];
	bool reverse;	 /* lint each group back to front (the order callback) */
	size_t findings; /* each file's result holds this many (empty) findings */
};

static void fake_order(void *ctx, size_t first, size_t n, size_t *order)
{
	struct fake *f = ctx;

	for (size_t k = 0; k < n; k++)
		order[k] = f->reverse ? first + n - 1 - k : first + k;
}

/* The how-many-th file of its group file i is linted as. */
static size_t expected_rank(const struct fake *f, size_t i)
{
	size_t g = f->group_of[i], first = f->starts[g], n = f->starts[g + 1] - first;

	return f->reverse ? n - 1 - (i - first) : i - first;
}

static bool fake_lint(void *ctx, struct dg_catalog *cat, size_t i, struct dg_result *res)
{
	struct fake *f = ctx;
	size_t g = f->group_of[i];

	memset(res, 0, sizeof(*res));
	res->path = dg_xstrdup("x");
	res->n_findings = res->cap_findings = f->findings;
	res->findings = f->findings ? dg_xcalloc(f->findings, sizeof(*res->findings)) : NULL;
	f->cat_of[i] = cat;
	f->linted[i]++;
	/* only this group's thread touches its counter: no lock needed, TSan checks that */
	f->order_in_group[i] = f->group_counter[g]++;
	return i % 7 != 3; /* some files are not reported */
}

static void fake_report(void *ctx, size_t i, struct dg_result *res, bool reported)
{
	struct fake *f = ctx;

	assert_false(atomic_exchange(&f->in_report, true));
	if (f->jobs == 1)
		assert_true(pthread_equal(pthread_self(), f->caller));
	f->by_worker |= !pthread_equal(pthread_self(), f->caller);
	assert_int_equal(i, f->next_report);
	assert_int_equal(reported, i % 7 != 3);
	assert_string_equal(res->path, "x");
	assert_int_equal(res->n_findings, f->findings);
	f->next_report++;
	f->reported += reported;
	atomic_store(&f->in_report, false);
}

static void run_fake_as(unsigned jobs, const size_t *sizes, size_t n_sizes, bool reverse,
			size_t findings)
{
	struct fake *f = calloc(1, sizeof(*f));
	size_t n = 0, expect_reported = 0;
	struct dg_jobs j;

	assert_non_null(f);
	f->caller = pthread_self();
	f->jobs = jobs;
	f->reverse = reverse;
	f->findings = findings;
	for (size_t g = 0; g < n_sizes; g++) {
		f->starts[f->n_groups++] = n;
		for (size_t k = 0; k < sizes[g]; k++)
			f->group_of[n++] = g;
	}
	assert_true(n <= N_FILES);
	f->starts[f->n_groups] = n;
	j = (struct dg_jobs){n,		f->starts,   f->n_groups, jobs,
			     fake_lint, fake_report, f,		  fake_order};
	assert_int_equal(dg_jobs_run(&j), 0);
	assert_int_equal(f->next_report, n);
	for (size_t i = 0; i < n; i++) {
		size_t g = f->group_of[i];
		assert_int_equal(f->linted[i], 1);
		/* one catalog per group, files linted in the group's order */
		assert_ptr_equal(f->cat_of[i], f->cat_of[f->starts[g]]);
		assert_int_equal(f->order_in_group[i], expected_rank(f, i));
		expect_reported += i % 7 != 3;
	}
	assert_int_equal(f->reported, expect_reported);
	/* several jobs over several groups: the workers report */
	assert_int_equal(f->by_worker, jobs > 1 && f->n_groups > 1);
	free(f);
}

static void run_fake(unsigned jobs, const size_t *sizes, size_t n_sizes)
{
	run_fake_as(jobs, sizes, n_sizes, false, 0);
}

/* A group linted in its own order (the runner's, not the input's) is still reported in input
 * order, on one thread and on several. */
static void test_group_order(void **state)
{
	static const size_t sizes[] = {3, 1, 40, 2, 2, 9, 1, 60, 1, 1, 5, 30, 1};
	(void)state;
	for (unsigned jobs = 1; jobs <= 4; jobs++)
		run_fake_as(jobs, sizes, sizeof(sizes) / sizeof(sizes[0]), true, 0);
}

/* Past the pool's bound on waiting findings, a group linted out of input order must go on while
 * it holds the next file to report (waiting for itself would never end). */
static void test_group_order_under_backpressure(void **state)
{
	static const size_t sizes[] = {6, 6, 6, 6};
	(void)state;
	for (unsigned jobs = 1; jobs <= 3; jobs++)
		run_fake_as(jobs, sizes, sizeof(sizes) / sizeof(sizes[0]), true, 25000);
}

static void test_order_one_thread(void **state)
{
	static const size_t sizes[] = {3, 1, 40, 2, 2, 9, 1};
	(void)state;
	run_fake(1, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

static void test_order_many_threads(void **state)
{
	static const size_t sizes[] = {3, 1, 40, 2, 2, 9, 1, 60, 1, 1, 1, 1, 5, 30, 1};
	(void)state;
	for (int round = 0; round < 20; round++)
		run_fake(round % 2 ? 4 : 3, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

static void test_more_threads_than_groups(void **state)
{
	static const size_t sizes[] = {5, 7};
	(void)state;
	run_fake(16, sizes, 2);
	run_fake(16, sizes, 1);
}

static void test_no_files(void **state)
{
	(void)state;
	run_fake(4, NULL, 0);
}

/* ---- real linting: the fixtures, one group per directory -------------------------------- */

struct real {
	char **paths;
	size_t n;
	struct dg_config *cfg;
	char **lines; /* per file: its findings as text */
};

static bool real_lint(void *ctx, struct dg_catalog *cat, size_t i, struct dg_result *res)
{
	struct real *r = ctx;

	dg_lint_file_with(r->cfg, cat, r->paths[i], res);
	return true;
}

static void real_report(void *ctx, size_t i, struct dg_result *res, bool reported)
{
	struct real *r = ctx;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	(void)reported;
	assert_non_null(m);
	fprintf(m, "%s %d\n", res->path, (int)res->status);
	for (size_t k = 0; k < res->n_findings; k++)
		fprintf(m, "%s %u:%u %s\n", res->findings[k].rule, res->findings[k].line,
			res->findings[k].column, res->findings[k].message);
	fclose(m);
	r->lines[i] = buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_fixtures_same_on_threads(void **state)
{
	struct real r = {0};
	DIR *top = opendir(DG_FIXTURES);
	struct dirent *e;
	size_t cap = 0, *starts, n_groups = 0;
	char **first;
	(void)state;

	assert_non_null(top);
	while ((e = readdir(top))) {
		char dir[1024];
		DIR *d;
		struct dirent *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", DG_FIXTURES, e->d_name);
		if (!(d = opendir(dir)))
			continue;
		while ((f = readdir(d))) {
			size_t n = strlen(f->d_name);
			if (n < 5 || strcmp(f->d_name + n - 4, ".sql") != 0)
				continue;
			if (r.n == cap)
				r.paths =
				    realloc(r.paths, (cap = cap ? 2 * cap : 64) * sizeof(char *));
			assert_non_null(r.paths);
			assert_true(asprintf(&r.paths[r.n++], "%s/%s", dir, f->d_name) > 0);
		}
		closedir(d);
	}
	closedir(top);
	assert_true(r.n > 50);
	qsort(r.paths, r.n, sizeof(char *), cmp_str);
	starts = calloc(r.n + 1, sizeof(*starts));
	for (size_t i = 0; i < r.n; i++) {
		const char *s = strrchr(r.paths[i], '/');
		const char *p = i ? strrchr(r.paths[i - 1], '/') : NULL;
		if (!i || s - r.paths[i] != p - r.paths[i - 1] ||
		    strncmp(r.paths[i], r.paths[i - 1], (size_t)(s - r.paths[i])) != 0)
			starts[n_groups++] = i;
	}
	starts[n_groups] = r.n;
	r.cfg = dg_config_new();
	first = calloc(r.n, sizeof(char *));
	for (unsigned jobs = 1; jobs <= 8; jobs *= 2) {
		struct dg_jobs j = {r.n, starts, n_groups, jobs, real_lint, real_report, &r, NULL};

		r.lines = calloc(r.n, sizeof(char *));
		assert_int_equal(dg_jobs_run(&j), 0);
		for (size_t i = 0; i < r.n; i++) {
			assert_non_null(r.lines[i]);
			if (jobs == 1)
				first[i] = r.lines[i];
			else {
				assert_string_equal(r.lines[i], first[i]);
				free(r.lines[i]);
			}
		}
		free(r.lines);
	}
	for (size_t i = 0; i < r.n; i++) {
		free(first[i]);
		free(r.paths[i]);
	}
	free(first);
	free(r.paths);
	free(starts);
	dg_config_free(r.cfg);
}

static void test_default_jobs(void **state)
{
	(void)state;
	assert_true(dg_jobs_default() >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_one_thread),
	    cmocka_unit_test(test_order_many_threads),
	    cmocka_unit_test(test_more_threads_than_groups),
	    cmocka_unit_test(test_no_files),
	    cmocka_unit_test(test_group_order),
	    cmocka_unit_test(test_group_order_under_backpressure),
	    cmocka_unit_test(test_fixtures_same_on_threads),
	    cmocka_unit_test(test_default_jobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
