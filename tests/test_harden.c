/* test_harden.c — hostile and careless inputs through the binary: each gets a clear error in
 * bounded time and memory, every path given is accounted for, and every output stays valid
 * UTF-8, well-formed and free of raw control characters. One test per defect of the hardening
 * review. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "testkit.h"

#define BIN DG_BINARY " --no-config "

static int setup(void **state)
{
	(void)state;
	return tk_tmpdir_create("harden");
}

static int teardown(void **state)
{
	(void)state;
	return tk_tmpdir_remove();
}

/* A fresh directory for one test, made the current one of tk_sh's commands. */
static void fresh(struct tk_run *r, const char *name)
{
	tk_sh(r, "rm -rf %s && mkdir %s", name, name);
	assert_int_equal(r->status, 0);
}

static bool utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		unsigned need, cp;
		if (*u < 0x80) {
			u++;
			continue;
		}
		if (*u >= 0xC2 && *u <= 0xDF)
			need = 1, cp = *u & 0x1F;
		else if (*u >= 0xE0 && *u <= 0xEF)
			need = 2, cp = *u & 0x0F;
		else if (*u >= 0xF0 && *u <= 0xF4)
			need = 3, cp = *u & 0x07;
		else
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((u[k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (u[k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		u += need + 1;
	}
	return true;
}

/* No byte a terminal acts on: controls but newline and tab, DEL, C1 (C2 80-9F). */
static bool no_controls(const char *s)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if ((*u < 0x20 && *u != '\n' && *u != '\t') || *u == 0x7F)
			return false;
		if (*u == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F)
			return false;
	}
	return true;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static size_t json_array_size(const cJSON *doc, const char *key)
{
	return (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, key));
}

/* 1. A file over the size limit is an error naming it and the limit; the rest is linted; the
 * limit comes from the option or the configuration; standard input is bounded too. */
static void test_size_limit(void **state)
{
	struct tk_run r = {0};
	cJSON *doc, *err;

	(void)state;
	fresh(&r, "size");
	tk_sh(&r, "head -c 3000 /dev/zero | tr '\\0' ' ' > size/big.sql && "
		  "echo 'ALTER TABLE t RENAME COLUMN a TO b;' >> size/big.sql && "
		  "echo 'ALTER TABLE t RENAME COLUMN a TO b;' > size/small.sql");
	tk_sh(&r, BIN "--max-file-size 2K --format json size/big.sql size/small.sql 2>/dev/null");
	assert_int_equal(r.status, 2);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "files_checked")->valueint, 1);
	assert_int_equal(json_array_size(doc, "errors"), 1);
	err = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "errors"), 0);
	assert_string_equal(cJSON_GetObjectItem(err, "path")->valuestring, "size/big.sql");
	assert_non_null(strstr(cJSON_GetObjectItem(err, "message")->valuestring, "2 KiB"));
	assert_true(json_array_size(doc, "findings") > 0); /* small.sql was linted */
	cJSON_Delete(doc);
	tk_sh(&r, BIN "--max-file-size 2K size/big.sql 2>&1 >/dev/null");
	assert_non_null(strstr(r.out, "size/big.sql: larger than the size limit of 2 KiB"));
	/* the default (8 MiB) reads it; so does a configuration's max_file_size, under the flag */
	tk_sh(&r, BIN "--format json size/big.sql >/dev/null 2>&1");
	assert_int_equal(r.status, 1);
	tk_sh(&r, "printf 'max_file_size: 1K\\n' > size/cfg.yaml && " DG_BINARY
		  " --config size/cfg.yaml size/big.sql 2>&1 >/dev/null");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "1 KiB"));
	tk_sh(&r, DG_BINARY " --config size/cfg.yaml --max-file-size 8M size/big.sql >/dev/null");
	assert_int_equal(r.status, 1);
	tk_sh(&r, BIN "--max-file-size 0 size/small.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "--max-file-size takes a size"));
	/* standard input: /dev/zero ends, as an error of the report */
	tk_sh(&r, BIN "--max-file-size 64K --format json - size/small.sql </dev/zero 2>/dev/null");
	assert_int_equal(r.status, 2);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	err = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "errors"), 0);
	assert_string_equal(cJSON_GetObjectItem(err, "path")->valuestring, "<stdin>");
	assert_non_null(strstr(cJSON_GetObjectItem(err, "message")->valuestring, "64 KiB"));
	cJSON_Delete(doc);
	free(r.out);
}

/* 1. A large file is parsed in runs of statements: positions stay exact across the runs, and a
 * syntax error in one run does not hide the statements of the others. */
static void test_large_file_positions(void **state)
{
	struct tk_run r = {0};

	(void)state;
	fresh(&r, "large");
	/* 40000 lines of ~60 bytes (2.4 MB: three runs), a syntax error on line 20001 and a
	 * finding on the last line */
	tk_sh(
	    &r,
	    "awk 'BEGIN { for (i = 1; i <= 40000; i++) { if (i == 20001) print \"SELEC 1;\"; "
	    "else printf \"INSERT INTO t (a, b) VALUES (%%d, '\"'\"'padding padding'\"'\"');\\n\", "
	    "i } }' > large/seed.sql && echo 'ALTER TABLE t RENAME COLUMN a TO b;' >> "
	    "large/seed.sql");
	tk_sh(&r, BIN "--format gcc --select syntax-error --select renaming-column large/seed.sql");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "large/seed.sql:20001:1: error: syntax error at or near"));
	assert_non_null(strstr(r.out, "large/seed.sql:40001:1: warning: renaming column"));
	assert_int_equal(count(r.out, "\n"), 2);
	free(r.out);
}

/* 1. The parser running out of memory is exit 2 naming the file, never 1 ("findings"). Not under
 * AddressSanitizer, whose shadow memory a virtual memory limit would starve. */
static void test_parser_out_of_memory(void **state)
{
	struct tk_run r = {0};

	(void)state;
#if defined(__SANITIZE_ADDRESS__)
	skip();
#endif
	fresh(&r, "oom");
	/* one 6 MB statement: libpg_query needs about 60 times that */
	tk_sh(&r, "awk 'BEGIN { printf \"INSERT INTO t VALUES (0)\"; for (i = 1; i < 600000; i++) "
		  "printf \",(%%d)\", i; print \";\" }' > oom/huge.sql");
	tk_sh(&r, "(ulimit -v 250000; " BIN "--format json oom/huge.sql) 2>&1 >oom/out.json");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "oom/huge.sql"));
	assert_non_null(strstr(r.out, "ran out of memory"));
	tk_sh(&r, "cat oom/out.json");
	assert_null(strstr(r.out, "Terminating process")); /* nothing half-written on stdout */
	free(r.out);
}

/* A chain of thousands of operators (10 kB) once overflowed the stack while its parse tree was
 * unpacked: now it is a syntax-error finding at the statement, and the next one is linted. */
static void test_deep_expression(void **state)
{
	struct tk_run r = {0};

	(void)state;
	fresh(&r, "deep");
	tk_sh(&r,
	      "awk 'BEGIN { print \"SELECT 1;\"; printf \"SELECT 1\"; for (i = 0; i < 5000; "
	      "i++) printf \"+1\"; print \";\"; print \"ALTER TABLE t RENAME COLUMN a TO b;\" }' "
	      "> deep/x.sql");
	tk_sh(&r, BIN "--format gcc --select syntax-error --select renaming-column deep/x.sql");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "deep/x.sql:2:1: error: this statement nests too deeply"));
	assert_non_null(strstr(r.out, "deep/x.sql:3:1: warning: renaming column"));
	free(r.out);
}

/* 2. Symbolic links back to a parent do not loop; each file is linted once. */
static void test_symlink_cycles(void **state)
{
	struct tk_run r = {0};
	cJSON *doc;

	(void)state;
	fresh(&r, "cycle");
	tk_sh(&r, "mkdir cycle/d && echo 'SELECT 1;' > cycle/d/1.sql && ln -s . cycle/d/x && "
		  "ln -s . cycle/d/y && ln -s .. cycle/d/up && ln -s 1.sql cycle/d/2.sql");
	tk_sh(&r, "timeout 20 " BIN "--format json cycle/d");
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItem(doc, "files_checked")->valueint, 1);
	cJSON_Delete(doc);
	free(r.out);
}

/* 3. Control characters in identifiers and file names are made visible in every human and
 * line-based format: no terminal escape, no forged "file:line:col: error:" or "::error" line. */
static void test_control_characters(void **state)
{
	struct tk_run r = {0};
	char name[128];
	static const char *const formats[] = {"text --color never", "text --color never -q", "gcc",
					      "github", "text --color always"};

	(void)state;
	fresh(&r, "inject");
	tk_write_file("inject/a.sql", "ALTER TABLE \"t\033[31m\nx.sql:1:1: error: forged\n::error::"
				      "forged\302\233\342\200\256\" RENAME COLUMN b TO c;\n");
	snprintf(name, sizeof(name), "inject/evil\033]0;t\007\nname.sql");
	tk_write_file(name, "ALTER TABLE t RENAME COLUMN \"a\rb\" TO c;\n");
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		tk_sh(&r, BIN "--select renaming-column --format %s inject 2>&1", formats[i]);
		assert_int_equal(r.status, 1);
		assert_true(utf8_valid(r.out));
		if (!strstr(formats[i], "always"))
			assert_true(no_controls(r.out));
		assert_null(strstr(r.out, "\nx.sql:1:1: error: forged"));
		assert_null(strstr(r.out, "\n::error::forged"));
		assert_non_null(strstr(r.out, "\\x1b[31m\\nx.sql:1:1"));
		assert_non_null(strstr(r.out, "\\u009b\\u202e"));
		assert_non_null(strstr(r.out, "evil\\x1b]0;t\\x07\\nname.sql"));
		assert_non_null(strstr(r.out, "a\\rb"));
	}
	/* one line per finding */
	tk_sh(&r, BIN "--select renaming-column --format gcc inject");
	assert_int_equal(count(r.out, "\n"), 2);
	tk_sh(&r, BIN "--select renaming-column --format github inject");
	assert_int_equal(count(r.out, "\n"), 2);
	/* the source excerpt is escaped and the carets follow it */
	tk_sh(&r, BIN "--select renaming-column --color never inject/a.sql");
	assert_non_null(strstr(r.out, " 1 | ALTER TABLE \"t\\x1b[31m\n"));
	/* stderr names an unreadable file visibly too */
	tk_sh(&r, BIN "'inject/no\033such.sql' 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "inject/no\\x1bsuch.sql: No such file"));
	free(r.out);
}

/* 4. An empty directory and an empty baseline (what --write-baseline writes for a clean
 * repository) are ordinary: under UBSan too (qsort(NULL, 0) was undefined). */
static void test_empty_inputs(void **state)
{
	struct tk_run r = {0};

	(void)state;
	fresh(&r, "empty");
	tk_sh(&r, "mkdir empty/d && " BIN "empty/d");
	assert_int_equal(r.status, 0);
	tk_sh(&r, BIN "--write-baseline empty/b.json empty/d && " BIN "--baseline empty/b.json "
		      "empty/d && grep -c fingerprint empty/b.json");
	assert_int_equal(r.status, 1); /* both runs succeeded; grep found no finding: 1 */
	assert_non_null(strstr(r.out, "0 files checked"));
	free(r.out);
}

/* 5 and 6. Every input that cannot be read is an error of the report with its reason: files
 * checked + errors = files given; devices and FIFOs are refused without blocking. */
static void test_unreadable_inputs(void **state)
{
	struct tk_run r = {0};
	cJSON *doc, *e;
	size_t checked, errors;

	(void)state;
	fresh(&r, "unread");
	tk_sh(&r, "echo 'SELECT 1;' > unread/ok.sql && mkfifo unread/fifo.sql && "
		  "mkfifo unread/sqitch.plan && mkdir -p unread/deploy && "
		  "echo 'SELECT 1;' > unread/deploy/x.sql");
	tk_sh(&r, "timeout 20 " BIN "--format json unread/ok.sql /dev/zero unread/fifo.sql "
		  "unread/missing.sql - unread/deploy/x.sql <&- 2>/dev/null");
	assert_int_equal(r.status, 2); /* not 124: nothing blocked */
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	checked = (size_t)cJSON_GetObjectItem(doc, "files_checked")->valueint;
	errors = json_array_size(doc, "errors");
	assert_int_equal(checked, 2);
	assert_int_equal(checked + errors, 6);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "errors"))
	{
		const char *p = cJSON_GetObjectItem(e, "path")->valuestring;
		const char *m = cJSON_GetObjectItem(e, "message")->valuestring;
		if (!strcmp(p, "/dev/zero") || !strcmp(p, "unread/fifo.sql"))
			assert_non_null(strstr(m, "not a regular file"));
		else if (!strcmp(p, "<stdin>"))
			assert_string_equal(m, "Bad file descriptor");
		else
			assert_string_equal(p, "unread/missing.sql");
	}
	cJSON_Delete(doc);
	/* SARIF notifications and JUnit errors carry them too */
	tk_sh(&r, "timeout 20 " BIN "--format junit unread/ok.sql /dev/zero unread/fifo.sql "
		  "2>/dev/null");
	assert_non_null(strstr(r.out, "errors=\"2\""));
	tk_sh(&r, "timeout 20 " BIN "--format sarif unread/ok.sql /dev/zero 2>/dev/null");
	assert_non_null(strstr(r.out, "not a regular file"));
	/* --baseline: a device and a directory say what they are */
	tk_sh(&r, "timeout 20 " BIN "--baseline /dev/zero unread/ok.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "/dev/zero: not a regular file"));
	tk_sh(&r, BIN "--baseline unread/deploy unread/ok.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "unread/deploy: Is a directory"));
	free(r.out);
}

/* 7 and 10. .ddlguard.yaml through the event parser: deep nesting is refused at once; a second
 * document, a duplicate key and an alias are errors with their position. */
static void test_yaml_limits(void **state)
{
	struct tk_run r = {0};
	static const struct {
		const char *yaml, *error;
	} cases[] = {
	    {"pg_version: 14\\n---\\npg_version: 13\\n", ":2:1: a second YAML document"},
	    {"pg_version: 14\\nfail_on: error\\npg_version: 13\\n",
	     ":3:1: duplicate key 'pg_version' (first at line 1)"},
	    {"rules:\\n  renaming-column: off\\n  renaming-column: on\\n",
	     ":3:3: duplicate key 'renaming-column'"},
	    {"a: &x [1]\\nrules: *x\\n", ":2:8: aliases (*name) are not allowed"},
	    {"pg_version: [1\\n", "not valid YAML"},
	};

	(void)state;
	fresh(&r, "yaml");
	tk_sh(&r, "echo 'SELECT 1;' > yaml/x.sql && awk 'BEGIN { for (i = 0; i < 100000; i++) "
		  "printf \"[\"; for (i = 0; i < 100000; i++) printf \"]\"; print \"\" }' > "
		  "yaml/.ddlguard.yaml");
	tk_sh(&r, "timeout 5 " DG_BINARY " yaml/x.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "nested more than 32 levels deep"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tk_sh(&r, "printf '%s' > yaml/.ddlguard.yaml && " DG_BINARY " yaml/x.sql 2>&1",
		      cases[i].yaml);
		assert_int_equal(r.status, 2);
		if (!strstr(r.out, cases[i].error))
			fail_msg("case %zu: %s", i, r.out);
	}
	/* a configuration over 1 MiB is not one */
	tk_sh(&r, "head -c 1100000 /dev/zero | tr '\\0' '#' > yaml/.ddlguard.yaml && " DG_BINARY
		  " yaml/x.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "larger than the size limit of 1 MiB"));
	free(r.out);
}

/* 8. Every format is valid UTF-8 and well-formed for any file name and identifier: a file name
 * with a byte that is not UTF-8, identifiers with U+FFFE and U+FFFF. */
static void test_outputs_well_formed(void **state)
{
	struct tk_run r = {0};
	static const char *const formats[] = {"json", "sarif", "gitlab", "junit",
					      "text", "gcc",   "github"};

	(void)state;
	fresh(&r, "wf");
	tk_write_file("wf/bad\377name.sql", "ALTER TABLE \"a\357\277\276b\357\277\277\" RENAME "
					    "COLUMN \"x\001y\" TO c;\n");
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		tk_sh(&r,
		      BIN "--select renaming-column --format %s wf > wf/out 2>/dev/null; "
			  "cat wf/out",
		      formats[i]);
		if (!utf8_valid(r.out))
			fail_msg("--format %s is not UTF-8", formats[i]);
		if (i < 3) {
			cJSON *doc = cJSON_Parse(r.out);
			if (!doc)
				fail_msg("--format %s is not JSON", formats[i]);
			cJSON_Delete(doc);
			if (i != 1) /* SARIF percent-encodes its URIs */
				assert_non_null(
				    strstr(r.out, "bad\357\277\275name.sql")); /* U+FFFD */
		} else if (i == 3) {
			assert_null(strstr(r.out, "\357\277\276"));
			assert_null(strstr(r.out, "\357\277\277"));
			tk_sh(&r, "xmllint --noout wf/out 2>&1");
			if (r.status != 0)
				fail_msg("junit is not well-formed XML: %s", r.out);
		} else {
			assert_non_null(strstr(r.out, "bad\\xffname.sql"));
			assert_true(no_controls(r.out));
		}
	}
	free(r.out);
}

/* 9. --locks reads a file that is not UTF-8 as linting does: a note, exit 0, not "unreadable". */
static void test_locks_not_utf8(void **state)
{
	struct tk_run r = {0};
	cJSON *doc, *file;

	(void)state;
	fresh(&r, "locks");
	tk_write_file("locks/x.sql", "SELECT 1;\n\377\n");
	tk_sh(&r, BIN "--locks --format json locks/x.sql");
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	assert_int_equal(json_array_size(doc, "errors"), 0);
	file = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "files"), 0);
	assert_non_null(strstr(cJSON_GetObjectItem(file, "note")->valuestring,
			       "2:1: the file is not valid UTF-8 (byte 0xFF)"));
	cJSON_Delete(doc);
	tk_sh(&r, BIN "--locks locks/x.sql");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "not valid UTF-8"));
	tk_sh(&r, BIN "--format gcc locks/x.sql");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "locks/x.sql:2:1: error: the file is not valid UTF-8"));
	free(r.out);
}

/* 10. The configuration lookup stops at the repository root and ignores another user's file. */
static void test_config_lookup(void **state)
{
	struct tk_run r = {0};

	(void)state;
	fresh(&r, "look");
	/* the configuration makes findings exit 0: whether it applied is the exit status */
	tk_sh(&r, "mkdir -p look/repo/.git look/repo/db && printf 'fail_on: never\\n' > "
		  "look/.ddlguard.yaml && echo 'ALTER TABLE t RENAME COLUMN a TO b;' > "
		  "look/repo/db/1.sql && cp look/repo/db/1.sql look/1.sql");
	/* above the repository: not applied */
	tk_sh(&r, DG_BINARY " --select renaming-column look/repo/db/1.sql");
	assert_int_equal(r.status, 1);
	/* without .git the walk reaches it; .git as a file (a worktree) is a root too */
	tk_sh(&r,
	      "rmdir look/repo/.git && " DG_BINARY " --select renaming-column look/repo/db/1.sql");
	assert_int_equal(r.status, 0);
	tk_sh(&r, "echo 'gitdir: x' > look/repo/.git && " DG_BINARY
		  " --select renaming-column look/repo/db/1.sql");
	assert_int_equal(r.status, 1);
	/* a configuration at the root itself applies */
	tk_sh(&r, "cp look/.ddlguard.yaml look/repo/ && " DG_BINARY
		  " --select renaming-column look/repo/db/1.sql");
	assert_int_equal(r.status, 0);
	/* another user's file is ignored, with a warning; --config still reads it */
	if (geteuid() != 0)
		skip(); /* only root can give a file to another user */
	tk_sh(&r, "chown nobody look/.ddlguard.yaml && " DG_BINARY
		  " --select renaming-column look/1.sql 2>&1");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "look/.ddlguard.yaml is not used: another user owns it"));
	tk_sh(&r, DG_BINARY " --config look/.ddlguard.yaml --select renaming-column look/1.sql");
	assert_int_equal(r.status, 0);
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_large_file_positions),
	    cmocka_unit_test(test_parser_out_of_memory),
	    cmocka_unit_test(test_deep_expression),
	    cmocka_unit_test(test_symlink_cycles),
	    cmocka_unit_test(test_control_characters),
	    cmocka_unit_test(test_empty_inputs),
	    cmocka_unit_test(test_unreadable_inputs),
	    cmocka_unit_test(test_yaml_limits),
	    cmocka_unit_test(test_outputs_well_formed),
	    cmocka_unit_test(test_locks_not_utf8),
	    cmocka_unit_test(test_config_lookup),
	};
	return cmocka_run_group_tests_name("harden", tests, setup, teardown);
}
