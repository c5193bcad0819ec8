/* dynamodb-gsi-removed.c — a global secondary index is removed: running code that still queries
 * it fails. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	if (!old || !now || old->gsis_unknown || now->gsis_unknown)
		return;
	for (size_t i = 0; i < old->n_gsis; i++)
		if (!dg_ddb_gsi(now, old->gsis[i].name))
			dg_ddb_report(
			    dc, now, now->gsis_at,
			    "global secondary index \"%s\" of DynamoDB table \"%s\" is "
			    "removed: every running version of the code that still queries "
			    "it fails",
			    old->gsis[i].name, now->id);
}

const struct dg_rule dg_rule_dynamodb_gsi_removed = {
    .name = "dynamodb-gsi-removed",
    .summary = "A DynamoDB global secondary index is removed: code still querying it breaks",
    .help = "Remove an index only in a contract step, after no deployed version of the code "
	    "queries it any more.",
    .severity = DG_WARNING,
    .check_table = check,
};
