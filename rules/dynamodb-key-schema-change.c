/* dynamodb-key-schema-change.c — a table's partition or sort key is added, removed or renamed:
 * KeySchema cannot change in place, so the tool replaces the table and its items are gone. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	char a[256], b[256];

	if (!old || !now || old->keys_unknown || now->keys_unknown)
		return;
	if (!dg_ddb_same(old->hash, now->hash))
		dg_ddb_report(
		    dc, now, now->hash_at,
		    "the partition key of DynamoDB table \"%s\" changes from %s to %s: %s", now->id,
		    dg_ddb_q(a, sizeof(a), old->hash), dg_ddb_q(b, sizeof(b), now->hash),
		    dg_ddb_replaces(now));
	if (!dg_ddb_same(old->range, now->range))
		dg_ddb_report(dc, now, now->range ? now->range_at : now->keys_at,
			      "the sort key of DynamoDB table \"%s\" %s %s%s%s: %s", now->id,
			      !old->range   ? "is added:"
			      : !now->range ? "is removed: it was"
					    : "changes from",
			      dg_ddb_q(a, sizeof(a), old->range ? old->range : now->range),
			      old->range && now->range ? " to " : "",
			      old->range && now->range ? dg_ddb_q(b, sizeof(b), now->range) : "",
			      dg_ddb_replaces(now));
}

const struct dg_rule dg_rule_dynamodb_key_schema_change = {
    .name = "dynamodb-key-schema-change",
    .summary = "A DynamoDB table's partition or sort key is added, removed or renamed: the "
	       "table is replaced",
    .help = "Keep the table and create a new one with the new key: write to both (dual write), "
	    "backfill the new table from the old (a scan plus batch writes, idempotent, with a "
	    "dry-run), switch reads to it, then retire the old table in a later deployment "
	    "(expand, backfill, contract).",
    .severity = DG_ERROR,
    .check_table = check,
};
