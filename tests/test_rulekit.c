/* test_rulekit.c — the helpers rules share (src/rulekit.c) and the generic protobuf walk and
 * arena growth the facts and the lock model share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "parse.h"
#include "rule.h"

static PgQuery__ParseResult *parse(const char *sql)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *tree;

	assert_null(r.error);
	tree = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
					      (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	assert_non_null(tree);
	assert_true(tree->n_stmts >= 1);
	return tree;
}

static const PgQuery__Node *first_stmt(const PgQuery__ParseResult *tree)
{
	return tree->stmts[0]->stmt;
}

static const PgQuery__AlterTableCmd *first_cmd(const PgQuery__ParseResult *tree)
{
	const PgQuery__Node *n = first_stmt(tree);

	assert_int_equal(n->node_case, PG_QUERY__NODE__NODE_ALTER_TABLE_STMT);
	return n->alter_table_stmt->cmds[0]->alter_table_cmd;
}

/* What dg_cmd_builds_unique_index says about the first subcommand: 'c' (the constraint), 'k' (a
 * column declaring it) or '-' (neither), with the constraint's name part in `name`. */
static char builds(const char *sql, int contype, char *name, size_t size)
{
	PgQuery__ParseResult *tree = parse(sql);
	const PgQuery__ColumnDef *col = (const PgQuery__ColumnDef *)1;
	const PgQuery__Constraint *c = dg_cmd_builds_unique_index(first_cmd(tree), contype, &col);
	char r = c ? 'c' : col ? 'k' : '-';

	name[0] = '\0';
	if (c)
		dg_constraint_name_part(c, name, size);
	if (col)
		assert_string_equal(col->colname, "a");
	assert_false(c && col);
	pg_query__parse_result__free_unpacked(tree, NULL);
	return r;
}

static void test_builds_unique_index(void **state)
{
	const int uq = PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE,
		  pk = PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
	char name[64];

	(void)state;
	assert_int_equal(
	    builds("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)", uq, name, sizeof(name)), 'c');
	assert_string_equal(name, " \"u\"");
	assert_int_equal(builds("ALTER TABLE t ADD UNIQUE (a)", uq, name, sizeof(name)), 'c');
	assert_string_equal(name, "");
	assert_int_equal(builds("ALTER TABLE t ADD PRIMARY KEY (a)", uq, name, sizeof(name)), '-');
	assert_int_equal(builds("ALTER TABLE t ADD PRIMARY KEY (a)", pk, name, sizeof(name)), 'c');
	assert_int_equal(
	    builds("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i", uq, name, sizeof(name)),
	    '-');
	assert_int_equal(builds("ALTER TABLE t ADD COLUMN a int UNIQUE", uq, name, sizeof(name)),
			 'k');
	assert_int_equal(
	    builds("ALTER TABLE t ADD COLUMN a int PRIMARY KEY", uq, name, sizeof(name)), '-');
	assert_int_equal(builds("ALTER TABLE t ADD COLUMN a int", uq, name, sizeof(name)), '-');
	assert_int_equal(builds("ALTER TABLE t DROP COLUMN a", uq, name, sizeof(name)), '-');
}

static void test_cmd_helpers(void **state)
{
	PgQuery__ParseResult *tree = parse("ALTER TABLE t ALTER COLUMN a TYPE bigint");
	const PgQuery__AlterTableCmd *cmd = first_cmd(tree);

	(void)state;
	assert_non_null(dg_cmd_column_def(cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType));
	assert_null(dg_cmd_column_def(cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn));
	assert_null(dg_cmd_column_def(NULL, PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn));
	assert_null(dg_cmd_added_constraint(cmd, PG_QUERY__CONSTR_TYPE__CONSTR_CHECK));
	assert_null(dg_cmd_added_constraint(NULL, PG_QUERY__CONSTR_TYPE__CONSTR_CHECK));
	pg_query__parse_result__free_unpacked(tree, NULL);
}

static const PgQuery__TypeName *column_type(const PgQuery__ParseResult *tree, size_t i)
{
	const PgQuery__CreateStmt *c = first_stmt(tree)->create_stmt;

	return c->table_elts[i]->column_def->type_name;
}

static void test_types(void **state)
{
	PgQuery__ParseResult *tree =
	    parse("CREATE TABLE t (a varchar(20), b varchar, c char, d serial, "
		  "e pg_catalog.bigserial, f s.serial8, g int, h smallserial)");
	int n = -1;

	(void)state;
	assert_true(dg_type_int_mod(column_type(tree, 0), &n));
	assert_int_equal(n, 20);
	assert_false(dg_type_int_mod(column_type(tree, 1), &n));
	/* the grammar gives a bare char its length 1 */
	assert_true(dg_type_int_mod(column_type(tree, 2), &n));
	assert_int_equal(n, 1);
	assert_true(dg_type_is_serial(column_type(tree, 3)));
	assert_true(dg_type_is_serial(column_type(tree, 4)));
	assert_true(dg_type_is_serial(column_type(tree, 5)));
	assert_false(dg_type_is_serial(column_type(tree, 6)));
	assert_true(dg_type_is_serial(column_type(tree, 7)));
	assert_false(dg_type_is_serial(NULL));
	pg_query__parse_result__free_unpacked(tree, NULL);
}

static void test_append_quoted(void **state)
{
	char buf[16] = "";

	(void)state;
	dg_append_quoted(buf, sizeof(buf), "a");
	assert_string_equal(buf, "\"a\"");
	dg_append_quoted(buf, sizeof(buf), "b");
	assert_string_equal(buf, "\"a\", \"b\"");
	/* no room left for another name and its separator: the list stays as it is */
	dg_append_quoted(buf, sizeof(buf), "c");
	assert_string_equal(buf, "\"a\", \"b\"");
}

struct calls {
	int seen;
	int skip_at, stop_at; /* 1-based call number, 0 for never */
};

static enum dg_pb_next count_calls(const ProtobufCMessage *m, void *arg)
{
	struct calls *c = arg;

	if (m->descriptor != &pg_query__func_call__descriptor)
		return DG_PB_DESCEND;
	c->seen++;
	if (c->seen == c->stop_at)
		return DG_PB_STOP;
	return c->seen == c->skip_at ? DG_PB_SKIP : DG_PB_DESCEND;
}

static void test_pb_walk(void **state)
{
	PgQuery__ParseResult *tree = parse("SELECT f(g(1), g(2)), h()");
	const ProtobufCMessage *root = &tree->stmts[0]->stmt->base;
	struct calls all = {0, 0, 0}, skip = {0, 1, 0}, stop = {0, 0, 2};

	(void)state;
	assert_true(dg_pb_walk(root, count_calls, &all));
	assert_int_equal(all.seen, 4);
	assert_true(dg_pb_walk(root, count_calls, &skip)); /* f's arguments left out */
	assert_int_equal(skip.seen, 2);
	assert_false(dg_pb_walk(root, count_calls, &stop));
	assert_int_equal(stop.seen, 2);
	pg_query__parse_result__free_unpacked(tree, NULL);
}

static void test_arena_grow(void **state)
{
	struct dg_arena a;
	int *v = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	dg_arena_init(&a);
	for (int i = 0; i < 100; i++) {
		v = dg_arena_grow(&a, v, n, &cap, sizeof(*v));
		assert_true(n < cap);
		v[n++] = i;
	}
	assert_int_equal(cap, 128);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	dg_arena_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_builds_unique_index),
	    cmocka_unit_test(test_cmd_helpers),
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_append_quoted),
	    cmocka_unit_test(test_pb_walk),
	    cmocka_unit_test(test_arena_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
