/* parse.c — parses a section; on a syntax error, records it, blanks out the statement that holds
 * it (so byte offsets stay put) and parses again, until what remains parses. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#include "lex.h"

/* After this many errors in one section the rest of it is treated as unparsable: a file that
 * is not SQL at all must not cost one parse per line. */
#define DG_MAX_ERRORS_PER_SECTION 200

static void *grow(struct dg_arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return old;
	ncap = *cap ? *cap * 2 : 16;
	p = dg_arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

static void add_error(struct dg_arena *a, struct dg_parsed *out, size_t offset, const char *msg,
		      const struct dg_section *sec)
{
	out->errors = grow(a, out->errors, out->n_errors, &out->cap_errors, sizeof(*out->errors));
	out->errors[out->n_errors++] =
		(struct dg_syntax_error){offset, dg_arena_strndup(a, msg, strlen(msg)), sec};
}

static bool all_blank(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* Blank the statement that holds the error at `e` (from the ';' before it to the ';' after it,
 * at bracket depth 0); returns false when nothing is left to blank. */
static bool blank_failed_statement(char *buf, size_t len, size_t e)
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
	if (all_blank(buf, from, to)) {
		to = len;
		if (all_blank(buf, from, to))
			return false;
	}
	for (size_t k = from; k < to; k++)
		if (buf[k] != '\n')
			buf[k] = ' ';
	return true;
}

static void add_statements(const struct dg_source *src, const struct dg_section *sec,
			   struct dg_arena *a, struct dg_parsed *out, const char *buf, size_t len,
			   PgQueryProtobuf pb)
{
	PgQuery__ParseResult *pr =
		pg_query__parse_result__unpack(&a->pb, pb.len, (const uint8_t *)pb.data);

	(void)src;
	if (!pr)
		return;
	for (size_t i = 0; i < pr->n_stmts; i++) {
		const PgQuery__RawStmt *raw = pr->stmts[i];
		size_t loc = (size_t)raw->stmt_location;
		size_t end = raw->stmt_len ? loc + (size_t)raw->stmt_len : len;
		size_t start;

		if (!raw->stmt)
			continue;
		start = dg_skip_trivia(buf, loc, end);
		end = dg_last_token_end(buf, start, end);
		out->stmts = grow(a, out->stmts, out->n_stmts, &out->cap_stmts, sizeof(*out->stmts));
		out->stmts[out->n_stmts++] =
			(struct dg_stmt){raw->stmt, sec->start + start, sec->start + end, sec};
	}
}

void dg_parse_section(const struct dg_source *src, const struct dg_section *sec,
		      struct dg_arena *a, struct dg_parsed *out)
{
	size_t len = sec->end - sec->start;
	char *buf = malloc(len + 1);
	size_t first_stmt = out->n_stmts;
	int errors = 0;

	if (!buf)
		abort();
	memcpy(buf, src->text + sec->start, len);
	buf[len] = '\0';
	for (;;) {
		PgQueryProtobufParseResult r = pg_query_parse_protobuf(buf);

		if (!r.error) {
			add_statements(src, sec, a, out, buf, len, r.parse_tree);
			pg_query_free_protobuf_parse_result(r);
			break;
		}
		size_t e = r.error->cursorpos > 0 ? dg_char_to_byte(buf, len, (size_t)r.error->cursorpos) : 0;
		add_error(a, out, sec->start + e, r.error->message, sec);
		pg_query_free_protobuf_parse_result(r);
		if (++errors >= DG_MAX_ERRORS_PER_SECTION || !blank_failed_statement(buf, len, e))
			break;
	}
	(void)first_stmt;
	free(buf);
}
