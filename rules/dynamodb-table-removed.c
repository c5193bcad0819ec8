/* dynamodb-table-removed.c — a table disappears from the template (or the plan deletes it)
 * without anything retaining it: the tool deletes it with its items. A changed logical ID is a
 * removal plus a new table. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	if (now || !old)
		return;
	if (old->from_plan) {
		if (old->plan_delete && !old->deletion_protection)
			dg_ddb_report(dc, old, old->actions_at,
				      "the plan deletes DynamoDB table \"%s\", which has no "
				      "deletion_protection_enabled: its items are gone",
				      old->id);
		return;
	}
	if (old->tool == DG_DDB_TERRAFORM ? old->prevent_destroy || old->deletion_protection
					  : old->retain_delete)
		return;
	if (dg_ddb_template_deleted(dc)) {
		dg_ddb_report(
		    dc, old, dg_ddb_anchor(dc),
		    "the template declaring DynamoDB table \"%s\" was deleted, and the table "
		    "had %s: %s deletes the table with all its items",
		    old->id,
		    old->tool == DG_DDB_TERRAFORM
			? "neither prevent_destroy nor deletion protection"
			: "no DeletionPolicy: Retain",
		    old->tool == DG_DDB_TERRAFORM
			? "when the configuration is applied without it, Terraform"
			: "when its stack is deleted or deployed without it, CloudFormation");
		return;
	}
	dg_ddb_report(dc, old, dg_ddb_anchor(dc),
		      "DynamoDB table \"%s\" is no longer in the template and had %s: %s deletes "
		      "it with all its items (a changed %s is a removal plus a new, empty table)",
		      old->id,
		      old->tool == DG_DDB_TERRAFORM
			  ? "neither prevent_destroy nor deletion protection"
			  : "no DeletionPolicy: Retain",
		      old->tool == DG_DDB_TERRAFORM ? "Terraform" : "CloudFormation",
		      old->tool == DG_DDB_TERRAFORM ? "resource address" : "logical ID");
}

const struct dg_rule dg_rule_dynamodb_table_removed = {
    .name = "dynamodb-table-removed",
    .summary = "A DynamoDB table is removed from the template without Retain: its data is "
	       "deleted",
    .help = "Set DeletionPolicy: Retain (Terraform: prevent_destroy, or remove it from the "
	    "state with `terraform state rm` / a `removed` block) and deploy that first; then "
	    "remove the resource, and delete the table by hand once nothing needs its data.",
    .severity = DG_ERROR,
    .check_table = check,
};
