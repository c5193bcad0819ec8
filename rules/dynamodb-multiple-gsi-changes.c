/* dynamodb-multiple-gsi-changes.c — CloudFormation (like UpdateTable) creates or deletes one
 * global secondary index per update: more in one stack update fail it. Renaming an index is a
 * delete plus a create. Terraform's provider sequences them itself. */
#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "dynamodb/model.h"

static void list(char *buf, size_t size, const struct dg_ddb_table *from,
		 const struct dg_ddb_table *other)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < from->n_gsis && at < size; i++)
		if (!dg_ddb_gsi(other, from->gsis[i].name))
			at += (size_t)snprintf(buf + at, size - at, "%s\"%s\"", at ? ", " : "",
					       from->gsis[i].name);
}

static void check(struct dg_ddb_ctx *dc, const struct dg_ddb_table *old,
		  const struct dg_ddb_table *now)
{
	size_t created = 0, deleted = 0;
	char c[512], d[512];

	if (!old || !now || now->tool != DG_DDB_CLOUDFORMATION || old->gsis_unknown ||
	    now->gsis_unknown)
		return;
	for (size_t i = 0; i < now->n_gsis; i++)
		created += !dg_ddb_gsi(old, now->gsis[i].name);
	for (size_t i = 0; i < old->n_gsis; i++)
		deleted += !dg_ddb_gsi(now, old->gsis[i].name);
	if (created + deleted < 2)
		return;
	list(c, sizeof(c), now, old);
	list(d, sizeof(d), old, now);
	dg_ddb_report(
	    dc, now, now->gsis_at,
	    "%zu global secondary indexes of DynamoDB table \"%s\" are created or deleted "
	    "in one update (created: %s; deleted: %s): DynamoDB creates or deletes one "
	    "per UpdateTable, and CloudFormation fails the stack update",
	    created + deleted, now->id, created ? c : "none", deleted ? d : "none");
}

const struct dg_rule dg_rule_dynamodb_multiple_gsi_changes = {
    .name = "dynamodb-multiple-gsi-changes",
    .summary = "More than one DynamoDB global secondary index created or deleted in one "
	       "CloudFormation update",
    .help = "Deploy one index change per stack update: add (or remove) one GSI, wait for the "
	    "update to finish, then the next. To rename an index, add the new one in one "
	    "deployment and remove the old one in a later one.",
    .severity = DG_ERROR,
    .check_table = check,
};
