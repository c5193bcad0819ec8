/* constraint-missing-not-valid.c — adding a CHECK or FOREIGN KEY validates every existing row
 * while holding a lock; NOT VALID then VALIDATE splits that into two cheap steps. */
#include <stdio.h>
#include <string.h>

#include "rule.h"

static const char help_check[] =
    "Add it as NOT VALID (checked for new rows at once, only a brief lock), then in a later "
    "transaction run ALTER TABLE … VALIDATE CONSTRAINT …, which scans under SHARE UPDATE "
    "EXCLUSIVE and lets reads and writes go on.";
static const char help_fk[] =
    "Add it as NOT VALID (enforced for new rows at once, only a brief lock), then in a later "
    "transaction run ALTER TABLE … VALIDATE CONSTRAINT …: it scans under SHARE UPDATE EXCLUSIVE "
    "on the table and ROW SHARE on the referenced table, so writes go on.";
static const char help_inline_fk[] =
    "NOT VALID cannot be written inline: add the column without REFERENCES, then ALTER TABLE … "
    "ADD CONSTRAINT … FOREIGN KEY … NOT VALID, and VALIDATE CONSTRAINT in a later transaction.";
static const char help_inline_check[] =
    "NOT VALID cannot be written inline: add the column without the CHECK, then ALTER TABLE … "
    "ADD CONSTRAINT … CHECK (…) NOT VALID, and VALIDATE CONSTRAINT in a later transaction.";

static const char *label(const PgQuery__Constraint *c, char *buf, size_t n)
{
	if (c->conname && c->conname[0])
		snprintf(buf, n, "\"%s\"", c->conname);
	else
		snprintf(buf, n, "(unnamed)");
	return buf;
}

static void report(struct dg_ctx *ctx, const PgQuery__Node *at, const PgQuery__Constraint *c,
		   const char *table, bool inline_col)
{
	char name[200];

	if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
		dg_report_help(
		    ctx, at, inline_col ? help_inline_check : help_check,
		    "adding CHECK constraint %s scans every row of \"%s\" while holding an "
		    "ACCESS EXCLUSIVE lock: all reads and writes on \"%s\" wait for the scan",
		    label(c, name, sizeof(name)), table, table);
	else {
		/* the statement's other subcommands (ADD COLUMN, DROP CONSTRAINT, …) may lock the
		 * table harder than the foreign key does: say what the lock model says */
		const struct dg_lock_info *li = dg_stmt_locks(ctx);
		enum dg_lock_mode mode = DG_LOCK_SHARE_ROW_EXCLUSIVE;
		const char *pk = c->pktable ? c->pktable->relname : "?";

		for (size_t k = 0; li && k < li->n_rels; k++)
			if (li->rels[k].role == DG_ROLE_TABLE && li->rels[k].mode > mode)
				mode = li->rels[k].mode;
		if (strcmp(pk, table) == 0)
			dg_report_help(
			    ctx, at, inline_col ? help_inline_fk : help_fk,
			    "adding FOREIGN KEY %s scans every row of \"%s\" while holding a "
			    "%s lock on it: %s on \"%s\" wait for the scan",
			    label(c, name, sizeof(name)), table, dg_lock_mode_name(mode),
			    dg_lock_blocks_reads(mode) ? "all reads and writes" : "writes", table);
		else if (mode == DG_LOCK_SHARE_ROW_EXCLUSIVE)
			dg_report_help(
			    ctx, at, inline_col ? help_inline_fk : help_fk,
			    "adding FOREIGN KEY %s scans every row of \"%s\" while holding "
			    "SHARE ROW EXCLUSIVE locks on \"%s\" and \"%s\": writes to both "
			    "tables wait for the scan",
			    label(c, name, sizeof(name)), table, table, pk);
		else
			dg_report_help(
			    ctx, at, inline_col ? help_inline_fk : help_fk,
			    "adding FOREIGN KEY %s scans every row of \"%s\" while this "
			    "statement holds %s on \"%s\" (%s wait) and SHARE ROW EXCLUSIVE "
			    "on \"%s\" (writes wait)",
			    label(c, name, sizeof(name)), table, dg_lock_mode_name(mode), table,
			    dg_lock_blocks_reads(mode) ? "all reads and writes" : "writes", pk);
	}
}

/* Whether an added column gets a default: then the server validates a foreign key declared on
 * it against every row; without one the column is all NULL and the check is skipped. */
static bool column_has_default(const PgQuery__ColumnDef *col)
{
	if (col->raw_default || (col->identity && *col->identity) ||
	    (col->generated && *col->generated))
		return true;
	for (size_t k = 0; k < col->n_constraints; k++) {
		const PgQuery__Constraint *c = col->constraints[k]->constraint;
		if (c && (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT ||
			  c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY ||
			  c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED))
			return true;
	}
	return false;
}

static bool validating(const PgQuery__Constraint *c)
{
	return c && !c->skip_validation &&
	       (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
		c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN);
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterTableStmt *stmt = node->alter_table_stmt;

	if (!stmt->relation || dg_table_created_here(ctx, stmt->relation))
		return;
	for (size_t i = 0; i < stmt->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = stmt->cmds[i]->alter_table_cmd;

		if (!cmd || !cmd->def)
			continue;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint &&
		    cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
			if (validating(cmd->def->constraint))
				report(ctx, stmt->cmds[i], cmd->def->constraint,
				       stmt->relation->relname, false);
		} else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn &&
			   cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			const PgQuery__ColumnDef *col = cmd->def->column_def;
			for (size_t k = 0; k < col->n_constraints; k++) {
				const PgQuery__Constraint *c = col->constraints[k]->constraint;
				if (!validating(c) ||
				    (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
				     !column_has_default(col)))
					continue;
				report(ctx, stmt->cmds[i], c, stmt->relation->relname, true);
			}
		}
	}
}

const struct dg_rule dg_rule_constraint_missing_not_valid = {
    .name = "constraint-missing-not-valid",
    .summary = "Adding a CHECK or FOREIGN KEY without NOT VALID scans the table under a lock",
    .help = help_check,
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_TABLE_STMT),
    .check = check,
    .fix = dg_fix_not_valid,
};
