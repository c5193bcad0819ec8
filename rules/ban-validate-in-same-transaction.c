/* ban-validate-in-same-transaction.c — ADD CONSTRAINT … NOT VALID and VALIDATE CONSTRAINT in one
 * transaction: the ADD's lock is held until COMMIT, so the validation scan runs under it. */
#include <string.h>

#include "rule.h"

static const char help[] =
    "Commit between the two steps: ADD CONSTRAINT … NOT VALID in one transaction (a brief lock), "
    "then VALIDATE CONSTRAINT in a later one (the next migration, or after COMMIT), where it "
    "only takes SHARE UPDATE EXCLUSIVE and reads and writes go on during the scan.";

static void report(struct dg_ctx *ctx, const PgQuery__Node *cmd, const char *con, const char *table,
		   int contype, const char *where)
{
	if (contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
		dg_report(
		    ctx, cmd,
		    "VALIDATE CONSTRAINT \"%s\" runs %s that added it NOT VALID: the SHARE ROW "
		    "EXCLUSIVE locks ADD CONSTRAINT took on \"%s\" and on the referenced table are "
		    "held until COMMIT, so writes to both wait for the whole validation scan and "
		    "NOT VALID gains nothing",
		    con, where, table);
	else
		dg_report(
		    ctx, cmd,
		    "VALIDATE CONSTRAINT \"%s\" runs %s that added it NOT VALID: the ACCESS "
		    "EXCLUSIVE lock ADD CONSTRAINT took on \"%s\" is held until COMMIT, so all "
		    "reads and writes on \"%s\" wait for the whole validation scan and NOT VALID "
		    "gains nothing",
		    con, where, table, table);
}

/* The constraint `name` added NOT VALID by a subcommand of this statement before `before`. */
static const PgQuery__Constraint *added_in_stmt(const PgQuery__AlterTableStmt *stmt, size_t before,
						const char *name)
{
	for (size_t j = 0; j < before; j++) {
		const PgQuery__AlterTableCmd *c = stmt->cmds[j]->alter_table_cmd;
		if (c && c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint && c->def &&
		    c->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    c->def->constraint->skip_validation && c->def->constraint->conname &&
		    strcmp(c->def->constraint->conname, name) == 0)
			return c->def->constraint;
	}
	return NULL;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = node->alter_table_stmt;
	unsigned tx = dg_transaction_id(ctx);

	if (!stmt->relation || dg_table_created_here(ctx, stmt->relation))
		return;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;
		const PgQuery__Constraint *same;
		struct dg_constraint_info info;

		if (!cmd || !cmd->name || !*cmd->name ||
		    (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint &&
		     cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse))
			continue;
		same = added_in_stmt(stmt, i, cmd->name);
		if (same) {
			report(ctx, stmt->cmds[i], cmd->name, stmt->relation->relname,
			       (int)same->contype, "in the very ALTER TABLE");
			continue;
		}
		if (tx != 0 && dg_constraint_added_here(ctx, stmt->relation, cmd->name, &info) &&
		    info.state == DG_CONSTRAINT_NOT_VALID && info.add_tx_id == tx)
			report(ctx, stmt->cmds[i], cmd->name, stmt->relation->relname, info.contype,
			       "in the transaction");
	}
}

const struct dg_rule dg_rule_ban_validate_in_same_transaction = {
    .name = "ban-validate-in-same-transaction",
    .summary = "VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID",
    .help = help,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
};
