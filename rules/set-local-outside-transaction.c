/* set-local-outside-transaction.c — SET LOCAL (or set_config(…, true)) outside a transaction
 * block lasts until the end of its own statement: the setting it was meant for never applies. */
#include <strings.h>

#include "rule.h"

static bool is_true_const(const PgQuery__Node *n)
{
	const char *s;

	if (!n || n->node_case != PG_QUERY__NODE__NODE_A_CONST || n->a_const->isnull)
		return false;
	if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
		return n->a_const->boolval && n->a_const->boolval->boolval;
	if (n->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL || !n->a_const->sval)
		return false;
	s = n->a_const->sval->sval;
	return s && (!strcasecmp(s, "true") || !strcasecmp(s, "t") || !strcasecmp(s, "on") ||
		     !strcasecmp(s, "yes") || !strcasecmp(s, "y") || !strcasecmp(s, "1"));
}

static const char *const_string(const PgQuery__Node *n)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL && n->a_const->sval)
		return n->a_const->sval->sval;
	return NULL;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	/* a DO block or function runs in a transaction of its own: SET LOCAL lasts to its end */
	if (dg_in_transaction(ctx) || dg_stmt_in_body(ctx))
		return;
	if (node->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT) {
		const PgQuery__VariableSetStmt *v = node->variable_set_stmt;

		/* nested ones (CREATE FUNCTION … SET, ALTER ROLE … SET) are never LOCAL */
		if (!v->is_local || node != dg_stmt(ctx))
			return;
		dg_report(
		    ctx, node,
		    "SET LOCAL outside a transaction block has no effect (PostgreSQL only emits "
		    "a WARNING): \"%s\" keeps its previous value for the statements that follow",
		    v->name && *v->name ? v->name : "the setting");
	} else if (node->node_case == PG_QUERY__NODE__NODE_FUNC_CALL) {
		const PgQuery__FuncCall *fc = node->func_call;
		const char *name = dg_name_last(fc->funcname, fc->n_funcname);
		const char *setting;

		if (!name || strcasecmp(name, "set_config") != 0 || fc->n_args != 3 ||
		    !is_true_const(fc->args[2]))
			return;
		setting = const_string(fc->args[0]);
		dg_report(
		    ctx, node,
		    "set_config(…, true) outside a transaction block only lasts until the end of "
		    "this statement: \"%s\" keeps its previous value for the statements that follow",
		    setting ? setting : "the setting");
	}
}

const struct dg_rule dg_rule_set_local_outside_transaction = {
    .name = "set-local-outside-transaction",
    .summary = "SET LOCAL outside a transaction block does nothing",
    .help = "Put SET LOCAL after BEGIN, in the transaction it is meant for (e.g. BEGIN; SET LOCAL "
	    "lock_timeout = '2s'; ALTER TABLE …; COMMIT;). Outside a transaction use plain SET, "
	    "which lasts for the session, and RESET it afterwards.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_VARIABLE_SET_STMT, PG_QUERY__NODE__NODE_FUNC_CALL),
    .check = check,
};
