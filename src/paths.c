/* paths.c — expands the command line's files and directories into the sorted list of files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ddlguard/ddlguard.h"
#include "arena.h"
#include "migration.h"
#include "dynamodb/dynamodb.h"

static void list_push(struct dg_path_list *l, char *s)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		l->items = dg_xrealloc(l->items, ncap * sizeof(*l->items));
		l->cap = ncap;
	}
	l->items[l->n++] = s;
}

static char *fmt_error(const char *path, const char *why)
{
	size_t n = strlen(path) + strlen(why) + 3;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s: %s", path, why);
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* subdirectories in the order a runner takes version folders: v1.9 before v1.10 */
static int cmp_dirs(const void *a, const void *b)
{
	return dg_migration_cmp_names(*(char *const *)a, *(char *const *)b);
}

static bool has_sql_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".sql") == 0;
}

/* The (device, inode) pairs a walk has seen: a symbolic link back to a directory above (ln -s .
 * d/x) must not make the walk endless, and a file reached twice is linted once. */
struct seen {
	struct id {
		dev_t dev;
		ino_t ino;
	} * slots;
	size_t n, cap;
};

static size_t id_hash(const struct id *k)
{
	return ((size_t)k->ino * 0x9E3779B97F4A7C15u) ^ (size_t)k->dev;
}

/* true when `st` was new (and is remembered now) */
static bool see(struct seen *s, const struct stat *st)
{
	struct id k = {st->st_dev, st->st_ino};
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct seen ns = {NULL, s->n, s->cap ? 2 * s->cap : 64};
		ns.slots = dg_xcalloc(ns.cap, sizeof(*ns.slots));
		for (size_t j = 0; j < s->cap; j++) {
			if (!s->slots[j].ino && !s->slots[j].dev)
				continue;
			for (i = id_hash(&s->slots[j]) & (ns.cap - 1);
			     ns.slots[i].ino || ns.slots[i].dev; i = (i + 1) & (ns.cap - 1))
				;
			ns.slots[i] = s->slots[j];
		}
		free(s->slots);
		*s = ns;
	}
	for (i = id_hash(&k) & (s->cap - 1); s->slots[i].ino || s->slots[i].dev;
	     i = (i + 1) & (s->cap - 1))
		if (s->slots[i].ino == k.ino && s->slots[i].dev == k.dev)
			return false;
	s->slots[i] = k;
	s->n++;
	return true;
}

static void walk_dir(const char *dir, struct dg_path_list *files, struct dg_path_list *errors,
		     struct seen *seen)
{
	DIR *d = opendir(dir);
	struct dg_path_list here = {0}, sql = {0}, templates = {0}, subdirs = {0};
	struct dirent *e;

	if (!d) {
		list_push(errors, fmt_error(dir, strerror(errno)));
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue; /* ., .., .git and other hidden entries */
		size_t n = strlen(dir) + strlen(e->d_name) + 2;
		char *p = dg_xmalloc(n);
		snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		list_push(&here, p);
	}
	closedir(d);
	if (here.n > 1) /* qsort(NULL, 0, …) is undefined */
		qsort(here.items, here.n, sizeof(char *), cmp_str);
	/* this directory's files in the order their migration tool applies them, then the
	 * subdirectories by name */
	for (size_t i = 0; i < here.n; i++) {
		struct stat st;
		char *p = here.items[i];
		if (stat(p, &st) != 0) {
			list_push(errors, fmt_error(p, strerror(errno)));
			free(p);
		} else if (S_ISDIR(st.st_mode) &&
			   strcmp(strrchr(p, '/') + 1, "node_modules") != 0 && see(seen, &st)) {
			list_push(&subdirs, p);
		} else if (S_ISREG(st.st_mode) && has_sql_suffix(p) && see(seen, &st)) {
			list_push(&sql, p);
		} else if (S_ISREG(st.st_mode) && dg_ddb_sniff_file(p) != DG_DDB_NONE) {
			/* an infrastructure template (only *.yaml, *.yml, *.json and *.template
			 * files are opened to find out) */
			list_push(&templates, p);
		} else {
			free(p);
		}
	}
	free(here.items);
	dg_migration_order_files(dir, sql.items, sql.n);
	for (size_t i = 0; i < sql.n; i++)
		list_push(files, sql.items[i]);
	free(sql.items);
	/* templates after the migrations: they take no part in the migration order */
	for (size_t i = 0; i < templates.n; i++)
		list_push(files, templates.items[i]);
	free(templates.items);
	if (subdirs.n > 1)
		qsort(subdirs.items, subdirs.n, sizeof(char *), cmp_dirs);
	for (size_t i = 0; i < subdirs.n; i++) {
		walk_dir(subdirs.items[i], files, errors, seen);
		free(subdirs.items[i]);
	}
	free(subdirs.items);
}

void dg_collect_paths(const char *path, struct dg_path_list *files, struct dg_path_list *errors)
{
	struct stat st;

	if (strcmp(path, "-") == 0) {
		list_push(files, strdup(path));
		return;
	}
	if (stat(path, &st) != 0) {
		list_push(errors, fmt_error(path, strerror(errno)));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		struct seen seen = {0};
		see(&seen, &st);
		walk_dir(path, files, errors, &seen);
		free(seen.slots);
	} else
		list_push(files, strdup(path)); /* named explicitly: linted whatever its suffix */
}

void dg_path_list_free(struct dg_path_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}
