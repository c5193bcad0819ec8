/* engine.c — the pipeline for one file: source → migration → parse → facts → one walk per
 * statement dispatching nodes to the rules that asked for them → findings. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "lex.h"

#define DG_MAX_NODE_CASE 512

/* kind → indices of the rules that asked for it, built once from the static registry */
static unsigned short *dispatch[DG_MAX_NODE_CASE];
static unsigned short dispatch_n[DG_MAX_NODE_CASE];
static bool dispatch_ready;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("ddlguard: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static void build_dispatch(void)
{
	static unsigned short storage[DG_N_RULES * 64];
	size_t used = 0;

	if (dispatch_ready)
		return;
	for (int k = 1; k < DG_MAX_NODE_CASE; k++) {
		for (size_t r = 0; r < DG_N_RULES; r++) {
			const int *kinds = dg_rules[r]->kinds;
			for (; kinds && *kinds; kinds++) {
				if (*kinds != k)
					continue;
				if (!dispatch[k])
					dispatch[k] = &storage[used];
				storage[used++] = (unsigned short)r;
				dispatch_n[k]++;
				break;
			}
		}
	}
	dispatch_ready = true;
}

/* ---- the walk ---------------------------------------------------------------------------- */

static void push(struct dg_ctx *ctx, const PgQuery__Node *n)
{
	if (ctx->depth == ctx->cap_depth) {
		size_t ncap = ctx->cap_depth ? ctx->cap_depth * 2 : 64;
		const PgQuery__Node **s = xmalloc(ncap * sizeof(*s));
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
		ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)(base + fd->offset);
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
		const ProtobufCFieldDescriptor *fd;

		if (n->node_case == PG_QUERY__NODE__NODE__NOT_SET)
			return;
		visit_node(ctx, n);
		fd = protobuf_c_message_descriptor_get_field(d, (unsigned)n->node_case);
		if (!fd)
			return;
		push(ctx, n);
		walk_field(ctx, m, fd);
		ctx->depth--;
		return;
	}
	for (unsigned f = 0; f < d->n_fields; f++)
		walk_field(ctx, m, &d->fields[f]);
}

/* ---- spans ------------------------------------------------------------------------------- */

static int node_location(const PgQuery__Node *n)
{
	const ProtobufCMessageDescriptor *d = &pg_query__node__descriptor;
	const ProtobufCFieldDescriptor *fd =
		protobuf_c_message_descriptor_get_field(d, (unsigned)n->node_case);
	const ProtobufCMessage *inner;
	const ProtobufCFieldDescriptor *loc;

	if (!fd || fd->type != PROTOBUF_C_TYPE_MESSAGE)
		return -1;
	inner = *(ProtobufCMessage *const *)((const char *)n + fd->offset);
	if (!inner)
		return -1;
	loc = protobuf_c_message_descriptor_get_field_by_name(inner->descriptor, "location");
	if (!loc || loc->type != PROTOBUF_C_TYPE_INT32)
		return -1;
	return *(const int32_t *)((const char *)inner + loc->offset);
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
		struct dg_finding *n = xmalloc(ncap * sizeof(*n));
		if (out->n_findings)
			memcpy(n, out->findings, out->n_findings * sizeof(*n));
		free(out->findings);
		out->findings = n;
		out->cap_findings = ncap;
	}
	out->findings[out->n_findings++] = *f;
}

void dg_emit(struct dg_ctx *ctx, size_t rule_index, enum dg_direction dir, size_t start,
	     size_t end, const char *help, const char *message)
{
	const struct dg_source *src = ctx->src;
	struct dg_finding f = {0};
	struct dg_pos a, b;
	const char *line;
	size_t line_len;

	if (start > src->len)
		start = src->len;
	if (end < start)
		end = start;
	if (end > src->len)
		end = src->len;
	a = dg_source_pos(src, start);
	b = dg_source_pos(src, end);
	line = dg_source_line(src, a.line, &line_len);
	f.rule = dg_rules[rule_index]->name;
	f.severity = ctx->cfg->severity[rule_index];
	f.line = a.line;
	f.column = a.column;
	f.end_line = b.line;
	f.end_column = b.column;
	f.byte_offset = start + src->bom;
	f.byte_length = end - start;
	f.message = xstrdup(message);
	f.help = help ? xstrdup(help) : NULL;
	f.section = dir;
	f.source_line = xmalloc(line_len + 1);
	memcpy(f.source_line, line, line_len);
	f.source_line[line_len] = '\0';
	result_push(ctx->out, &f);
}

static void vreport(struct dg_ctx *ctx, size_t start, size_t end, const char *help,
		    const char *fmt, va_list ap)
{
	char buf[2048];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	dg_emit(ctx, ctx->rule_index, dg_section_dir(ctx), start, end,
		help ? help : ctx->rule->help, buf);
}

void dg_report(struct dg_ctx *ctx, const PgQuery__Node *node, const char *fmt, ...)
{
	size_t s, e;
	va_list ap;

	node_span(ctx, node, &s, &e);
	va_start(ap, fmt);
	vreport(ctx, s, e, NULL, fmt, ap);
	va_end(ap);
}

void dg_report_help(struct dg_ctx *ctx, const PgQuery__Node *node, const char *help,
		    const char *fmt, ...)
{
	size_t s, e;
	va_list ap;

	node_span(ctx, node, &s, &e);
	va_start(ap, fmt);
	vreport(ctx, s, e, help, fmt, ap);
	va_end(ap);
}

void dg_report_range(struct dg_ctx *ctx, size_t start, size_t end, const char *help,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, start, end, help, fmt, ap);
	va_end(ap);
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

size_t dg_statement_count(const struct dg_ctx *ctx)
{
	return ctx->parsed->n_stmts;
}

const struct dg_lock_info *dg_stmt_locks_at(struct dg_ctx *ctx, size_t i)
{
	if (i >= ctx->parsed->n_stmts)
		return NULL;
	if (!ctx->locks) {
		ctx->locks = dg_arena_alloc(ctx->arena, ctx->parsed->n_stmts * sizeof(*ctx->locks));
		memset(ctx->locks, 0, ctx->parsed->n_stmts * sizeof(*ctx->locks));
		dg_lock_file_init(&ctx->lock_file, ctx->parsed);
	}
	if (!ctx->locks[i]) {
		ctx->locks[i] = dg_arena_alloc(ctx->arena, sizeof(**ctx->locks));
		dg_locks_of_stmt(&ctx->lock_file, i, ctx->cfg->pg_version, ctx->locks[i]);
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

size_t dg_stmt_index(const struct dg_ctx *ctx)
{
	return ctx->stmt_index;
}

const PgQuery__Node *dg_stmt_at(const struct dg_ctx *ctx, size_t i)
{
	return i < ctx->parsed->n_stmts ? ctx->parsed->stmts[i].node : NULL;
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

const char *dg_node_string(const PgQuery__Node *node)
{
	if (node && node->node_case == PG_QUERY__NODE__NODE_STRING && node->string)
		return node->string->sval;
	return NULL;
}

const char *dg_name_last(PgQuery__Node *const *names, size_t n)
{
	return n ? dg_node_string(names[n - 1]) : NULL;
}

/* ---- the pipeline ------------------------------------------------------------------------ */

static int cmp_findings(const void *pa, const void *pb)
{
	const struct dg_finding *a = pa, *b = pb;

	if (a->byte_offset != b->byte_offset)
		return a->byte_offset < b->byte_offset ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

enum dg_status dg_lint_buffer(const struct dg_config *cfg, const char *path, const char *buf,
			      size_t len, struct dg_result *out)
{
	struct dg_arena arena;
	struct dg_source src;
	struct dg_migration mig;
	struct dg_parsed parsed = {0};
	struct dg_facts facts;
	struct dg_ctx ctx = {0};
	size_t bad;

	memset(out, 0, sizeof(*out));
	out->path = xstrdup(path);
	build_dispatch();
	dg_arena_init(&arena);
	dg_source_init(&src, &arena, out->path, buf, len);
	ctx.cfg = cfg;
	ctx.arena = &arena;
	ctx.src = &src;
	ctx.out = out;
	ctx.parsed = &parsed;

	bad = dg_source_find_invalid_utf8(&src);
	if (bad != (size_t)-1) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "the file is not valid UTF-8 (byte 0x%02X): it was not linted; PostgreSQL "
			 "would reject it in a UTF8 database",
			 (unsigned char)src.text[bad]);
		out->format = "plain";
		if (cfg->enabled[DG_RULE_ID_syntax_error])
			dg_emit(&ctx, DG_RULE_ID_syntax_error, DG_DIR_NONE, bad, bad + 1,
				"Save the file as UTF-8.", msg);
		dg_arena_destroy(&arena);
		return DG_OK;
	}

	dg_migration_detect(&src, &arena, &mig);
	out->format = mig.format;
	ctx.mig = &mig;
	for (size_t i = 0; i < mig.n_sections; i++)
		dg_parse_section(&src, &mig.sections[i], &arena, &parsed);
	dg_facts_build(&facts, &parsed, &arena, cfg->assume_in_transaction);
	ctx.facts = &facts;

	if (cfg->enabled[DG_RULE_ID_syntax_error]) {
		for (size_t i = 0; i < parsed.n_errors; i++) {
			const struct dg_syntax_error *e = &parsed.errors[i];
			size_t end = dg_token_end(src.text, e->offset, src.len);
			if (e->offset >= src.len)
				end = e->offset;
			dg_emit(&ctx, DG_RULE_ID_syntax_error, e->section->dir, e->offset, end,
				dg_rules[DG_RULE_ID_syntax_error]->help, e->message);
		}
	}
	for (size_t i = 0; i < parsed.n_stmts; i++) {
		ctx.stmt_index = i;
		ctx.stmt = &parsed.stmts[i];
		ctx.depth = 0;
		walk_message(&ctx, &parsed.stmts[i].node->base);
	}
	ctx.stmt = NULL;
	ctx.stmt_index = parsed.n_stmts;
	for (size_t r = 0; r < DG_N_RULES; r++) {
		if (!cfg->enabled[r] || !dg_rules[r]->check_file)
			continue;
		ctx.rule = dg_rules[r];
		ctx.rule_index = r;
		dg_rules[r]->check_file(&ctx);
	}
	free(ctx.stack);
	dg_arena_destroy(&arena);
	if (out->n_findings > 1)
		qsort(out->findings, out->n_findings, sizeof(*out->findings), cmp_findings);
	return DG_OK;
}

enum dg_status dg_lint_file(const struct dg_config *cfg, const char *path, struct dg_result *out)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	enum dg_status st;

	if (!fp) {
		memset(out, 0, sizeof(*out));
		out->path = xstrdup(path);
		out->status = DG_ERR_IO;
		out->error = xstrdup(strerror(errno));
		return DG_ERR_IO;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(fp);
				return DG_ERR_INTERNAL;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int err = errno;
		fclose(fp);
		free(buf);
		memset(out, 0, sizeof(*out));
		out->path = xstrdup(path);
		out->status = DG_ERR_IO;
		out->error = xstrdup(strerror(err ? err : EIO));
		return DG_ERR_IO;
	}
	fclose(fp);
	st = dg_lint_buffer(cfg, path, buf, len, out);
	free(buf);
	return st;
}

void dg_result_clear(struct dg_result *res)
{
	for (size_t i = 0; i < res->n_findings; i++) {
		free(res->findings[i].message);
		free(res->findings[i].help);
		free(res->findings[i].source_line);
	}
	free(res->findings);
	free(res->path);
	free(res->error);
	memset(res, 0, sizeof(*res));
}
