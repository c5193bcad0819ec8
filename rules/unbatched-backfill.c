/* unbatched-backfill.c — an UPDATE or DELETE of a whole table in a migration that also changes
 * the schema: every row is locked, and the DDL's locks are held, until the end. Whole-table
 * joins (UPDATE … FROM, DELETE … USING) and CTE-driven updates count: what bounds them is the
 * source they join to. */
#include <string.h>

#include "rule.h"

/* What a WHERE is checked against: the statement's FROM (UPDATE … FROM, DELETE … USING) and
 * its WITH. */
struct scope {
	PgQuery__Node *const *from;
	size_t n_from;
	const PgQuery__WithClause *with;
	bool on; /* a JOIN's ON: its join conditions pair rows up, they bound nothing */
};

static bool where_bounded(const struct scope *sc, const PgQuery__Node *w);

/* A query returns a bounded set of rows: LIMIT, a VALUES list, a WHERE that bounds it, or a
 * bounded source it joins to. */
static bool select_bounded(const struct scope *outer, const PgQuery__Node *n);

static const PgQuery__Node *cte_query(const struct scope *sc, const char *name)
{
	for (size_t i = 0; sc->with && name && i < sc->with->n_ctes; i++) {
		const PgQuery__Node *c = sc->with->ctes[i];
		if (c->node_case == PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR &&
		    c->common_table_expr->ctename &&
		    strcmp(c->common_table_expr->ctename, name) == 0)
			return c->common_table_expr->ctequery;
	}
	return NULL;
}

/* A FROM item: a CTE as bounded as its query, a subquery or VALUES as bounded as it is, a join
 * when either side is (an inner join yields no more than the pairs of a bounded side), a table
 * never. */
static bool source_bounded(const struct scope *sc, const PgQuery__Node *n)
{
	if (!n)
		return false;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_RANGE_VAR: {
		const PgQuery__Node *q = n->range_var->schemaname && *n->range_var->schemaname
					     ? NULL
					     : cte_query(sc, n->range_var->relname);
		return q && select_bounded(sc, q);
	}
	case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
		return select_bounded(sc, n->range_subselect->subquery);
	case PG_QUERY__NODE__NODE_JOIN_EXPR: {
		struct scope on = {NULL, 0, sc->with, true};
		return source_bounded(sc, n->join_expr->larg) ||
		       source_bounded(sc, n->join_expr->rarg) ||
		       (n->join_expr->quals && where_bounded(&on, n->join_expr->quals));
	}
	default:
		return true; /* a function call, a lateral item: taken as a bound */
	}
}

static bool select_stmt_bounded(const struct scope *outer, const PgQuery__SelectStmt *s)
{
	struct scope sc;

	if (!s)
		return true;
	if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
		return select_stmt_bounded(outer, s->larg) && select_stmt_bounded(outer, s->rarg);
	if (s->limit_count || s->n_values_lists)
		return true;
	sc = (struct scope){s->from_clause, s->n_from_clause,
			    s->with_clause ? s->with_clause : outer->with, false};
	if (!s->n_from_clause)
		return true; /* SELECT 1, SELECT $1: one row */
	if (s->where_clause && where_bounded(&sc, s->where_clause))
		return true;
	for (size_t i = 0; i < s->n_from_clause; i++)
		if (source_bounded(&sc, s->from_clause[i]))
			return true;
	return false;
}

static bool select_bounded(const struct scope *outer, const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return true; /* a data-modifying CTE (… RETURNING) and the like: taken as a bound */
	return select_stmt_bounded(outer, n->select_stmt);
}

/* Both operands column references: a join condition, which bounds the rows no more than the
 * source joined to does. */
static bool join_condition(const PgQuery__Node *w)
{
	return w->node_case == PG_QUERY__NODE__NODE_A_EXPR && w->a_expr->lexpr &&
	       w->a_expr->rexpr && w->a_expr->lexpr->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
	       w->a_expr->rexpr->node_case == PG_QUERY__NODE__NODE_COLUMN_REF;
}

/* A WHERE bounds the statement unless it is built only from IS [NOT] NULL, IS [NOT]
 * TRUE/FALSE/UNKNOWN tests and constants (those select "every row still to do", which on the
 * first run is the whole table), join conditions to unbounded sources, and IN/EXISTS over
 * unbounded queries, joined by AND/OR/NOT. Anything else (a key range, a comparison, a
 * subquery with LIMIT) is taken as a bound. */
static bool where_bounded(const struct scope *sc, const PgQuery__Node *w)
{
	if (!w)
		return false;
	switch (w->node_case) {
	case PG_QUERY__NODE__NODE_NULL_TEST:
	case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
	case PG_QUERY__NODE__NODE_A_CONST:
		return false;
	case PG_QUERY__NODE__NODE_BOOL_EXPR: {
		const PgQuery__BoolExpr *b = w->bool_expr;
		bool any = false, all = b->n_args > 0;
		for (size_t i = 0; i < b->n_args; i++) {
			bool k = where_bounded(sc, b->args[i]);
			any |= k;
			all &= k;
		}
		/* OR is as wide as its widest branch */
		return b->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR ? all : any;
	}
	case PG_QUERY__NODE__NODE_SUB_LINK: {
		const PgQuery__SubLink *l = w->sub_link;
		if (l->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK ||
		    l->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK)
			return select_bounded(sc, l->subselect);
		return true;
	}
	default:
		if (sc->on && join_condition(w))
			return false;
		if (sc->n_from && join_condition(w)) {
			for (size_t i = 0; i < sc->n_from; i++)
				if (source_bounded(sc, sc->from[i]))
					return true;
			return false;
		}
		return true;
	}
}

static bool same_way(enum dg_direction a, enum dg_direction b)
{
	return (a == DG_DIR_DOWN) == (b == DG_DIR_DOWN);
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	const PgQuery__RangeVar *rel;
	const PgQuery__Node *where;
	struct scope sc;
	const char *verb;
	size_t n = dg_statement_count(ctx);
	enum dg_direction dir = dg_section_dir(ctx);
	bool ddl = false, ddl_same_tx = false;
	unsigned tx = dg_transaction_id(ctx);

	if (node != dg_stmt(ctx))
		return; /* a data-modifying CTE or a statement inside a rule: not a migration step
			 */
	if (node->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT) {
		const PgQuery__UpdateStmt *u = node->update_stmt;
		rel = u->relation;
		where = u->where_clause;
		sc = (struct scope){u->from_clause, u->n_from_clause, u->with_clause, false};
		verb = "UPDATE";
	} else {
		const PgQuery__DeleteStmt *d = node->delete_stmt;
		rel = d->relation;
		where = d->where_clause;
		sc = (struct scope){d->using_clause, d->n_using_clause, d->with_clause, false};
		verb = "DELETE";
	}
	if (!rel || !rel->relname || where_bounded(&sc, where) || dg_table_created_here(ctx, rel))
		return;
	for (size_t i = 0; i < n && !ddl; i++)
		ddl = dg_stmt_change_at(ctx, i)->ddl && same_way(dg_stmt_dir_at(ctx, i), dir);
	if (!ddl)
		return;
	/* the DDL's locks are held with the rows only when it runs in the same transaction */
	for (size_t i = 0; i < n && tx && !ddl_same_tx; i++)
		ddl_same_tx = dg_stmt_change_at(ctx, i)->ddl && dg_transaction_id_at(ctx, i) == tx;
	dg_report(
	    ctx, node,
	    "%s of every row of \"%s\"%s in a migration that also changes the schema: every "
	    "touched row stays locked until %s, and the whole table changes in one transaction "
	    "(dead rows, WAL volume, replication lag)",
	    verb, rel->relname,
	    !where	? ""
	    : sc.n_from ? " (the WHERE only joins to a whole table or tests for NULL/booleans)"
			: " (the WHERE only tests for NULL/booleans or reads whole tables)",
	    ddl_same_tx		     ? "the transaction ends, as do the locks its DDL took "
				       "(often the strongest there is)"
	    : dg_in_transaction(ctx) ? "the transaction ends"
				     : "the statement ends");
}

const struct dg_rule dg_rule_unbatched_backfill = {
    .name = "unbatched-backfill",
    .summary = "A whole-table UPDATE/DELETE inside a schema migration",
    .help = "Move the backfill out of the migration into a separate, idempotent job that works "
	    "in batches and commits between them: UPDATE … WHERE id BETWEEN $1 AND $2 AND col "
	    "IS NULL (or WHERE id IN (SELECT id … WHERE col IS NULL LIMIT 1000)), looping until "
	    "no row is left; run it after the expand migration is deployed.",
    .severity = DG_WARNING,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_UPDATE_STMT, PG_QUERY__NODE__NODE_DELETE_STMT),
    .check = check,
};
