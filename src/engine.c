/* engine.c — the pipeline for one file: source → migration → parse → facts → one walk per
 * statement dispatching nodes to the rules that asked for them → findings. */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "memory.h"
#include "engine.h"
#include "dynamodb/dynamodb.h"
#include "fingerprint.h"
#include "jobs.h"
#include "lex.h"
#include "suppress.h"

#define DG_MAX_NODE_CASE 512

/* kind → indices of the rules that asked for it, built once from the static registry */
static unsigned short *dispatch[DG_MAX_NODE_CASE];
static unsigned short dispatch_n[DG_MAX_NODE_CASE];
static pthread_once_t dispatch_once = PTHREAD_ONCE_INIT;

/* Each kind's rules in registry order, each once; two passes over the rules' kinds (counting,
 * then filling), not one per kind: a pre-commit run lints one small file, and 512 passes were a
 * third of its instructions. */
static void build_dispatch_once(void)
{
	static unsigned short storage[DG_N_RULES * 64];
	static size_t last[DG_MAX_NODE_CASE]; /* the rule last counted for a kind, plus one */
	size_t used = 0;

	for (size_t r = 0; r < DG_N_RULES; r++)
		for (const int *kinds = dg_rules[r]->kinds; kinds && *kinds; kinds++)
			if (*kinds > 0 && *kinds < DG_MAX_NODE_CASE && last[*kinds] != r + 1) {
				last[*kinds] = r + 1;
				dispatch_n[*kinds]++;
			}
	for (int k = 1; k < DG_MAX_NODE_CASE; k++) {
		if (dispatch_n[k])
			dispatch[k] = &storage[used];
		used += dispatch_n[k];
		dispatch_n[k] = 0;
		last[k] = 0;
	}
	for (size_t r = 0; r < DG_N_RULES; r++)
		for (const int *kinds = dg_rules[r]->kinds; kinds && *kinds; kinds++)
			if (*kinds > 0 && *kinds < DG_MAX_NODE_CASE && last[*kinds] != r + 1) {
				last[*kinds] = r + 1;
				dispatch[*kinds][dispatch_n[*kinds]++] = (unsigned short)r;
			}
}

/* once per process, whichever thread lints first (--jobs) */
static void build_dispatch(void)
{
	pthread_once(&dispatch_once, build_dispatch_once);
}

/* ---- the walk ---------------------------------------------------------------------------- */

static void push(struct dg_ctx *ctx, const PgQuery__Node *n)
{
	if (ctx->depth == ctx->cap_depth) {
		size_t ncap = ctx->cap_depth ? ctx->cap_depth * 2 : 64;
		const PgQuery__Node **s = dg_xmalloc(ncap * sizeof(*s));
		if (ctx->depth)
			memcpy(s, ctx->stack, ctx->depth * sizeof(*s));
		free(ctx->stack);
		ctx->stack = s;
		ctx->cap_depth = ncap;
	}
	ctx->stack[ctx->depth++] = n;
}

static void visit_node(struct dg_ctx *ctx, const PgQuery__Node *n)
{
	int k = (int)n->node_case;

	if (k <= 0 || k >= DG_MAX_NODE_CASE)
		return;
	for (unsigned i = 0; i < dispatch_n[k]; i++) {
		size_t r = dispatch[k][i];
		if (!ctx->cfg->enabled[r])
			continue;
		ctx->rule = dg_rules[r];
		ctx->rule_index = r;
		ctx->node = n;
		ctx->rule->check(ctx, n);
	}
}

static void walk_message(struct dg_ctx *ctx, const ProtobufCMessage *m);

static void walk_field(struct dg_ctx *ctx, const ProtobufCMessage *m,
		       const ProtobufCFieldDescriptor *fd)
{
	const char *base = (const char *)m;

	if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
		return;
	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t n = *(const size_t *)(base + fd->quantifier_offset);
		ProtobufCMessage *const *arr =
		    *(ProtobufCMessage *const *const *)(base + fd->offset);
		for (size_t i = 0; i < n; i++)
			if (arr[i])
				walk_message(ctx, arr[i]);
		return;
	}
	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		if (*(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
			return;
	}
	const ProtobufCMessage *sub = *(ProtobufCMessage *const *)(base + fd->offset);
	if (sub)
		walk_message(ctx, sub);
}

static void walk_message(struct dg_ctx *ctx, const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	if (d == &pg_query__node__descriptor) {
		const PgQuery__Node *n = (const PgQuery__Node *)m;
		const ProtobufCMessage *sub;

		if (n->node_case == PG_QUERY__NODE__NODE__NOT_SET)
			return;
		visit_node(ctx, n);
		sub = dg_pb_node_member(n);
		if (!sub)
			return;
		push(ctx, n);
		walk_message(ctx, sub);
		ctx->depth--;
		return;
	}
	for (unsigned f = 0; f < d->n_fields; f++)
		walk_field(ctx, m, &d->fields[f]);
}

/* ---- spans ------------------------------------------------------------------------------- */

static int node_location(const PgQuery__Node *n)
{
	const ProtobufCMessage *inner = dg_pb_node_member(n);
	const int32_t *loc = inner ? dg_pb_location(inner) : NULL;

	return loc ? *loc : -1;
}

/* The span of the idx-th subcommand of ALTER TABLE: clauses are separated by top-level commas
 * and the first starts after the table's (qualified) name. */
static bool alter_cmd_span(const struct dg_ctx *ctx, const PgQuery__AlterTableStmt *at, size_t idx,
			   size_t *start, size_t *end)
{
	const char *s = ctx->src->text;
	size_t n = ctx->stmt->end, base = ctx->stmt->section->start, i;

	if (!at->relation || at->relation->location < 0)
		return false;
	i = base + (size_t)at->relation->location;
	i = dg_token_end(s, i, n);
	for (;;) {
		size_t j = dg_skip_trivia(s, i, n);
		if (j < n && s[j] == '.') {
			j = dg_skip_trivia(s, j + 1, n);
			i = dg_token_end(s, j, n);
			continue;
		}
		if (j < n && s[j] == '*')
			i = j + 1;
		break;
	}
	for (size_t k = 0;; k++) {
		size_t cs = dg_skip_trivia(s, i, n), ce = dg_clause_end(s, cs, n);
		if (k == idx) {
			*start = cs;
			*end = ce > cs ? ce : n;
			return cs < n;
		}
		i = dg_skip_trivia(s, ce, n);
		if (i >= n || s[i] != ',')
			return false;
		i++;
	}
}

static void node_span(const struct dg_ctx *ctx, const PgQuery__Node *node, size_t *start,
		      size_t *end)
{
	const struct dg_stmt *st = ctx->stmt;
	int loc;

	*start = st ? st->start : 0;
	*end = st ? st->end : 0;
	if (!st || !node || node == st->node)
		return;
	if (node->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD &&
	    st->node->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
		const PgQuery__AlterTableStmt *at = st->node->alter_table_stmt;
		for (size_t i = 0; i < at->n_cmds; i++) {
			if (at->cmds[i] == node) {
				size_t s, e;
				if (alter_cmd_span(ctx, at, i, &s, &e)) {
					*start = s;
					*end = e;
				}
				return;
			}
		}
		return;
	}
	loc = node_location(node);
	if (loc >= 0) {
		size_t s = st->section->start + (size_t)loc;
		if (s >= st->start && s < st->end) {
			*start = s;
			*end = dg_clause_end(ctx->src->text, s, st->end);
			if (*end <= s)
				*end = dg_token_end(ctx->src->text, s, st->end);
		}
	}
}

/* ---- reporting --------------------------------------------------------------------------- */

static void result_push(struct dg_result *out, const struct dg_finding *f)
{
	if (out->n_findings == out->cap_findings) {
		size_t ncap = out->cap_findings ? out->cap_findings * 2 : 8;
		struct dg_finding *n = dg_xmalloc(ncap * sizeof(*n));
		if (out->n_findings)
			memcpy(n, out->findings, out->n_findings * sizeof(*n));
		free(out->findings);
		out->findings = n;
		out->cap_findings = ncap;
	}
	out->findings[out->n_findings++] = *f;
}

/* The hash covers the statement's text and the span's, so two findings of one rule in one
 * statement differ; duplicates left over are numbered after sorting (number_duplicates). */
static void set_fingerprint(const struct dg_ctx *ctx, struct dg_finding *f, size_t start,
			    size_t end)
{
	const char *path = ctx->out->path;
	uint64_t h;

	while (strncmp(path, "./", 2) == 0)
		path += 2; /* "./db/1.sql" and "db/1.sql" are one file */
	h = dg_fnv1a(DG_FNV_INIT, path, strlen(path) + 1);

	h = dg_fnv1a(h, f->rule, strlen(f->rule) + 1);
	if (ctx->stmt && ctx->fp_cache) {
		/* the statement normalized once for all its findings */
		struct dg_fp_cache *c = ctx->fp_cache;
		size_t off, len;
		if (c->stmt != ctx->stmt || c->start != ctx->stmt->start ||
		    c->end != ctx->stmt->end) {
			dg_normalized_build(&c->norm, ctx->src->text, ctx->stmt->start,
					    ctx->stmt->end);
			c->stmt = ctx->stmt;
			c->start = ctx->stmt->start;
			c->end = ctx->stmt->end;
		}
		h = dg_fnv1a(h, c->norm.text, c->norm.len);
		h = dg_fnv1a(h, "|", 1);
		if (dg_normalized_span(&c->norm, start, end, &off, &len))
			h = dg_fnv1a(h, c->norm.text + off, len);
		else
			h = dg_hash_normalized(h, ctx->src->text, start, end);
	} else {
		if (ctx->stmt)
			h = dg_hash_normalized(h, ctx->src->text, ctx->stmt->start, ctx->stmt->end);
		h = dg_fnv1a(h, "|", 1);
		h = dg_hash_normalized(h, ctx->src->text, start, end);
	}
	snprintf(f->fingerprint, sizeof(f->fingerprint), "%016llx", (unsigned long long)h);
}

static int cmp_by_fingerprint(const void *pa, const void *pb, void *findings)
{
	const struct dg_finding *f = findings;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(f[a].fingerprint, f[b].fingerprint);

	return c ? c : (a < b ? -1 : a > b);
}

/* The n-th repeat (in source order) of a fingerprint gets "#n" hashed in. */
static void number_duplicates(struct dg_result *out)
{
	size_t n = out->n_findings, *idx, nth = 0;
	uint64_t *renamed;

	if (n < 2)
		return;
	idx = dg_xmalloc(n * sizeof(*idx));
	renamed = dg_xmalloc(n * sizeof(*renamed));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_by_fingerprint, out->findings);
	for (size_t i = 0; i < n; i++) {
		const struct dg_finding *f = &out->findings[idx[i]];
		char tag[32];
		int len;

		renamed[i] = 0;
		if (i == 0 || strcmp(out->findings[idx[i - 1]].fingerprint, f->fingerprint) != 0) {
			nth = 0;
			continue;
		}
		nth++;
		len = snprintf(tag, sizeof(tag), "#%zu", nth);
		renamed[i] = dg_fnv1a(strtoull(f->fingerprint, NULL, 16), tag, (size_t)len);
	}
	for (size_t i = 0; i < n; i++)
		if (renamed[i])
			snprintf(out->findings[idx[i]].fingerprint,
				 sizeof(out->findings[0].fingerprint), "%016llx",
				 (unsigned long long)renamed[i]);
	free(renamed);
	free(idx);
}

void dg_emit(struct dg_ctx *ctx, size_t rule_index, enum dg_direction dir, size_t start, size_t end,
	     const char *help, const char *message)
{
	const struct dg_source *src = ctx->src;
	struct dg_finding f = {0};
	struct dg_pos a, b;
	const char *line;
	size_t line_len;

	dg_source_clamp(src, &start, &end);
	a = dg_source_pos(src, start);
	b = dg_source_pos(src, end);
	line = dg_source_line(src, a.line, &line_len);
	f.rule = dg_rules[rule_index]->name;
	f.severity = ctx->cfg->severity[rule_index];
	f.line = a.line;
	f.column = a.column;
	f.end_line = b.line;
	f.end_column = b.column;
	dg_source_columns(src, start, &f.byte_column, &f.display_column);
	dg_source_columns(src, end, &f.end_byte_column, &f.end_display_column);
	f.byte_offset = start + src->bom;
	f.byte_length = end - start;
	f.message = dg_xstrdup(message);
	f.help = help ? dg_xstrdup(help) : NULL;
	f.section = dir;
	f.source_line = dg_xmalloc(line_len + 1);
	memcpy(f.source_line, line, line_len);
	f.source_line[line_len] = '\0';
	set_fingerprint(ctx, &f, start, end);
	result_push(ctx->out, &f);
	ctx->last_finding = ctx->out->n_findings - 1;
	ctx->fix_open = false;
	dg_fix_add_ignores(ctx, ctx->last_finding, start, end);
}

static void emit_for_suppress(void *arg, size_t rule, size_t start, size_t end, const char *message)
{
	struct dg_ctx *ctx = arg;

	dg_emit(ctx, rule, DG_DIR_NONE, start, end, dg_rules[rule]->help, message);
}

struct dg_suppressor dg_suppressor_of(struct dg_ctx *ctx)
{
	return (struct dg_suppressor){ctx->src, ctx->out, ctx->cfg->enabled, emit_for_suppress,
				      ctx};
}

/* Suppression comments, once every rule ran on the file. */
static void dg_suppress_file(struct dg_ctx *ctx)
{
	struct dg_suppressor s = dg_suppressor_of(ctx);
	size_t n = ctx->parsed->n_stmts;
	struct dg_span *spans = dg_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*spans));

	for (size_t i = 0; i < n; i++)
		spans[i] = (struct dg_span){ctx->parsed->stmts[i].start, ctx->parsed->stmts[i].end};
	dg_suppress_apply(&s, spans, n);
}

/* Reports, then lets the rule attach its fix to the finding. */
DG_PRINTF(7, 0)
static void vreport(struct dg_ctx *ctx, const PgQuery__Node *node, const PgQuery__TypeName *type,
		    size_t start, size_t end, const char *help, const char *fmt, va_list ap)
{
	char buf[2048];
	struct dg_fix_site site = {node, type, start, end};
	const struct dg_stmt *st = ctx->stmt;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (st && st->note) { /* a DO block's statement, a templated one (plpgsql.c, parse.c) */
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof(buf) - l, " (%s)", st->note);
		if (st->holder) /* its ignore comment goes before the DO block */
			ctx->stmt = &ctx->parsed->stmts[st->holder - 1];
	}
	dg_emit(ctx, ctx->rule_index, dg_section_dir(ctx), start, end,
		help ? help : ctx->rule->help, buf);
	ctx->stmt = st;
	if (ctx->rule->fix && !(st && st->note)) { /* no rewrite of text PostgreSQL runs later */
		ctx->rule->fix(ctx, &site);
		dg_fix_close(ctx);
	}
}

void dg_report(struct dg_ctx *ctx, const PgQuery__Node *node, const char *fmt, ...)
{
	size_t s, e;
	va_list ap;

	node_span(ctx, node, &s, &e);
	va_start(ap, fmt);
	vreport(ctx, node, NULL, s, e, NULL, fmt, ap);
	va_end(ap);
}

void dg_report_help(struct dg_ctx *ctx, const PgQuery__Node *node, const char *help,
		    const char *fmt, ...)
{
	size_t s, e;
	va_list ap;

	node_span(ctx, node, &s, &e);
	va_start(ap, fmt);
	vreport(ctx, node, NULL, s, e, help, fmt, ap);
	va_end(ap);
}

void dg_report_range(struct dg_ctx *ctx, size_t start, size_t end, const char *help,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, NULL, NULL, start, end, help, fmt, ap);
	va_end(ap);
}

void dg_report_section(struct dg_ctx *ctx, const struct dg_section_info *sec, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dg_emit(ctx, ctx->rule_index, sec->dir, sec->anchor_start, sec->anchor_end, ctx->rule->help,
		buf);
}

/* ---- what rules may ask ------------------------------------------------------------------ */

const PgQuery__Node *dg_stmt(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->stmt->node : NULL;
}

const PgQuery__Node *dg_parent(const struct dg_ctx *ctx, unsigned n)
{
	/* the top of the stack is the node being dispatched's parent */
	if (n >= ctx->depth)
		return NULL;
	return ctx->stack[ctx->depth - 1 - n];
}

bool dg_table_created_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel)
{
	if (!rel)
		return false;
	return dg_facts_created_before(ctx->facts, rel->schemaname, rel->relname, ctx->stmt_index);
}

struct temp_create {
	const struct dg_parsed *p;
	const char *relname;
};

/* A CREATE TEMPORARY TABLE of the name (any schema). */
static bool creates_temp(const struct dg_effect *e, const void *arg)
{
	const struct temp_create *t = arg;

	return e->kind == DG_EFF_CREATE && e->temp && e->name && !strcmp(e->name, t->relname) &&
	       t->p->stmts[e->stmt].node->node_case == PG_QUERY__NODE__NODE_CREATE_STMT;
}

bool dg_temp_table_created_here(const struct dg_ctx *ctx, const char *relname)
{
	/* the name's chain, once, not every CREATE of the file at each statement */
	size_t first = dg_facts_first(ctx->facts, DG_MEMO_TEMP_TABLE, NULL, relname, creates_temp,
				      &(struct temp_create){ctx->parsed, relname});

	return first != SIZE_MAX && first < ctx->stmt_index;
}

static bool rv_same(const PgQuery__RangeVar *a, const PgQuery__RangeVar *b)
{
	if (!a || !b || !a->relname || !b->relname || strcmp(a->relname, b->relname) != 0)
		return false;
	return !a->schemaname || !*a->schemaname || !b->schemaname || !*b->schemaname ||
	       strcmp(a->schemaname, b->schemaname) == 0;
}

enum dg_emptied dg_table_emptied_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel)
{
	unsigned tx = dg_transaction_id(ctx);

	if (!rel || !rel->relname || !tx)
		return DG_EMPTIED_NONE;
	for (size_t j = ctx->stmt_index; j-- > 0 && dg_transaction_id_at(ctx, j) == tx;) {
		const PgQuery__Node *s = dg_stmt_at(ctx, j);

		switch (s ? s->node_case : PG_QUERY__NODE__NODE__NOT_SET) {
		case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
			for (size_t k = 0; k < s->truncate_stmt->n_relations; k++) {
				const PgQuery__Node *r = s->truncate_stmt->relations[k];
				/* ONLY leaves the rows of inheritance children */
				if (r->node_case == PG_QUERY__NODE__NODE_RANGE_VAR &&
				    r->range_var->inh && rv_same(r->range_var, rel))
					return DG_EMPTIED_TRUNCATE;
			}
			break;
		case PG_QUERY__NODE__NODE_DELETE_STMT: {
			const PgQuery__DeleteStmt *d = s->delete_stmt;
			if (d->with_clause)
				return DG_EMPTIED_NONE; /* a data-modifying WITH may insert */
			if (rv_same(d->relation, rel) && d->relation->inh && !d->where_clause &&
			    !d->n_using_clause)
				return DG_EMPTIED_DELETE;
			break; /* a filtered DELETE adds no row: look further back */
		}
		case PG_QUERY__NODE__NODE_INSERT_STMT:
			if (s->insert_stmt->with_clause || rv_same(s->insert_stmt->relation, rel))
				return DG_EMPTIED_NONE;
			break;
		case PG_QUERY__NODE__NODE_MERGE_STMT:
			if (rv_same(s->merge_stmt->relation, rel))
				return DG_EMPTIED_NONE;
			break;
		case PG_QUERY__NODE__NODE_COPY_STMT:
			if (s->copy_stmt->is_from && rv_same(s->copy_stmt->relation, rel))
				return DG_EMPTIED_NONE;
			break;
		case PG_QUERY__NODE__NODE_UPDATE_STMT:
			if (s->update_stmt->with_clause)
				return DG_EMPTIED_NONE;
			break;
		case PG_QUERY__NODE__NODE_DO_STMT:
		case PG_QUERY__NODE__NODE_CALL_STMT:
			return DG_EMPTIED_NONE; /* code that may insert anything */
		default:
			break;
		}
	}
	return DG_EMPTIED_NONE;
}

bool dg_column_added_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel, const char *col)
{
	if (!rel)
		return false;
	return dg_facts_column_added_before(ctx->facts, rel->schemaname, rel->relname, col,
					    ctx->stmt_index);
}

bool dg_made_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel, const char *col)
{
	if (!rel || !rel->relname)
		return false;
	return dg_facts_made_here(ctx->facts, rel->schemaname, rel->relname, col, ctx->stmt_index,
				  dg_section_dir(ctx));
}

bool dg_rebuild_drops(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel)
{
	const struct dg_rebuild *r;

	if (!rel || !rel->relname)
		return false;
	r = dg_facts_rebuild_of(ctx->facts, rel->schemaname, rel->relname, ctx->stmt_index);
	return r && r->drop == ctx->stmt_index;
}

bool dg_rebuild_renames(const struct dg_ctx *ctx)
{
	const struct dg_rebuild *r = dg_facts_rebuild_of(ctx->facts, NULL, "", ctx->stmt_index);
	const struct dg_stmt_tx *tx = ctx->facts->tx;
	size_t last;

	if (!r || r->rename != ctx->stmt_index)
		return false;
	/* renamed aside, or into place: every step from the first to the last in one block */
	last = r->rename > r->drop ? r->rename : r->drop;
	for (size_t i = r->create < r->rename ? r->create : r->rename; i <= last; i++)
		if (!tx[i].in_tx || tx[i].tx_id != tx[ctx->stmt_index].tx_id)
			return false;
	return true;
}

bool dg_domain_created_here(const struct dg_ctx *ctx, PgQuery__Node *const *names, size_t n)
{
	const char *name = dg_name_last(names, n);
	const char *schema = n > 1 ? dg_node_string(names[n - 2]) : NULL;

	return dg_facts_domain_created_before(ctx->facts, schema, name, ctx->stmt_index);
}

size_t dg_stmt_index(const struct dg_ctx *ctx)
{
	return ctx->stmt_index;
}

const struct dg_stmt_change *dg_stmt_change_at(const struct dg_ctx *ctx, size_t i)
{
	static const struct dg_stmt_change none;

	return i < ctx->parsed->n_stmts ? &ctx->facts->change[i] : &none;
}

enum dg_direction dg_stmt_dir_at(const struct dg_ctx *ctx, size_t i)
{
	return i < ctx->parsed->n_stmts ? ctx->parsed->stmts[i].section->dir : DG_DIR_NONE;
}

bool dg_index_created_here(const struct dg_ctx *ctx, const char *schema, const char *name)
{
	return ctx->stmt && dg_facts_index_created_before(ctx->facts, schema, name, ctx->stmt_index,
							  dg_section_dir(ctx));
}

const char *dg_index_table(const struct dg_ctx *ctx, const char *schema, const char *name,
			   unsigned scope)
{
	const char *t = NULL;

	if (!name)
		return NULL;
	if ((scope & DG_HERE) && ctx->stmt)
		t = dg_facts_index_table(ctx->facts, schema, name, ctx->stmt_index,
					 dg_section_dir(ctx));
	if (!t && (scope & DG_EARLIER) && ctx->catalog)
		t = dg_catalog_index_table(ctx->catalog, schema, name);
	return t;
}

bool dg_not_null_check_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel,
			    const char *column)
{
	return ctx->stmt && rel &&
	       dg_facts_not_null_check_before(ctx->facts, rel->schemaname, rel->relname, column,
					      ctx->stmt_index, dg_section_dir(ctx));
}

bool dg_session_timezone_utc(const struct dg_ctx *ctx)
{
	return ctx->stmt && ctx->facts->tz_utc[ctx->stmt_index];
}

enum dg_direction dg_section_dir(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->stmt->section->dir : DG_DIR_NONE;
}

int dg_pg_version(const struct dg_ctx *ctx)
{
	return ctx->cfg->pg_version;
}

const char *dg_migration_format(const struct dg_ctx *ctx)
{
	return ctx->mig->format;
}

bool dg_migration_format_has_down(const struct dg_ctx *ctx)
{
	return ctx->mig->format_has_down;
}

bool dg_migration_has_down(const struct dg_ctx *ctx)
{
	return ctx->mig->has_down;
}

const char *dg_migration_down_path(const struct dg_ctx *ctx)
{
	return ctx->mig->down_path;
}

void dg_migration_anchor(const struct dg_ctx *ctx, size_t *start, size_t *end)
{
	*start = ctx->mig->anchor_start;
	*end = ctx->mig->anchor_end;
}

bool dg_in_transaction(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->facts->tx[ctx->stmt_index].in_tx : false;
}

unsigned dg_transaction_id(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->facts->tx[ctx->stmt_index].tx_id : 0;
}

bool dg_constraint_added_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel,
			      const char *name, struct dg_constraint_info *info)
{
	struct dg_con_added add = {0, SIZE_MAX};
	int state = 0;
	struct dg_constraint_info i = {DG_CONSTRAINT_UNKNOWN, 0, 0};

	if (rel)
		state = dg_facts_constraint_state(ctx->facts, rel->schemaname, rel->relname, name,
						  ctx->stmt_index, &add);
	if (add.stmt != SIZE_MAX) {
		i.contype = add.contype;
		i.add_tx_id = ctx->facts->tx[add.stmt].tx_id;
	}
	switch (state) {
	case DG_CON_ADDED:
		i.state = DG_CONSTRAINT_VALID;
		break;
	case DG_CON_ADDED_NOT_VALID:
		i.state = DG_CONSTRAINT_NOT_VALID;
		break;
	case DG_CON_VALIDATED:
		i.state = DG_CONSTRAINT_VALIDATED;
		break;
	default:
		break;
	}
	if (info)
		*info = i;
	return i.state != DG_CONSTRAINT_UNKNOWN;
}

bool dg_valid_check_added_here(const struct dg_ctx *ctx, const PgQuery__RangeVar *rel)
{
	return rel &&
	       dg_facts_valid_check(ctx->facts, rel->schemaname, rel->relname, ctx->stmt_index);
}

struct dg_history dg_migration_history(const struct dg_ctx *ctx)
{
	struct dg_history h = {0};

	if (ctx->cfg->history)
		ctx->cfg->history(ctx->cfg->history_user, ctx->out->path, &h);
	return h;
}

size_t dg_statement_count(const struct dg_ctx *ctx)
{
	return ctx->parsed->n_stmts;
}

enum dg_tx_origin dg_transaction_origin(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->facts->tx[ctx->stmt_index].origin : DG_TXO_NONE;
}

enum dg_tx_event dg_transaction_event(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->facts->tx[ctx->stmt_index].event : DG_TXE_NONE;
}

unsigned dg_transaction_begin_line(const struct dg_ctx *ctx)
{
	size_t b;

	if (!ctx->stmt)
		return 0;
	b = ctx->facts->tx[ctx->stmt_index].begin_stmt;
	if (b >= ctx->parsed->n_stmts)
		return 0;
	return dg_source_pos(ctx->src, ctx->parsed->stmts[b].start).line;
}

const char *dg_transaction_describe(const struct dg_ctx *ctx, char *buf, size_t size)
{
	const char *fmt = dg_migration_format(ctx);

	switch (dg_transaction_origin(ctx)) {
	case DG_TXO_TOOL:
		snprintf(buf, size, "%s runs this section inside a transaction", fmt);
		break;
	case DG_TXO_IMPLICIT: {
		const struct dg_section *sec = ctx->stmt->section;
		bool whole = sec->start == 0 && sec->end == ctx->src->len;
		snprintf(buf, size,
			 "%s sends this %s as one multi-statement query, which PostgreSQL runs as "
			 "one implicit transaction",
			 fmt, whole ? "file" : "section");
		break;
	}
	case DG_TXO_ASSUMED:
		snprintf(buf, size,
			 "--assume-in-transaction says the file runs inside a transaction");
		break;
	case DG_TXO_EXPLICIT:
		snprintf(buf, size, "the BEGIN on line %u opened a transaction block",
			 dg_transaction_begin_line(ctx));
		break;
	default:
		snprintf(buf, size, "it runs outside any transaction block");
		break;
	}
	return buf;
}

size_t dg_section_count(const struct dg_ctx *ctx)
{
	return ctx->mig->n_sections;
}

struct dg_section_info dg_section_at(const struct dg_ctx *ctx, size_t i)
{
	const struct dg_section *sec = &ctx->mig->sections[i];
	const char *s = ctx->src->text;
	struct dg_section_info info = {sec->dir, sec->start, sec->end, 0, false, 0, 0};
	size_t a, e;

	for (size_t k = 0; k < ctx->parsed->n_stmts; k++)
		info.n_statements += ctx->parsed->stmts[k].section == sec;
	for (size_t k = 0; k < ctx->parsed->n_errors; k++)
		info.has_errors |= ctx->parsed->errors[k].section == sec;
	/* a section that starts on a line after its marker: point at the marker */
	if (sec->start > 0 && sec->start <= ctx->src->len && s[sec->start - 1] == '\n') {
		e = sec->start - 1;
		a = e;
		while (a > 0 && s[a - 1] != '\n')
			a--;
	} else {
		a = sec->start;
		e = a;
		while (e < ctx->src->len && s[e] != '\n')
			e++;
	}
	while (a < e && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (e > a && (s[e - 1] == '\r' || s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	info.anchor_start = a;
	info.anchor_end = e;
	return info;
}

/* A row's names may point into the info they were made in (a label of DG_ROLE_EVERY rows).
 * p, a pointer into `from` (its head, relations or room), into the kept copy `to`: the head and
 * relations at the same offset, the room's labels in `labels`; anything else as it is. */
static const char *rebase(const char *p, const struct dg_lock_info *from, struct dg_lock_info *to,
			  const char *labels)
{
	const char *lo = (const char *)from, *room = (const char *)&from->room;
	const char *lab = (const char *)from->room.labels;

	if (!p || (uintptr_t)p < (uintptr_t)lo || (uintptr_t)p >= (uintptr_t)(lo + sizeof(*from)))
		return p;
	if ((uintptr_t)p >= (uintptr_t)lab &&
	    (uintptr_t)p < (uintptr_t)(lab + sizeof(from->room.labels)))
		return labels ? labels + (p - lab) : NULL;
	if ((uintptr_t)p >= (uintptr_t)room)
		return NULL; /* nothing but the labels is named from the room */
	return (const char *)to + (p - lo);
}

/* The copy of `info` kept for the rest of the file: its head and relations, and beside them
 * only what it holds of fails, changes and labels. */
static struct dg_lock_info *keep_locks(struct dg_arena *a, const struct dg_lock_info *info)
{
	size_t head = offsetof(struct dg_lock_info, rels) + info->n_rels * sizeof(info->rels[0]);
	struct dg_lock_info *to = dg_arena_alloc(a, head);
	char *labels = NULL;

	memcpy(to, info, head);
	to->fails = info->fails[0] ? dg_arena_strndup(a, info->fails, strlen(info->fails)) : "";
	if (info->n_changes) {
		struct dg_column_change *c = dg_arena_alloc(a, info->n_changes * sizeof(*c));
		memcpy(c, info->changes, info->n_changes * sizeof(*c));
		to->changes = c;
	} else {
		to->changes = NULL;
	}
	if (info->n_labels) {
		labels = dg_arena_alloc(a, info->n_labels * sizeof(info->room.labels[0]));
		memcpy(labels, info->labels, info->n_labels * sizeof(info->room.labels[0]));
	}
	to->labels = (const char(*)[DG_LOCK_LABEL_LEN])labels;
	for (size_t k = 0; k < to->n_rels; k++) {
		struct dg_lock_rel *r = &to->rels[k];
		r->schema = rebase(r->schema, info, to, labels);
		r->name = rebase(r->name, info, to, labels);
		r->index = rebase(r->index, info, to, labels);
		r->note = rebase(r->note, info, to, labels);
		r->owner_schema = rebase(r->owner_schema, info, to, labels);
		r->owner = rebase(r->owner, info, to, labels);
	}
	to->unsupported = rebase(to->unsupported, info, to, labels);
	return to;
}

const struct dg_lock_info *dg_stmt_locks_at(struct dg_ctx *ctx, size_t i)
{
	if (i >= ctx->parsed->n_stmts)
		return NULL;
	if (!ctx->locks) {
		ctx->locks = dg_arena_alloc(ctx->arena, ctx->parsed->n_stmts * sizeof(*ctx->locks));
		memset(ctx->locks, 0, ctx->parsed->n_stmts * sizeof(*ctx->locks));
		dg_lock_file_init(&ctx->lock_file, ctx->parsed, ctx->facts);
		ctx->lock_file.catalog = ctx->catalog;
	}
	if (!ctx->locks[i]) {
		/* kept with only what it has (the whole struct is some 3 kB: a file of 10,000
		 * statements kept 30 MB) */
		struct dg_lock_info info;
		dg_locks_of_stmt(&ctx->lock_file, i, ctx->cfg->pg_version, &info);
		ctx->locks[i] = keep_locks(ctx->arena, &info);
	}
	return ctx->locks[i];
}

const struct dg_lock_info *dg_stmt_locks(struct dg_ctx *ctx)
{
	return ctx->stmt ? dg_stmt_locks_at(ctx, ctx->stmt_index) : NULL;
}

bool dg_lock_rel_existing(const struct dg_ctx *ctx, size_t i, const struct dg_lock_rel *r)
{
	if (r->role == DG_ROLE_NEW)
		return false;
	if (r->role == DG_ROLE_INDEX_TABLE || !r->name)
		return true; /* the table of an index: not known by name */
	return !dg_facts_created_before(ctx->facts, r->schema, r->name, i);
}

unsigned dg_transaction_id_at(const struct dg_ctx *ctx, size_t i)
{
	return i < ctx->parsed->n_stmts ? ctx->facts->tx[i].tx_id : 0;
}

size_t dg_section_index_at(const struct dg_ctx *ctx, size_t i)
{
	if (i >= ctx->parsed->n_stmts)
		return 0;
	return (size_t)(ctx->parsed->stmts[i].section - ctx->mig->sections);
}

bool dg_lock_timeout_set_at(const struct dg_ctx *ctx, size_t i)
{
	return i < ctx->parsed->n_stmts && (ctx->facts->timeouts[i] & DG_TIMEOUT_LOCK);
}

bool dg_statement_timeout_set_at(const struct dg_ctx *ctx, size_t i)
{
	return i < ctx->parsed->n_stmts && (ctx->facts->timeouts[i] & DG_TIMEOUT_STATEMENT);
}

bool dg_migration_forward_only(const struct dg_ctx *ctx, bool *first, size_t *n, const char **root)
{
	struct dg_down_census c;
	const char *path = ctx->src->path;
	size_t pl = strlen(path), fl;

	if (!ctx->mig->format ||
	    !dg_migration_down_census(path, ctx->mig->format, ctx->cfg->pg_version, &c) ||
	    c.any_down || !c.first)
		return false;
	fl = strlen(c.first);
	/* the census names files relative to the root: this one is the first when its path ends
	 * with that name */
	*first = pl >= fl && strcmp(path + pl - fl, c.first) == 0 &&
		 (pl == fl || path[pl - fl - 1] == '/');
	*n = c.n_migrations;
	*root = c.root;
	return true;
}

bool dg_rule_enabled(const struct dg_ctx *ctx, const char *name)
{
	for (size_t r = 0; r < DG_N_RULES; r++)
		if (strcmp(dg_rules[r]->name, name) == 0)
			return ctx->cfg->enabled[r];
	return false;
}

/* End of the type name written at `i`: words (varying, precision, with time zone, array), dots,
 * parenthesised modifiers and array brackets, up to the keyword of the next clause. */
static size_t type_end(const char *s, size_t i, size_t n)
{
	static const char *const stop[] = {
	    "check",	  "collate",   "compression", "constraint", "default", "deferrable",
	    "generated",  "initially", "not",	      "null",	    "options", "primary",
	    "references", "storage",   "unique",      "using",
	};
	size_t last = i;

	for (;;) {
		size_t e;

		i = dg_skip_trivia(s, i, n);
		if (i >= n)
			return last;
		if (s[i] == '(' || s[i] == '[') {
			int depth = 0;
			do {
				if (s[i] == '(' || s[i] == '[')
					depth++;
				else if (s[i] == ')' || s[i] == ']')
					depth--;
				i = dg_token_end(s, i, n);
				if (depth > 0)
					i = dg_skip_trivia(s, i, n);
			} while (depth > 0 && i < n);
			last = i;
			continue;
		}
		if (s[i] == '.') {
			last = ++i;
			continue;
		}
		if (!(isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == '"' ||
		      (unsigned char)s[i] >= 0x80))
			return last;
		e = dg_token_end(s, i, n);
		for (size_t k = 0; k < sizeof(stop) / sizeof(*stop); k++)
			if (e - i == strlen(stop[k]) && strncasecmp(s + i, stop[k], e - i) == 0)
				return last;
		last = i = e;
	}
}

void dg_report_type(struct dg_ctx *ctx, const PgQuery__TypeName *type, const char *help,
		    const char *fmt, ...)
{
	const struct dg_stmt *st = ctx->stmt;
	size_t s = st ? st->start : 0, e = st ? st->end : 0;
	va_list ap;

	if (st && type && type->location >= 0 &&
	    st->section->start + (size_t)type->location >= st->start &&
	    st->section->start + (size_t)type->location < st->end) {
		s = st->section->start + (size_t)type->location;
		e = type_end(ctx->src->text, s, st->end);
		if (e <= s)
			e = dg_token_end(ctx->src->text, s, st->end);
	}
	va_start(ap, fmt);
	vreport(ctx, NULL, type, s, e, help, fmt, ap);
	va_end(ap);
}

const PgQuery__Node *dg_stmt_at(const struct dg_ctx *ctx, size_t i)
{
	return i < ctx->parsed->n_stmts ? ctx->parsed->stmts[i].node : NULL;
}

size_t dg_section_statement_count(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->facts->sec_count[ctx->stmt_index] : 0;
}

size_t dg_section_first_stmt(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->facts->sec_first[ctx->stmt_index] : 0;
}

size_t dg_section_set_count(const struct dg_ctx *ctx)
{
	return ctx->stmt ? ctx->facts->sec_sets[ctx->stmt_index] : 0;
}

const size_t *dg_stmts_of_kind(const struct dg_ctx *ctx, int kind, size_t *n)
{
	return dg_facts_stmts_of_kind(ctx->facts, kind, n);
}

bool dg_dropped_if_exists_before(const struct dg_ctx *ctx, int type, const char *name)
{
	size_t at = dg_facts_dropped_if_exists(ctx->facts, type, name);

	return at != SIZE_MAX && at < ctx->stmt_index;
}

struct plain_create {
	const char *schema, *name;
	size_t from, to;
	bool found;
};

static bool plain_create_one(const struct dg_effect *e, void *arg)
{
	struct plain_create *q = arg;

	if (e->stmt >= q->to)
		return false;
	if (e->kind == DG_EFF_CREATE && e->stmt >= q->from && !e->if_not_exists &&
	    (e->obj == DG_OBJ_TABLE || e->obj == DG_OBJ_MATVIEW) && !e->with_create &&
	    dg_same_rel(e->schema, e->name, q->schema, q->name))
		q->found = true;
	return !q->found;
}

bool dg_created_plainly_before(const struct dg_ctx *ctx, const char *schema, const char *name)
{
	struct plain_create q = {schema, name, dg_section_first_stmt(ctx), ctx->stmt_index, false};

	if (!ctx->stmt || !name)
		return false;
	dg_facts_each(ctx->facts, name, plain_create_one, &q);
	return q.found;
}

const char *dg_stmt_source(const struct dg_ctx *ctx, size_t *start, size_t *end)
{
	*start = ctx->stmt ? ctx->stmt->start : 0;
	*end = ctx->stmt ? ctx->stmt->end : 0;
	return ctx->src->text;
}

enum dg_column_role dg_column_role(const struct dg_ctx *ctx, const PgQuery__ColumnDef *col,
				   const PgQuery__RangeVar **table, const char **column)
{
	const PgQuery__Node *p = dg_parent(ctx, 0), *pp = dg_parent(ctx, 1);

	*table = NULL;
	*column = col->colname;
	if (!p)
		return DG_COLUMN_OTHER;
	if (p->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
		*table = p->create_stmt->relation;
		return *table ? DG_COLUMN_CREATE_TABLE : DG_COLUMN_OTHER;
	}
	if (p->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD || !pp ||
	    pp->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT ||
	    pp->alter_table_stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
	    !pp->alter_table_stmt->relation)
		return DG_COLUMN_OTHER;
	*table = pp->alter_table_stmt->relation;
	switch (p->alter_table_cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		return DG_COLUMN_ADD;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		*column = p->alter_table_cmd->name;
		return DG_COLUMN_ALTER_TYPE;
	default:
		*table = NULL;
		return DG_COLUMN_OTHER;
	}
}

/* ---- the pipeline ------------------------------------------------------------------------ */

/* The up file that load_up_file parsed for a down-only file, kept on this thread once the down
 * file's arena goes: in the runner's order its up file comes next (NNN_x.down.sql, then
 * NNN_x.up.sql; down.sql, then up.sql), and parsing it twice was a third of all the parsing
 * over the corpus. The next reading of that path takes it (its arena adopted) when the text
 * and the sections are the same; any other up file parsed on this thread replaces it. */
struct up_parse {
	struct dg_arena arena; /* everything below lives here */
	struct dg_source src;
	struct dg_migration mig;
	struct dg_parsed parsed;
	char *path;
};

static _Thread_local struct up_parse *up_kept;

static void up_parse_free(struct up_parse *u)
{
	if (!u)
		return;
	dg_arena_destroy(&u->arena);
	free(u);
}

static void keep_up_parse(void *arg)
{
	up_parse_free(up_kept);
	up_kept = arg;
}

void dg_lint_caches_free(void)
{
	up_parse_free(up_kept);
	up_kept = NULL;
	dg_migration_caches_free();
}

/* The kept up file's statements into *out (and its memory into a) when it is `path` with src's
 * text, cut into mig's sections: what parsing them again would give. */
static bool take_up_parse(struct dg_arena *a, const char *path, const struct dg_source *src,
			  const struct dg_migration *mig, struct dg_parsed *out)
{
	struct up_parse *u = up_kept;

	if (!u || strcmp(u->path, path) != 0 || u->src.len != src->len || u->src.bom != src->bom ||
	    memcmp(u->src.text, src->text, src->len) != 0 || u->mig.n_sections != mig->n_sections)
		return false;
	for (size_t i = 0; i < mig->n_sections; i++) {
		const struct dg_section *x = &u->mig.sections[i], *y = &mig->sections[i];
		/* load_up_file parses no down section */
		if (x->start != y->start || x->end != y->end || x->dir != y->dir ||
		    x->tx != y->tx || x->unit != y->unit || x->dir == DG_DIR_DOWN)
			return false;
	}
	/* the statements and errors point at u's sections: at mig's, index for index */
	for (size_t i = 0; i < u->parsed.n_stmts; i++)
		if (u->parsed.stmts[i].section)
			u->parsed.stmts[i].section =
			    mig->sections + (u->parsed.stmts[i].section - u->mig.sections);
	for (size_t i = 0; i < u->parsed.n_errors; i++)
		if (u->parsed.errors[i].section)
			u->parsed.errors[i].section =
			    mig->sections + (u->parsed.errors[i].section - u->mig.sections);
	*out = u->parsed;
	dg_arena_adopt(a, &u->arena);
	free(u);
	up_kept = NULL;
	return true;
}

/* The facts of the up file that a down-only file undoes (golang-migrate's NNN_x.down.sql and
 * NNN_x.up.sql), so that destructive-change rules can tell undoing this migration from
 * destroying older data. NULL when the up file is missing or unreadable. Its parse is kept for
 * its own lint (up_kept) once `a` goes. */
static const struct dg_facts *load_up_file(struct dg_arena *a, const struct dg_migration *mig)
{
	/* kept when a can say when it goes (an arena that has a call for that already is
	 * another's: then everything lives in a, as nothing is kept) */
	bool keep = !a->on_destroy;
	struct up_parse *u;
	struct dg_arena *ua;
	struct dg_facts *facts;
	char *buf;
	size_t len = 0;
	int err;

	if (!mig->up_path)
		return NULL;
	for (size_t i = 0; i < mig->n_sections; i++)
		if (mig->sections[i].dir != DG_DIR_DOWN)
			return NULL; /* the file carries its own up section */
	buf = dg_read_path(mig->up_path, DG_DEFAULT_MAX_FILE_SIZE, &len, &err);
	if (!buf)
		return NULL;
	if (keep) {
		u = dg_xcalloc(1, sizeof(*u));
		dg_arena_init(&u->arena);
		ua = &u->arena;
	} else {
		u = dg_arena_alloc(a, sizeof(*u));
		memset(u, 0, sizeof(*u));
		ua = a;
	}
	u->path = dg_arena_strndup(ua, mig->up_path, strlen(mig->up_path));
	dg_source_init(&u->src, ua, u->path, buf, len);
	free(buf);
	if (dg_source_find_invalid_utf8(&u->src) != (size_t)-1) {
		if (keep)
			up_parse_free(u);
		return NULL;
	}
	dg_migration_detect(&u->src, ua, &u->mig);
	for (size_t i = 0; i < u->mig.n_sections; i++)
		if (u->mig.sections[i].dir != DG_DIR_DOWN)
			dg_parse_section(&u->src, &u->mig.sections[i], ua, &u->parsed);
	facts = dg_arena_alloc(a, sizeof(*facts));
	dg_facts_build(facts, &u->parsed, a, false, NULL);
	/* the facts point into u, which is kept once a goes */
	if (keep)
		dg_arena_on_destroy(a, keep_up_parse, u);
	return facts;
}

static int cmp_findings(const void *pa, const void *pb)
{
	const struct dg_finding *a = pa, *b = pb;

	if (a->byte_offset != b->byte_offset)
		return a->byte_offset < b->byte_offset ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

size_t dg_read_migration(const struct dg_config *cfg, struct dg_arena *a, const char *path,
			 const char *buf, size_t len, struct dg_read *r)
{
	size_t bad;

	memset(r, 0, sizeof(*r));
	dg_source_init(&r->src, a, path, buf, len);
	bad = dg_source_find_invalid_utf8(&r->src);
	if (bad != (size_t)-1)
		return bad;
	dg_migration_detect_as(&r->src, a, &r->mig, cfg->migration_format, cfg->pg_version);
	if (cfg->tx_override >= 0) {
		/* the configuration says how the tool runs this directory's files */
		for (size_t i = 0; i < r->mig.n_sections; i++)
			r->mig.sections[i].tx = (enum dg_tx_mode)cfg->tx_override;
		r->mig.tx_unknown = false;
	}
	if (!take_up_parse(a, path, &r->src, &r->mig, &r->parsed))
		for (size_t i = 0; i < r->mig.n_sections; i++)
			dg_parse_section(&r->src, &r->mig.sections[i], a, &r->parsed);
	/* --assume-in-transaction speaks for files whose tool ddlguard does not know; a known
	 * tool's own transaction mode (e.g. dbmate's transaction:false) stands */
	dg_facts_build(&r->facts, &r->parsed, a,
		       cfg->assume_in_transaction && strcmp(r->mig.format, "plain") == 0,
		       load_up_file(a, &r->mig));
	return (size_t)-1;
}

enum dg_status dg_lint_buffer(const struct dg_config *cfg, const char *path, const char *buf,
			      size_t len, struct dg_result *out)
{
	return dg_lint_buffer_with(cfg, NULL, path, buf, len, out);
}

enum dg_status dg_lint_buffer_with(const struct dg_config *cfg, struct dg_catalog *cat,
				   const char *path, const char *buf, size_t len,
				   struct dg_result *out)
{
	return dg_lint_buffer_ex(cfg, cat, true, path, buf, len, out);
}

enum dg_status dg_lint_buffer_ex(const struct dg_config *cfg, struct dg_catalog *cat, bool absorb,
				 const char *path, const char *buf, size_t len,
				 struct dg_result *out)
{
	struct dg_arena arena;
	struct dg_read rd;
	struct dg_ctx ctx = {0};
	struct dg_fp_cache fp_cache = {0};
	size_t bad;

	if (len > cfg->max_file_size)
		return dg_result_unreadable(out, path, DG_READ_TOO_BIG, cfg->max_file_size);
	/* infrastructure templates go to the DynamoDB front half (src/dynamodb/) */
	if (dg_ddb_path_is_template(path) && dg_ddb_sniff(path, buf, len))
		return dg_ddb_lint(cfg, path, buf, len, out);
	memset(out, 0, sizeof(*out));
	out->path = dg_xstrdup(path);
	build_dispatch();
	dg_arena_init(&arena);
	dg_set_current_input(out->path);
	bad = dg_read_migration(cfg, &arena, out->path, buf, len, &rd);
	dg_set_current_input(NULL);
	ctx.cfg = cfg;
	ctx.arena = &arena;
	ctx.src = &rd.src;
	ctx.out = out;
	ctx.parsed = &rd.parsed;
	ctx.last_finding = (size_t)-1;

	if (bad != (size_t)-1) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "the file is not valid UTF-8 (byte 0x%02X): it was not linted; PostgreSQL "
			 "would reject it in a UTF8 database",
			 (unsigned char)rd.src.text[bad]);
		out->format = "plain";
		if (cfg->enabled[DG_RULE_ID_syntax_error])
			dg_emit(&ctx, DG_RULE_ID_syntax_error, DG_DIR_NONE, bad, bad + 1,
				"Save the file as UTF-8.", msg);
		dg_arena_destroy(&arena);
		return DG_OK;
	}

	out->format = rd.mig.format;
	out->skipped = rd.mig.skipped;
	out->tx_unknown = rd.mig.tx_unknown && !cfg->assume_in_transaction;
	if (rd.mig.snapshot && cat) {
		/* pg_dump output: not a migration, but the schema the next ones find */
		dg_memory_enter(cfg, cat, out->path, rd.mig.format);
		dg_catalog_absorb(cat, &rd.parsed, &rd.facts);
		dg_memory_absorbed(cat, out->path);
	}
	if (rd.mig.skipped) {
		/* the tool never runs it on PostgreSQL (or it is a snapshot): nothing to report */
		dg_arena_destroy(&arena);
		return DG_OK;
	}
	ctx.mig = &rd.mig;
	ctx.facts = &rd.facts;
	ctx.fp_cache = &fp_cache;
	if (cat) {
		/* the earlier migrations of its root this run did not lint: read, not reported */
		dg_memory_enter(cfg, cat, out->path, rd.mig.format);
		ctx.catalog = cat;
	}

	for (size_t i = 0; i < rd.parsed.n_errors; i++) {
		const struct dg_syntax_error *e = &rd.parsed.errors[i];
		size_t end = dg_token_end(rd.src.text, e->offset, rd.src.len);

		if (e->offset >= rd.src.len)
			end = e->offset;
		if (e->template_kind) {
			char msg[256];
			int n = (int)(e->template_len > 60 ? 60 : e->template_len);

			if (!cfg->enabled[DG_RULE_ID_unparsable_template])
				continue;
			snprintf(
			    msg, sizeof(msg),
			    "this statement holds %s (%.*s): it is not SQL until it is rendered, "
			    "and with stand-ins for its markers it still does not parse, so "
			    "ddlguard could not lint it",
			    e->template_kind, n, rd.src.text + e->offset);
			dg_emit(&ctx, DG_RULE_ID_unparsable_template, e->section->dir, e->offset,
				e->offset + e->template_len,
				dg_rules[DG_RULE_ID_unparsable_template]->help, msg);
		} else if (cfg->enabled[DG_RULE_ID_syntax_error]) {
			dg_emit(&ctx, DG_RULE_ID_syntax_error, e->section->dir, e->offset, end,
				dg_rules[DG_RULE_ID_syntax_error]->help, e->message);
		}
	}
	for (size_t i = 0; i < rd.parsed.n_stmts; i++) {
		ctx.stmt_index = i;
		ctx.stmt = &rd.parsed.stmts[i];
		ctx.depth = 0;
		walk_message(&ctx, &rd.parsed.stmts[i].node->base);
	}
	ctx.stmt = NULL;
	ctx.node = NULL;
	ctx.stmt_index = rd.parsed.n_stmts;
	for (size_t r = 0; r < DG_N_RULES; r++) {
		if (!cfg->enabled[r] || !dg_rules[r]->check_file)
			continue;
		ctx.rule = dg_rules[r];
		ctx.rule_index = r;
		dg_rules[r]->check_file(&ctx);
	}
	dg_suppress_file(&ctx);
	free(ctx.stack);
	dg_normalized_free(&fp_cache.norm);
	ctx.fp_cache = NULL;
	if (cfg->verify_fixes)
		dg_fix_verify_all(&ctx, cat, buf, len);
	/* what this file's up sections did becomes what the next migration finds */
	if (cat && absorb) {
		dg_catalog_absorb(cat, &rd.parsed, &rd.facts);
		dg_memory_absorbed(cat, out->path);
	}
	dg_arena_destroy(&arena);
	dg_result_finish(out);
	return DG_OK;
}

/* The word (letters, digits, '_') at s[i, n) upper-cased into w; returns its end. */
static size_t word_at(const char *s, size_t i, size_t n, char *w, size_t size)
{
	size_t k = 0;

	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_')) {
		if (k + 1 < size)
			w[k++] = (char)toupper((unsigned char)s[i]);
		i++;
	}
	w[k] = '\0';
	return i;
}

/* Whether a statement starting at s[i] can change what schema memory holds: data statements,
 * grants, comments and function, trigger, view and policy bodies cannot. */
static bool may_change_schema(const char *s, size_t i, size_t n)
{
	static const char *const data[] = {"INSERT", "UPDATE", "DELETE", "COPY",
					   "SELECT", "GRANT",  "REVOKE", "COMMENT",
					   "DO",     "WITH",   "VALUES", "TRUNCATE"};
	static const char *const bodies[] = {"FUNCTION", "PROCEDURE", "TRIGGER",  "POLICY",
					     "VIEW",	 "RULE",      "AGGREGATE"};
	char w[16];

	i = word_at(s, i, n, w, sizeof(w));
	for (size_t k = 0; k < sizeof(data) / sizeof(data[0]); k++)
		if (!strcmp(w, data[k]))
			return false;
	if (strcmp(w, "CREATE") != 0)
		return true;
	for (int words = 0; words < 4; words++) {
		i = word_at(s, dg_skip_trivia(s, i, n), n, w, sizeof(w));
		if (strcmp(w, "OR") && strcmp(w, "REPLACE") && strcmp(w, "CONSTRAINT") &&
		    strcmp(w, "TEMP") && strcmp(w, "TEMPORARY") && strcmp(w, "RECURSIVE"))
			break;
	}
	for (size_t k = 0; k < sizeof(bodies) / sizeof(bodies[0]); k++)
		if (!strcmp(w, bodies[k]))
			return false;
	return true;
}

/* Blanks (spaces, newlines kept: every offset stays) the statements that cannot change schema
 * memory, so that reading an earlier migration parses only its DDL: seed data and function
 * bodies are most of the bytes of a long history. */
static void keep_schema_statements(char *s, size_t n)
{
	size_t i = dg_skip_trivia(s, 0, n);

	while (i < n) {
		bool keep = may_change_schema(s, i, n);

		while (i < n && s[i] != ';') {
			size_t end = dg_token_end(s, i, n);
			if (end <= i)
				end = i + 1;
			/* its tokens only: the comments between them (a runner's markers) stay */
			for (size_t k = i; !keep && k < end; k++)
				if (s[k] != '\n')
					s[k] = ' ';
			i = dg_skip_trivia(s, end, n);
		}
		if (i < n)
			i++; /* the ';' */
		i = dg_skip_trivia(s, i, n);
	}
}

/* An earlier migration read for schema memory: read and parsed on any thread, absorbed in
 * order on the catalog's. */
struct absorbed {
	char *buf;
	struct dg_arena arena;
	struct dg_read rd;
	bool parsed, absorb;
	bool ready; /* dg_absorb_many: read, waiting to be absorbed */
};

static void absorb_read(const struct dg_config *cfg, const char *path, struct absorbed *x)
{
	size_t len = 0;
	int err;

	memset(x, 0, sizeof(*x));
	x->buf = dg_read_path(path, cfg->max_file_size, &len, &err);
	if (!x->buf || (dg_ddb_path_is_template(path) && dg_ddb_sniff(path, x->buf, len)))
		return;
	keep_schema_statements(x->buf, len);
	dg_arena_init(&x->arena);
	x->parsed = true;
	x->absorb = dg_read_migration(cfg, &x->arena, path, x->buf, len, &x->rd) == (size_t)-1 &&
		    (!x->rd.mig.skipped || x->rd.mig.snapshot);
}

static void absorb_commit(struct dg_catalog *cat, struct absorbed *x)
{
	if (x->absorb)
		dg_catalog_absorb(cat, &x->rd.parsed, &x->rd.facts);
	if (x->parsed)
		dg_arena_destroy(&x->arena);
	free(x->buf);
}

void dg_absorb_only(const struct dg_config *cfg, struct dg_catalog *cat, const char *path)
{
	struct absorbed x;

	absorb_read(cfg, path, &x);
	absorb_commit(cat, &x);
}

/* Files parsed ahead of the one being absorbed, at most: their trees wait in memory. */
#define PREFETCH_AHEAD 64
/* Fewer earlier files than this are read on the calling thread alone. */
#define PREFETCH_MIN 16
#define PREFETCH_THREADS 4

struct prefetch {
	const struct dg_config *cfg;
	char *const *paths;
	size_t n;
	struct absorbed *slots;
	size_t next, absorbed; /* the next file to claim; files absorbed so far */
	pthread_mutex_t mu;
	pthread_cond_t done, room;
};

/* Whether a file is left to read within PREFETCH_AHEAD of the one being absorbed (mu held). */
static bool can_claim(const struct prefetch *pf)
{
	return pf->next < pf->n && pf->next < pf->absorbed + PREFETCH_AHEAD;
}

/* Claims the next file and reads it; mu is held before and after, not while reading. */
static void read_next(struct prefetch *pf)
{
	size_t i = pf->next++;

	pthread_mutex_unlock(&pf->mu);
	absorb_read(pf->cfg, pf->paths[i], &pf->slots[i]);
	pthread_mutex_lock(&pf->mu);
	pf->slots[i].ready = true;
	pthread_cond_broadcast(&pf->done);
}

static void *prefetch_worker(void *arg)
{
	struct prefetch *pf = arg;

	pthread_mutex_lock(&pf->mu);
	while (pf->next < pf->n) {
		if (can_claim(pf))
			read_next(pf);
		else
			pthread_cond_wait(&pf->room, &pf->mu);
	}
	pthread_mutex_unlock(&pf->mu);
	dg_lint_caches_free();
	return NULL;
}

void dg_absorb_many(const struct dg_config *cfg, struct dg_catalog *cat, char *const *paths,
		    size_t n)
{
	struct prefetch pf = {cfg,
			      paths,
			      n,
			      NULL,
			      0,
			      0,
			      PTHREAD_MUTEX_INITIALIZER,
			      PTHREAD_COND_INITIALIZER,
			      PTHREAD_COND_INITIALIZER};
	pthread_t threads[PREFETCH_THREADS - 1];
	unsigned helpers = dg_jobs_default(), started = 0;

	if (helpers > PREFETCH_THREADS)
		helpers = PREFETCH_THREADS;
	helpers = helpers ? helpers - 1 : 0; /* the calling thread reads too */
	if (n < PREFETCH_MIN || !helpers) {
		for (size_t i = 0; i < n; i++)
			dg_absorb_only(cfg, cat, paths[i]);
		return;
	}
	pf.slots = dg_xcalloc(n, sizeof(*pf.slots));
	for (unsigned t = 0; t < helpers; t++)
		if (dg_thread_start(&threads[started], prefetch_worker, &pf))
			started++;
	/* in order; while file i is not read yet, this thread reads the next one nobody took */
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&pf.mu);
		while (!pf.slots[i].ready) {
			if (can_claim(&pf))
				read_next(&pf);
			else
				pthread_cond_wait(&pf.done, &pf.mu);
		}
		pf.absorbed = i + 1;
		pthread_cond_broadcast(&pf.room);
		pthread_mutex_unlock(&pf.mu);
		absorb_commit(cat, &pf.slots[i]);
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(pf.slots);
	pthread_mutex_destroy(&pf.mu);
	pthread_cond_destroy(&pf.done);
	pthread_cond_destroy(&pf.room);
}

void dg_absorb_file(const struct dg_config *cfg, struct dg_catalog *cat, const char *path)
{
	size_t len = 0;
	int err;
	char *buf = dg_read_path(path, cfg->max_file_size, &len, &err);
	struct dg_arena arena;
	struct dg_read rd;

	if (!buf)
		return;
	if (dg_ddb_path_is_template(path) && dg_ddb_sniff(path, buf, len)) {
		free(buf);
		return;
	}
	dg_arena_init(&arena);
	if (dg_read_migration(cfg, &arena, path, buf, len, &rd) == (size_t)-1 &&
	    (!rd.mig.skipped || rd.mig.snapshot)) {
		dg_memory_enter(cfg, cat, path, rd.mig.format);
		dg_catalog_absorb(cat, &rd.parsed, &rd.facts);
		dg_memory_absorbed(cat, path);
	}
	dg_arena_destroy(&arena);
	free(buf);
}

void dg_result_finish(struct dg_result *out)
{
	if (out->n_findings > 1)
		qsort(out->findings, out->n_findings, sizeof(*out->findings), cmp_findings);
	number_duplicates(out);
}

enum dg_status dg_lint_file(const struct dg_config *cfg, const char *path, struct dg_result *out)
{
	return dg_lint_file_with(cfg, NULL, path, out);
}

enum dg_status dg_lint_file_with(const struct dg_config *cfg, struct dg_catalog *cat,
				 const char *path, struct dg_result *out)
{
	size_t len = 0;
	int err;
	char *buf = dg_read_path(path, cfg->max_file_size, &len, &err);
	enum dg_status st;

	if (!buf)
		return dg_result_unreadable(out, path, err, cfg->max_file_size);
	st = dg_lint_buffer_with(cfg, cat, path, buf, len, out);
	free(buf);
	return st;
}

enum dg_status dg_result_unreadable(struct dg_result *out, const char *path, int err, size_t limit)
{
	char why[160];

	memset(out, 0, sizeof(*out));
	out->path = dg_xstrdup(path);
	out->format = "plain";
	out->status = err ? DG_ERR_IO : DG_ERR_INTERNAL;
	out->error = dg_xstrdup(dg_read_strerror(err, limit, why, sizeof(why)));
	return out->status;
}

void dg_result_clear(struct dg_result *res)
{
	for (size_t i = 0; i < res->n_findings; i++)
		dg_finding_clear(&res->findings[i]);
	free(res->findings);
	free(res->path);
	free(res->error);
	memset(res, 0, sizeof(*res));
}

void dg_result_sort(struct dg_result *out)
{
	if (out->n_findings > 1)
		qsort(out->findings, out->n_findings, sizeof(*out->findings), cmp_findings);
	number_duplicates(out);
}
