/* dynamodb-gsi-key-change.c — a global secondary index keeps its name but changes its keys or
 * projection: it is deleted and built again, and queries on it fail meanwhile. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	if (!old || !now || old->gsis_unknown || now->gsis_unknown)
		return;
	for (size_t i = 0; i < now->n_gsis; i++) {
		const struct dg_ddb_index *n = &now->gsis[i], *o = dg_ddb_gsi(old, n->name);
		bool keys;
		if (!o)
			continue;
		keys = !dg_ddb_same(o->hash, n->hash) || !dg_ddb_same(o->range, n->range);
		if (!keys && dg_ddb_same(o->projection, n->projection))
			continue;
		dg_ddb_report(
		    dc, now, keys ? n->keys_at : n->projection_at,
		    "global secondary index \"%s\" of DynamoDB table \"%s\" changes its %s: "
		    "the index is deleted and built again, and queries on it fail until the "
		    "new one is ACTIVE",
		    n->name, now->id, keys ? "keys" : "projection");
	}
}

const struct dg_rule dg_rule_dynamodb_gsi_key_change = {
    .name = "dynamodb-gsi-key-change",
    .summary = "A DynamoDB global secondary index changes its keys or projection: it is "
	       "rebuilt",
    .help = "Add a new index under a new name with the new keys, deploy the code that queries it "
	    "once it is ACTIVE, then remove the old index in a later deployment.",
    .severity = DG_WARNING,
    .check_table = check,
};
