/* pgtree.h — a text's parse tree from libpg_query, straight into an arena (see pgtree.c). */
#ifndef DG_PGTREE_H
#define DG_PGTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "arena.h"

/* Deeper parse trees (in protobuf messages; an operator takes two) are not kept: every walk
 * over the tree recurses once per level, and "SELECT 1+1+…+1" with 5000 terms (10 kB)
 * overflowed an 8 MB stack. */
#define DG_MAX_TREE_DEPTH 4000

struct dg_pgtree {
	/* The statements, in the arena; NULL when the text does not parse (error) or when a
	 * statement nests too deeply (deep). */
	PgQuery__ParseResult *tree;
	const PgQueryError *error; /* libpg_query's, until dg_pgtree_release */
	/* The first statement nesting deeper than DG_MAX_TREE_DEPTH: its byte location and
	 * length (0: to the end of the text). */
	bool deep;
	size_t deep_loc, deep_len;
	PgQueryProtobufParseResult r; /* what libpg_query returned, released with the rest */
};

/* Parses the NUL-terminated text into *out, its tree in `a`. */
void dg_pgtree_parse(struct dg_arena *a, const char *text, struct dg_pgtree *out);
void dg_pgtree_release(struct dg_pgtree *t);

/* Whether this thread takes the tree from libpg_query's bytes, unpacked, as it does when the
 * messages cannot be had: for tests of that way (false by default). */
void dg_pgtree_use_bytes(bool on);

/* A copy of the message m and everything it holds, in `a`. */
ProtobufCMessage *dg_pb_copy(struct dg_arena *a, const ProtobufCMessage *m);

#endif
