/* facts.c — one pass over the parsed statements to record what later statements may rely on. */
#include "facts.h"

#include <stdint.h>
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

/* Transaction blocks, statement by statement, the way PostgreSQL sees them: the block the tool
 * opens around a section (or the implicit one of a multi-statement query), explicit BEGIN …
 * COMMIT, and what a BEGIN or COMMIT does when it meets a block already open or none. */
static bool is_begin(PgQuery__TransactionStmtKind k)
{
	return k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START;
}

static bool is_end(PgQuery__TransactionStmtKind k)
{
	return k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK ||
	       k == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE;
}

static void build_tx(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		     bool assume_in_tx)
{
	unsigned next_id = 0;
	size_t i = 0;

	f->tx = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tx));
	while (i < p->n_stmts) {
		const struct dg_section *sec = p->stmts[i].section;
		size_t end = i, begin = SIZE_MAX;
		enum dg_tx_origin base, cur;
		unsigned id;

		while (end < p->n_stmts && p->stmts[end].section == sec)
			end++;
		/* what a statement outside any BEGIN … COMMIT runs in */
		if (sec->tx == DG_TX_WRAPPED)
			base = DG_TXO_TOOL;
		else if (sec->tx == DG_TX_IMPLICIT)
			base = end - i > 1 ? DG_TXO_IMPLICIT : DG_TXO_NONE;
		else
			base = assume_in_tx ? DG_TXO_ASSUMED : DG_TXO_NONE;
		cur = base;
		id = cur != DG_TXO_NONE ? ++next_id : 0;
		for (; i < end; i++) {
			const PgQuery__Node *n = p->stmts[i].node;
			const PgQuery__TransactionStmt *ts =
				n->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT
					? n->transaction_stmt
					: NULL;
			struct dg_stmt_tx *t = &f->tx[i];

			*t = (struct dg_stmt_tx){cur != DG_TXO_NONE, id, cur, DG_TXE_NONE, begin};
			if (ts && is_begin(ts->kind)) {
				if (cur == DG_TXO_NONE || cur == DG_TXO_IMPLICIT) {
					*t = (struct dg_stmt_tx){false, 0, DG_TXO_NONE, DG_TXE_BEGIN,
								 SIZE_MAX};
					cur = DG_TXO_EXPLICIT;
					id = ++next_id;
					begin = i;
				} else {
					t->event = DG_TXE_BEGIN_NESTED;
				}
			} else if (ts && is_end(ts->kind)) {
				if (ts->chain) /* COMMIT AND CHAIN: a new block opens at once */
					id = ++next_id;
				else if (cur == DG_TXO_EXPLICIT)
					t->event = DG_TXE_END;
				else if (cur == DG_TXO_TOOL || cur == DG_TXO_ASSUMED)
					t->event = DG_TXE_END_TOOL;
				else
					t->event = DG_TXE_END_NONE;
				if (!ts->chain && cur != DG_TXO_NONE) {
					/* after an early end of the tool's block, statements commit on
					 * their own; an implicit block starts again */
					cur = base == DG_TXO_IMPLICIT ? DG_TXO_IMPLICIT : DG_TXO_NONE;
					id = cur != DG_TXO_NONE ? ++next_id : 0;
					begin = SIZE_MAX;
				}
			}
		}
		/* the tool's own COMMIT closes what a late BEGIN opened; otherwise it stays open */
		if (cur == DG_TXO_EXPLICIT && begin != SIZE_MAX && base != DG_TXO_TOOL &&
		    base != DG_TXO_ASSUMED)
			f->tx[begin].event = DG_TXE_BEGIN_UNCLOSED;
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
