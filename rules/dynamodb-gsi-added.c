/* dynamodb-gsi-added.c — a global secondary index added to an existing table backfills
 * asynchronously: until it is ACTIVE, queries on it fail or see part of the items. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	if (!old || !now || old->gsis_unknown || now->gsis_unknown)
		return;
	for (size_t i = 0; i < now->n_gsis; i++)
		if (!dg_ddb_gsi(old, now->gsis[i].name))
			dg_ddb_report(dc, now, now->gsis[i].at,
				      "global secondary index \"%s\" is added to DynamoDB table "
				      "\"%s\": it backfills asynchronously, and until it is ACTIVE "
				      "queries on it fail or return partial results",
				      now->gsis[i].name, now->id);
}

const struct dg_rule dg_rule_dynamodb_gsi_added = {
    .name = "dynamodb-gsi-added",
    .summary = "A DynamoDB global secondary index is added to an existing table: it backfills "
	       "asynchronously",
    .help = "Deploy the index first and the code that queries it after the index is ACTIVE "
	    "(expand first).",
    .severity = DG_INFO,
    .check_table = check,
};
