/* memory.c — schema memory across a migration root: before a file is linted, the migrations its
 * runner applies before it in the same root (dg_migration_root_key) are read into the catalog,
 * effects only (no rules, nothing reported), unless this run linted them already. So one file
 * (a pre-commit hook, --diff-base, standard input with --stdin-filename) gets the memory that the
 * whole directory's run gives it, and the findings are the same. */
#include "memory.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arena.h"
#include "catalog.h"
#include "migration.h"

/* The root's migrations in the runner's order, and how many of them the catalog holds. */
struct history {
	char **paths;
	size_t n, cap;
	size_t next;	 /* paths[0, next) are in the catalog */
	size_t *by_path; /* indices of paths sorted by path, once a file is looked up (position) */
};

static void history_free(void *p)
{
	struct history *h = p;

	for (size_t i = 0; h && i < h->n; i++)
		free(h->paths[i]);
	if (h) {
		free(h->paths);
		free(h->by_path);
	}
	free(h);
}

static void push(char ***v, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*v = dg_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

static bool sql_name(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".sql") == 0;
}

/* A way back only: nothing in it runs forward. */
static bool down_name(const char *name)
{
	size_t n = strlen(name);
	return !strcmp(name, "down.sql") || (n > 9 && !strcasecmp(name + n - 9, ".down.sql")) ||
	       (n > 9 && !strcasecmp(name + n - 9, "_down.sql"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_dirs(const void *a, const void *b)
{
	return dg_migration_cmp_names(*(char *const *)a, *(char *const *)b);
}

/* As dg_collect_paths walks a directory (its files in the runner's order, then its folders),
 * `depth` levels deep; `extra` joins the files of its directory when it is not on disk yet. Down
 * files are left out (nothing in them runs forward) but for `extra`, or all of them with `downs`.
 */
static void walk(const char *dir, int depth, const char *extra, bool downs, const char *key,
		 const char *format, struct history *h)
{
	size_t n_entries = 0;
	/* listed once per thread while the directory is unchanged (the lint order and the history
	 * each walk the root) */
	const struct dg_dirent *ents = dg_dir_list(*dir ? dir : ".", &n_entries);
	char **files = NULL, **dirs = NULL;
	size_t nf = 0, cf = 0, nd = 0, cd = 0;
	bool extra_here = false;

	if (!ents)
		return;
	for (size_t k = 0; k < n_entries; k++) {
		const struct dg_dirent *e = &ents[k];
		struct stat st;
		size_t len;
		char *p;

		if (e->name[0] == '.' || !strcmp(e->name, "node_modules"))
			continue;
		if (e->type == DT_REG && !sql_name(e->name))
			continue;
		len = strlen(dir) + strlen(e->name) + 2;
		p = dg_xmalloc(len);
		if (!strcmp(dir, "."))
			snprintf(p, len, "%s", e->name);
		else
			snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
				 e->name);
		/* the entry's type as the directory gives it; stat(2) (which follows links) only
		 * when it does not say, or says link */
		if (e->type == DT_REG || e->type == DT_DIR)
			st.st_mode = e->type == DT_REG ? S_IFREG : S_IFDIR;
		else if (stat(p, &st) != 0)
			st.st_mode = 0;
		if (S_ISDIR(st.st_mode) && depth > 0) {
			push(&dirs, &nd, &cd, p);
		} else if (S_ISREG(st.st_mode) && sql_name(e->name)) {
			extra_here |= extra && !strcmp(p, extra);
			push(&files, &nf, &cf, p);
		} else {
			free(p);
		}
	}
	if (extra && !extra_here) {
		const char *slash = strrchr(extra, '/');
		size_t dl = slash ? (size_t)(slash - extra) : 0;
		bool mine =
		    !strcmp(dir, ".") ? !slash : strlen(dir) == dl && !strncmp(dir, extra, dl);
		if (mine)
			push(&files, &nf, &cf, dg_xstrdup(extra));
	}
	if (nf > 1)
		qsort(files, nf, sizeof(*files), cmp_str);
	dg_migration_order_files(dir, files, nf);
	for (size_t i = 0; i < nf; i++) {
		char *k = dg_migration_root_key(files[i], format);
		const char *base = strrchr(files[i], '/');
		if (!strcmp(k, key) && (downs || !down_name(base ? base + 1 : files[i]) ||
					(extra && !strcmp(files[i], extra))))
			push(&h->paths, &h->n, &h->cap, files[i]);
		else
			free(files[i]);
		free(k);
	}
	free(files);
	if (nd > 1)
		qsort(dirs, nd, sizeof(*dirs), cmp_dirs);
	for (size_t i = 0; i < nd; i++) {
		walk(dirs[i], depth - 1, extra, downs, key, format, h);
		free(dirs[i]);
	}
	free(dirs);
}

/* a root's migrations lie at most two folders down: v1.2/<ts>_name/up.sql */
#define HISTORY_DEPTH 2

/* Where the walk of root `key` starts for `path`: "./" keeps the spelling of "./a.sql". */
static const char *walk_start(const char *key, const char *path)
{
	return strcmp(key, ".") == 0 && strncmp(path, "./", 2) == 0 ? "./" : key;
}

/* By path, equal paths (a file listed twice) in history order. */
static int cmp_by_path(const void *a, const void *b, void *h)
{
	char *const *paths = ((const struct history *)h)->paths;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(paths[x], paths[y]);

	return c ? c : (x > y) - (x < y);
}

/* Where path is in the history, or (size_t)-1: the next one, or found by bisection (each file of
 * a root that the history leaves out, a down file, used to read the whole history). The first
 * of equal paths, as a scan from the start finds it. */
static size_t position(struct history *h, const char *path)
{
	size_t lo = 0, hi = h->n;

	if (h->next < h->n && !strcmp(h->paths[h->next], path))
		return h->next;
	if (!h->by_path && h->n) {
		h->by_path = dg_xcalloc(h->n, sizeof(*h->by_path));
		for (size_t i = 0; i < h->n; i++)
			h->by_path[i] = i;
		qsort_r(h->by_path, h->n, sizeof(*h->by_path), cmp_by_path, h);
	}
	while (lo < hi) { /* the first whose path is not before `path` */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(h->paths[h->by_path[mid]], path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* of equal paths, the first sorted is the earliest in the history */
	if (lo == h->n || strcmp(h->paths[h->by_path[lo]], path) != 0)
		return (size_t)-1;
	return h->by_path[lo];
}

static struct history *history_of(struct dg_catalog *cat, const char *key, const char *path,
				  const char *format)
{
	struct history *h = dg_catalog_aux(cat);

	if (h)
		return h;
	h = dg_xcalloc(1, sizeof(*h));
	walk(walk_start(key, path), HISTORY_DEPTH, path, false, key, format, h);
	dg_catalog_set_aux(cat, h, history_free);
	return h;
}

void dg_memory_enter(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
		     const char *format)
{
	char *key = dg_migration_root_key(path, format);
	struct history *h;
	size_t at;

	dg_catalog_enter_root(cat, key);
	h = history_of(cat, key, path, format);
	at = position(h, path);
	if (at != (size_t)-1 && at < h->next) {
		/* the catalog holds migrations that run after this one: start again */
		dg_catalog_reset(cat);
		dg_catalog_enter_root(cat, key);
		h = history_of(cat, key, path, format);
		at = position(h, path);
	}
	if (at != (size_t)-1 && h->next < at) {
		dg_absorb_many(cfg, cat, h->paths + h->next, at - h->next);
		h->next = at;
	}
	free(key);
}

void dg_memory_absorbed(struct dg_catalog *cat, const char *path)
{
	struct history *h = dg_catalog_aux(cat);

	if (h && h->next < h->n && !strcmp(h->paths[h->next], path))
		h->next++;
}

struct ranked {
	const char *path;
	size_t rank; /* in the runner's order; (size_t)-1: not found */
	size_t index;
};

static int cmp_ranked_path(const void *a, const void *b)
{
	return strcmp(((const struct ranked *)a)->path, ((const struct ranked *)b)->path);
}

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void dg_memory_order(const char *key, const char *const *paths, size_t n, size_t *order)
{
	struct history h = {0};
	struct ranked *byname, *byrank;
	bool all = true;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	if (n < 2)
		return;
	walk(walk_start(key, paths[0]), HISTORY_DEPTH, NULL, true, key, NULL, &h);
	byname = dg_xcalloc(h.n ? h.n : 1, sizeof(*byname));
	for (size_t i = 0; i < h.n; i++)
		byname[i] = (struct ranked){h.paths[i], i, i};
	if (h.n > 1)
		qsort(byname, h.n, sizeof(*byname), cmp_ranked_path);
	byrank = dg_xcalloc(n, sizeof(*byrank));
	for (size_t i = 0; i < n && all; i++) {
		struct ranked k = {paths[i], 0, 0}, *hit;

		hit = h.n ? bsearch(&k, byname, h.n, sizeof(*byname), cmp_ranked_path) : NULL;
		all = hit != NULL;
		byrank[i] = (struct ranked){paths[i], hit ? hit->rank : (size_t)-1, i};
	}
	if (all) {
		qsort(byrank, n, sizeof(*byrank), cmp_ranked);
		for (size_t i = 0; i < n; i++)
			order[i] = byrank[i].index;
	}
	free(byrank);
	free(byname);
	for (size_t i = 0; i < h.n; i++)
		free(h.paths[i]);
	free(h.paths);
}
