/* parse.c — parses a section; on a syntax error, records it, blanks out the statement that holds
 * it (so byte offsets stay put) and parses again, until what remains parses. */
#include "parse.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lex.h"
#include "pgtree.h"
#include "plpgsql.h"
#include "template.h"

/* After this many errors in one section the rest of it is treated as unparsable: a file that
 * is not SQL at all must not cost one parse per line. */
#define DG_MAX_ERRORS_PER_SECTION 200

static void add_error(struct dg_arena *a, struct dg_parsed *out, size_t offset, const char *msg,
		      const struct dg_section *sec)
{
	out->errors =
	    dg_arena_grow(a, out->errors, out->n_errors, &out->cap_errors, sizeof(*out->errors));
	out->errors[out->n_errors++] = (struct dg_syntax_error){
	    offset, dg_arena_strndup(a, msg, strlen(msg)), sec, 0, NULL, NULL, NULL};
}

static bool all_blank(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

static void blank(char *buf, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++)
		if (buf[k] != '\n')
			buf[k] = ' ';
}

static size_t line_end(const char *buf, size_t i, size_t len)
{
	while (i < len && buf[i] != '\n')
		i++;
	return i;
}

static bool word_is(const char *buf, size_t from, size_t to, const char *word)
{
	return to - from == strlen(word) && strncasecmp(buf + from, word, to - from) == 0;
}

/* Blanks a COPY data block starting at `i` (the line after the command): psql sends the lines
 * up to one holding only "\." as data, or to the end of the script. Returns the offset after it. */
static size_t blank_copy_data(char *buf, size_t i, size_t len)
{
	while (i < len) {
		size_t e = line_end(buf, i, len), t = e;
		while (t > i && (buf[t - 1] == '\r' || buf[t - 1] == ' ' || buf[t - 1] == '\t'))
			t--;
		bool last = t - i == 2 && buf[i] == '\\' && buf[i + 1] == '.';
		blank(buf, i, e);
		i = e < len ? e + 1 : e;
		if (last)
			break;
	}
	return i;
}

/* psql meta-commands that send the query buffer, i.e. end the statement like ';' does. */
static bool meta_sends(const char *buf, size_t from, size_t to)
{
	static const char *const sends[] = {"g",     "gx",    "gset",	      "gexec",
					    "gdesc", "watch", "crosstabview", "gp"};
	for (size_t k = 0; k < sizeof(sends) / sizeof(sends[0]); k++)
		if (word_is(buf, from, to, sends[k]))
			return true;
	return false;
}

static bool contains_word_ci(const char *buf, size_t from, size_t to, const char *word)
{
	size_t n = strlen(word);

	for (size_t k = from; k + n <= to; k++)
		if (strncasecmp(buf + k, word, n) == 0 &&
		    (k == from || !isalnum((unsigned char)buf[k - 1])) &&
		    (k + n == to || !isalnum((unsigned char)buf[k + n])))
			return true;
	return false;
}

void dg_blank_psql(char *buf, size_t len)
{
	size_t i = 0, ntok = 0;
	bool copy = false, copy_from = false, copy_stdin = false;

	/* nothing to blank without a backslash (a meta-command, "\;", the "\." after COPY data)
	 * or a COPY from stdin (its data may run to the end) */
	if (!memchr(buf, '\\', len) && !dg_holds_ci(buf, len, "stdin"))
		return;
	for (;;) {
		i = dg_skip_trivia(buf, i, len);
		if (i >= len)
			return;
		if (buf[i] == '\\') {
			size_t e = line_end(buf, i, len), ns = i + 1, ne = ns;
			bool copy_meta, sends;

			if (ns < len && buf[ns] == ';') { /* "\;": a ';' that does not send */
				buf[i] = ' ';
				i = ns;
				continue;
			}
			while (ne < e && (isalnum((unsigned char)buf[ne]) || buf[ne] == '_'))
				ne++;
			copy_meta = word_is(buf, ns, ne, "copy") &&
				    contains_word_ci(buf, ne, e, "from") &&
				    (contains_word_ci(buf, ne, e, "stdin") ||
				     contains_word_ci(buf, ne, e, "pstdin"));
			sends = ntok && meta_sends(buf, ns, ne);
			blank(buf, i, e);
			if (sends) {
				buf[i] = ';';
				ntok = 0;
				copy = copy_from = copy_stdin = false;
			}
			i = e;
			if (copy_meta && i < len)
				i = blank_copy_data(buf, i + 1, len);
			continue;
		}
		if (buf[i] == ';') {
			i++;
			if (copy_stdin) {
				size_t e = line_end(buf, i, len);
				i = e < len ? blank_copy_data(buf, e + 1, len) : e;
			}
			ntok = 0;
			copy = copy_from = copy_stdin = false;
			continue;
		}
		if (copy_stdin) { /* COPY … FROM stdin WITH (…): the options come after stdin */
			i = dg_token_end(buf, i, len);
			continue;
		}
		size_t t = dg_token_end(buf, i, len);
		if (ntok == 0)
			copy = word_is(buf, i, t, "copy");
		else if (copy_from)
			copy_stdin = word_is(buf, i, t, "stdin");
		copy_from = copy && word_is(buf, i, t, "from");
		ntok++;
		i = t;
	}
}

/* What marks the statement at [from, to) as a template or a psql script rather than SQL: a Go
 * template action "{{", a Flyway/Liquibase placeholder "${", a psql variable :name, :'name' or
 * :"name". Sets the marker's offset and length and returns its kind, or NULL. */
static const char *template_marker(const char *buf, size_t from, size_t to, size_t *at,
				   size_t *mlen)
{
	size_t i = from;
	int brackets = 0;

	for (;;) {
		i = dg_skip_trivia(buf, i, to);
		if (i >= to)
			return NULL;
		char c = buf[i];
		char d = i + 1 < to ? buf[i + 1] : '\0';
		if ((c == '{' && (d == '{' || d == '%')) || (c == '$' && d == '{')) {
			size_t e = i + 2;
			const char *close = c == '$' ? "}" : d == '%' ? "%}" : "}}";
			size_t cl = strlen(close);
			while (e + cl <= to && memcmp(buf + e, close, cl) != 0 && buf[e] != '\n')
				e++;
			*at = i;
			*mlen = e + cl <= to && memcmp(buf + e, close, cl) == 0 ? e + cl - i : 2;
			return c == '$' ? "a placeholder" : "a template action";
		}
		if (c == ':' && d == ':') {
			i += 2;
			continue;
		}
		if (c == ':' && brackets == 0 &&
		    (d == '\'' || d == '"' || d == '{' || isalpha((unsigned char)d) || d == '_')) {
			size_t e = d == '{' ? i + 2 : dg_token_end(buf, i + 1, to);
			*at = i;
			*mlen = e - i;
			return "a psql variable";
		}
		if (c == '[')
			brackets++;
		else if (c == ']' && brackets > 0)
			brackets--;
		i = dg_token_end(buf, i, to);
	}
}

/* The statement that holds the error at `e`: from the ';' before it to the ';' after it, at
 * bracket depth 0. */
static void failed_statement(const char *buf, size_t len, size_t e, size_t *pfrom, size_t *pto)
{
	size_t i = 0, stmt_start = 0, from = 0, to = len;
	int depth = 0;

	for (;;) {
		i = dg_skip_trivia(buf, i, len);
		if (i >= len) {
			from = stmt_start;
			to = len;
			break;
		}
		if (buf[i] == ';' && depth <= 0) {
			if (e <= i) {
				from = stmt_start;
				to = i;
				break;
			}
			stmt_start = i + 1;
			depth = 0;
			i++;
			continue;
		}
		if (buf[i] == '(' || buf[i] == '[')
			depth++;
		else if (buf[i] == ')' || buf[i] == ']')
			depth--;
		i = dg_token_end(buf, i, len);
	}
	*pfrom = from;
	*pto = to;
}

/* Whether the token at *i (after trivia) is the keyword `kw`; moves *i past it if so. */
static bool keyword(const char *buf, size_t *i, size_t to, const char *kw)
{
	size_t at = dg_skip_trivia(buf, *i, to), e = dg_token_end(buf, at, to);

	if (e - at != strlen(kw) || strncasecmp(buf + at, kw, e - at) != 0)
		return false;
	*i = e;
	return true;
}

/* The table a failing statement creates, read from its first tokens (CREATE [UNLOGGED] TABLE
 * [IF NOT EXISTS] name) and parsed as the stub CREATE TABLE name (), so that the name is folded
 * and unquoted as PostgreSQL does. */
static void failed_create(struct dg_arena *a, const char *buf, size_t from, size_t to,
			  struct dg_syntax_error *err)
{
	size_t i = from, start, end;
	char *stub;
	struct dg_pgtree r;
	const PgQuery__ParseResult *pr;

	if (!keyword(buf, &i, to, "CREATE"))
		return;
	(void)keyword(buf, &i, to, "UNLOGGED");
	if (!keyword(buf, &i, to, "TABLE"))
		return;
	if (keyword(buf, &i, to, "IF") &&
	    !(keyword(buf, &i, to, "NOT") && keyword(buf, &i, to, "EXISTS")))
		return;
	start = dg_skip_trivia(buf, i, to);
	end = dg_token_end(buf, start, to);
	for (int parts = 1; parts < 3; parts++) {
		size_t dot = dg_skip_trivia(buf, end, to);
		if (dot >= to || buf[dot] != '.')
			break;
		end = dg_token_end(buf, dg_skip_trivia(buf, dot + 1, to), to);
	}
	if (end <= start || end - start > 400)
		return;
	stub = malloc(end - start + 20);
	if (!stub)
		abort();
	memcpy(stub, "CREATE TABLE ", 13);
	memcpy(stub + 13, buf + start, end - start);
	strcpy(stub + 13 + (end - start), " ()");
	dg_pgtree_parse(a, stub, &r);
	free(stub);
	if ((pr = r.tree)) {
		if (pr->n_stmts == 1 && pr->stmts[0]->stmt &&
		    pr->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_CREATE_STMT &&
		    pr->stmts[0]->stmt->create_stmt->relation) {
			const PgQuery__RangeVar *rv = pr->stmts[0]->stmt->create_stmt->relation;
			err->created_schema =
			    rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
			err->created_name = rv->relname;
		}
	}
	dg_pgtree_release(&r);
}

/* Blank [from, to), or to the end when that holds nothing; false when nothing is left. */
static bool blank_failed_statement(char *buf, size_t len, size_t from, size_t to)
{
	if (all_blank(buf, from, to)) {
		to = len;
		if (all_blank(buf, from, to))
			return false;
	}
	blank(buf, from, to);
	return true;
}

/* A statement rendered with stand-ins before it parsed (template.c): its range in the parse
 * buffer, and what its findings say about it. */
struct render {
	size_t from, to;
	struct dg_rendered r;
	const char *note;
};

static const struct render *rendered_at(const struct render *rs, size_t n, size_t from, size_t to)
{
	for (size_t k = 0; k < n; k++)
		if (from < rs[k].to && rs[k].from < to)
			return &rs[k];
	return NULL;
}

const ProtobufCMessage *dg_pb_node_member(const PgQuery__Node *n)
{
	const ProtobufCFieldDescriptor *fd =
	    n->node_case == PG_QUERY__NODE__NODE__NOT_SET
		? NULL
		: protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor,
							  (unsigned)n->node_case);

	return fd && fd->type == PROTOBUF_C_TYPE_MESSAGE
		   ? *(ProtobufCMessage *const *)((const char *)n + fd->offset)
		   : NULL;
}

int32_t *dg_pb_location(const ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor *fd =
	    m->descriptor == &pg_query__node__descriptor /* half of a tree, and no location */
		? NULL
		: protobuf_c_message_descriptor_get_field_by_name(m->descriptor, "location");

	return fd && fd->type == PROTOBUF_C_TYPE_INT32 && fd->label != PROTOBUF_C_LABEL_REPEATED
		   ? (int32_t *)((char *)m + fd->offset)
		   : NULL;
}

static enum dg_pb_next shift_visit(const ProtobufCMessage *m, void *arg)
{
	const size_t *by = arg;
	int32_t *loc = dg_pb_location(m);

	if (loc && *loc >= 0)
		*loc = (size_t)*loc + *by <= INT32_MAX ? (int32_t)((size_t)*loc + *by) : -1;
	return DG_PB_DESCEND;
}

static void add_statements(const struct dg_section *sec, struct dg_arena *a, struct dg_parsed *out,
			   const char *buf, size_t len, size_t base, const PgQuery__ParseResult *pr,
			   const struct render *rs, size_t n_rs)
{
	if (!pr)
		return;
	for (size_t i = 0; i < pr->n_stmts; i++) {
		const PgQuery__RawStmt *raw = pr->stmts[i];
		size_t loc = (size_t)raw->stmt_location;
		size_t end = raw->stmt_len ? loc + (size_t)raw->stmt_len : len;
		size_t start;

		if (!raw->stmt)
			continue;
		if (base)
			/* a later run of a large section: its locations count from the run's
			 * start, the statement's from the section's */
			dg_pb_walk(&raw->stmt->base, shift_visit, &base);
		const struct render *rd;
		start = dg_skip_trivia(buf, loc, end);
		end = dg_last_token_end(buf, start, end);
		rd = n_rs ? rendered_at(rs, n_rs, start, end) : NULL;
		out->stmts = dg_arena_grow(a, out->stmts, out->n_stmts, &out->cap_stmts,
					   sizeof(*out->stmts));
		out->stmts[out->n_stmts++] =
		    (struct dg_stmt){raw->stmt, sec->start + base + start, sec->start + base + end,
				     sec,	rd ? rd->note : NULL,	   0};
	}
}

/* Parses buf[0, len) (a NUL-terminated copy it may blank), which starts `base` bytes into the
 * section: on a syntax error, records it, blanks the statement and parses again. */
static void parse_range(const struct dg_section *sec, struct dg_arena *a, struct dg_parsed *out,
			char *buf, size_t len, size_t base, int *section_errors)
{
	int errors = *section_errors;
	struct render *rs = NULL;
	size_t n_rs = 0, cap_rs = 0;

	for (;;) {
		struct dg_pgtree r;

		dg_pgtree_parse(a, buf, &r);
		if (r.deep) {
			size_t deep_loc = r.deep_loc, deep_len = r.deep_len;
			/* reported like a syntax error at the statement, which is blanked; the
			 * others are parsed again */
			size_t to = deep_len ? deep_loc + deep_len : len;
			if (to > len || deep_loc >= len)
				deep_loc = 0, to = len;
			add_error(
			    a, out, sec->start + base + dg_skip_trivia(buf, deep_loc, to),
			    "this statement nests too deeply for ddlguard to lint it (its "
			    "parse tree is more than 4000 levels deep: a chain of thousands of "
			    "operators?)",
			    sec);
			dg_pgtree_release(&r);
			if (++errors >= DG_MAX_ERRORS_PER_SECTION ||
			    !blank_failed_statement(buf, len, deep_loc, to))
				break;
			continue;
		}
		if (!r.error) {
			add_statements(sec, a, out, buf, len, base, r.tree, rs, n_rs);
			dg_pgtree_release(&r);
			break;
		}
		size_t e = r.error->cursorpos > 0
			       ? dg_char_to_byte(buf, len, (size_t)r.error->cursorpos)
			       : 0;
		size_t from, to, at, mlen;
		const char *kind;

		failed_statement(buf, len, e, &from, &to);
		if (!rendered_at(rs, n_rs, from, to) && ++errors < DG_MAX_ERRORS_PER_SECTION) {
			/* a templated statement: rendered with stand-ins, it may parse */
			struct dg_rendered rr;
			if (dg_template_render(buf, from, to, &rr)) {
				char note[256];
				snprintf(note, sizeof(note),
					 "the statement is templated: it was linted with %s%s "
					 "standing in for %s %s%s",
					 rr.stand_in[0] ? "the name " : "blanks", rr.stand_in,
					 rr.kind, rr.first,
					 rr.count > 1 ? " and the other markers" : "");
				rs = dg_arena_grow(a, rs, n_rs, &cap_rs, sizeof(*rs));
				rs[n_rs++] = (struct render){
				    from, to, rr, dg_arena_strndup(a, note, strlen(note))};
				dg_pgtree_release(&r);
				continue;
			}
		}
		{
			const struct render *rd = rendered_at(rs, n_rs, from, to);
			if (rd) { /* rendered, and still not SQL */
				kind = rd->r.kind;
				at = rd->r.at;
				mlen = rd->r.len;
			} else {
				kind = template_marker(buf, from, to, &at, &mlen);
			}
		}
		add_error(a, out, sec->start + base + (kind ? at : e), r.error->message, sec);
		if (kind) {
			out->errors[out->n_errors - 1].template_kind = kind;
			out->errors[out->n_errors - 1].template_len = mlen;
		} else {
			failed_create(a, buf, from, to, &out->errors[out->n_errors - 1]);
		}
		dg_pgtree_release(&r);
		if (++errors >= DG_MAX_ERRORS_PER_SECTION ||
		    !blank_failed_statement(buf, len, from, to))
			break;
	}
	*section_errors = errors;
}

/* libpg_query's memory grows with everything it parses at once (10 statements of 1 MB cost
 * ten times one of them, and running out of it ends the process), and so does its time: a
 * large section is parsed in runs of whole statements of about this size, cut where
 * PostgreSQL's scanner says one statement ends (a 500 kB file parsed in runs of 64 kB: 22 ->
 * 17.7 MiB at its peak, 0.060 -> 0.052 s). */
#define DG_PARSE_CHUNK ((size_t)1 << 16)

static bool keyword_at(const char *buf, size_t i, size_t e, const char *kw)
{
	return e - i == strlen(kw) && strncasecmp(buf + i, kw, e - i) == 0;
}

/* Whether a SQL-standard function body (BEGIN ATOMIC … END) is open after the tokens of
 * [from, to), `open` telling whether one was before them. The scanner ends a statement at each
 * ';' inside such a body, where no run may end. */
static bool atomic_open_after(const char *buf, size_t from, size_t to, bool open)
{
	int cases = 0;
	bool begin = false;

	for (size_t i = dg_skip_trivia(buf, from, to), e; i < to; i = dg_skip_trivia(buf, e, to)) {
		e = dg_token_end(buf, i, to);
		if (e <= i)
			e = i + 1;
		if (keyword_at(buf, i, e, "CASE"))
			cases++;
		else if (keyword_at(buf, i, e, "END") && cases)
			cases--;
		else if (keyword_at(buf, i, e, "END"))
			open = false;
		else if (begin && keyword_at(buf, i, e, "ATOMIC"))
			open = true;
		begin = keyword_at(buf, i, e, "BEGIN");
	}
	return open;
}

void dg_parse_section(const struct dg_source *src, const struct dg_section *sec, struct dg_arena *a,
		      struct dg_parsed *out)
{
	size_t len = sec->end - sec->start;
	char *buf = dg_xmalloc(len + 1);
	PgQuerySplitResult split = {0};
	size_t first = out->n_stmts;
	int errors = 0;

	memcpy(buf, src->text + sec->start, len);
	buf[len] = '\0';
	dg_blank_psql(buf, len);
	if (len > DG_PARSE_CHUNK)
		split = pg_query_split_with_scanner(buf);
	if (len <= DG_PARSE_CHUNK || split.error || split.n_stmts < 2) {
		parse_range(sec, a, out, buf, len, 0, &errors);
	} else {
		size_t from = 0;
		/* bodies to keep whole: only when the section says ATOMIC somewhere */
		bool atomic = strcasestr(buf, "atomic") != NULL, open = false;
		for (int i = 0; i < split.n_stmts; i++) {
			const PgQuerySplitStmt *s = split.stmts[i];
			size_t end = (size_t)s->stmt_location + (size_t)s->stmt_len;
			if (atomic && end <= len)
				open = atomic_open_after(buf, (size_t)s->stmt_location, end, open);
			/* a run ends after this statement when it is big enough or the last */
			if (i + 1 < split.n_stmts && (end - from < DG_PARSE_CHUNK || open))
				continue;
			if (i + 1 == split.n_stmts)
				end = len; /* the trailing comments and blanks belong to the last
					      run */
			if (end > len || end <= from)
				continue;
			char saved = buf[end];
			buf[end] = '\0';
			parse_range(sec, a, out, buf + from, end - from, from, &errors);
			buf[end] = saved;
			from = end;
			if (errors >= DG_MAX_ERRORS_PER_SECTION)
				break; /* as one run of the whole section would */
		}
	}
	if (len > DG_PARSE_CHUNK)
		pg_query_free_split_result(split);
	free(buf);
	dg_plpgsql_expand(src, sec, a, out, first);
}

bool dg_pb_walk(const ProtobufCMessage *m,
		enum dg_pb_next (*visit)(const ProtobufCMessage *m, void *arg), void *arg)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;

	switch (visit(m, arg)) {
	case DG_PB_STOP:
		return false;
	case DG_PB_SKIP:
		return true;
	case DG_PB_DESCEND:
		break;
	}
	if (d == &pg_query__node__descriptor) {
		/* a Node is a oneof of some 250 messages: go to the one that is set, not through
		 * every field (most messages of a tree are Nodes) */
		const ProtobufCMessage *sub = dg_pb_node_member((const PgQuery__Node *)m);
		return !sub || dg_pb_walk(sub, visit, arg);
	}
	for (unsigned f = 0; f < d->n_fields; f++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[f];
		const ProtobufCMessage *sub;

		if (fd->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + fd->quantifier_offset);
			ProtobufCMessage *const *arr =
			    *(ProtobufCMessage *const *const *)(base + fd->offset);
			for (size_t i = 0; i < n; i++)
				if (arr[i] && !dg_pb_walk(arr[i], visit, arg))
					return false;
			continue;
		}
		if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
			continue;
		sub = *(ProtobufCMessage *const *)(base + fd->offset);
		if (sub && !dg_pb_walk(sub, visit, arg))
			return false;
	}
	return true;
}
