/* catalog.h — schema memory: what the up sections of the earlier migrations of one migration
 * root (dg_migration_root_key: a directory, Prisma's or diesel's folders, version folders)
 * created (tables, columns and their types, indexes and their table, foreign keys, CHECK
 * constraints, partitions), followed through renames (tables, columns, indexes, SET SCHEMA).
 * Everything in it existed before the current migration ran: it is never "made here". Strings
 * are interned; the whole catalog is dropped when the root changes, so memory stays bounded by
 * the largest root. */
#ifndef DG_CATALOG_H
#define DG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "ddlguard/ddlguard.h"
#include "facts.h"
#include "parse.h"

/* Adds the effects of the up sections (and sections without a direction) of a parsed file. */
void dg_catalog_absorb(struct dg_catalog *cat, const struct dg_parsed *p, const struct dg_facts *f);
/* Drops everything when `path` lies in another directory than the files absorbed so far. */
void dg_catalog_enter(struct dg_catalog *cat, const char *path);
/* Drops everything when `key` is another migration root than the one of the files absorbed so
 * far; returns whether it did (the memory is then empty). */
bool dg_catalog_enter_root(struct dg_catalog *cat, const char *key);
/* The root entered last, or NULL. */
const char *dg_catalog_root(const struct dg_catalog *cat);
/* What the caller keeps with the root's memory; aux_free(aux) runs when the memory is dropped. */
void *dg_catalog_aux(const struct dg_catalog *cat);
void dg_catalog_set_aux(struct dg_catalog *cat, void *aux, void (*aux_free)(void *));

/* Lookups; an unqualified name on either side matches any schema. */
bool dg_catalog_coltype(const struct dg_catalog *cat, const char *schema, const char *table,
			const char *column, struct dg_type_desc *out);
/* The table of index schema.name, or NULL. */
const char *dg_catalog_index_table_of(const struct dg_catalog *cat, const char *schema,
				      const char *name);
/* The i-th table that schema.table references with a foreign key (NULL past the last). */
const char *dg_catalog_referenced_at(const struct dg_catalog *cat, const char *schema,
				     const char *table, size_t i);
/* The parent of partition schema.table, or NULL. */
const char *dg_catalog_parent_of(const struct dg_catalog *cat, const char *schema,
				 const char *table);

/* The i-th partition of `parent` (its schema in *part_schema), or NULL past the last. */
const char *dg_catalog_partition_at(const struct dg_catalog *cat, const char *schema,
				    const char *parent, size_t i, const char **part_schema);

/* The table that foreign key `conname` of schema.table references, or NULL. */
const char *dg_catalog_fk_target(const struct dg_catalog *cat, const char *schema,
				 const char *table, const char *conname);
/* The i-th table that references schema.table with a foreign key (NULL past the last). */
const char *dg_catalog_referencing_at(const struct dg_catalog *cat, const char *schema,
				      const char *table, size_t i);
/* The i-th index of schema.table (NULL past the last). */
const char *dg_catalog_index_at(const struct dg_catalog *cat, const char *schema, const char *table,
				size_t i);
/* The DEFAULT partition of `parent` (its schema in *part_schema), or NULL. */
const char *dg_catalog_default_partition(const struct dg_catalog *cat, const char *schema,
					 const char *parent, const char **part_schema);
bool dg_catalog_has_table(const struct dg_catalog *cat, const char *schema, const char *table);
/* Whether a validated CHECK constraint of schema.table implies column IS NOT NULL. */
bool dg_catalog_not_null_check(const struct dg_catalog *cat, const char *schema, const char *table,
			       const char *column);
/* Whether schema.table has a validated CHECK constraint. */
bool dg_catalog_valid_check(const struct dg_catalog *cat, const char *schema, const char *table);
/* The i-th relation the query of materialized view schema.matview reads (NULL past the last). */
const char *dg_catalog_matview_read_at(const struct dg_catalog *cat, const char *schema,
				       const char *matview, size_t i);

#endif
