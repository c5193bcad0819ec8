/* plpgsql.c — the SQL that hides in PL/pgSQL: the static statements of DO blocks and of the
 * functions a migration creates and then runs, parsed with the ordinary parser and inserted
 * among the migration's statements at the exact position of their text in the file.
 *
 * libpg_query's pg_query_parse_plpgsql gives the PL/pgSQL tree as JSON, with each statement's
 * SQL text and line in the body but no offsets: the text is found again in the body (PL/pgSQL
 * copies it verbatim, except that it blanks an INTO clause and writes PERFORM as SELECT), and
 * every offset goes through a map from the text parsed to the file, which also undoes the
 * quoting of a body or EXECUTE string written as '…' or E'…'. */
#include "plpgsql.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "lex.h"
#include "pgtree.h"
#include "template.h"

/* ---- string constants ------------------------------------------------------------------------ */

static bool ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

size_t dg_plpgsql_decode_string(struct dg_arena *a, const char *s, size_t i, size_t n, char **text,
				size_t **map, size_t *end)
{
	size_t len = 0, k;
	char *t;
	size_t *m;
	bool esc = false;

	if (i >= n)
		return (size_t)-1;
	if (s[i] == '$') {
		size_t tag = i + 1, close;
		while (tag < n && s[tag] != '$' && ident_char((unsigned char)s[tag]))
			tag++;
		if (tag >= n || s[tag] != '$')
			return (size_t)-1;
		tag = tag + 1 - i; /* the length of "$tag$" */
		for (close = i + tag; close + tag <= n; close++)
			if (memcmp(s + close, s + i, tag) == 0)
				break;
		if (close + tag > n)
			return (size_t)-1;
		len = close - (i + tag);
		t = dg_arena_alloc(a, len + 1);
		m = dg_arena_alloc(a, (len + 1) * sizeof(*m));
		memcpy(t, s + i + tag, len);
		t[len] = '\0';
		for (k = 0; k <= len; k++)
			m[k] = i + tag + k;
		*text = t;
		*map = m;
		*end = close + tag;
		return len;
	}
	if (s[i] == 'E' || s[i] == 'e') {
		esc = true;
		i++;
	}
	if (i >= n || s[i] != '\'')
		return (size_t)-1;
	t = dg_arena_alloc(a, n - i + 1);
	m = dg_arena_alloc(a, (n - i + 1) * sizeof(*m));
	for (k = i + 1; k < n; k++) {
		if (s[k] == '\'') {
			if (k + 1 < n && s[k + 1] == '\'') {
				m[len] = k;
				t[len++] = '\'';
				k++;
				continue;
			}
			t[len] = '\0';
			m[len] = k;
			*text = t;
			*map = m;
			*end = k + 1;
			return len;
		}
		if (esc && s[k] == '\\' && k + 1 < n) {
			char c = s[k + 1], v;
			switch (c) {
			case 'n':
				v = '\n';
				break;
			case 't':
				v = '\t';
				break;
			case 'r':
				v = '\r';
				break;
			case 'b':
				v = '\b';
				break;
			case 'f':
				v = '\f';
				break;
			case 'u':
			case 'U':
			case 'x':
				return (size_t)-1; /* code points: not worth a map */
			default:
				if (c >= '0' && c <= '7')
					return (size_t)-1;
				v = c; /* \\ \' and any other character stand for themselves */
			}
			m[len] = k;
			t[len++] = v;
			k++;
			continue;
		}
		m[len] = k;
		t[len++] = s[k];
	}
	return (size_t)-1;
}

/* ---- finding a statement's text in the body -------------------------------------------------- */

/* Whether the query text q (as PL/pgSQL stored it) is written at b[p]: maps every byte of q to
 * the body offset it came from (qmap[qn] is where the text ends). PERFORM is stored as SELECT,
 * an INTO clause as blanks. */
static bool match_at(const char *b, size_t bn, size_t p, const char *q, size_t qn, size_t *qmap)
{
	size_t i = p, k = 0;

	if (p > 0 && ident_char((unsigned char)b[p - 1]))
		return false;
	if (qn >= 6 && strncasecmp(q, "SELECT", 6) == 0 && p + 7 <= bn &&
	    strncasecmp(b + p, "PERFORM", 7) == 0) {
		for (; k < 6; k++)
			qmap[k] = p + k;
		i = p + 7;
	}
	while (k < qn) {
		if (i >= bn)
			return false;
		if (q[k] == b[i]) {
			qmap[k++] = i++;
			continue;
		}
		if (isspace((unsigned char)q[k]) && isspace((unsigned char)b[i])) {
			qmap[k++] = i++;
			continue;
		}
		if (q[k] == ' ' && k >= 6) { /* a blanked INTO clause: same length */
			qmap[k++] = i++;
			continue;
		}
		return false;
	}
	qmap[qn] = i;
	return true;
}

static bool locate(const char *b, size_t bn, size_t from, const char *q, size_t qn, size_t *qmap)
{
	for (size_t p = from; p + 1 <= bn; p++) {
		unsigned char c = (unsigned char)b[p];
		if (tolower(c) != tolower((unsigned char)q[0]) && tolower(c) != 'p')
			continue;
		if (match_at(b, bn, p, q, qn, qmap))
			return true;
	}
	return false;
}

/* ---- expansion ------------------------------------------------------------------------------- */

struct body {
	struct dg_arena *a;
	const struct dg_section *sec;
	const char *b; /* the decoded body */
	size_t bn;
	const size_t *bsrc; /* body offset → file offset */
	size_t *line;	    /* offsets where the body's lines start */
	size_t n_lines;
	size_t cursor;
	const char *where;	    /* "the DO block at line 3", for the note */
	size_t hstart, hend;	    /* the holder's span in the file */
	size_t holder;		    /* 1 + its index */
	const char *body_templated; /* the body was rendered (template.c): says so, else "" */
	struct dg_stmt *list;	    /* what was found, in body order */
	size_t n, cap;
};

struct relocate {
	const size_t *src; /* text offset → file offset, or NULL: no position */
	size_t n;
	size_t base; /* the section's start */
};

static enum dg_pb_next relocate_visit(const ProtobufCMessage *m, void *arg)
{
	const struct relocate *r = arg;
	int32_t *loc = dg_pb_location(m);

	if (!loc)
		return DG_PB_DESCEND;
	if (*loc >= 0 && r->src && (size_t)*loc < r->n && r->src[*loc] >= r->base)
		*loc = (int32_t)(r->src[*loc] - r->base);
	else
		*loc = -1;
	return DG_PB_DESCEND;
}

/* Parses text[0, n) (a NUL-terminated copy) as SQL and adds its statements; src maps its offsets
 * to the file, or is NULL when they could not be mapped. */
static void add_sql(struct body *bd, const char *text, size_t n, const size_t *src, const char *how)
{
	struct dg_pgtree r;
	const PgQuery__ParseResult *pr;
	char templated[256] = "";

	dg_pgtree_parse(bd->a, text, &r);
	if (r.error) {
		/* a placeholder in the body (Flyway's ${schema}): rendered, it may parse */
		struct dg_rendered rr;
		char *copy = dg_arena_strndup(bd->a, text, n);
		dg_pgtree_release(&r);
		if (!dg_template_render(copy, 0, n, &rr))
			return; /* PL/pgSQL accepts what runs later: nothing to lint */
		dg_pgtree_parse(bd->a, copy, &r);
		if (r.error) {
			dg_pgtree_release(&r);
			return;
		}
		snprintf(templated, sizeof(templated),
			 "; the statement is templated: it was linted with %s%s standing in for %s "
			 "%s%s",
			 rr.stand_in[0] ? "the name " : "blanks", rr.stand_in, rr.kind, rr.first,
			 rr.count > 1 ? " and the other markers" : "");
		text = copy;
	}
	pr = r.tree; /* NULL when a statement nests too deeply to walk */
	dg_pgtree_release(&r);
	if (!pr)
		return;
	for (size_t i = 0; i < pr->n_stmts; i++) {
		const PgQuery__RawStmt *raw = pr->stmts[i];
		size_t loc = (size_t)raw->stmt_location, end, start;
		struct relocate rl = {src, n, bd->sec->start};
		char note[512];

		/* PL/pgSQL refuses transaction commands in SQL and EXECUTE (its own COMMIT and
		 * ROLLBACK are statements of its own): they never change the migration's
		 * transactions */
		if (!raw->stmt || loc > n ||
		    raw->stmt->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT)
			continue;
		end = raw->stmt_len ? loc + (size_t)raw->stmt_len : n;
		if (end > n)
			end = n;
		start = dg_skip_trivia(text, loc, end);
		end = dg_last_token_end(text, start, end);
		dg_pb_walk(&raw->stmt->base, relocate_visit, &rl);
		if (src && end > start) {
			snprintf(note, sizeof(note), "%s%s%s%s", how, bd->where, bd->body_templated,
				 templated);
			start = src[start];
			end = src[end - 1] + 1;
		} else {
			snprintf(note, sizeof(note),
				 "%s%s; its position in the body could not be mapped, so it is "
				 "reported at the statement that holds it%s%s",
				 how, bd->where, bd->body_templated, templated);
			start = bd->hstart;
			end = bd->hend;
		}
		bd->list = dg_arena_grow(bd->a, bd->list, bd->n, &bd->cap, sizeof(*bd->list));
		bd->list[bd->n++] = (struct dg_stmt){
		    raw->stmt, start, end, bd->sec, dg_arena_strndup(bd->a, note, strlen(note)),
		    bd->holder};
	}
}

static const char *expr_query(const cJSON *e)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(e, "PLpgSQL_expr");
	const cJSON *q = x ? cJSON_GetObjectItemCaseSensitive(x, "query") : NULL;
	return cJSON_IsString(q) ? q->valuestring : NULL;
}

/* One PL/pgSQL statement holding SQL: its query text q, stored from line `lineno`. */
static void add_plpgsql_stmt(struct body *bd, int lineno, const char *q, bool execute)
{
	size_t qn = strlen(q), from, *qmap, *src;

	if (!qn)
		return;
	from = lineno >= 1 && (size_t)lineno <= bd->n_lines ? bd->line[lineno - 1] : 0;
	qmap = dg_arena_alloc(bd->a, (qn + 1) * sizeof(*qmap));
	if (!(bd->cursor > from && locate(bd->b, bd->bn, bd->cursor, q, qn, qmap)) &&
	    !locate(bd->b, bd->bn, from, q, qn, qmap) && !locate(bd->b, bd->bn, 0, q, qn, qmap))
		qmap = NULL;
	if (qmap)
		bd->cursor = qmap[qn];
	if (execute) {
		/* EXECUTE of one string constant: its text is the statement */
		size_t s = dg_skip_trivia(q, 0, qn), e, ln, *lmap;
		char *lit;
		if ((ln = dg_plpgsql_decode_string(bd->a, q, s, qn, &lit, &lmap, &e)) ==
			(size_t)-1 ||
		    dg_skip_trivia(q, e, qn) != qn)
			return; /* built at run time: not linted */
		src = NULL;
		if (qmap) {
			src = dg_arena_alloc(bd->a, (ln + 1) * sizeof(*src));
			for (size_t k = 0; k <= ln; k++)
				src[k] = bd->bsrc[qmap[lmap[k]]];
		}
		add_sql(bd, lit, ln, src, "run by EXECUTE ");
		return;
	}
	src = NULL;
	if (qmap) {
		src = dg_arena_alloc(bd->a, (qn + 1) * sizeof(*src));
		for (size_t k = 0; k <= qn; k++)
			src[k] = bd->bsrc[qmap[k]];
	}
	add_sql(bd, q, qn, src, "");
}

static void walk_json(struct body *bd, const cJSON *j, int depth)
{
	if (depth > 200)
		return;
	for (const cJSON *c = j ? j->child : NULL; c; c = c->next) {
		if (c->string && cJSON_IsObject(c)) {
			const cJSON *ln = cJSON_GetObjectItemCaseSensitive(c, "lineno");
			int lineno = cJSON_IsNumber(ln) ? ln->valueint : 0;
			const char *q = NULL;
			bool execute = false;
			if (strcmp(c->string, "PLpgSQL_stmt_execsql") == 0)
				q = expr_query(cJSON_GetObjectItemCaseSensitive(c, "sqlstmt"));
			else if (strcmp(c->string, "PLpgSQL_stmt_perform") == 0)
				q = expr_query(cJSON_GetObjectItemCaseSensitive(c, "expr"));
			else if (strcmp(c->string, "PLpgSQL_stmt_dynexecute") == 0) {
				q = expr_query(cJSON_GetObjectItemCaseSensitive(c, "query"));
				execute = true;
			}
			if (q) {
				add_plpgsql_stmt(bd, lineno, q, execute);
				continue;
			}
		}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			walk_json(bd, c, depth + 1);
	}
}

static const PgQuery__DefElem *option(PgQuery__Node *const *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcmp(opts[i]->def_elem->defname, name) == 0)
			return opts[i]->def_elem;
	return NULL;
}

static bool is_plpgsql(const PgQuery__DefElem *lang, bool dflt)
{
	if (!lang)
		return dflt;
	return lang->arg && lang->arg->node_case == PG_QUERY__NODE__NODE_STRING &&
	       strcasecmp(lang->arg->string->sval, "plpgsql") == 0;
}

/* The statements of the body of `h` (a DO or CREATE FUNCTION statement of the section, the
 * holder at 1-based index `holder`), whose AS option is `as`. */
static void expand(const struct dg_source *src, const struct dg_section *sec, struct dg_arena *a,
		   const struct dg_stmt *h, size_t holder, const PgQuery__DefElem *as, bool keyword,
		   const char *where, struct dg_parsed *out)
{
	size_t hn = h->end - h->start, t, end, bn, *bmap;
	char *text, *body;
	struct body bd = {0};
	PgQueryPlpgsqlParseResult r;
	cJSON *doc;

	if (!as || as->location < 0 || sec->start + (size_t)as->location < h->start)
		return;
	t = sec->start + (size_t)as->location - h->start;
	if (t >= hn)
		return;
	text = dg_arena_strndup(a, src->text + h->start, hn);
	if (keyword) /* CREATE FUNCTION: the location is the AS keyword's */
		t = dg_skip_trivia(text, dg_token_end(text, t, hn), hn);
	bn = dg_plpgsql_decode_string(a, text, t, hn, &body, &bmap, &end);
	if (bn == (size_t)-1)
		return;
	bd.body_templated = "";
	r = pg_query_parse_plpgsql(text);
	if (r.error && text[t] == '$') {
		/* PL/pgSQL parses the body's SQL: a placeholder in it (Flyway's ${schema}) stops
		 * it. Rendered with stand-ins of the same length, the body may compile. */
		struct dg_rendered rr;
		char note[256];
		pg_query_free_plpgsql_parse_result(r);
		if (!dg_template_render(text, bmap[0], bmap[bn], &rr))
			return;
		memcpy(body, text + bmap[0], bn);
		snprintf(note, sizeof(note),
			 "; the body is templated: it was linted with %s%s standing in for %s %s%s",
			 rr.stand_in[0] ? "the name " : "blanks", rr.stand_in, rr.kind, rr.first,
			 rr.count > 1 ? " and the other markers" : "");
		bd.body_templated = dg_arena_strndup(a, note, strlen(note));
		r = pg_query_parse_plpgsql(text);
	}
	if (r.error || !r.plpgsql_funcs) {
		pg_query_free_plpgsql_parse_result(r);
		return;
	}
	doc = cJSON_Parse(r.plpgsql_funcs);
	pg_query_free_plpgsql_parse_result(r);
	if (!doc)
		return;
	bd.a = a;
	bd.sec = sec;
	bd.b = body;
	bd.bn = bn;
	bd.where = where;
	bd.hstart = h->start;
	bd.hend = h->end;
	bd.holder = holder;
	{
		size_t *s = dg_arena_alloc(a, (bn + 1) * sizeof(*s)), cap = 0;
		for (size_t k = 0; k <= bn; k++)
			s[k] = h->start + bmap[k];
		bd.bsrc = s;
		for (size_t k = 0; k <= bn; k++)
			if (k == 0 || body[k - 1] == '\n') {
				bd.line =
				    dg_arena_grow(a, bd.line, bd.n_lines, &cap, sizeof(*bd.line));
				bd.line[bd.n_lines++] = k;
			}
	}
	walk_json(&bd, doc, 0);
	cJSON_Delete(doc);
	for (size_t k = 0; k < bd.n; k++) {
		out->stmts = dg_arena_grow(a, out->stmts, out->n_stmts, &out->cap_stmts,
					   sizeof(*out->stmts));
		out->stmts[out->n_stmts++] = bd.list[k];
	}
}

/* ---- functions the section runs -------------------------------------------------------------- */

struct func {
	const char *schema, *name;
	size_t orig;   /* its CREATE statement, in the section's original list */
	size_t holder; /* 1 + its index in the new list */
	bool done;
};

struct call_find {
	const struct func *fs;
	size_t n;
	size_t found; /* index into fs, or n */
};

static bool names_func(PgQuery__Node *const *names, size_t n, const struct func *f)
{
	const char *last, *schema = NULL;

	if (!n || names[n - 1]->node_case != PG_QUERY__NODE__NODE_STRING)
		return false;
	last = names[n - 1]->string->sval;
	if (n >= 2 && names[n - 2]->node_case == PG_QUERY__NODE__NODE_STRING)
		schema = names[n - 2]->string->sval;
	if (strcmp(last, f->name) != 0)
		return false;
	return !schema || !f->schema || strcmp(schema, f->schema) == 0;
}

static enum dg_pb_next call_visit(const ProtobufCMessage *m, void *arg)
{
	struct call_find *c = arg;

	if (m->descriptor != &pg_query__func_call__descriptor)
		return DG_PB_DESCEND;
	for (size_t i = 0; i < c->n; i++) {
		const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
		if (!c->fs[i].done && names_func(fc->funcname, fc->n_funcname, &c->fs[i])) {
			c->found = i;
			return DG_PB_STOP;
		}
	}
	return DG_PB_DESCEND;
}

/* "inside the DO block at line 3", "inside the body of function f(), run by the call at line 9" */
static char *where_line(struct dg_arena *a, const struct dg_source *src, const char *what,
			const char *name, const char *by, size_t at)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "inside %s%s%s at line %u", what, name, by,
		 dg_source_pos(src, at).line);
	return dg_arena_strndup(a, buf, strlen(buf));
}

void dg_plpgsql_expand(const struct dg_source *src, const struct dg_section *sec,
		       struct dg_arena *a, struct dg_parsed *out, size_t first)
{
	size_t n = out->n_stmts - first, n_funcs = 0, cap_funcs = 0;
	struct dg_stmt *orig;
	struct func *fs = NULL;
	bool any = false;

	/* the common case costs one look at each statement's kind */
	for (size_t i = first; i < out->n_stmts && !any; i++) {
		const PgQuery__Node *s = out->stmts[i].node;
		any = s->node_case == PG_QUERY__NODE__NODE_DO_STMT ||
		      s->node_case == PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT;
	}
	if (!any)
		return;
	orig = dg_arena_alloc(a, n * sizeof(*orig));
	memcpy(orig, out->stmts + first, n * sizeof(*orig));
	out->n_stmts = first;
	for (size_t i = 0; i < n; i++) {
		const struct dg_stmt *st = &orig[i];
		const PgQuery__Node *s = st->node;
		size_t holder;

		out->stmts = dg_arena_grow(a, out->stmts, out->n_stmts, &out->cap_stmts,
					   sizeof(*out->stmts));
		out->stmts[out->n_stmts++] = *st;
		holder = out->n_stmts;
		if (s->node_case == PG_QUERY__NODE__NODE_DO_STMT) {
			const PgQuery__DoStmt *d = s->do_stmt;
			if (is_plpgsql(option(d->args, d->n_args, "language"), true))
				expand(src, sec, a, st, holder, option(d->args, d->n_args, "as"),
				       false, where_line(a, src, "the DO block", "", "", st->start),
				       out);
			continue;
		}
		if (s->node_case == PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT) {
			const PgQuery__CreateFunctionStmt *c = s->create_function_stmt;
			PgQuery__Node *const *nm = c->funcname;
			size_t nn = c->n_funcname;
			if (!is_plpgsql(option(c->options, c->n_options, "language"), false) ||
			    !nn || nm[nn - 1]->node_case != PG_QUERY__NODE__NODE_STRING)
				continue;
			fs = dg_arena_grow(a, fs, n_funcs, &cap_funcs, sizeof(*fs));
			fs[n_funcs++] = (struct func){nn >= 2 && nm[nn - 2]->node_case ==
								     PG_QUERY__NODE__NODE_STRING
							  ? nm[nn - 2]->string->sval
							  : NULL,
						      nm[nn - 1]->string->sval, i, holder, false};
			continue;
		}
		if (n_funcs && (s->node_case == PG_QUERY__NODE__NODE_SELECT_STMT ||
				s->node_case == PG_QUERY__NODE__NODE_CALL_STMT)) {
			/* the body runs here, at the first call: once is enough to lint it */
			struct call_find cf = {fs, n_funcs, n_funcs};
			dg_pb_walk(&s->base, call_visit, &cf);
			if (cf.found < n_funcs) {
				const struct func *f = &fs[cf.found];
				const PgQuery__CreateFunctionStmt *c =
				    orig[f->orig].node->create_function_stmt;
				fs[cf.found].done = true;
				expand(src, sec, a, &orig[f->orig], f->holder,
				       option(c->options, c->n_options, "as"), true,
				       where_line(a, src,
						  c->is_procedure ? "the body of procedure "
								  : "the body of function ",
						  f->name,
						  c->is_procedure ? "(), run by the CALL"
								  : "(), run by the call",
						  st->start),
				       out);
			}
		}
	}
}

bool dg_stmt_in_body(const struct dg_ctx *ctx)
{
	return ctx->stmt && ctx->stmt->holder;
}

size_t dg_stmt_holder_at(const struct dg_ctx *ctx, size_t i)
{
	return i < ctx->parsed->n_stmts ? ctx->parsed->stmts[i].holder : 0;
}

#if defined(__SANITIZE_ADDRESS__)
/* libpg_query 15 loses one byte (its copy of the parser's stderr) each time
 * pg_query_parse_plpgsql rejects a body: not ours to free, so LeakSanitizer is told. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:pg_query_raw_parse\n";
}
/* and a run that used the suppression says nothing more on stderr */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif
