/* test_dynamodb.c — the DynamoDB front half: every case of fixtures/dynamodb/ in a temporary git
 * repository (--diff-base HEAD, and without a base) gives exactly its expected findings; the
 * YAML reader's byte positions, limits and canonical text; template detection; and templates
 * going through configuration, baselines and the machine-readable reporters like SQL. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "ddlguard/ddlguard.h"
#include "dynamodb/dynamodb.h"
#include "testkit.h"

#define CASES DG_FIXTURES "/dynamodb"
#define BIN DG_BINARY
#define GIT "git -c user.name=t -c user.email=t@example.com"

struct expect {
	char rule[96];
	unsigned line, col;
};

static int cmp_expect(const void *a, const void *b)
{
	const struct expect *x = a, *y = b;
	int c = strcmp(x->rule, y->rule);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* "RULE LINE:COL" lines; a malformed line fails the test. */
static size_t read_expect(const char *path, struct expect *out, size_t max)
{
	char *text = tk_slurp(path), *line, *save = NULL;
	size_t n = 0;

	if (!text)
		fail_msg("%s is missing", path);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct expect e;
		char tail;
		memset(&e, 0, sizeof(e));
		if (sscanf(line, "%95s %u:%u %c", e.rule, &e.line, &e.col, &tail) != 3)
			fail_msg("%s: malformed line '%s'", path, line);
		assert_true(n < max);
		out[n++] = e;
	}
	free(text);
	qsort(out, n, sizeof(*out), cmp_expect);
	return n;
}

static size_t json_findings(const char *json, struct expect *out, size_t max, int *checked)
{
	cJSON *doc = cJSON_Parse(json), *f;
	size_t n = 0;

	if (!doc)
		fail_msg("the report is not JSON: %s", json);
	*checked = cJSON_GetObjectItem(doc, "files_checked")->valueint;
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "findings"))
	{
		assert_true(n < max);
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].rule, sizeof(out[n].rule), "%s",
			 cJSON_GetObjectItem(f, "rule")->valuestring);
		out[n].line = (unsigned)cJSON_GetObjectItem(f, "line")->valueint;
		out[n].col = (unsigned)cJSON_GetObjectItem(f, "column")->valueint;
		n++;
	}
	cJSON_Delete(doc);
	qsort(out, n, sizeof(*out), cmp_expect);
	return n;
}

static int compare(const char *what, const struct expect *want, size_t nw, const struct expect *got,
		   size_t ng)
{
	if (nw == ng && memcmp(want, got, nw * sizeof(*want)) == 0)
		return 0;
	print_error("%s: expected %zu finding(s), got %zu\n", what, nw, ng);
	for (size_t i = 0; i < nw; i++)
		print_error("  want %s %u:%u\n", want[i].rule, want[i].line, want[i].col);
	for (size_t i = 0; i < ng; i++)
		print_error("  got  %s %u:%u\n", got[i].rule, got[i].line, got[i].col);
	return 1;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Runs one case in tk_tmpdir/<name>; returns the number of mismatches. */
static int run_case(const char *name, bool rules_seen[], size_t n_rules)
{
	char dir[1024], path[1200], args[512] = ".";
	struct expect want[64], got[64];
	struct tk_run r = {0};
	size_t nw, ng;
	int failures = 0, checked, staged;
	char *a;

	snprintf(dir, sizeof(dir), "%s/%s", CASES, name);
	snprintf(path, sizeof(path), "%s/args", dir);
	if ((a = tk_slurp(path))) {
		snprintf(args, sizeof(args), "%.*s", (int)strcspn(a, "\n"), a);
		free(a);
	}
	snprintf(path, sizeof(path), "%s/staged", dir);
	staged = exists(path);
	snprintf(path, sizeof(path), "%s/old", dir);
	tk_sh(
	    &r,
	    "rm -rf %s && mkdir %s && cd %s && git init -q . && { [ ! -d '%s' ] || cp -R '%s/.' . "
	    "; } && git add -A && " GIT " commit -q --allow-empty -m base && "
	    "find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} + && cp -R '%s/new/.' . "
	    "&& { [ %d = 0 ] || git add -A; } && echo OK",
	    name, name, name, path, path, dir, staged);
	assert_non_null(strstr(r.out, "OK"));

	for (int base = 1; base >= 0; base--) {
		snprintf(path, sizeof(path), "%s/%s", dir, base ? "expect" : "expect-nobase");
		nw = read_expect(path, want, 64);
		tk_sh(&r, "cd %s && %s --format json --fail-on never --no-config %s %s", name, BIN,
		      base ? "--diff-base HEAD" : "", args);
		if (r.status != 0) {
			print_error("%s: exit status %d\n%s\n", name, r.status, r.out);
			failures++;
			continue;
		}
		ng = json_findings(r.out, got, 64, &checked);
		snprintf(path, sizeof(path), "%s (%s)", name,
			 base ? "--diff-base HEAD" : "no base");
		failures += compare(path, want, nw, got, ng);
		for (size_t i = 0; i < nw; i++)
			for (size_t k = 0; k < n_rules; k++)
				if (strcmp(dg_rule_info_at(k)->name, want[i].rule) == 0)
					rules_seen[k] = true;
		/* the walk lints the templates only: never package.json or docker-compose.yml */
		snprintf(path, sizeof(path), "%s/checked", dir);
		if ((a = tk_slurp(path))) {
			if (atoi(a) != checked) {
				print_error("%s: %d file(s) checked, expected %d\n", name, checked,
					    atoi(a));
				failures++;
			}
			free(a);
		}
	}
	free(r.out);
	return failures;
}

static void test_cases(void **state)
{
	struct dirent **names;
	size_t n_rules = dg_rule_count();
	bool *seen = calloc(n_rules, sizeof(*seen));
	int n, failures = 0, cases = 0;

	(void)state;
	n = scandir(CASES, &names, NULL, alphasort);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		char p[1200];
		snprintf(p, sizeof(p), "%s/%s/new", CASES, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && exists(p)) {
			failures += run_case(names[i]->d_name, seen, n_rules);
			cases++;
		}
		free(names[i]);
	}
	free(names);
	assert_true(cases >= 10);
	/* every DynamoDB rule is proven by some case */
	for (size_t k = 0; k < n_rules; k++) {
		const char *rule = dg_rule_info_at(k)->name;
		if (strncmp(rule, "dynamodb-", 9) == 0 && !seen[k]) {
			print_error("no case in fixtures/dynamodb expects %s\n", rule);
			failures++;
		}
	}
	free(seen);
	assert_int_equal(failures, 0);
}

/* ---- the YAML reader ------------------------------------------------------------------------ */

struct loaded {
	struct dg_arena a;
	struct dg_source src;
	struct dg_ydoc doc;
	bool ok;
};

static void load(struct loaded *l, const char *text)
{
	dg_arena_init(&l->a);
	dg_source_init(&l->src, &l->a, "t.yaml", text, strlen(text));
	l->ok = dg_yaml_load(&l->src, &l->a, &l->doc);
}

static const char *span_text(const struct loaded *l, const struct dg_ynode *n, char *buf,
			     size_t size)
{
	snprintf(buf, size, "%.*s", (int)(n->end - n->start), l->src.text + n->start);
	return buf;
}

static void test_yaml_positions(void **state)
{
	/* libyaml counts characters: the tree must hold byte offsets (é and 表 are 2 and 3 bytes),
	 * CRLF line ends included */
	struct loaded l;
	char buf[128];
	const struct dg_ynode *r, *v;

	(void)state;
	load(&l, "Résumé: 表格\r\nKey: !Ref Thing\r\nList:\r\n  - a\r\n  - {b: \"c d\"}\r\n");
	assert_true(l.ok);
	r = l.doc.root;
	assert_int_equal(r->kind, DG_Y_MAP);
	assert_int_equal(r->n, 3);
	assert_string_equal(span_text(&l, r->pairs[0].value, buf, sizeof(buf)), "表格");
	v = dg_ymap_get(r, "Key");
	assert_non_null(v);
	assert_string_equal(v->tag, "!Ref");
	assert_string_equal(span_text(&l, v, buf, sizeof(buf)), "!Ref Thing");
	v = dg_ymap_get(r, "List");
	assert_int_equal(v->kind, DG_Y_SEQ);
	assert_int_equal(v->n, 2);
	assert_string_equal(span_text(&l, v->items[1], buf, sizeof(buf)), "{b: \"c d\"}");
	/* a block collection ends with its last value */
	assert_int_equal(v->end, v->items[1]->end);
	{
		struct dg_pos p = dg_source_pos(&l.src, v->items[1]->start);
		assert_int_equal(p.line, 5);
		assert_int_equal(p.column, 5);
	}
	dg_arena_destroy(&l.a);

	/* JSON on one line */
	load(&l, "{\"a\":{\"b\":[1,\"x\"]}}");
	assert_true(l.ok);
	v = dg_ymap_get(dg_ymap_get(l.doc.root, "a"), "b");
	assert_string_equal(span_text(&l, v, buf, sizeof(buf)), "[1,\"x\"]");
	dg_arena_destroy(&l.a);
}

static void test_yaml_limits(void **state)
{
	struct loaded l;
	char deep[400];
	size_t n = 0;

	(void)state;
	/* 65 nested flow sequences: refused with a position, not a deep recursion */
	for (int i = 0; i < 65; i++)
		deep[n++] = '[';
	for (int i = 0; i < 65; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	load(&l, deep);
	assert_false(l.ok);
	assert_non_null(strstr(l.doc.error, "deeper than 64"));
	assert_int_equal(l.doc.error_at, 64);
	dg_arena_destroy(&l.a);

	/* an alias of an enclosing node: a cycle that walks and the canonical text survive */
	load(&l, "a: &x\n  b: *x\n");
	assert_true(l.ok);
	assert_true(strlen(dg_ycanon(&l.a, l.doc.root, 256)) <= 256);
	dg_arena_destroy(&l.a);

	/* an undefined alias and a syntax error: errors with their offsets */
	load(&l, "a: *nope\n");
	assert_false(l.ok);
	dg_arena_destroy(&l.a);
	load(&l, "a: [1, 2\nb: 3\n");
	assert_false(l.ok);
	assert_non_null(l.doc.error);
	dg_arena_destroy(&l.a);
}

static void test_yaml_merge_keys(void **state)
{
	struct loaded l;
	const struct dg_ynode *t;

	(void)state;
	load(&l, "base: &b {KeyType: HASH, AttributeName: id}\n"
		 "more: &m {Extra: 1}\n"
		 "t: {<<: [*b, *m], AttributeName: own}\n"
		 "loop: &l {<<: [*l, *l, *l]}\n");
	assert_true(l.ok);
	t = dg_ymap_get(l.doc.root, "t");
	assert_string_equal(dg_yscalar(dg_ymap_get(t, "KeyType")), "HASH");
	assert_string_equal(dg_yscalar(dg_ymap_get(t, "AttributeName")), "own");
	assert_string_equal(dg_yscalar(dg_ymap_get(t, "Extra")), "1");
	/* a map merging itself (three times: 3^64 paths) ends within the visit budget */
	assert_null(dg_ymap_get(dg_ymap_get(l.doc.root, "loop"), "nothing"));
	dg_arena_destroy(&l.a);
}

static void test_yaml_comments(void **state)
{
	struct loaded l;

	(void)state;
	load(&l, "# one\na: \"x # not\" # two\nb: |\n  # not either\nc: d#not # three\n");
	assert_true(l.ok);
	assert_int_equal(l.doc.n_comments, 3);
	assert_true(l.doc.comments[0].own_line);
	assert_int_equal(l.doc.comments[0].start, 0);
	assert_false(l.doc.comments[1].own_line);
	assert_int_equal(strncmp(l.src.text + l.doc.comments[1].start, "# two", 5), 0);
	assert_int_equal(strncmp(l.src.text + l.doc.comments[2].start, "# three", 7), 0);
	dg_arena_destroy(&l.a);
}

static void test_canonical_text(void **state)
{
	static const struct {
		const char *a, *b;
		bool same;
	} cases[] = {
	    {"v: !Sub \"${Env}-users\"", "v: {\"Fn::Sub\": \"${Env}-users\"}", true},
	    {"v: !Sub '${Env}-users'", "v:\n  Fn::Sub: ${Env}-users", true},
	    {"v: !Ref Name", "v: {Ref: Name}", true},
	    {"v: !GetAtt T.Arn", "v: {\"Fn::GetAtt\": [T, Arn]}", true},
	    {"v: !Join [\"-\", [a, !Ref B]]", "v: {\"Fn::Join\": [\"-\", [a, {Ref: B}]]}", true},
	    {"v: !Sub \"${Env}-users\"", "v: !Sub \"${Env}-orders\"", false},
	    {"v: !Ref A", "v: !Ref B", false},
	    {"v: users", "v: \"users\"", true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded x, y;
		load(&x, cases[i].a);
		load(&y, cases[i].b);
		assert_true(x.ok && y.ok);
		const char *cx = dg_ycanon(&x.a, dg_ymap_get(x.doc.root, "v"), 1024);
		const char *cy = dg_ycanon(&y.a, dg_ymap_get(y.doc.root, "v"), 1024);
		if ((strcmp(cx, cy) == 0) != cases[i].same)
			fail_msg("case %zu: '%s' vs '%s'", i, cx, cy);
		dg_arena_destroy(&x.a);
		dg_arena_destroy(&y.a);
	}
}

static void test_sniff(void **state)
{
	static const struct {
		const char *path, *text;
		enum dg_ddb_kind kind;
	} cases[] = {
	    {"t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n", DG_DDB_TEMPLATE},
	    {"t.yml", "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n", DG_DDB_TEMPLATE},
	    {"cdk.out/S.template.json", "{\"Resources\":{\"T\":{\"Type\":\"AWS::SQS::Queue\"}}}",
	     DG_DDB_TEMPLATE},
	    {"x.template", "Resources:\n  F:\n    Type: AWS::Serverless::Function\n",
	     DG_DDB_TEMPLATE},
	    {"app/serverless.yml", "service: x\n", DG_DDB_TEMPLATE},
	    {"main.tf.json", "{}", DG_DDB_TEMPLATE},
	    {"plan.json", "{\"format_version\":\"1.2\",\"resource_changes\":[]}", DG_DDB_PLAN},
	    {"plan.json", "{\"format_version\":\"1.2\",\"terraform_version\":\"1.9\"}",
	     DG_DDB_PLAN},
	    /* not templates */
	    {"docker-compose.yml", "services:\n  db:\n    image: postgres\n", DG_DDB_NONE},
	    {"package.json", "{\"name\": \"dynamodb-toolbox\"}", DG_DDB_NONE},
	    {"cdk.out/tree.json",
	     "{\"tree\":{\"attributes\":{\"aws:cdk:cloudformation:type\":\"AWS::DynamoDB::Table\"}}}",
	     DG_DDB_NONE},
	    {".github/workflows/ci.yml", "on: push\njobs: {}\n", DG_DDB_NONE},
	    {"db/001.sql", "-- Resources: AWS::DynamoDB::Table\nSELECT 1;\n", DG_DDB_NONE},
	    {"notes.txt", "AWSTemplateFormatVersion", DG_DDB_NONE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (dg_ddb_sniff(cases[i].path, cases[i].text, strlen(cases[i].text)) !=
		    cases[i].kind)
			fail_msg("case %zu (%s): wrong kind", i, cases[i].path);
}

/* ---- what findings say ---------------------------------------------------------------------- */

static char *stub_base(void *user, const char *path, size_t *len)
{
	(void)path;
	*len = strlen(user);
	return strdup(user);
}

/* The message of the only finding of `rule` linting `now` (as path) against `old`. */
static char *message_of(const char *path, const char *old, const char *now, const char *rule)
{
	struct dg_config *cfg = dg_config_new();
	struct dg_result res;
	char *msg = NULL;

	dg_config_set_base_reader(cfg, stub_base, (void *)old);
	assert_int_equal(dg_lint_buffer(cfg, path, now, strlen(now), &res), DG_OK);
	for (size_t i = 0; i < res.n_findings; i++)
		if (strcmp(res.findings[i].rule, rule) == 0) {
			assert_null(msg);
			msg = strdup(res.findings[i].message);
		}
	dg_result_clear(&res);
	dg_config_free(cfg);
	if (!msg)
		fail_msg("no %s finding", rule);
	return msg;
}

static void test_messages(void **state)
{
	static const char head[] = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n"
				   "    Type: AWS::DynamoDB::Table\n    Properties:\n";
	static const struct {
		const char *path, *old, *now, *rule, *says[3];
	} cases[] = {
	    {"t.yaml",
	     "      TableName: !Sub '${Env}-a'\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
	     "      TableName: !Sub '${Env}-b'\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
	     "dynamodb-table-renamed",
	     {"\"T\"", "!Sub '${Env}-a'", "!Sub '${Env}-b'"}},
	    {"t.yaml",
	     "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
	     "      KeySchema: [{AttributeName: uid, KeyType: HASH}]\n",
	     "dynamodb-key-schema-change",
	     {"partition key", "from \"id\" to \"uid\"", "Update requires: Replacement"}},
	    {"t.yaml",
	     "      TableName: fixed\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
	     "      TableName: fixed\n      KeySchema: [{AttributeName: id, KeyType: HASH}, "
	     "{AttributeName: at, KeyType: RANGE}]\n",
	     "dynamodb-key-schema-change",
	     {"sort key", "is added", "stack update fails"}},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char old[1024], now[1024], *msg;
		snprintf(old, sizeof(old), "%s%s", head, cases[i].old);
		snprintf(now, sizeof(now), "%s%s", head, cases[i].now);
		msg = message_of(cases[i].path, old, now, cases[i].rule);
		for (size_t k = 0; k < 3; k++)
			if (!strstr(msg, cases[i].says[k]))
				fail_msg("case %zu: '%s' does not say '%s'", i, msg,
					 cases[i].says[k]);
		free(msg);
	}
}

/* ---- the back half: configuration, baselines, reporters ------------------------------------ */

static const char changed_gsi[] =
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Resources:\n"
    "  Users:\n"
    "    Type: AWS::DynamoDB::Table\n"
    "    Properties:\n"
    "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
    "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n";

static void test_back_half(void **state)
{
	struct tk_run r = {0};

	(void)state;
	tk_sh(&r, "mkdir -p back/db back/infra && echo OK");
	assert_non_null(strstr(r.out, "OK"));
	tk_write_file("back/infra/template.yaml", changed_gsi);
	tk_write_file("back/db/001_init.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n");

	/* a directory holding migrations and a template: both, each by its own front half */
	tk_sh(&r, "cd back && %s --no-config --format json --fail-on never . ", BIN);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"files_checked\":2"));
	assert_non_null(strstr(r.out, "\"rule\":\"dynamodb-table-without-retain\""));
	assert_non_null(strstr(r.out, "\"migration_format\":\"cloudformation\""));

	/* exit status and --fail-on */
	tk_sh(&r, "cd back && %s --no-config -q infra/template.yaml", BIN);
	assert_int_equal(r.status, 1);
	assert_non_null(
	    strstr(r.out, "infra/template.yaml:3:3: warning[dynamodb-table-without-retain]"));
	tk_sh(&r, "cd back && %s --no-config -q --fail-on error infra/template.yaml", BIN);
	assert_int_equal(r.status, 0);

	/* configuration: severity and off, from the nearest .ddlguard.yaml */
	tk_write_file("back/.ddlguard.yaml",
		      "rules:\n  dynamodb-table-without-retain: {severity: error}\n");
	tk_sh(&r, "cd back && %s -q infra/template.yaml", BIN);
	assert_non_null(strstr(r.out, "error[dynamodb-table-without-retain]"));
	tk_write_file("back/.ddlguard.yaml", "rules:\n  dynamodb-table-without-retain: off\n");
	tk_sh(&r, "cd back && %s -q infra/template.yaml", BIN);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	tk_sh(&r, "cd back && rm .ddlguard.yaml && echo OK");

	/* a baseline accepts the finding, and it stays accepted when lines move above it */
	tk_sh(&r, "cd back && %s --no-config --write-baseline bl.json infra/template.yaml", BIN);
	assert_int_equal(r.status, 0);
	tk_sh(&r,
	      "cd back && printf '# a comment\\n\\n' | cat - infra/template.yaml > x && "
	      "mv x infra/template.yaml && %s --no-config -q --baseline bl.json "
	      "infra/template.yaml",
	      BIN);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");

	/* the machine-readable formats carry it */
	tk_sh(&r, "cd back && %s --no-config --format sarif --fail-on never infra/template.yaml",
	      BIN);
	{
		cJSON *doc = cJSON_Parse(r.out), *res;
		assert_non_null(doc);
		res = cJSON_GetArrayItem(
		    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0),
					"results"),
		    0);
		assert_non_null(res);
		assert_string_equal(cJSON_GetObjectItem(res, "ruleId")->valuestring,
				    "dynamodb-table-without-retain");
		cJSON_Delete(doc);
	}
	tk_sh(&r, "cd back && %s --no-config --format gcc --fail-on never infra/template.yaml",
	      BIN);
	assert_non_null(
	    strstr(r.out, "infra/template.yaml:5:3: warning: DynamoDB table \"Users\""));

	/* --select keeps SQL rules off templates and DynamoDB rules off SQL */
	tk_sh(&r, "cd back && %s --no-config -q --select ban-drop-table .", BIN);
	assert_int_equal(r.status, 0);

	/* --terraform-plan with something that is not a plan: an error, exit 2 */
	tk_write_file("back/notaplan.txt", "{\"hello\": 1}\n");
	tk_sh(&r, "cd back && %s --no-config --terraform-plan notaplan.txt 2>&1", BIN);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "not a Terraform plan"));
	/* a plan from standard input, under any name */
	tk_sh(&r,
	      "cd back && %s --no-config -q --terraform-plan - < %s/dynamodb/tf-plan/new/plan.json",
	      BIN, DG_FIXTURES);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "<stdin>:11:20: error[dynamodb-table-replaced]"));
	free(r.out);
}

static int setup(void **state)
{
	(void)state;
	return tk_tmpdir_create("dynamodb");
}

static int teardown(void **state)
{
	(void)state;
	return tk_tmpdir_remove();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_yaml_positions), cmocka_unit_test(test_yaml_limits),
	    cmocka_unit_test(test_yaml_comments),  cmocka_unit_test(test_yaml_merge_keys),
	    cmocka_unit_test(test_canonical_text), cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_cases),	   cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_back_half),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
