/* test_cli.c — the command line as a CI gate and an editor see it: exit codes, JSON, stdin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "testkit.h"

#define FX DG_FIXTURES
/* Tests that count another rule's findings turn the lock-model rules off. */
#define NO_TIMEOUT_RULES TK_TIMEOUT_FLAGS " "

/* Runs `ddlguard ARGS` through the shell (stderr to /dev/null unless ARGS redirects it). */
#define run(...) tk_run(DG_BINARY " " __VA_ARGS__)

static void test_exit_codes(void **state)
{
	struct tk_run r;

	(void)state;
	r = run("--version");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "ddlguard "));
	free(r.out);
	r = run("2>/dev/null");
	assert_int_equal(r.status, 2); /* no PATH */
	free(r.out);
	r = run("--no-such-option x.sql 2>/dev/null");
	assert_int_equal(r.status, 2);
	free(r.out);
	r = run("--enable no-such-rule x.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "unknown rule 'no-such-rule'"));
	free(r.out);
	r = run("--format yaml x.sql 2>/dev/null");
	assert_int_equal(r.status, 2);
	free(r.out);

	/* warnings fail by default, not with --fail-on error or never */
	r = run("%s/require-concurrent-index-creation/bad.sql", FX);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run("--fail-on error %s/require-concurrent-index-creation/bad.sql", FX);
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run("--fail-on never %s/syntax-error/bad.sql", FX);
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run("--fail-on error %s/syntax-error/bad.sql", FX);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(NO_TIMEOUT_RULES "%s/require-concurrent-index-creation/ok.sql", FX);
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run(NO_TIMEOUT_RULES "--disable require-concurrent-index-creation "
				 "%s/require-concurrent-index-creation/bad.sql",
		FX);
	assert_int_equal(r.status, 0);
	free(r.out);
}

static void test_unreadable_file_does_not_stop_the_rest(void **state)
{
	struct tk_run r;

	(void)state;
	r = run("/nonexistent/a.sql %s/renaming-column/bad.sql 2>&1", FX);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "/nonexistent/a.sql"));
	assert_non_null(strstr(r.out, "renaming-column"));
	free(r.out);
}

static void test_json(void **state)
{
	struct tk_run r;
	cJSON *doc, *findings, *f;
	int n = 0;

	(void)state;
	r = run(NO_TIMEOUT_RULES "--format json %s/constraint-missing-not-valid/bad.sql "
				 "%s/constraint-missing-not-valid/ok.sql",
		FX, FX);
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "version")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(doc, "files_checked")->valueint, 2);
	findings = cJSON_GetObjectItem(doc, "findings");
	/* other rules (hygiene, …) may report on these files too: count this rule's findings */
	cJSON_ArrayForEach(f, findings) n += strcmp(cJSON_GetObjectItem(f, "rule")->valuestring,
						    "constraint-missing-not-valid") == 0;
	assert_int_equal(n, 4);
	f = cJSON_GetArrayItem(findings, 0);
	assert_string_equal(cJSON_GetObjectItem(f, "rule")->valuestring,
			    "constraint-missing-not-valid");
	assert_string_equal(cJSON_GetObjectItem(f, "severity")->valuestring, "warning");
	assert_int_equal(cJSON_GetObjectItem(f, "line")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(f, "column")->valueint, 20);
	assert_int_equal(cJSON_GetObjectItem(f, "end_line")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(f, "end_column")->valueint, 93);
	assert_int_equal(
	    cJSON_GetObjectItem(f, "byte_offset")->valueint,
	    (int)strlen("-- expect: constraint-missing-not-valid 2:20\nALTER TABLE orders "));
	assert_int_equal(cJSON_GetObjectItem(f, "byte_length")->valueint, 73);
	assert_non_null(
	    strstr(cJSON_GetObjectItem(f, "message")->valuestring, "SHARE ROW EXCLUSIVE"));
	assert_non_null(strstr(cJSON_GetObjectItem(f, "help")->valuestring, "NOT VALID"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(f, "section")));
	cJSON_Delete(doc);
	free(r.out);
}

/* The span of a finding at a column's type covers the type as written, not what follows it
 * (end_column is the column just past it). */
static void test_type_spans(void **state)
{
	static const struct {
		const char *rule;
		unsigned column, end_column;
	} want[] = {
	    {"prefer-timestamptz", 19, 49},
	    {"prefer-text-field", 62, 76},
	    {"prefer-bigint-over-int", 93, 97},
	};
	struct tk_run r;
	cJSON *doc, *f;
	size_t found = 0;

	(void)state;
	r = run("--format json --fail-on never - <<'EOF'\n"
		"CREATE TABLE t (a timestamp(3) without time zone NOT NULL, b varchar (20)[] "
		"DEFAULT '{}', c int4 CHECK (c > 0));\nEOF");
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "findings"))
	{
		const char *rule = cJSON_GetObjectItem(f, "rule")->valuestring;
		for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
			if (strcmp(rule, want[i].rule) != 0)
				continue;
			assert_int_equal(cJSON_GetObjectItem(f, "column")->valueint,
					 want[i].column);
			assert_int_equal(cJSON_GetObjectItem(f, "end_column")->valueint,
					 want[i].end_column);
			found++;
		}
	}
	assert_int_equal(found, 3);
	cJSON_Delete(doc);
	free(r.out);
}

static void test_locks(void **state)
{
	struct tk_run r;
	cJSON *doc, *file, *stmts, *st, *lk;

	(void)state;
	r = run("--locks --color never - <<'EOF'\n"
		"ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id);\n"
		"ALTER TABLE orders ADD COLUMN x uuid DEFAULT gen_random_uuid();\n"
		"CREATE EXTENSION hstore;\nEOF");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "1:1  ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY"));
	assert_non_null(
	    strstr(r.out, "users     referenced  SHARE ROW EXCLUSIVE  -        blocked"));
	assert_non_null(
	    strstr(r.out, "orders    table  ACCESS EXCLUSIVE  blocked  blocked  yes      yes"));
	assert_non_null(strstr(r.out, "3:1  CREATE EXTENSION hstore\n      (no table locks)"));
	free(r.out);

	r = run("--locks --format json --pg-version 11 - <<'EOF'\n"
		"SELECT 1;\nREINDEX INDEX CONCURRENTLY i;\nEOF");
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "locks_version")->valueint, 1);
	assert_null(cJSON_GetObjectItem(doc, "version")); /* not the findings report's schema */
	file = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "files"), 0);
	assert_int_equal(cJSON_GetObjectItem(file, "pg_version")->valueint, 11);
	stmts = cJSON_GetObjectItem(file, "statements");
	assert_int_equal(cJSON_GetArraySize(stmts), 2);
	st = cJSON_GetArrayItem(stmts, 1);
	assert_int_equal(cJSON_GetObjectItem(st, "line")->valueint, 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "no_transaction")));
	assert_non_null(strstr(cJSON_GetObjectItem(st, "unsupported")->valuestring, "12"));
	lk = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "locks"), 1);
	assert_string_equal(cJSON_GetObjectItem(lk, "relation")->valuestring, "i");
	assert_string_equal(cJSON_GetObjectItem(lk, "role")->valuestring, "index");
	/* the old index is dropped under ACCESS EXCLUSIVE at the end, briefly */
	assert_string_equal(cJSON_GetObjectItem(lk, "mode")->valuestring, "ACCESS EXCLUSIVE");
	assert_int_equal(cJSON_GetObjectItem(lk, "strength")->valueint, 8);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(lk, "blocks_writes")));
	assert_non_null(strstr(cJSON_GetObjectItem(lk, "note")->valuestring, "briefly"));
	cJSON_Delete(doc);
	free(r.out);

	r = run("--locks --format sarif x.sql 2>/dev/null");
	assert_int_equal(r.status, 2);
	free(r.out);
}

static void test_stdin_and_sections(void **state)
{
	struct tk_run r;
	cJSON *doc, *f;

	(void)state;
	r = run("--format json --stdin-filename db/20240101_x.sql - <<'EOF'\n"
		"-- migrate:up\nCREATE INDEX i ON t (a);\n-- migrate:down\nDROP INDEX i;\nEOF");
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	assert_non_null(f);
	assert_string_equal(cJSON_GetObjectItem(f, "path")->valuestring, "db/20240101_x.sql");
	assert_string_equal(cJSON_GetObjectItem(f, "section")->valuestring, "up");
	assert_int_equal(cJSON_GetObjectItem(f, "line")->valueint, 2);
	cJSON_Delete(doc);
	free(r.out);
}

static void test_bom_crlf_and_bad_utf8(void **state)
{
	struct tk_run r;
	char tmp[] = "/tmp/ddlguard-cli-XXXXXX";
	char path[512];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/bom.sql", tmp);
	f = fopen(path, "wb");
	fputs("\xEF\xBB\xBF-- x\r\nSELECT 1;\r\n  CREATE INDEX i ON t (a);\r\n", f);
	fclose(f);
	r = run("--format json %s", path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "\"line\":3,\"column\":3,\"end_line\":3,\"end_column\":26"));
	free(r.out);
	snprintf(path, sizeof(path), "%s/latin1.sql", tmp);
	f = fopen(path, "wb");
	fputs("SELECT 'caf\xE9';\nCREATE INDEX i ON t (a);\n", f);
	fclose(f);
	r = run("%s", path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, ":1:12: error[syntax-error] the file is not valid UTF-8"));
	free(r.out);
	r = run("%s/bom.sql %s/latin1.sql >/dev/null; rm -rf %s", tmp, tmp, tmp);
	free(r.out);
}

static void test_text_report_and_color(void **state)
{
	struct tk_run r;

	(void)state;
	r = run(NO_TIMEOUT_RULES "--color never %s/renaming-column/bad.sql", FX);
	assert_non_null(strstr(r.out, "bad.sql:2:1: warning[renaming-column] renaming column"));
	assert_non_null(strstr(r.out,
			       " 2 | ALTER TABLE users RENAME COLUMN email TO email_address;\n"
			       "   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"));
	assert_non_null(strstr(r.out, "= help: Expand, backfill, contract"));
	assert_non_null(
	    strstr(r.out, "2 findings (0 errors, 2 warnings, 0 info) in 1 file; 1 file checked"));
	assert_null(strchr(r.out, '\033'));
	free(r.out);
	r = run("--color always %s/renaming-column/bad.sql", FX);
	assert_non_null(strchr(r.out, '\033'));
	free(r.out);
	r = run("%s/renaming-column/bad.sql", FX); /* auto: stdout is a pipe */
	assert_null(strchr(r.out, '\033'));
	free(r.out);
}

static void test_select(void **state)
{
	struct tk_run r;

	(void)state;
	/* the demo has findings of several rules: --select keeps only the named ones */
	r = run("--quiet --select renaming-column --select require-down-section %s/demo", FX);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "[renaming-column]"));
	assert_non_null(strstr(r.out, "[require-down-section]"));
	assert_null(strstr(r.out, "[adding-required-field]"));
	assert_null(strstr(r.out, "[require-concurrent-index-creation]"));
	free(r.out);
	r = run("--select no-such-rule x.sql 2>&1");
	assert_int_equal(r.status, 2);
	free(r.out);
}

static void test_list_and_explain(void **state)
{
	struct tk_run r;

	(void)state;
	r = run("--list-rules");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "require-concurrent-index-creation"));
	assert_non_null(strstr(r.out, "syntax-error"));
	free(r.out);
	r = run("--explain renaming-column");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# renaming-column\n"));
	assert_non_null(strstr(r.out, "## How to fix"));
	free(r.out);
	r = run("--explain renaming-colum 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(
	    strstr(r.out, "unknown rule 'renaming-colum' (did you mean 'renaming-column'?)"));
	free(r.out);
	r = run("--list-rules --format json");
	assert_int_equal(r.status, 0);
	{
		cJSON *doc = cJSON_Parse(r.out), *rules;
		assert_non_null(doc);
		assert_int_equal(cJSON_GetObjectItem(doc, "rules_version")->valueint, 1);
		assert_string_equal(cJSON_GetObjectItem(doc, "ddlguard_version")->valuestring,
				    DG_VERSION);
		rules = cJSON_GetObjectItem(doc, "rules");
		assert_int_equal(cJSON_GetArraySize(rules), (int)dg_rule_count());
		assert_string_equal(
		    cJSON_GetObjectItem(cJSON_GetArrayItem(rules, 0), "name")->valuestring,
		    dg_rule_info_at(0)->name);
		cJSON_Delete(doc);
	}
	free(r.out);
	r = run("--list-rules --format sarif 2>&1");
	assert_int_equal(r.status, 2);
	free(r.out);
}

/* One did-you-mean for rules and options: edit distance, as the configuration file's. */
static void test_did_you_mean(void **state)
{
	static const struct {
		const char *args, *says;
	} cases[] = {
	    /* a substring match would have suggested syntax-error for "a" */
	    {"--select a x.sql", "unknown rule 'a' (see --list-rules)"},
	    {"--disable require-lock-timout x.sql",
	     "unknown rule 'require-lock-timout' (did you mean 'require-lock-timeout'?)"},
	    {"--enable ban-drop-colum x.sql",
	     "unknown rule 'ban-drop-colum' (did you mean 'ban-drop-column'?)"},
	    {"--selct renaming-column x.sql",
	     "unknown option '--selct' (did you mean '--select'?)"},
	    {"--fail-one error x.sql", "unknown option '--fail-one' (did you mean '--fail-on'?)"},
	    {"--colum-unit=byte x.sql",
	     "unknown option '--colum-unit' (did you mean '--column-unit'?)"},
	    {"--frobnicate x.sql", "unknown option '--frobnicate'\n"},
	    {"x.sql --format", "option '--format' needs a value"},
	    {"-Z x.sql", "option '-Z' is not known"},
	    {"--format sarfi x.sql", "unknown format 'sarfi' (did you mean 'sarif'? text, json,"},
	    {"--migration-format golang_migrate x.sql",
	     "unknown migration format 'golang_migrate' (did you mean 'golang-migrate'?)"},
	};
	struct tk_run r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = run("%s 2>&1", cases[i].args);
		assert_int_equal(r.status, 2);
		if (!strstr(r.out, cases[i].says))
			fail_msg("%s: said %s", cases[i].args, r.out);
		free(r.out);
	}
}

/* --help fits an 80-column terminal. */
static void test_help_fits_80_columns(void **state)
{
	struct tk_run r = run("--help");
	size_t line = 1;

	(void)state;
	assert_int_equal(r.status, 0);
	for (const char *p = r.out; *p; line++) {
		size_t n = strcspn(p, "\n"), chars = 0;
		for (size_t k = 0; k < n; k++)
			chars += ((unsigned char)p[k] & 0xC0) != 0x80;
		if (chars > 80)
			fail_msg("--help line %zu has %zu columns: %.*s", line, chars, (int)n, p);
		p += n + (p[n] == '\n');
	}
	free(r.out);
}

static void test_directory_walk_is_sorted(void **state)
{
	struct tk_run r;
	char *a, *b;

	(void)state;
	r = run("--fail-on never %s/require-down-section", FX);
	assert_int_equal(r.status, 0);
	a = strstr(r.out, "20240101_create_audit.up.sql:1:1");
	b = strstr(r.out, "bad.sql:2:4");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_non_null(strstr(r.out, "5 files checked"));
	free(r.out);
}

static void test_migration_format_option(void **state)
{
	struct tk_run r;
	cJSON *doc, *files, *f;
	int skipped = 0;

	(void)state;
	r = run("--migration-format nosuchtool x.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "unknown migration format 'nosuchtool'"));
	free(r.out);
	/* named, the format applies to a file it would not have been detected in */
	r = run("--format json --migration-format goose --stdin-filename schema.sql - <<'EOF'\n"
		"CREATE INDEX i ON t (a);\nEOF");
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "files"), 0);
	assert_string_equal(cJSON_GetObjectItem(f, "migration_format")->valuestring, "goose");
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	assert_string_equal(cJSON_GetObjectItem(f, "section")->valuestring, "up");
	cJSON_Delete(doc);
	free(r.out);
	/* every file is listed with its format; another dialect's file is marked skipped */
	r = run("--format json --fail-on never %s/formats/pop/migrations", FX);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	files = cJSON_GetObjectItem(doc, "files");
	assert_int_equal(cJSON_GetArraySize(files),
			 cJSON_GetObjectItem(doc, "files_checked")->valueint);
	cJSON_ArrayForEach(f, files)
	{
		assert_string_equal(cJSON_GetObjectItem(f, "migration_format")->valuestring, "pop");
		skipped += cJSON_GetObjectItem(f, "skipped") != NULL;
	}
	assert_int_equal(skipped, 4);
	cJSON_Delete(doc);
	free(r.out);
}

/* --quiet: one line per finding, exactly as editors and hooks parse it, and nothing else. */
static void test_quiet(void **state)
{
	struct tk_run r;
	char *line, *save = NULL;
	int lines = 0;
	cJSON *doc;

	(void)state;
	r = run("--quiet --color never --select renaming-column %s/renaming-column/bad.sql", FX);
	assert_int_equal(r.status, 1);
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char path[1024], sev[16], rule[128];
		unsigned l, c;
		int used = 0;

		assert_int_equal(sscanf(line, "%1023[^:]:%u:%u: %15[a-z][%127[a-z0-9-]] %n", path,
					&l, &c, sev, rule, &used),
				 5);
		assert_true(used > 0 && line[used] != '\0'); /* a message follows */
		assert_non_null(strstr(path, "renaming-column/bad.sql"));
		assert_string_equal(sev, "warning");
		assert_string_equal(rule, "renaming-column");
		lines++;
	}
	assert_int_equal(lines, 2);
	free(r.out);
	/* -q, nothing at all when clean, and the exit status is the same */
	r = run("-q - <<'EOF'\nSELECT 1;\nEOF");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	free(r.out);
	r = run("-q --fail-on never %s/renaming-column/bad.sql", FX);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, " | "));
	assert_null(strstr(r.out, "help"));
	assert_null(strstr(r.out, "checked"));
	free(r.out);
	/* JSON is for machines already: --quiet leaves it whole */
	r = run("--quiet --format json %s/renaming-column/ok.sql", FX);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "files_checked")->valueint, 1);
	cJSON_Delete(doc);
	free(r.out);
}

/* Every option --help lists is in the manual page and in the bash completion. */
static void test_docs_cover_options(void **state)
{
	struct tk_run r;
	char *man = tk_slurp(DG_SOURCE_DIR "/docs/ddlguard.1.in");
	char *bash = tk_slurp(DG_SOURCE_DIR "/completions/ddlguard.bash");
	int options = 0;

	(void)state;
	assert_non_null(man);
	assert_non_null(bash);
	r = run("--help");
	for (const char *p = r.out; (p = strstr(p, "--"));) {
		char name[64], roff[160], word[80];
		size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");

		if (n == 0 || n >= sizeof(name)) {
			p += 2;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 2);
		p += 2 + n;
		/* roff writes every '-' as '\-' */
		snprintf(roff, sizeof(roff), "\\-\\-");
		for (size_t i = 0; name[i]; i++) {
			size_t k = strlen(roff);
			if (name[i] == '-')
				snprintf(roff + k, sizeof(roff) - k, "\\-");
			else
				snprintf(roff + k, sizeof(roff) - k, "%c", name[i]);
		}
		if (!strstr(man, roff))
			fail_msg("docs/ddlguard.1.in does not document --%s", name);
		snprintf(word, sizeof(word), "--%s ", name);
		if (!strstr(bash, word) &&
		    !(snprintf(word, sizeof(word), "--%s\n", name) > 0 && strstr(bash, word)))
			fail_msg("completions/ddlguard.bash does not complete --%s", name);
		options++;
	}
	assert_true(options >= 14);
	free(r.out);
	free(man);
	free(bash);
}

/* The man page says what the README says where they used to differ: the exit statuses, what
 * --assume-in-transaction covers, the git hook, the pre-commit configuration. */
static void test_readme_and_man_agree(void **state)
{
	static const char *const both[] = {
	    /* exit status 2 */
	    "a broken configuration file, a bad baseline, an unknown git revision",
	    /* --assume-in-transaction */
	    "plain SQL files",
	    "a detected tool's own transaction mode still applies",
	    /* the plain git hook, line by line */
	    "for f in $(git diff --cached --name-only --diff-filter=ACM -- '*.sql'); do",
	    "git show \":$f\" | ddlguard --quiet --stdin-filename \"$f\" - || status=1",
	    "exit $status",
	    /* pre-commit */
	    "- id: ddlguard",
	    "rev: v" DG_VERSION,
	    /* formats and column units */
	    "markdown",
	    "--column-unit",
	    "display",
	    "byte",
	};
	char *readme = tk_slurp(DG_SOURCE_DIR "/README.md");
	char *man = tk_slurp(DG_SOURCE_DIR "/docs/ddlguard.1.in"), *o, *p;

	(void)state;
	assert_non_null(readme);
	assert_non_null(man);
	/* the man page as text: roff's escapes undone, @PROJECT_VERSION@ filled in, lines joined */
	for (o = p = man; *p;) {
		if (strncmp(p, "\\-", 2) == 0) {
			*o++ = '-';
			p += 2;
		} else if (strncmp(p, "\\(aq", 4) == 0) {
			*o++ = '\'';
			p += 4;
		} else if (strncmp(p, "@PROJECT_VERSION@", 17) == 0) {
			memcpy(o, DG_VERSION, strlen(DG_VERSION));
			o += strlen(DG_VERSION);
			p += 17;
		} else if (*p == '\n' && p[1] != '.') {
			*o++ = ' ';
			p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	for (size_t i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
		if (!strstr(readme, both[i]))
			fail_msg("README.md lacks: %s", both[i]);
		if (!strstr(man, both[i]))
			fail_msg("docs/ddlguard.1.in lacks: %s", both[i]);
	}
	free(readme);
	free(man);
}

static void test_summary(void **state)
{
	struct tk_run r;
	cJSON *doc, *sum, *rules, *top;

	(void)state;
	/* several files: the text report ends with the summary, then the totals line */
	r = run("--fail-on never --select transaction-nesting %s/transaction-nesting", FX);
	assert_non_null(strstr(r.out, "Summary\n  migrations checked: 6 (3 with findings)\n"));
	assert_non_null(strstr(r.out, "  formats: dbmate 2, golang-migrate 2, plain 2\n"));
	assert_non_null(strstr(r.out, "  findings by rule:\n    "));
	assert_non_null(strstr(r.out, "transaction-nesting      7  warning\n"));
	assert_non_null(strstr(r.out, "  most serious files:\n    "));
	assert_non_null(strstr(r.out, "20240101000000_dbmate.sql: 3 warnings\n"));
	assert_true(strstr(r.out, "Summary") < strstr(r.out, "findings (0 errors"));
	free(r.out);
	/* one file: only on request */
	r = run("--fail-on never --select transaction-nesting %s/transaction-nesting/bad.sql", FX);
	assert_null(strstr(r.out, "Summary"));
	free(r.out);
	r = run(
	    "--summary --fail-on never --select transaction-nesting %s/transaction-nesting/bad.sql",
	    FX);
	assert_non_null(strstr(r.out, "Summary\n  migrations checked: 1 (1 with findings)\n"));
	assert_non_null(strstr(r.out, "  formats: plain 1\n"));
	free(r.out);

	/* JSON always carries it */
	r = run("--format json --fail-on never --select transaction-nesting %s/transaction-nesting",
		FX);
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	sum = cJSON_GetObjectItem(doc, "summary");
	assert_non_null(sum);
	assert_int_equal(cJSON_GetObjectItem(sum, "files_checked")->valueint, 6);
	assert_int_equal(cJSON_GetObjectItem(sum, "files_with_findings")->valueint, 3);
	assert_int_equal(cJSON_GetObjectItem(sum, "unreadable")->valueint, 0);
	assert_int_equal(cJSON_GetObjectItem(sum, "findings")->valueint, 7);
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "formats"), "dbmate")->valueint, 2);
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "formats"), "golang-migrate")->valueint,
	    2);
	rules = cJSON_GetObjectItem(sum, "rules");
	assert_true(cJSON_GetArraySize(rules) >= 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, 0), "rule")->valuestring,
			    "transaction-nesting");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, 0), "count")->valueint, 7);
	top = cJSON_GetObjectItem(sum, "top_files");
	assert_int_equal(cJSON_GetArraySize(top), 3);
	assert_non_null(strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(top, 0), "path")->valuestring,
			       "20240101000000_dbmate.sql"));
	assert_int_equal(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(top, 0), "by_severity"),
				"warning")
		->valueint,
	    3);
	cJSON_Delete(doc);
	free(r.out);
}

static void test_top_files_are_bounded(void **state)
{
	struct tk_run r;
	cJSON *doc, *top;

	(void)state;
	r = run("--format json --fail-on never %s", FX);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	top = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "top_files");
	assert_int_equal(cJSON_GetArraySize(top), 10);
	/* errors first */
	assert_true(cJSON_GetObjectItem(
			cJSON_GetObjectItem(cJSON_GetArrayItem(top, 0), "by_severity"), "error")
			->valueint > 0);
	cJSON_Delete(doc);
	free(r.out);
}

static void test_transaction_options(void **state)
{
	struct tk_run r;

	(void)state;
	/* ALTER TYPE … ADD VALUE may run in a block since PostgreSQL 12 only */
	r = run("--fail-on never --stdin-filename x.sql - <<'EOF'\n"
		"BEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;\nEOF");
	assert_null(strstr(r.out, "ban-concurrent-index-creation-in-transaction"));
	free(r.out);
	r = run("--pg-version 11 --fail-on never --stdin-filename x.sql - <<'EOF'\n"
		"BEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;\nEOF");
	assert_non_null(strstr(r.out,
			       "x.sql:2:1: error[ban-concurrent-index-creation-in-transaction] "
			       "ALTER TYPE ... ADD runs inside a transaction block here "
			       "(the BEGIN on line 1 opened a transaction block)"));
	free(r.out);
	/* --assume-in-transaction speaks for plain SQL, not for a tool's own mode */
	r = run("--fail-on never %s/ban-concurrent-index-creation-in-transaction/ok.sql", FX);
	assert_null(strstr(r.out, "error[ban-concurrent"));
	free(r.out);
	r = run("--assume-in-transaction --fail-on never "
		"%s/ban-concurrent-index-creation-in-transaction/ok.sql",
		FX);
	assert_non_null(strstr(r.out,
			       "ok.sql:2:1: error[ban-concurrent-index-creation-in-transaction] "
			       "CREATE INDEX CONCURRENTLY runs inside a transaction block here "
			       "(--assume-in-transaction"));
	free(r.out);
	r = run("--assume-in-transaction --fail-on never "
		"%s/ban-concurrent-index-creation-in-transaction/20240102000000_dbmate_notx.sql",
		FX);
	assert_null(strstr(r.out, "error[ban-concurrent"));
	free(r.out);
}

static void test_down_sections_are_linted(void **state)
{
	struct tk_run r;
	cJSON *doc, *f;

	(void)state;
	/* a rollback locks like anything else: the down section's CREATE INDEX is reported there */
	r = run(
	    "--format json --select require-concurrent-index-creation "
	    "--select ban-concurrent-index-creation-in-transaction "
	    "--stdin-filename db/20240101_x.sql - <<'EOF'\n"
	    "-- migrate:up\nDROP INDEX CONCURRENTLY i;\n-- migrate:down\nCREATE INDEX i ON t (a);\nEOF");
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 1);
	assert_non_null(f);
	assert_string_equal(cJSON_GetObjectItem(f, "rule")->valuestring,
			    "require-concurrent-index-creation");
	assert_string_equal(cJSON_GetObjectItem(f, "section")->valuestring, "down");
	assert_int_equal(cJSON_GetObjectItem(f, "line")->valueint, 4);
	cJSON_Delete(doc);
	free(r.out);
}

/* Recipes that depend on the PostgreSQL version: --pg-version changes the help, not the finding
 * (old_version is the one with the other recipe: older, or newer for PostgreSQL 18 features). */
static void test_version_dependent_help(void **state)
{
	static const struct {
		const char *sql, *old_version, *old_help, *new_help;
	} cases[] = {
	    {"REINDEX INDEX users_email_idx;", "11", "needs PostgreSQL 12",
	     "REINDEX … CONCURRENTLY"},
	    {"ALTER TABLE events DETACH PARTITION events_2023;", "13", "needs PostgreSQL 14",
	     "DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+)"},
	    {"ALTER TABLE users ALTER COLUMN email SET NOT NULL;", "11",
	     "On PostgreSQL 11 SET NOT NULL scans", "PostgreSQL 12+ sees the validated CHECK"},
	    {"ALTER TABLE users ADD COLUMN n text GENERATED ALWAYS AS (a || b) STORED;", "18",
	     "VIRTUAL generated column", "Add a plain nullable column"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tk_run r =
		    run("--pg-version %s - <<'EOF'\n%s\nEOF", cases[i].old_version, cases[i].sql);
		assert_int_equal(r.status, 1);
		assert_non_null(strstr(r.out, cases[i].old_help));
		assert_null(strstr(r.out, cases[i].new_help));
		free(r.out);
		r = run("--pg-version 15 - <<'EOF'\n%s\nEOF", cases[i].sql);
		assert_int_equal(r.status, 1);
		assert_non_null(strstr(r.out, cases[i].new_help));
		assert_null(strstr(r.out, cases[i].old_help));
		free(r.out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exit_codes),
	    cmocka_unit_test(test_unreadable_file_does_not_stop_the_rest),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_stdin_and_sections),
	    cmocka_unit_test(test_type_spans),
	    cmocka_unit_test(test_locks),
	    cmocka_unit_test(test_bom_crlf_and_bad_utf8),
	    cmocka_unit_test(test_text_report_and_color),
	    cmocka_unit_test(test_list_and_explain),
	    cmocka_unit_test(test_did_you_mean),
	    cmocka_unit_test(test_help_fits_80_columns),
	    cmocka_unit_test(test_readme_and_man_agree),
	    cmocka_unit_test(test_select),
	    cmocka_unit_test(test_directory_walk_is_sorted),
	    cmocka_unit_test(test_migration_format_option),
	    cmocka_unit_test(test_quiet),
	    cmocka_unit_test(test_docs_cover_options),
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_top_files_are_bounded),
	    cmocka_unit_test(test_transaction_options),
	    cmocka_unit_test(test_down_sections_are_linted),
	    cmocka_unit_test(test_version_dependent_help),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
