/* parse.h — libpg_query, one call per section: statements with their byte ranges, and syntax
 * errors as positions so that the statements around them are still linted. */
#ifndef DG_PARSE_H
#define DG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "arena.h"
#include "migration.h"
#include "source.h"

struct dg_stmt {
	const PgQuery__Node *node;
	size_t start, end; /* source text offsets: first token, end of last token (before ';') */
	const struct dg_section *section;
	/* What hides the statement, said in every finding at it; NULL for a statement the file
	 * holds as such. E.g. "inside the DO block at line 3", "templated: …". */
	const char *note;
	/* A statement of a DO block or of a PL/pgSQL function run in the migration (plpgsql.c):
	 * 1 + the index of the statement whose text holds it (the DO, the CREATE FUNCTION); its
	 * ignore comments go there and it is never sent to a server on its own. 0 otherwise. */
	size_t holder;
};

struct dg_syntax_error {
	size_t offset; /* source text offset */
	const char *message;
	const struct dg_section *section;
	/* When the failing statement holds a template or psql-variable marker (`{{`, `${`, `:var`),
	 * the marker's length and what it is: the statement is not SQL yet, not a syntax error. */
	size_t template_len;
	const char *template_kind; /* NULL for a plain syntax error */
	/* When the failing statement starts CREATE [UNLOGGED] TABLE [IF NOT EXISTS] name (syntax of
	 * a newer PostgreSQL, say): the table it makes, so later statements still know it is new.
	 * NULL name otherwise; NULL schema when unqualified. */
	const char *created_schema, *created_name;
};

struct dg_parsed {
	struct dg_stmt *stmts;
	size_t n_stmts, cap_stmts;
	struct dg_syntax_error *errors;
	size_t n_errors, cap_errors;
};

/* Blanks what psql would not send to the server (meta-command lines such as \connect or \set,
 * `COPY … FROM stdin` data up to its `\.` line), keeping every byte offset. A meta-command that
 * sends the query buffer (\g, \gset, …) becomes the statement's ';'. */
void dg_blank_psql(char *buf, size_t len);

void dg_parse_section(const struct dg_source *src, const struct dg_section *sec, struct dg_arena *a,
		      struct dg_parsed *out);

/* The message a Node holds (the set member of its oneof), or NULL. */
const ProtobufCMessage *dg_pb_node_member(const PgQuery__Node *n);

/* The message's `location` field (a node's offset in the text it was parsed from, -1: none), or
 * NULL when it has none. */
int32_t *dg_pb_location(const ProtobufCMessage *m);

/* What a dg_pb_walk visitor wants after seeing a message. */
enum dg_pb_next {
	DG_PB_DESCEND, /* go on into the message's fields */
	DG_PB_SKIP,    /* leave its fields out, go on with the rest */
	DG_PB_STOP,    /* end the walk */
};
/* Calls visit on m and on every protobuf message below it (message fields, repeated ones, the
 * set member of a oneof), depth first in field order. Returns false if visit stopped it. */
bool dg_pb_walk(const ProtobufCMessage *m,
		enum dg_pb_next (*visit)(const ProtobufCMessage *m, void *arg), void *arg);

#endif
