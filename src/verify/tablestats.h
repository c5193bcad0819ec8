/* tablestats.h — table sizes (--table-stats FILE, --stats-url URL) that make findings honest: a
 * finding about a table of known size states it, and a finding whose cost grows with the table
 * (an index build, a rewrite, a scan, a validation, a backfill) becomes info on a small table
 * and an error on a large one. Lock-queue findings (no lock_timeout) do not depend on size. */
#ifndef DG_VERIFY_TABLESTATS_H
#define DG_VERIFY_TABLESTATS_H

#include <stdbool.h>
#include <stddef.h>

#include "ddlguard/ddlguard.h"

/* The catalog query whose output --table-stats reads (psql --csv, or as JSON objects). */
#define DG_TABLE_STATS_QUERY                                                                       \
	"SELECT n.nspname AS schema, c.relname AS \"table\", c.reltuples::bigint AS "              \
	"estimated_rows, pg_total_relation_size(c.oid) AS total_bytes FROM pg_class c JOIN "       \
	"pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') AND "         \
	"n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"

#define DG_SMALL_TABLE_ROWS 10000LL
#define DG_LARGE_TABLE_ROWS 10000000LL

struct dg_table_stat {
	char *schema, *table;
	long long rows;	 /* estimated; -1 when never analyzed */
	long long bytes; /* -1 when not given */
};

struct dg_table_stats {
	struct dg_table_stat *items;
	size_t n;
	long long small_rows, large_rows; /* the thresholds */
};

/* CSV with a header (schema,table,estimated_rows,total_bytes) or a JSON array of objects with
 * those keys. False with "file:line: why" in *err (malloc'd). */
bool dg_table_stats_load_file(const char *path, struct dg_table_stats *out, char **err);
/* Runs DG_TABLE_STATS_QUERY on URL in a READ ONLY transaction with a short statement_timeout,
 * nothing else. False with libpq's or the server's message in *err (malloc'd). */
bool dg_table_stats_load_url(const char *url, struct dg_table_stats *out, char **err);
void dg_table_stats_free(struct dg_table_stats *s);

/* Rewrites res's findings with what the stats know about the tables of their statements (the
 * lock model's relations, with schema memory in `cat`, which this call extends as linting
 * does). */
void dg_table_stats_apply(const struct dg_table_stats *s, const struct dg_config *cfg,
			  struct dg_catalog *cat, struct dg_result *res);

#endif
