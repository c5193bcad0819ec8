/* ban-alter-domain-with-add-constraint.c — adding a constraint to a domain checks every column
 * of every table that uses it, under a SHARE lock on each table. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__AlterDomainStmt *stmt = node->alter_domain_stmt;
	const char *name = dg_name_last(stmt->type_name, stmt->n_type_name);
	const PgQuery__Constraint *con = NULL;

	if (!stmt->subtype || !name)
		return;
	if (stmt->subtype[0] == 'C') {
		if (stmt->def && stmt->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			con = stmt->def->constraint;
		if (!con || con->skip_validation)
			return;
	} else if (stmt->subtype[0] != 'O') {
		return;
	}
	if (dg_domain_created_here(ctx, stmt->type_name, stmt->n_type_name))
		return;
	if (con)
		dg_report(
		    ctx, node,
		    "adding a constraint to domain \"%s\" checks every column of every table that "
		    "uses it: each table is scanned under a SHARE lock that blocks its writes "
		    "until "
		    "the transaction ends",
		    name);
	else
		dg_report_help(
		    ctx, node,
		    "Add the check as a constraint that is not validated yet: ALTER DOMAIN … ADD "
		    "CONSTRAINT … CHECK (VALUE IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT "
		    "in a quiet window (through PostgreSQL 18 it still takes SHARE locks while "
		    "it scans).",
		    "SET NOT NULL on domain \"%s\" checks every column of every table that uses "
		    "it: "
		    "each table is scanned under a SHARE lock that blocks its writes until the "
		    "transaction ends",
		    name);
}

const struct dg_rule dg_rule_ban_alter_domain_with_add_constraint = {
    .name = "ban-alter-domain-with-add-constraint",
    .summary = "Adding a constraint to a domain scans and write-locks every table using it",
    .help = "Add the constraint NOT VALID (new values are checked at once, nothing is scanned), "
	    "then run ALTER DOMAIN … VALIDATE CONSTRAINT separately in a quiet window: through "
	    "PostgreSQL 18 the validation still takes SHARE locks on the tables it scans. Better, "
	    "put the check on the tables as CHECK … NOT VALID + VALIDATE CONSTRAINT, which only "
	    "takes SHARE UPDATE EXCLUSIVE.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT),
    .check = check,
};
