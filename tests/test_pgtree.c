/* test_pgtree.c — parse trees taken from libpg_query's messages are the trees its bytes give. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pgtree.h"
#include "source.h"

/* Statements whose trees hold every kind of field: constants of each kind (a oneof), NULL,
 * empty and non-empty strings, lists, nested expressions, enums, booleans, bit strings,
 * function bodies, utility statements. */
static const char *const statements[] = {
    "SELECT 1, -2, 3.5, 'text', '', true, false, NULL, B'1010', X'1F', 1e10, 9223372036854775808",
    "CREATE TABLE IF NOT EXISTS s.t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "name text NOT NULL DEFAULT '' CHECK (name <> 'x'), ref int REFERENCES u (id) ON DELETE "
    "CASCADE, at timestamptz DEFAULT now(), UNIQUE (name, ref)) PARTITION BY RANGE (at)",
    "ALTER TABLE ONLY a ADD COLUMN b int, ALTER COLUMN c TYPE bigint USING c::bigint, "
    "DROP CONSTRAINT IF EXISTS d, ADD CONSTRAINT e FOREIGN KEY (f) REFERENCES g (h) NOT VALID",
    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t USING btree (lower(a) DESC NULLS "
    "LAST, b) INCLUDE (c) WHERE d IS NOT NULL",
    "DO $$ BEGIN RAISE NOTICE 'x'; END $$",
    "CREATE FUNCTION f(a int, OUT b text) RETURNS SETOF record LANGUAGE plpgsql AS $f$ BEGIN "
    "RETURN QUERY SELECT a, 'b'; END $f$",
    "INSERT INTO t (a, b) VALUES (1, 'x'), (2, DEFAULT) ON CONFLICT (a) DO UPDATE SET b = "
    "EXCLUDED.b RETURNING *",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT "
    "count(*) FILTER (WHERE n > 2) OVER (PARTITION BY n % 2 ORDER BY n) FROM r",
    "UPDATE t SET a = a + 1 FROM u WHERE t.id = u.id AND u.x IN (1, 2, 3) AND u.y LIKE 'a%'",
    "GRANT SELECT, UPDATE (a) ON t TO r WITH GRANT OPTION",
    "COMMENT ON COLUMN t.a IS 'the a'",
    "SET LOCAL lock_timeout = '2s'",
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
    "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'great' BEFORE 'happy'",
    "COPY t (a, b) FROM stdin WITH (FORMAT csv, HEADER true)",
    "SELECT CASE WHEN a THEN 1 ELSE 2 END, (ARRAY[1, 2])[1], ROW(1, 2), a::int[], $1, "
    "a COLLATE \"C\", EXISTS (SELECT 1), '{}'::jsonb -> 'k'",
    "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE NOWAIT; COMMIT",
    "",
    "-- only a comment",
};

/* The message packed: equal bytes, equal trees (protobuf-c packs fields in a fixed order). */
static uint8_t *packed(const ProtobufCMessage *m, size_t *len)
{
	uint8_t *out;

	*len = protobuf_c_message_get_packed_size(m);
	out = malloc(*len ? *len : 1);
	assert_non_null(out);
	protobuf_c_message_pack(m, out);
	return out;
}

/* text parsed both ways gives the same tree; false when it does not parse */
static bool same_tree(const char *text)
{
	struct dg_arena a;
	struct dg_pgtree t;
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);
	size_t len;
	uint8_t *ours;
	bool ok = !r.error;

	dg_arena_init(&a);
	dg_pgtree_parse(&a, text, &t);
	assert_int_equal(!t.error, ok);
	if (ok && !t.deep) {
		/* nothing was packed for the tree: it came from the messages */
		assert_int_equal(t.r.parse_tree.len, 0);
		assert_non_null(t.tree);
		ours = packed(&t.tree->base, &len);
		if (len != r.parse_tree.len || memcmp(ours, r.parse_tree.data, len) != 0)
			fail_msg("the trees differ for: %.200s", text);
		free(ours);
	}
	dg_pgtree_release(&t);
	dg_arena_destroy(&a);
	pg_query_free_protobuf_parse_result(r);
	return ok;
}

static void test_trees_are_the_unpacked_trees(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(statements) / sizeof(*statements); i++)
		assert_true(same_tree(statements[i]));
}

/* Outside dg_pgtree_parse, libpg_query's bytes are its own: packed, and unpacked as before. */
static void test_bytes_outside(void **state)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf("SELECT 1");
	PgQuery__ParseResult *pr;

	(void)state;
	assert_null(r.error);
	assert_true(r.parse_tree.len > 0);
	pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
					    (const uint8_t *)r.parse_tree.data);
	assert_non_null(pr);
	assert_int_equal(pr->n_stmts, 1);
	assert_int_equal(pr->stmts[0]->stmt->node_case, PG_QUERY__NODE__NODE_SELECT_STMT);
	pg_query__parse_result__free_unpacked(pr, NULL);
	pg_query_free_protobuf_parse_result(r);
}

/* The copy of a tree packs to the same bytes, in an arena of its own. */
static void test_copy(void **state)
{
	struct dg_arena a, b;
	struct dg_pgtree t;
	const ProtobufCMessage *c;
	size_t la, lb;
	uint8_t *pa, *pb;

	(void)state;
	dg_arena_init(&a);
	dg_arena_init(&b);
	dg_pgtree_parse(&a, statements[1], &t);
	assert_non_null(t.tree);
	c = dg_pb_copy(&b, &t.tree->base);
	pa = packed(&t.tree->base, &la);
	dg_pgtree_release(&t);
	dg_arena_destroy(&a); /* the copy holds nothing of the first arena */
	pb = packed(c, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	free(pa);
	free(pb);
	dg_arena_destroy(&b);
}

static char *deep_text(size_t terms, size_t *first_len)
{
	size_t n = 0;
	char *t = malloc(terms * 2 + 64);

	assert_non_null(t);
	n += (size_t)sprintf(t, "SELECT 1");
	for (size_t i = 1; i < terms; i++)
		n += (size_t)sprintf(t + n, "+1");
	*first_len = n;
	strcpy(t + n, ";\nSELECT 2;");
	return t;
}

/* A statement nesting more than DG_MAX_TREE_DEPTH levels: no tree, and where it is, both ways. */
static void deep_both_ways(bool bytes)
{
	struct dg_arena a;
	struct dg_pgtree t;
	size_t first;
	char *text = deep_text(5000, &first);

	dg_pgtree_use_bytes(bytes);
	dg_arena_init(&a);
	dg_pgtree_parse(&a, text, &t);
	assert_null(t.error);
	assert_true(t.deep);
	assert_null(t.tree);
	assert_int_equal(t.deep_loc, 0);
	assert_int_equal(t.deep_len, first);
	dg_pgtree_release(&t);
	/* not deep at 1000 terms */
	free(text);
	text = deep_text(1000, &first);
	dg_pgtree_parse(&a, text, &t);
	assert_false(t.deep);
	assert_non_null(t.tree);
	assert_int_equal(t.tree->n_stmts, 2);
	dg_pgtree_release(&t);
	dg_arena_destroy(&a);
	free(text);
	dg_pgtree_use_bytes(false);
}

static void test_deep(void **state)
{
	(void)state;
	deep_both_ways(false);
	deep_both_ways(true);
}

/* The way through the bytes (should a libpg_query build them otherwise) gives the same tree. */
static void test_bytes_way(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(statements) / sizeof(*statements); i++) {
		struct dg_arena a;
		struct dg_pgtree t, u;
		size_t lt, lu;
		uint8_t *pt, *pu;

		dg_arena_init(&a);
		dg_pgtree_parse(&a, statements[i], &t);
		dg_pgtree_use_bytes(true);
		dg_pgtree_parse(&a, statements[i], &u);
		dg_pgtree_use_bytes(false);
		assert_true(u.r.parse_tree.len > 0 || !u.tree->n_stmts);
		pt = packed(&t.tree->base, &lt);
		pu = packed(&u.tree->base, &lu);
		assert_int_equal(lt, lu);
		assert_memory_equal(pt, pu, lt);
		free(pt);
		free(pu);
		dg_pgtree_release(&t);
		dg_pgtree_release(&u);
		dg_arena_destroy(&a);
	}
}

/* PostgreSQL's own regression SQL, file by file (when the shared corpus is there). */
static void test_regression_sql(void **state)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	size_t files = 0, parsed = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/pgregress", DG_CORPUS);
	if (!(d = opendir(dir))) {
		skip();
		return;
	}
	while ((e = readdir(d))) {
		char path[8192];
		size_t len = 0;
		int err;
		char *text;

		if (!strstr(e->d_name, ".sql"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = dg_read_path(path, (size_t)64 << 20, &len, &err);
		if (!text)
			continue;
		/* statement by statement: most files fail somewhere (psql's backslash commands) */
		PgQuerySplitResult split = pg_query_split_with_scanner(text);
		for (int i = 0; !split.error && i < split.n_stmts; i++) {
			const PgQuerySplitStmt *s = split.stmts[i];
			char *one = strndup(text + s->stmt_location, (size_t)s->stmt_len);
			assert_non_null(one);
			parsed += same_tree(one);
			free(one);
		}
		pg_query_free_split_result(split);
		free(text);
		files++;
	}
	closedir(d);
	assert_true(files > 100);
	assert_true(parsed > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trees_are_the_unpacked_trees),
	    cmocka_unit_test(test_bytes_outside),
	    cmocka_unit_test(test_copy),
	    cmocka_unit_test(test_deep),
	    cmocka_unit_test(test_bytes_way),
	    cmocka_unit_test(test_regression_sql),
	};
	return cmocka_run_group_tests_name("pgtree", tests, NULL, NULL);
}
