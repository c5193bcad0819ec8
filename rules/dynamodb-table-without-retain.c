/* dynamodb-table-without-retain.c — a table that a replacement or a removed resource would
 * delete with its data: no DeletionPolicy and UpdateReplacePolicy Retain (Terraform: no
 * prevent_destroy and no deletion_protection_enabled). Checked with or without a base. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	(void)old;
	/* a plan does not show lifecycle settings; its tables are checked in the configuration */
	if (!now || now->from_plan)
		return;
	if (now->tool == DG_DDB_TERRAFORM) {
		if (!now->prevent_destroy && !now->deletion_protection)
			dg_ddb_report(dc, now, now->id_at,
				      "DynamoDB table \"%s\" has neither lifecycle prevent_destroy "
				      "nor deletion_protection_enabled: a change that forces "
				      "replacement, or removing the resource, destroys the table "
				      "and its items",
				      now->id);
		return;
	}
	if (now->retain_delete && now->retain_replace)
		return;
	dg_ddb_report(dc, now, now->id_at,
		      "DynamoDB table \"%s\" has no %s%s%s: %s deletes the table and its items",
		      now->id, now->retain_delete ? "" : "DeletionPolicy: Retain",
		      !now->retain_delete && !now->retain_replace ? " and no " : "",
		      now->retain_replace ? "" : "UpdateReplacePolicy: Retain",
		      !now->retain_delete && !now->retain_replace
			  ? "a replacement or removing the resource"
		      : now->retain_delete ? "a replacement"
					   : "removing the resource (or the stack)");
}

const struct dg_rule dg_rule_dynamodb_table_without_retain = {
    .name = "dynamodb-table-without-retain",
    .summary = "A DynamoDB table without DeletionPolicy and UpdateReplacePolicy Retain "
	       "(Terraform: prevent_destroy or deletion protection)",
    .help = "CloudFormation: set DeletionPolicy: Retain and UpdateReplacePolicy: Retain on the "
	    "table resource. Terraform: set lifecycle { prevent_destroy = true } and "
	    "deletion_protection_enabled = true.",
    .severity = DG_WARNING,
    .check_table = check,
};
