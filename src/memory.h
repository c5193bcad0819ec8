/* memory.h — schema memory across a migration root: the earlier migrations of a file's root
 * are read into the catalog before it is linted (see memory.c). */
#ifndef DG_MEMORY_H
#define DG_MEMORY_H

#include "ddlguard/ddlguard.h"

/* Enters the migration root of `path` (read as `format`) in `cat`, and reads into it, effects
 * only, the migrations its runner applies before `path` that it does not hold yet. */
void dg_memory_enter(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
		     const char *format);
/* The order in which the runner of root `key` applies paths[0, n) (one memory group, all of
 * root `key`): order[k] is the index of the k-th, ties and repeats in input order. The input
 * order when a path is not one of the root's migrations as a walk of the root spells them
 * (standard input, a file not on disk, "./a.sql" beside "b.sql"). Down files are placed where
 * the runner's listing puts them, though nothing in them runs forward. */
void dg_memory_order(const char *key, const char *const *paths, size_t n, size_t *order);
/* Notes that the file `path`, just linted, is now in the catalog. */
void dg_memory_absorbed(struct dg_catalog *cat, const char *path);
/* engine.c: what the up sections of file `path` do, into `cat`; nothing is linted or reported
 * (a file that cannot be read adds nothing). */
void dg_absorb_only(const struct dg_config *cfg, struct dg_catalog *cat, const char *path);
/* The same for paths[0, n) in order, read and parsed on several threads when there are many. */
void dg_absorb_many(const struct dg_config *cfg, struct dg_catalog *cat, char *const *paths,
		    size_t n);

#endif
