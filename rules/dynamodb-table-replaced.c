/* dynamodb-table-replaced.c — a Terraform plan whose actions for an aws_dynamodb_table are a
 * delete and a create: the table is replaced, its items are gone. Names the replace_paths. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	(void)old;
	if (!now || !now->plan_replace)
		return;
	dg_ddb_report(dc, now, now->actions_at,
		      "the plan replaces DynamoDB table \"%s\" (delete and create) because of %s: "
		      "the new table starts empty and every item of the old one is deleted",
		      now->id,
		      now->replace_paths ? now->replace_paths : "a change the plan does not name");
}

const struct dg_rule dg_rule_dynamodb_table_replaced = {
    .name = "dynamodb-table-replaced",
    .summary = "A Terraform plan replaces a DynamoDB table (delete and create)",
    .help = "Undo the change to the attributes in replace_paths. To change a key or an LSI, "
	    "create a second table, dual write, backfill, switch reads, then remove the old one; "
	    "protect tables with lifecycle { prevent_destroy = true }.",
    .severity = DG_ERROR,
    .check_table = check,
};
