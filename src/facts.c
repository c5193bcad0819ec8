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

static void add_con(struct dg_facts *f, struct dg_arena *a, const PgQuery__RangeVar *rv,
		    const char *name, int contype, enum dg_con_event ev, size_t stmt)
{
	if (!rv || !rv->relname)
		return;
	if (f->n_cons == f->cap_cons) {
		size_t ncap = f->cap_cons ? f->cap_cons * 2 : 16;
		struct dg_con_fact *n = dg_arena_alloc(a, ncap * sizeof(*n));
		if (f->n_cons)
			memcpy(n, f->cons, f->n_cons * sizeof(*n));
		f->cons = n;
		f->cap_cons = ncap;
	}
	f->cons[f->n_cons++] = (struct dg_con_fact){
		rv->schemaname && *rv->schemaname ? rv->schemaname : NULL, rv->relname,
		name && *name ? name : NULL, contype, ev, stmt, f->tx[stmt].tx_id};
}

/* Constraints added, validated and dropped by ALTER TABLE, in order. */
static void add_alter_cons(struct dg_facts *f, struct dg_arena *a,
			   const PgQuery__AlterTableStmt *at, size_t stmt)
{
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = at->cmds[i]->alter_table_cmd;

		if (at->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD || !cmd)
			continue;
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
				const PgQuery__Constraint *c = cmd->def->constraint;
				add_con(f, a, at->relation, c->conname, (int)c->contype,
					c->skip_validation ? DG_CON_ADDED_NOT_VALID : DG_CON_ADDED, stmt);
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
				const PgQuery__ColumnDef *col = cmd->def->column_def;
				for (size_t k = 0; k < col->n_constraints; k++) {
					const PgQuery__Constraint *c = col->constraints[k]->constraint;
					if (col->constraints[k]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
					    c)
						add_con(f, a, at->relation, c->conname, (int)c->contype,
							DG_CON_ADDED, stmt);
				}
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
			add_con(f, a, at->relation, cmd->name, 0, DG_CON_VALIDATED, stmt);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
			add_con(f, a, at->relation, cmd->name, 0, DG_CON_DROPPED, stmt);
			break;
		default:
			break;
		}
	}
}

/* Transaction blocks: the tool's wrapping of a section, and explicit BEGIN … COMMIT. */
static void build_tx(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		     bool assume_in_tx)
{
	const struct dg_section *sec = NULL;
	bool wrapped = false, explicit_open = false;
	unsigned next_id = 0, cur = 0;

	f->tx = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tx));
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;
		PgQuery__TransactionStmtKind kind = 0;

		if (p->stmts[i].section != sec) {
			sec = p->stmts[i].section;
			wrapped = sec->tx == DG_TX_WRAPPED || assume_in_tx;
			explicit_open = false;
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
		if ((kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
		     kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK ||
		     kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE) &&
		    explicit_open) {
			explicit_open = false;
			cur = 0;
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
		case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
			if (n->create_foreign_table_stmt->base_stmt)
				add_created(f, a, n->create_foreign_table_stmt->base_stmt->relation, i);
			break;
		case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
			if (n->create_table_as_stmt->into)
				add_created(f, a, n->create_table_as_stmt->into->rel, i);
			break;
		case PG_QUERY__NODE__NODE_SELECT_STMT:
			if (n->select_stmt->into_clause)
				add_created(f, a, n->select_stmt->into_clause->rel, i);
			break;
		case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
			add_alter_cons(f, a, n->alter_table_stmt, i);
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

static bool same_rel(const char *schema_a, const char *name_a, const char *schema_b,
		     const char *name_b)
{
	if (!name_a || !name_b || strcmp(name_a, name_b) != 0)
		return false;
	return !schema_a || !*schema_a || !schema_b || !*schema_b || strcmp(schema_a, schema_b) == 0;
}

int dg_facts_constraint_state(const struct dg_facts *f, const char *schema, const char *table,
			      const char *name, size_t stmt, const struct dg_con_fact **add)
{
	int state = 0;
	const struct dg_con_fact *added = NULL;

	if (!name || !*name)
		return 0;
	for (size_t i = 0; i < f->n_cons && f->cons[i].stmt < stmt; i++) {
		const struct dg_con_fact *c = &f->cons[i];
		if (!c->name || strcmp(c->name, name) != 0 ||
		    !same_rel(schema, table, c->schema, c->table))
			continue;
		switch (c->event) {
		case DG_CON_ADDED:
		case DG_CON_ADDED_NOT_VALID:
			state = (int)c->event;
			added = c;
			break;
		case DG_CON_VALIDATED:
			if (state == DG_CON_ADDED_NOT_VALID)
				state = DG_CON_VALIDATED;
			break;
		case DG_CON_DROPPED:
			state = 0;
			added = NULL;
			break;
		}
	}
	if (add)
		*add = added;
	return state;
}

bool dg_facts_valid_check(const struct dg_facts *f, const char *schema, const char *table,
			  size_t stmt)
{
	for (size_t i = 0; i < f->n_cons && f->cons[i].stmt < stmt; i++) {
		const struct dg_con_fact *c = &f->cons[i], *add = NULL;
		int state;

		if (c->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
		    (c->event != DG_CON_ADDED && c->event != DG_CON_ADDED_NOT_VALID) ||
		    !same_rel(schema, table, c->schema, c->table))
			continue;
		if (!c->name) {
			/* an unnamed one cannot be named to validate or drop: valid stays valid */
			if (c->event == DG_CON_ADDED)
				return true;
			continue;
		}
		state = dg_facts_constraint_state(f, schema, table, c->name, stmt, &add);
		if (add == c && (state == DG_CON_ADDED || state == DG_CON_VALIDATED))
			return true;
	}
	return false;
}
