/* dynamodb-key-type-change.c — a key attribute's AttributeType changes (S, N, B): CloudFormation
 * replaces the table when an existing attribute definition is edited; Terraform fails or
 * replaces it. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	if (!old || !now || old->attrs_unknown || now->attrs_unknown)
		return;
	for (size_t i = 0; i < now->n_attrs; i++) {
		const struct dg_ddb_attr *n = &now->attrs[i], *o = dg_ddb_attr(old, n->name);
		if (!o || !o->type || !n->type || strcmp(o->type, n->type) == 0)
			continue;
		dg_ddb_report(
		    dc, now, n->at,
		    "the type of key attribute \"%s\" of DynamoDB table \"%s\" changes from "
		    "%s to %s: %s, and every item's key was written with the old type",
		    n->name, now->id, o->type, n->type,
		    now->tool == DG_DDB_TERRAFORM
			? "the update fails or Terraform replaces the table"
			: "CloudFormation replaces the table when an existing attribute "
			  "definition is edited");
	}
}

const struct dg_rule dg_rule_dynamodb_key_type_change = {
    .name = "dynamodb-key-type-change",
    .summary = "A DynamoDB key attribute's AttributeType changes: the update fails or replaces "
	       "the table",
    .help = "Key types cannot change in place. Add a new attribute (or a new table, for the "
	    "table's own key) with the new type, write both, backfill the converted values, move "
	    "reads over, then drop the old one (expand, backfill, contract).",
    .severity = DG_ERROR,
    .check_table = check,
};
