/* dynamodb-table-renamed.c — TableName changes (set, removed or edited): the table is replaced
 * by one under the new name, which starts empty. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	char a[256], b[256];

	if (!old || !now || dg_ddb_same(old->name, now->name))
		return;
	dg_ddb_report(dc, now, now->name_at,
		      "the name of DynamoDB table \"%s\" changes from %s to %s%s: the table is "
		      "replaced by a new, empty one under the new name and the old one is deleted "
		      "with its items",
		      now->id,
		      dg_ddb_q(a, sizeof(a), old->name_written ? old->name_written : old->name),
		      dg_ddb_q(b, sizeof(b), now->name_written ? now->name_written : now->name),
		      now->name ? "" : " (a generated name)");
}

const struct dg_rule dg_rule_dynamodb_table_renamed = {
    .name = "dynamodb-table-renamed",
    .summary = "A DynamoDB table's TableName (Terraform: name) changes: the table is replaced",
    .help = "Keep the old name. If the name must change, create the new table next to the old "
	    "one, dual write, backfill, switch reads, and remove the old table in a later "
	    "deployment.",
    .severity = DG_ERROR,
    .check_table = check,
};
