/* ban-vacuum-full-and-cluster.c — VACUUM FULL and CLUSTER rewrite whole tables under ACCESS
 * EXCLUSIVE: nothing can read or write them until the copy is done. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

/* "\"a\", \"b\"" for the tables that were not created in this file; false when all were. */
static bool vacuum_targets(struct dg_ctx *ctx, const PgQuery__VacuumStmt *v, char *buf, size_t n)
{
	size_t used = 0, listed = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < v->n_rels; i++) {
		const PgQuery__RangeVar *rel = NULL;
		int w;

		if (v->rels[i]->node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION)
			rel = v->rels[i]->vacuum_relation->relation;
		if (!rel || dg_table_created_here(ctx, rel))
			continue;
		if (listed == 3) {
			snprintf(buf + used, n - used, ", …");
			return true;
		}
		w = snprintf(buf + used, n - used, "%s\"%s\"", listed ? ", " : "", rel->relname);
		if (w < 0 || (size_t)w >= n - used)
			return true;
		used += (size_t)w;
		listed++;
	}
	return listed > 0;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	char tables[256];

	if (node->node_case == PG_QUERY__NODE__NODE_VACUUM_STMT) {
		const PgQuery__VacuumStmt *v = node->vacuum_stmt;

		if (!v->is_vacuumcmd || !dg_option_on(v->options, v->n_options, "full"))
			return;
		if (v->n_rels == 0) {
			dg_report(
			    ctx, node,
			    "VACUUM FULL of the whole database rewrites every table in it, each "
			    "under an ACCESS EXCLUSIVE lock: all reads and writes on a table wait "
			    "while it is copied");
			return;
		}
		if (!vacuum_targets(ctx, v, tables, sizeof(tables)))
			return;
		dg_report(
		    ctx, node,
		    "VACUUM FULL rewrites %s into a new copy under an ACCESS EXCLUSIVE lock: all "
		    "reads and writes wait until the table and its indexes are rebuilt",
		    tables);
		return;
	}
	if (node->node_case == PG_QUERY__NODE__NODE_CLUSTER_STMT) {
		const PgQuery__ClusterStmt *c = node->cluster_stmt;

		if (!c->relation) {
			dg_report(
			    ctx, node,
			    "CLUSTER of the whole database rewrites every table clustered before, each "
			    "under an ACCESS EXCLUSIVE lock: all reads and writes on a table wait "
			    "while it is sorted and copied");
			return;
		}
		if (dg_table_created_here(ctx, c->relation))
			return;
		dg_report(
		    ctx, node,
		    "CLUSTER rewrites \"%s\" in index order under an ACCESS EXCLUSIVE lock: all "
		    "reads and writes on \"%s\" wait until the table and its indexes are rebuilt",
		    c->relation->relname, c->relation->relname);
	}
}

const struct dg_rule dg_rule_ban_vacuum_full_and_cluster = {
    .name = "ban-vacuum-full-and-cluster",
    .summary = "VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE",
    .help = "Do not run them in a migration. To reclaim bloat online use pg_repack or "
	    "pg_squeeze (brief locks only at the start and the swap); to make dead rows reusable "
	    "a plain VACUUM (SHARE UPDATE EXCLUSIVE, reads and writes go on) is usually enough.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_VACUUM_STMT, PG_QUERY__NODE__NODE_CLUSTER_STMT),
    .check = check,
};
