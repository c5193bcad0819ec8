/* pq.c — libpq opened on first use (see pq.h). */
#define DG_PQ_IMPLEMENTATION
#include "pq.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct dg_pq dg_pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void load(void)
{
	/* the soname Debian's libpq5 package installs */
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		const char *e = dlerror();
		snprintf(failure, sizeof(failure),
			 "could not load libpq (%s): install the Debian package libpq5",
			 e ? e : "libpq.so.5 not found");
		return;
	}
#define DG_PQ_RESOLVE(f)                                                                           \
	if (!failure[0] && !(*(void **)&dg_pq.f = dlsym(h, #f)))                                   \
		snprintf(failure, sizeof(failure), "libpq.so.5 has no %s: too old a libpq", #f);
	DG_PQ_FUNCTIONS(DG_PQ_RESOLVE)
#undef DG_PQ_RESOLVE
}

bool dg_pq_load(char *why, size_t size)
{
	pthread_once(&once, load);
	if (failure[0] && size)
		snprintf(why, size, "%s", failure);
	return !failure[0];
}
