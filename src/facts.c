/* facts.c — the file's timeline: one pass over the parsed statements, through their effects
 * (effects.c), to record what later statements may rely on. Every effect is indexed by the names
 * it mentions, so each question is a lookup of one name's chain, never a rescan of the file. */
#include "facts.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define S(x) ((x) ? (x) : "?")

static const char *str_of(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING && n->string ? n->string->sval
									     : NULL;
}

/* A qualified name as a list of String nodes: its last two parts. */
static void split_name(PgQuery__Node *const *names, size_t n, const char **schema,
		       const char **name)
{
	*name = n ? str_of(names[n - 1]) : NULL;
	*schema = n > 1 ? str_of(names[n - 2]) : NULL;
}

static bool same_rel(const char *schema_a, const char *name_a, const char *schema_b,
		     const char *name_b)
{
	return dg_same_rel(schema_a, name_a, schema_b, name_b);
}

/* Answers about relations, by question (`tag`) and relation, each the statement of the first
 * effect that answers it: every statement asks about the tables it touches (was it created in
 * this file, dropped, renamed...), and walking a name's whole history each time made a long
 * file's time grow with the square of its length. */
struct memo_entry {
	const char *schema, *name; /* name NULL: a free slot */
	int tag;
	size_t first; /* the statement, or SIZE_MAX: none */
};

struct dg_facts_memo {
	struct dg_arena *a;
	struct memo_entry *v;
	size_t cap, n; /* cap: 0 or a power of two */
};

/* ---- the name index ------------------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t slot_for(const struct dg_facts *f, const char *key)
{
	size_t i = hash_str(key) & (f->cap_slots - 1);

	while (f->heads[i] && strcmp(f->links[f->heads[i] - 1].key, key) != 0)
		i = (i + 1) & (f->cap_slots - 1);
	return i;
}

static void link_key(struct dg_facts *f, struct dg_arena *a, const char *key, size_t eff)
{
	size_t i;

	if (!key)
		return;
	i = slot_for(f, key);
	/* an effect naming the same key twice (a self-reference) is linked once */
	if (f->tails[i] && f->links[f->tails[i] - 1].eff == eff)
		return;
	f->links = dg_arena_grow(a, f->links, f->n_links, &f->cap_links, sizeof(*f->links));
	f->links[f->n_links] = (struct dg_fact_link){key, (uint32_t)eff, 0};
	if (f->tails[i])
		f->links[f->tails[i] - 1].next = (uint32_t)(f->n_links + 1);
	else
		f->heads[i] = (uint32_t)(f->n_links + 1);
	f->tails[i] = (uint32_t)(f->n_links + 1);
	f->kinds[i] |= DG_EFF_BIT(f->effs.v[eff].kind);
	f->n_links++;
}

static void build_index(struct dg_facts *f, struct dg_arena *a)
{
	size_t keys = 4 * f->effs.n + 1;

	f->cap_slots = 16;
	while (f->cap_slots < 2 * keys)
		f->cap_slots *= 2;
	f->heads = dg_arena_alloc(a, f->cap_slots * sizeof(*f->heads));
	f->tails = dg_arena_alloc(a, f->cap_slots * sizeof(*f->tails));
	f->kinds = dg_arena_alloc(a, f->cap_slots * sizeof(*f->kinds));
	memset(f->kinds, 0, f->cap_slots * sizeof(*f->kinds));
	memset(f->heads, 0, f->cap_slots * sizeof(*f->heads));
	memset(f->tails, 0, f->cap_slots * sizeof(*f->tails));
	for (size_t k = 0; k < f->effs.n; k++) {
		const struct dg_effect *e = &f->effs.v[k];
		link_key(f, a, e->name, k);
		if (e->kind != DG_EFF_SET && e->kind != DG_EFF_VALIDATE &&
		    e->kind != DG_EFF_DROP_CONSTRAINT && e->kind != DG_EFF_ADD_CONSTRAINT &&
		    e->kind != DG_EFF_CHECK_NOT_NULL)
			link_key(f, a, e->name2, k);
		link_key(f, a, e->ref_name, k);
		if (e->kind == DG_EFF_RENAME_INDEX)
			link_key(f, a, e->col, k);
	}
	/* each chain's links made contiguous, in the same order: a chain is then
	 * links[heads - 1, tails), and the effects before a statement a prefix of it, found by
	 * bisection (dg_facts_chain_before) */
	{
		struct dg_fact_link *v =
		    dg_arena_alloc(a, (f->n_links ? f->n_links : 1) * sizeof(*v));
		uint32_t pos = 0;
		for (size_t s = 0; s < f->cap_slots; s++) {
			uint32_t l = f->heads[s];
			if (!l)
				continue;
			f->heads[s] = pos + 1;
			while (l) {
				struct dg_fact_link k = f->links[l - 1];
				l = k.next;
				k.next = l ? pos + 2 : 0;
				v[pos++] = k;
			}
			f->tails[s] = pos;
		}
		f->links = v;
		f->cap_links = f->n_links;
	}
}

uint32_t dg_facts_chain(const struct dg_facts *f, const char *key)
{
	return f && key && f->cap_slots ? f->heads[slot_for(f, key)] : 0;
}

const struct dg_effect *dg_facts_link(const struct dg_facts *f, uint32_t *link)
{
	const struct dg_fact_link *l = &f->links[*link - 1];

	*link = l->next;
	return &f->effs.v[l->eff];
}

void dg_facts_chain_before(const struct dg_facts *f, const char *key, size_t stmt, uint32_t *lo,
			   uint32_t *hi)
{
	size_t s;
	uint32_t a, b;

	*lo = *hi = 0;
	if (!f || !key || !f->cap_slots || !f->heads[s = slot_for(f, key)])
		return;
	a = *lo = f->heads[s] - 1;
	b = f->tails[s];
	while (a < b) { /* the first link at or after stmt */
		uint32_t mid = a + (b - a) / 2;
		if (f->effs.v[f->links[mid].eff].stmt < stmt)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = a;
}

const struct dg_effect *dg_facts_link_at(const struct dg_facts *f, uint32_t pos)
{
	return &f->effs.v[f->links[pos].eff];
}

bool dg_facts_names_any(const struct dg_facts *f, const char *key, uint64_t kinds)
{
	return f && key && f->cap_slots && (f->kinds[slot_for(f, key)] & kinds) != 0;
}

void dg_facts_each(const struct dg_facts *f, const char *key,
		   bool (*fn)(const struct dg_effect *e, void *arg), void *arg)
{
	for (uint32_t l = dg_facts_chain(f, key); l;)
		if (!fn(dg_facts_link(f, &l), arg))
			return;
}

/* An iterator over one name's chain, for the queries below. */
#define EACH(f, key, e)                                                                            \
	for (uint32_t l_ = dg_facts_chain((f), (key)); l_ && ((e) = dg_facts_link((f), &l_), 1);)

bool dg_facts_ran_before(const struct dg_facts *f, const struct dg_effect *e, size_t stmt,
			 enum dg_direction dir)
{
	(void)f;
	if (e->stmt >= stmt)
		return false;
	return dir == DG_DIR_DOWN || (enum dg_direction)e->dir != DG_DIR_DOWN;
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
	/* where the previous section left off: sections of one unit are one stream (goose and
	 * sql-migrate run a whole direction, StatementBegin blocks included, in one transaction) */
	const struct dg_section *prev = NULL;
	enum dg_tx_origin prev_cur = DG_TXO_NONE;
	unsigned prev_id = 0;
	size_t prev_begin = SIZE_MAX;

	f->tx = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tx));
	while (i < p->n_stmts) {
		const struct dg_section *sec = p->stmts[i].section;
		size_t end = i, begin = SIZE_MAX, sent = 0;
		enum dg_tx_origin base, cur;
		unsigned id;

		/* what a DO block runs (holder) is not sent as statements of its own */
		while (end < p->n_stmts && p->stmts[end].section == sec)
			sent += !p->stmts[end++].holder;
		/* what a statement outside any BEGIN … COMMIT runs in */
		if (sec->tx == DG_TX_WRAPPED)
			base = DG_TXO_TOOL;
		else if (sec->tx == DG_TX_IMPLICIT)
			base = sent > 1 ? DG_TXO_IMPLICIT : DG_TXO_NONE;
		else
			base = assume_in_tx ? DG_TXO_ASSUMED : DG_TXO_NONE;
		cur = base;
		id = cur != DG_TXO_NONE ? ++next_id : 0;
		if (prev && sec->tx == DG_TX_WRAPPED && prev->tx == DG_TX_WRAPPED && sec->unit &&
		    prev->unit == sec->unit) {
			cur = prev_cur;
			id = prev_id;
			begin = prev_begin;
			if (base != DG_TXO_NONE)
				next_id--; /* the id taken above is not used */
		}
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
					*t = (struct dg_stmt_tx){false, 0, DG_TXO_NONE,
								 DG_TXE_BEGIN, SIZE_MAX};
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
					/* after an early end of the tool's block, statements commit
					 * on their own; an implicit block starts again */
					cur =
					    base == DG_TXO_IMPLICIT ? DG_TXO_IMPLICIT : DG_TXO_NONE;
					id = cur != DG_TXO_NONE ? ++next_id : 0;
					begin = SIZE_MAX;
				}
			}
		}
		/* the tool's own COMMIT closes what a late BEGIN opened; otherwise it stays open */
		if (cur == DG_TXO_EXPLICIT && begin != SIZE_MAX && base != DG_TXO_TOOL &&
		    base != DG_TXO_ASSUMED)
			f->tx[begin].event = DG_TXE_BEGIN_UNCLOSED;
		prev = sec;
		prev_cur = cur;
		prev_id = id;
		prev_begin = begin;
	}
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static char *
fmt(struct dg_arena *a, const char *f, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return dg_arena_strndup(a, buf, (size_t)n);
}

/* Statements that change the schema (and take locks on what they change) as opposed to data
 * changes, queries, settings, grants and comments. */
static bool is_ddl(PgQuery__Node__NodeCase k)
{
	switch (k) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
	case PG_QUERY__NODE__NODE_INDEX_STMT:
	case PG_QUERY__NODE__NODE_DROP_STMT:
	case PG_QUERY__NODE__NODE_RENAME_STMT:
	case PG_QUERY__NODE__NODE_VIEW_STMT:
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_TYPE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
	case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
	case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
	case PG_QUERY__NODE__NODE_RULE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_STATS_STMT:
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
	case PG_QUERY__NODE__NODE_CLUSTER_STMT:
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		return true;
	default:
		return false;
	}
}

static bool is_relation_type(PgQuery__ObjectType t)
{
	return t == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ||
	       t == PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE;
}

static const char *object_word(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		return "VIEW";
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		return "MATERIALIZED VIEW";
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		return "FOREIGN TABLE";
	default:
		return "TABLE";
	}
}

static void classify_alter_table(struct dg_facts *f, struct dg_arena *a,
				 const PgQuery__AlterTableStmt *at, struct dg_stmt_change *c,
				 size_t i, enum dg_direction dir)
{
	const PgQuery__RangeVar *rv = at->relation;
	bool rel_new;

	if (!rv || !rv->relname)
		return;
	rel_new = dg_facts_made_here(f, rv->schemaname, rv->relname, NULL, i, dir);
	for (size_t k = 0; k < at->n_cmds; k++) {
		const PgQuery__Node *cn = at->cmds[k];
		const PgQuery__AlterTableCmd *cmd =
		    cn->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ? cn->alter_table_cmd
									  : NULL;
		if (!cmd)
			continue;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn && cmd->def &&
		    cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			if (!c->expand)
				c->expand = fmt(a, "ADD COLUMN \"%s\" to \"%s\"",
						S(cmd->def->column_def->colname), rv->relname);
		} else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn && !rel_new &&
			   !c->contract &&
			   !dg_facts_made_here(f, rv->schemaname, rv->relname, cmd->name, i, dir)) {
			c->contract =
			    fmt(a, "DROP COLUMN \"%s\" of \"%s\"", S(cmd->name), rv->relname);
			c->contract_node = cn;
		}
	}
}

/* Whether a later statement of the same direction creates schema.name again: dropping a view
 * to recreate it with other columns replaces it rather than taking it away. */
static bool recreated_after(const struct dg_facts *f, const struct dg_parsed *p, const char *schema,
			    const char *name, size_t stmt)
{
	enum dg_direction dir = p->stmts[stmt].section->dir;
	const struct dg_effect *e;

	EACH(f, name, e)
	if (e->kind == DG_EFF_CREATE && e->obj != DG_OBJ_SEQUENCE && e->stmt > stmt &&
	    (enum dg_direction)e->dir == dir && same_rel(e->schema, e->name, schema, name))
		return true;
	return false;
}

static void classify(struct dg_facts *f, struct dg_arena *a, const struct dg_parsed *p,
		     const PgQuery__Node *n, size_t i, enum dg_direction dir)
{
	struct dg_stmt_change *c = &f->change[i];

	c->ddl = is_ddl(n->node_case);
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		if (n->create_stmt->relation)
			c->expand =
			    fmt(a, "CREATE TABLE \"%s\"", n->create_stmt->relation->relname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		if (n->create_table_as_stmt->into && n->create_table_as_stmt->into->rel)
			c->expand = fmt(a, "CREATE %s \"%s\"",
					object_word(n->create_table_as_stmt->objtype),
					n->create_table_as_stmt->into->rel->relname);
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		if (n->view_stmt->view)
			c->expand = fmt(a, "CREATE VIEW \"%s\"", n->view_stmt->view->relname);
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (n->index_stmt->relation)
			c->expand =
			    fmt(a, "CREATE INDEX on \"%s\"", n->index_stmt->relation->relname);
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		classify_alter_table(f, a, n->alter_table_stmt, c, i, dir);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT: {
		const PgQuery__DropStmt *d = n->drop_stmt;
		if (!is_relation_type(d->remove_type))
			break;
		for (size_t k = 0; k < d->n_objects; k++) {
			const PgQuery__Node *o = d->objects[k];
			const char *schema, *name;
			if (o->node_case != PG_QUERY__NODE__NODE_LIST)
				continue;
			split_name(o->list->items, o->list->n_items, &schema, &name);
			if (!name || dg_facts_made_here(f, schema, name, NULL, i, dir) ||
			    recreated_after(f, p, schema, name, i))
				continue;
			c->contract = fmt(a, "DROP %s \"%s\"", object_word(d->remove_type), name);
			c->contract_node = n;
			break;
		}
		break;
	}
	case PG_QUERY__NODE__NODE_RENAME_STMT: {
		const PgQuery__RenameStmt *r = n->rename_stmt;
		const PgQuery__RangeVar *rv = r->relation;
		if (!rv || !rv->relname ||
		    dg_facts_made_here(f, rv->schemaname, rv->relname, NULL, i, dir))
			break;
		if (r->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN) {
			if (dg_facts_made_here(f, rv->schemaname, rv->relname, r->subname, i, dir))
				break;
			c->contract =
			    fmt(a, "RENAME COLUMN \"%s\" of \"%s\"", S(r->subname), rv->relname);
			c->contract_node = n;
		} else if (is_relation_type(r->rename_type)) {
			c->contract =
			    fmt(a, "RENAME %s \"%s\"", object_word(r->rename_type), rv->relname);
			c->contract_node = n;
		}
		break;
	}
	default:
		break;
	}
}

/* ---- settings: TimeZone and the timeouts ---------------------------------------------------- */

struct timeout_state {
	bool session[2];      /* set for the session (SET, set_config(…, false)) */
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

/* SET TimeZone (whether timestamp and timestamptz convert without a rewrite) and the timeouts in
 * force before each statement. A new direction runs in a new session: settings do not carry
 * over; the sections of one direction (goose and sql-migrate StatementBegin blocks, repeated Up
 * markers) are one run on one connection, and keep them. SET LOCAL TimeZone is taken as lasting,
 * which its transaction usually does. */
static void build_settings(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	struct timeout_state ts = {{false, false}, {0, 0}};
	bool utc = false;
	const struct dg_section *sec = NULL;
	enum dg_direction dir = DG_DIR_NONE;
	size_t k = 0;

	f->tz_utc = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->tz_utc));
	f->timeouts = dg_arena_alloc(a, p->n_stmts ? p->n_stmts : 1);
	for (size_t i = 0; i < p->n_stmts; i++) {
		unsigned tx = f->tx[i].tx_id;
		unsigned char bits = 0;

		if (!sec || p->stmts[i].section->dir != dir) {
			sec = p->stmts[i].section;
			dir = sec->dir;
			ts = (struct timeout_state){{false, false}, {0, 0}};
			utc = false;
		}
		for (int w = 0; w < 2; w++)
			if (ts.session[w] || (ts.local_tx[w] && ts.local_tx[w] == tx))
				bits |= (unsigned char)(w == 0 ? DG_TIMEOUT_LOCK
							       : DG_TIMEOUT_STATEMENT);
		f->timeouts[i] = bits;
		f->tz_utc[i] = utc;
		for (; k < f->effs.n && f->effs.v[k].stmt == i; k++) {
			const struct dg_effect *e = &f->effs.v[k];
			if (e->kind == DG_EFF_RESET_ALL) {
				apply_timeout(&ts, 0, false, false, tx);
				apply_timeout(&ts, 1, false, false, tx);
				utc = false;
			} else if (e->kind == DG_EFF_SET) {
				if (strcmp(e->name2, "timezone") == 0)
					utc = !e->reset && dg_effect_zone_is_utc(e->value);
				apply_timeout(&ts, timeout_index(e->name2),
					      !e->reset && !dg_effect_value_is_zero(e->value),
					      e->local, tx);
			}
		}
	}
}

#define DG_NODE_CASES (PG_QUERY__NODE__NODE_A_CONST + 1)

/* Section bounds and statements by kind, so that questions about a statement's section or about
 * earlier statements of one kind never rescan the file. */
static void build_sections(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	size_t n = p->n_stmts ? p->n_stmts : 1;

	f->sec_first = dg_arena_alloc(a, 3 * n * sizeof(size_t));
	f->sec_count = f->sec_first + n;
	f->sec_sets = f->sec_count + n;
	for (size_t lo = 0, hi; lo < p->n_stmts; lo = hi) {
		size_t sets = 0;
		/* a section's statements are contiguous */
		for (hi = lo; hi < p->n_stmts && p->stmts[hi].section == p->stmts[lo].section; hi++)
			sets += p->stmts[hi].node && p->stmts[hi].node->node_case ==
							 PG_QUERY__NODE__NODE_VARIABLE_SET_STMT;
		for (size_t i = lo; i < hi; i++) {
			f->sec_first[i] = lo;
			f->sec_count[i] = hi - lo;
			f->sec_sets[i] = sets;
		}
	}
	/* counting sort by node case: stable, so each list keeps statement order */
	f->kind_at = dg_arena_alloc(a, (DG_NODE_CASES + 1) * sizeof(size_t));
	memset(f->kind_at, 0, (DG_NODE_CASES + 1) * sizeof(size_t));
	f->by_kind = dg_arena_alloc(a, n * sizeof(size_t));
	for (size_t i = 0; i < p->n_stmts; i++) {
		int c = p->stmts[i].node ? (int)p->stmts[i].node->node_case : 0;
		f->kind_at[(c >= 0 && c < DG_NODE_CASES ? c : 0) + 1]++;
	}
	for (size_t c = 0; c < DG_NODE_CASES; c++)
		f->kind_at[c + 1] += f->kind_at[c];
	{
		size_t *next = dg_arena_alloc(a, DG_NODE_CASES * sizeof(size_t));
		memcpy(next, f->kind_at, DG_NODE_CASES * sizeof(size_t));
		for (size_t i = 0; i < p->n_stmts; i++) {
			int c = p->stmts[i].node ? (int)p->stmts[i].node->node_case : 0;
			f->by_kind[next[c >= 0 && c < DG_NODE_CASES ? c : 0]++] = i;
		}
	}
}

static size_t drop_slot(const struct dg_facts *f, int type, const char *name)
{
	size_t i = (hash_str(name) ^ (uint64_t)type * 0x9e3779b97f4a7c15ULL) & (f->cap_drops - 1);

	while (f->drops[i].name &&
	       (f->drops[i].type != type || strcmp(f->drops[i].name, name) != 0))
		i = (i + 1) & (f->cap_drops - 1);
	return i;
}

static void build_drops(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a)
{
	size_t n = 0, nd;
	const size_t *drops = dg_facts_stmts_of_kind(f, PG_QUERY__NODE__NODE_DROP_STMT, &nd);

	for (size_t q = 0; q < nd; q++)
		if (p->stmts[drops[q]].node->drop_stmt->missing_ok)
			n += p->stmts[drops[q]].node->drop_stmt->n_objects;
	if (!n)
		return;
	for (f->cap_drops = 16; f->cap_drops < 2 * n;)
		f->cap_drops *= 2;
	f->drops = dg_arena_alloc(a, f->cap_drops * sizeof(*f->drops));
	memset(f->drops, 0, f->cap_drops * sizeof(*f->drops));
	for (size_t q = 0; q < nd; q++) {
		const PgQuery__DropStmt *d = p->stmts[drops[q]].node->drop_stmt;
		if (!d->missing_ok)
			continue;
		for (size_t k = 0; k < d->n_objects; k++) {
			const char *name = dg_drop_object_name(d->objects[k]);
			size_t i;
			if (!name)
				continue;
			i = drop_slot(f, (int)d->remove_type, name);
			if (!f->drops[i].name) /* the first one counts */
				f->drops[i] =
				    (struct dg_drop_slot){name, (int)d->remove_type, drops[q]};
		}
	}
}

size_t dg_facts_dropped_if_exists(const struct dg_facts *f, int type, const char *name)
{
	size_t i;

	if (!f->cap_drops || !name)
		return SIZE_MAX;
	i = drop_slot(f, type, name);
	return f->drops[i].name ? f->drops[i].stmt : SIZE_MAX;
}

const size_t *dg_facts_stmts_of_kind(const struct dg_facts *f, int kind, size_t *n)
{
	*n = 0;
	if (!f->kind_at || kind <= 0 || kind >= DG_NODE_CASES)
		return NULL;
	*n = f->kind_at[kind + 1] - f->kind_at[kind];
	return *n ? f->by_kind + f->kind_at[kind] : NULL;
}

void dg_facts_build(struct dg_facts *f, const struct dg_parsed *p, struct dg_arena *a,
		    bool assume_in_tx, const struct dg_facts *up_file)
{
	memset(f, 0, sizeof(*f));
	f->up_file = up_file;
	for (size_t i = 0; i < p->n_stmts; i++) {
		size_t from = f->effs.n;
		dg_effects_of(p->stmts[i].node, a, &f->effs);
		for (size_t k = from; k < f->effs.n; k++) {
			f->effs.v[k].stmt = i;
			f->effs.v[k].dir = (int)p->stmts[i].section->dir;
		}
	}
	build_index(f, a);
	f->memo = dg_arena_alloc(a, sizeof(*f->memo));
	memset(f->memo, 0, sizeof(*f->memo));
	f->memo->a = a;
	f->fk_dropped = dg_arena_alloc(a, (2 * f->effs.n + 1) * sizeof(*f->fk_dropped));
	memset(f->fk_dropped, 0, (2 * f->effs.n + 1) * sizeof(*f->fk_dropped));
	build_sections(f, p, a);
	build_drops(f, p, a);
	build_tx(f, p, a, assume_in_tx);
	build_settings(f, p, a);
	for (size_t e = 0; e < p->n_errors; e++) {
		const struct dg_syntax_error *err = &p->errors[e];
		size_t k = 0;

		if (!err->created_name)
			continue;
		while (k < p->n_stmts && p->stmts[k].start < err->offset)
			k++;
		f->created_unparsed =
		    dg_arena_grow(a, f->created_unparsed, f->n_created_unparsed,
				  &f->cap_created_unparsed, sizeof(*f->created_unparsed));
		f->created_unparsed[f->n_created_unparsed++] = (struct dg_created_rel){
		    err->created_schema && *err->created_schema ? err->created_schema : NULL,
		    err->created_name, k};
	}
	f->change = dg_arena_alloc(a, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->change));
	memset(f->change, 0, (p->n_stmts ? p->n_stmts : 1) * sizeof(*f->change));
	for (size_t i = 0; i < p->n_stmts; i++)
		classify(f, a, p, p->stmts[i].node, i, p->stmts[i].section->dir);
	dg_facts_find_rebuilds(f, p, a);
}

/* ---- questions ------------------------------------------------------------------------------ */

static const char *norm(const char *schema)
{
	return schema && *schema ? schema : NULL;
}

bool dg_facts_column_added_before(const struct dg_facts *f, const char *schema, const char *rel,
				  const char *col, size_t stmt)
{
	const struct dg_effect *e;

	if (!rel || !col)
		return false;
	EACH(f, rel, e)
	if (e->stmt >= stmt) /* chains keep statement order */
		break;
	else if (e->kind == DG_EFF_ADD_COLUMN && !e->with_create && e->stmt < stmt && e->col &&
		 strcmp(e->col, col) == 0 && same_rel(e->schema, e->name, schema, rel))
		return true;
	return false;
}

bool dg_facts_domain_created_before(const struct dg_facts *f, const char *schema, const char *name,
				    size_t stmt)
{
	const struct dg_effect *e;

	EACH(f, name, e)
	if (e->stmt >= stmt) /* chains keep statement order */
		break;
	else if (e->kind == DG_EFF_CREATE_DOMAIN && e->stmt < stmt &&
		 same_rel(e->schema, e->name, schema, name))
		return true;
	return false;
}

static size_t memo_slot(const struct dg_facts_memo *m, int tag, const char *schema,
			const char *name)
{
	size_t i = (hash_str(name) ^ (schema ? hash_str(schema) * 31 : 0) ^ (size_t)tag * 0x9E37) &
		   (m->cap - 1);

	while (m->v[i].name &&
	       (m->v[i].tag != tag || strcmp(m->v[i].name, name) != 0 ||
		(!m->v[i].schema) != (!schema) || (schema && strcmp(m->v[i].schema, schema) != 0)))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static bool memo_get(const struct dg_facts *f, int tag, const char *schema, const char *name,
		     size_t *first)
{
	const struct dg_facts_memo *m = f->memo;
	size_t i;

	if (!m->cap)
		return false;
	i = memo_slot(m, tag, schema, name);
	if (!m->v[i].name)
		return false;
	*first = m->v[i].first;
	return true;
}

static void memo_put(const struct dg_facts *f, int tag, const char *schema, const char *name,
		     size_t first)
{
	struct dg_facts_memo *m = f->memo;
	size_t i;

	if (m->n + 1 > m->cap / 2) {
		struct memo_entry *old = m->v;
		size_t old_cap = m->cap;
		m->cap = m->cap ? 2 * m->cap : 64;
		m->v = dg_arena_alloc(m->a, m->cap * sizeof(*m->v));
		memset(m->v, 0, m->cap * sizeof(*m->v));
		for (size_t k = 0; k < old_cap; k++)
			if (old[k].name)
				m->v[memo_slot(m, old[k].tag, old[k].schema, old[k].name)] = old[k];
	}
	i = memo_slot(m, tag, schema, name);
	if (!m->v[i].name)
		m->n++;
	/* the caller's strings may not live as long as the file's facts */
	m->v[i] =
	    (struct memo_entry){schema ? dg_arena_strndup(m->a, schema, strlen(schema)) : NULL,
				dg_arena_strndup(m->a, name, strlen(name)), tag, first};
}

size_t dg_facts_first(const struct dg_facts *f, int tag, const char *schema, const char *name,
		      bool (*match)(const struct dg_effect *e, const void *arg), const void *arg)
{
	size_t first = SIZE_MAX;

	if (!f || !f->memo || !name)
		return SIZE_MAX;
	if (memo_get(f, tag, schema, name, &first))
		return first;
	for (uint32_t l = dg_facts_chain(f, name); l && first == SIZE_MAX;) {
		const struct dg_effect *e = dg_facts_link(f, &l);
		if (match(e, arg))
			first = e->stmt; /* chains keep statement order */
	}
	memo_put(f, tag, schema, name, first);
	return first;
}

struct rel_ref {
	const char *schema, *name;
};

/* A CREATE (of anything but a sequence) of the relation. */
static bool creates(const struct dg_effect *e, const void *arg)
{
	const struct rel_ref *r = arg;

	return e->kind == DG_EFF_CREATE && e->obj != DG_OBJ_SEQUENCE &&
	       same_rel(e->schema, e->name, r->schema, r->name);
}

bool dg_facts_created_before(const struct dg_facts *f, const char *schema, const char *name,
			     size_t stmt)
{
	size_t first;

	if (!name)
		return false;
	schema = norm(schema);
	first = dg_facts_first(f, DG_MEMO_CREATED, schema, name, creates,
			       &(struct rel_ref){schema, name});
	if (first != SIZE_MAX && first < stmt)
		return true;
	/* a CREATE TABLE the grammar could not parse counts from its own position on (SIZE_MAX, as
	 * for an up file, already means "all of them") */
	for (size_t i = 0; i < f->n_created_unparsed; i++) {
		const struct dg_created_rel *c = &f->created_unparsed[i];
		if (c->stmt < (stmt == SIZE_MAX ? stmt : stmt + 1) &&
		    same_rel(c->schema, c->name, schema, name))
			return true;
	}
	return false;
}

/* Constraints of ALTER TABLE (not those CREATE TABLE declares), in statement order. */
static bool alter_con(const struct dg_effect *e)
{
	return !e->with_create && (e->kind == DG_EFF_ADD_CONSTRAINT || e->kind == DG_EFF_VALIDATE ||
				   e->kind == DG_EFF_DROP_CONSTRAINT);
}

int dg_facts_constraint_state(const struct dg_facts *f, const char *schema, const char *table,
			      const char *name, size_t stmt, struct dg_con_added *add)
{
	int state = 0;
	const struct dg_effect *e, *added = NULL;

	if (!name || !*name || !table)
		return 0;
	EACH(f, table, e)
	{
		if (e->stmt >= stmt)
			break;
		if (!alter_con(e) || !e->name2 || strcmp(e->name2, name) != 0 ||
		    !same_rel(schema, table, e->schema, e->name))
			continue;
		if (e->kind == DG_EFF_ADD_CONSTRAINT) {
			state = e->valid ? DG_CON_ADDED : DG_CON_ADDED_NOT_VALID;
			added = e;
		} else if (e->kind == DG_EFF_VALIDATE) {
			if (state == DG_CON_ADDED_NOT_VALID)
				state = DG_CON_VALIDATED;
		} else {
			state = 0;
			added = NULL;
		}
	}
	if (add && added)
		*add = (struct dg_con_added){added->contype, added->stmt};
	return state;
}

bool dg_facts_valid_check(const struct dg_facts *f, const char *schema, const char *table,
			  size_t stmt)
{
	const struct dg_effect *e;

	if (!table)
		return false;
	EACH(f, table, e)
	{
		int state;
		struct dg_con_added add = {0, SIZE_MAX};
		if (e->stmt >= stmt)
			break;
		if (!alter_con(e) || e->kind != DG_EFF_ADD_CONSTRAINT ||
		    e->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
		    !same_rel(schema, table, e->schema, e->name))
			continue;
		if (!e->name2) {
			/* an unnamed one cannot be named to validate or drop: valid stays valid */
			if (e->valid)
				return true;
			continue;
		}
		state = dg_facts_constraint_state(f, schema, table, e->name2, stmt, &add);
		if (add.stmt == e->stmt && (state == DG_CON_ADDED || state == DG_CON_VALIDATED))
			return true;
	}
	return false;
}

static bool index_effect(const struct dg_effect *e, const char *schema, const char *name)
{
	return e->kind == DG_EFF_CREATE_INDEX && e->obj == DG_OBJ_TABLE &&
	       same_rel(e->schema, e->name2, schema, name);
}

bool dg_facts_index_created_before(const struct dg_facts *f, const char *schema, const char *name,
				   size_t stmt, enum dg_direction dir)
{
	const struct dg_effect *e;

	schema = norm(schema);
	EACH(f, name, e)
	if (e->stmt >= stmt) /* chains keep statement order */
		break;
	else if (e->stmt < stmt && (enum dg_direction)e->dir == dir &&
		 index_effect(e, schema, name))
		return true;
	return false;
}

const char *dg_facts_index_table(const struct dg_facts *f, const char *schema, const char *name,
				 size_t stmt, enum dg_direction dir)
{
	const char *before = NULL, *after = NULL;
	const struct dg_effect *e;

	schema = norm(schema);
	EACH(f, name, e)
	{
		if (!index_effect(e, schema, name))
			continue;
		if (e->stmt < stmt)
			before = e->name;
		else if (e->stmt > stmt && !after)
			after = e->name;
	}
	if (before || after)
		return before ? before : after;
	if (dir == DG_DIR_DOWN && f->up_file)
		return dg_facts_index_table(f->up_file, schema, name, SIZE_MAX, DG_DIR_UP);
	return NULL;
}

static bool made_in(const struct dg_facts *f, const char *schema, const char *name, const char *col,
		    size_t stmt)
{
	return dg_facts_created_before(f, schema, name, stmt) ||
	       (col && dg_facts_column_added_before(f, schema, name, col, stmt));
}

bool dg_facts_made_here(const struct dg_facts *f, const char *schema, const char *name,
			const char *col, size_t stmt, enum dg_direction dir)
{
	if (made_in(f, schema, name, col, stmt))
		return true;
	/* everything in the up file ran before this down section */
	return dir == DG_DIR_DOWN && f->up_file && made_in(f->up_file, schema, name, col, SIZE_MAX);
}

const PgQuery__TypeName *dg_facts_column_type_before(const struct dg_facts *f, const char *schema,
						     const char *table, const char *column,
						     size_t stmt, enum dg_direction dir)
{
	const PgQuery__TypeName *t = NULL;
	const struct dg_effect *e;

	schema = norm(schema);
	if (!column || !table)
		return NULL;
	EACH(f, table, e)
	{
		if (e->stmt >= stmt)
			break;
		if ((enum dg_direction)e->dir != dir || e->obj != DG_OBJ_TABLE ||
		    !same_rel(e->schema, e->name, schema, table))
			continue;
		if ((e->kind == DG_EFF_ADD_COLUMN || e->kind == DG_EFF_SET_TYPE) && e->col &&
		    strcmp(e->col, column) == 0 && e->type)
			t = e->type;
		else if (e->kind == DG_EFF_DROP_COLUMN && e->col && strcmp(e->col, column) == 0)
			t = NULL;
	}
	return t;
}

/* Whether CHECK constraint `c` (a DG_EFF_CHECK_NOT_NULL) is validated and still there when
 * statement `stmt` starts, following only effects `ok` accepts. */
static bool nn_check_holds(const struct dg_facts *f, const struct dg_effect *c, size_t stmt,
			   bool (*ok)(const struct dg_facts *, const struct dg_effect *, size_t,
				      enum dg_direction),
			   enum dg_direction dir)
{
	bool valid = c->valid;
	const struct dg_effect *e;

	if (!c->name2)
		return valid;
	EACH(f, c->name, e)
	{
		/* a DROP CONSTRAINT in the statement itself counts: its subcommands run in order,
		 * but the scan of SET NOT NULL comes after them all */
		if (e->stmt > stmt)
			break;
		if (e->stmt < c->stmt || !ok(f, e, stmt + 1, dir) || !e->name2 ||
		    strcmp(e->name2, c->name2) != 0 ||
		    !same_rel(e->schema, e->name, c->schema, c->name))
			continue;
		if (e->kind == DG_EFF_VALIDATE && e->stmt < stmt)
			valid = true;
		else if (e->kind == DG_EFF_DROP_CONSTRAINT)
			return false;
	}
	return valid;
}

static bool same_dir(const struct dg_facts *f, const struct dg_effect *e, size_t stmt,
		     enum dg_direction dir)
{
	(void)f;
	return e->stmt < stmt && (enum dg_direction)e->dir == dir;
}

bool dg_facts_not_null_check_before(const struct dg_facts *f, const char *schema, const char *table,
				    const char *column, size_t stmt, enum dg_direction dir)
{
	const struct dg_effect *e;

	schema = norm(schema);
	if (!column || !table)
		return false;
	EACH(f, table, e)
	{
		if (e->stmt >= stmt)
			break;
		if (e->kind == DG_EFF_CHECK_NOT_NULL && (enum dg_direction)e->dir == dir &&
		    strcmp(e->col, column) == 0 && same_rel(e->schema, e->name, schema, table) &&
		    nn_check_holds(f, e, stmt, same_dir, dir))
			return true;
	}
	return false;
}
