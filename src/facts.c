/* facts.c — one pass over the parsed statements to record what later statements may rely on. */
#include "facts.h"

#include <string.h>

static void add_created(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
			size_t stmt)
{
	if (!rv || !rv->relname)
		return;
	if (f->n_created == f->cap_created) {
		size_t ncap = f->cap_created ? f->cap_created * 2 : 16;
		struct dg_created_rel *n = dg_arena_alloc(a, ncap * sizeof(*n));
		if (f->n_created)
			memcpy(n, f->created, f->n_created * sizeof(*n));
		f->created = n;
		f->cap_created = ncap;
	}
	f->created[f->n_created++] = (struct dg_created_rel){
		rv->schemaname && *rv->schemaname ? rv->schemaname : NULL, rv->relname, stmt};
}

/* Statements of section `sec` from statement i on. */
static size_t section_stmts(const struct dg_parsed *p, size_t i)
{
	size_t n = 0;

	while (i + n < p->n_stmts && p->stmts[i + n].section == p->stmts[i].section)
		n++;
	return n;
}

/* Transaction blocks: the tool's wrapping of a section (one block across sections of the same
 * unit), the implicit block of a section sent as one multi-statement query, and explicit
 * BEGIN … COMMIT. */
static void build_tx(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		     bool assume_in_tx)
{
	const struct dg_section *sec = NULL;
	bool wrapped = false, implicit = false, explicit_open = false;
	unsigned next_id = 0, cur = 0;

	f->tx = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tx));
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;
		PgQuery__TransactionStmtKind kind = 0;

		if (p->stmts[i].section != sec) {
			const struct dg_section *prev = sec;

			sec = p->stmts[i].section;
			/* several statements in one query string: PostgreSQL runs them in one
			 * implicit transaction block (exec_simple_query) */
			implicit = sec->tx == DG_TX_IMPLICIT && section_stmts(p, i) > 1;
			wrapped = sec->tx == DG_TX_WRAPPED || implicit || assume_in_tx;
			explicit_open = false;
			bool same_unit = prev && sec->tx == DG_TX_WRAPPED &&
					 prev->tx == DG_TX_WRAPPED && sec->unit &&
					 prev->unit == sec->unit;
			if (!same_unit)
				cur = wrapped ? ++next_id : 0;
		}
		if (n->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT)
			kind = n->transaction_stmt->kind;
		if ((kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
		     kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START) &&
		    !wrapped && !explicit_open) {
			explicit_open = true;
			cur = ++next_id;
			f->tx[i] = (struct dg_stmt_tx){false, 0};
			continue;
		}
		f->tx[i] = (struct dg_stmt_tx){wrapped || explicit_open, cur};
		if (kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
		    kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK ||
		    kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE) {
			if (explicit_open) {
				explicit_open = false;
				cur = 0;
			} else if (implicit) {
				/* the next statement of the query string opens a new implicit block
				 */
				cur = ++next_id;
			}
		}
	}
}

void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx)
{
	memset(f, 0, sizeof(*f));
	build_tx(f, p, a, assume_in_tx);
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;

		switch (n->node_case) {
		case PG_QUERY__NODE__NODE_CREATE_STMT:
			add_created(f, a, n->create_stmt->relation, i);
			break;
		case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
			if (n->create_table_as_stmt->into)
				add_created(f, a, n->create_table_as_stmt->into->rel, i);
			break;
		case PG_QUERY__NODE__NODE_SELECT_STMT:
			if (n->select_stmt->into_clause)
				add_created(f, a, n->select_stmt->into_clause->rel, i);
			break;
		default:
			break;
		}
	}
}

bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt)
{
	if (!name)
		return false;
	if (schema && !*schema)
		schema = NULL;
	for (size_t i = 0; i < f->n_created; i++) {
		const struct dg_created_rel *c = &f->created[i];
		if (c->stmt >= stmt || strcmp(c->name, name) != 0)
			continue;
		if (schema && c->schema && strcmp(schema, c->schema) != 0)
			continue;
		return true;
	}
	return false;
}
