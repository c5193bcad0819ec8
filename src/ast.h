/* ast.h — helpers over libpg_query's protobuf structs (names, strings, DefElem booleans, type
 * names, a walk of nodes), and what a function call's name says about its volatility. They sit
 * below every stage: effects, facts, schema memory, the lock model and rules use them. */
#ifndef DG_AST_H
#define DG_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

/* A String node's value, or NULL. */
const char *dg_node_string(const PgQuery__Node *node);
/* Last name of a qualified name list ("pg_catalog"."int4" → "int4"). */
const char *dg_name_last(PgQuery__Node *const *names, size_t n);
/* The last name of a DROP statement's object: qualified names, schemas, functions with
 * arguments, types; NULL for anything else. */
const char *dg_drop_object_name(const PgQuery__Node *o);
/* Whether a list of DefElem options (VACUUM (…), REINDEX (…), …) turns `name` on: present with
 * no value or a true one, as PostgreSQL's defGetBoolean() reads it. */
bool dg_option_on(PgQuery__Node *const *opts, size_t n, const char *name);
/* A built-in type's internal name ("int4", "varchar", "bpchar", "serial", …) when the type is
 * written unqualified or in pg_catalog; NULL for other schemas. `"char"` stays "char". */
const char *dg_type_builtin(const PgQuery__TypeName *t);
/* The type's first modifier when it is an integer constant (varchar(20) → 20). */
bool dg_type_int_mod(const PgQuery__TypeName *t, int *out);
/* Whether the type is written as a serial type (serial, bigserial, smallserial, serial2/4/8),
 * whatever its schema. */
bool dg_type_is_serial(const PgQuery__TypeName *t);

/* A column type in a form that outlives the parse tree (schema memory keeps it across files). */
struct dg_type_desc {
	const char *name; /* the last name component: "int4", "varchar", "timestamptz", … */
	int mods[2];
	size_t n_mods;
	bool mods_unknown; /* a modifier that is not an integer constant */
	bool array;
};
/* Describes t (the grammar has made int, decimal, character varying… into int4, numeric,
 * varchar… already); a name it cannot read is "?". */
void dg_type_describe(const PgQuery__TypeName *t, struct dg_type_desc *out);

/* Calls visit on every node under root, root included, depth first, until visit returns false;
 * returns false if it was stopped. */
bool dg_walk(const PgQuery__Node *root, bool (*visit)(const PgQuery__Node *node, void *arg),
	     void *arg);

/* The volatility of a function by its (possibly qualified) name: built-in functions and those of
 * common extensions (uuid-ossp, pgcrypto) are known; other functions are unknown, and a
 * CREATE FUNCTION that does not say otherwise makes a VOLATILE one. (src/volatility.c) */
enum dg_volatility { DG_VOLATILITY_UNKNOWN = 0, DG_NOT_VOLATILE, DG_VOLATILE };
enum dg_volatility dg_function_volatility(PgQuery__Node *const *funcname, size_t n);

#endif
