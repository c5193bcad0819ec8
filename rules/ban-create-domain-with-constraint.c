/* ban-create-domain-with-constraint.c — a constraint on a domain can only be changed later with
 * ALTER DOMAIN, which checks every table using the domain. */
#include "rule.h"

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__CreateDomainStmt *stmt = node->create_domain_stmt;
	const char *name = dg_name_last(stmt->domainname, stmt->n_domainname);

	for (size_t i = 0; i < stmt->n_constraints; i++) {
		const PgQuery__Node *c = stmt->constraints[i];

		if (c->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		if (c->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK &&
		    c->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL)
			continue;
		dg_report(
		    ctx, c,
		    "domain \"%s\" carries a constraint: changing it later takes ALTER DOMAIN, "
		    "which scans every column of every table using the domain under SHARE locks "
		    "(blocking their writes)",
		    name ? name : "?");
		return;
	}
}

const struct dg_rule dg_rule_ban_create_domain_with_constraint = {
    .name = "ban-create-domain-with-constraint",
    .summary = "A domain with a constraint makes every later change to it lock all its tables",
    .help = "Create the domain without CHECK or NOT NULL and put those constraints on the table "
	    "columns instead: a table constraint can be added NOT VALID and validated under a "
	    "SHARE UPDATE EXCLUSIVE lock, and changed one table at a time.",
    .severity = DG_INFO,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT),
    .check = check,
};
