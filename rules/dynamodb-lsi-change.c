/* dynamodb-lsi-change.c — local secondary indexes exist only as the table was created: adding,
 * removing or changing one replaces the table. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	if (!old || !now || old->lsis_unknown || now->lsis_unknown)
		return;
	for (size_t i = 0; i < now->n_lsis; i++) {
		const struct dg_ddb_index *n = &now->lsis[i], *o = dg_ddb_lsi(old, n->name);
		if (o && dg_ddb_same(o->range, n->range) &&
		    dg_ddb_same(o->projection, n->projection))
			continue;
		dg_ddb_report(dc, now, n->at,
			      "local secondary index \"%s\" of DynamoDB table \"%s\" is %s: local "
			      "indexes can only be defined when a table is created, so %s",
			      n->name, now->id, o ? "changed" : "added", dg_ddb_replaces(now));
	}
	for (size_t i = 0; i < old->n_lsis; i++) {
		if (dg_ddb_lsi(now, old->lsis[i].name))
			continue;
		dg_ddb_report(
		    dc, now, now->lsis_at,
		    "local secondary index \"%s\" of DynamoDB table \"%s\" is removed: local "
		    "indexes can only be defined when a table is created, so %s",
		    old->lsis[i].name, now->id, dg_ddb_replaces(now));
	}
}

const struct dg_rule dg_rule_dynamodb_lsi_change = {
    .name = "dynamodb-lsi-change",
    .summary = "A DynamoDB local secondary index is added, removed or changed: the table is "
	       "replaced",
    .help = "Use a global secondary index instead (it can be added to a live table), or build a "
	    "new table with the index: dual write, backfill, switch reads, retire the old table.",
    .severity = DG_ERROR,
    .check_table = check,
};
