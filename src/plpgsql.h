/* plpgsql.h — the SQL that hides in PL/pgSQL: DO blocks, and functions or procedures a migration
 * creates and then runs (SELECT f(); CALL p()), linted as statements of the migration. */
#ifndef DG_PLPGSQL_H
#define DG_PLPGSQL_H

#include "arena.h"
#include "parse.h"

/* Statements [first, out->n_stmts) are the section's. After each DO block, and after the first
 * call of a PL/pgSQL function or procedure the section created earlier, inserts the static SQL of
 * the body: its SQL statements, PERFORM, EXECUTE of a string literal, in nested blocks, IF, LOOP
 * and exception handlers alike. Each is positioned at its text inside the body (`holder` and
 * `note` set); when that text cannot be found, at the statement that holds it. */
void dg_plpgsql_expand(const struct dg_source *src, const struct dg_section *sec,
		       struct dg_arena *a, struct dg_parsed *out, size_t first);

/* Decodes the string constant at s[i] ('…', E'…', $tag$…$tag$) into *text (NUL-terminated, in
 * the arena) and *map, where (*map)[k] is the offset in s of the byte that gives text[k]
 * ((*map)[len] is the closing quote's). Returns the decoded length, or (size_t)-1 when s[i] does
 * not start such a constant or it holds an escape ddlguard does not map (U&'…', \u). *end is
 * set just past the constant. */
size_t dg_plpgsql_decode_string(struct dg_arena *a, const char *s, size_t i, size_t n, char **text,
				size_t **map, size_t *end);

#endif
