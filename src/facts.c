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

/* ---- timeouts --------------------------------------------------------------------------- */

struct timeout_state {
	bool session[2];     /* set for the session (SET, set_config(…, false)) */
	unsigned local_tx[2]; /* set for this transaction block (SET LOCAL), its id, else 0 */
};

static int timeout_index(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "lock_timeout") == 0)
		return 0;
	if (strcmp(name, "statement_timeout") == 0)
		return 1;
	return -1;
}

/* "0", 0 and '0s'-like zero values turn the timeout off. */
static bool const_is_zero(const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return false;
	if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return n->a_const->ival->ival == 0;
	if (n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
		const char *v = n->a_const->sval->sval;
		while (*v == '0')
			v++;
		return v != n->a_const->sval->sval && (*v == '\0' || strcmp(v, "s") == 0 ||
							strcmp(v, "ms") == 0 || strcmp(v, "min") == 0);
	}
	return false;
}

static const char *const_string(const PgQuery__Node *n)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
		return n->a_const->sval->sval;
	return NULL;
}

static void apply_timeout(struct timeout_state *ts, int which, bool on, bool local, unsigned tx)
{
	if (which < 0)
		return;
	if (local) {
		ts->local_tx[which] = on && tx ? tx : 0;
		return;
	}
	ts->session[which] = on;
	ts->local_tx[which] = 0;
}

/* set_config('lock_timeout', '5s', is_local) anywhere in the statement. */
static void walk_set_config(const ProtobufCMessage *m, struct timeout_state *ts, unsigned tx)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	if (d == &pg_query__func_call__descriptor) {
		const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
		const PgQuery__Node *last = fc->n_funcname ? fc->funcname[fc->n_funcname - 1] : NULL;
		if (last && last->node_case == PG_QUERY__NODE__NODE_STRING &&
		    strcmp(last->string->sval, "set_config") == 0 && fc->n_args == 3) {
			const PgQuery__Node *loc = fc->args[2];
			bool local = loc && loc->node_case == PG_QUERY__NODE__NODE_A_CONST &&
				     loc->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL &&
				     loc->a_const->boolval->boolval;
			apply_timeout(ts, timeout_index(const_string(fc->args[0])),
				      !const_is_zero(fc->args[1]), local, tx);
		}
	}
	for (unsigned f = 0; f < d->n_fields; f++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[f];
		const char *base = (const char *)m;
		if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + fd->quantifier_offset);
			ProtobufCMessage *const *arr =
				*(ProtobufCMessage *const *const *)(base + fd->offset);
			for (size_t i = 0; i < n; i++)
				if (arr[i])
					walk_set_config(arr[i], ts, tx);
			continue;
		}
		if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
			continue;
		const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(base + fd->offset);
		if (sub)
			walk_set_config(sub, ts, tx);
	}
}

static void build_timeouts(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	struct timeout_state ts = {{false, false}, {0, 0}};
	const struct dg_section *sec = NULL;

	f->timeouts = dg_arena_alloc(a, p->n_stmts ? p->n_stmts : 1);
	for (size_t i = 0; i < p->n_stmts; i++) {
		const PgQuery__Node *n = p->stmts[i].node;
		unsigned tx = f->tx[i].tx_id;
		unsigned char bits = 0;

		/* the up and down sections run at different times: settings do not carry over */
		if (p->stmts[i].section != sec) {
			sec = p->stmts[i].section;
			ts = (struct timeout_state){{false, false}, {0, 0}};
		}

		for (int w = 0; w < 2; w++)
			if (ts.session[w] || (ts.local_tx[w] && ts.local_tx[w] == tx))
				bits |= (unsigned char)(w == 0 ? DG_TIMEOUT_LOCK : DG_TIMEOUT_STATEMENT);
		f->timeouts[i] = bits;
		if (n->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT) {
			const PgQuery__VariableSetStmt *vs = n->variable_set_stmt;
			switch (vs->kind) {
			case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE:
				apply_timeout(&ts, timeout_index(vs->name),
					      !(vs->n_args && const_is_zero(vs->args[0])), vs->is_local,
					      tx);
				break;
			case PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT:
			case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
				apply_timeout(&ts, timeout_index(vs->name), false, vs->is_local, tx);
				break;
			case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
				apply_timeout(&ts, 0, false, false, tx);
				apply_timeout(&ts, 1, false, false, tx);
				break;
			default:
				break;
			}
		} else {
			walk_set_config(&n->base, &ts, tx);
		}
	}
}

void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx)
{
	memset(f, 0, sizeof(*f));
	build_tx(f, p, a, assume_in_tx);
	build_timeouts(f, p, a);
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
