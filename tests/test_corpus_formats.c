/* test_corpus_formats.c — every repository of the shared corpus (../shared/corpus/real) is read
 * in the migration format its README names: the binary lints each repository directory with
 * --format json and each entry of "files" must carry the expected migration_format. Skipped
 * when the corpus is absent. */
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

#include "testkit.h"

/* Per repository, the first rule whose path fragment occurs in a file's path (relative to the
 * repository) gives its format; "" matches every path. */
struct rule {
	const char *fragment, *format;
};

static const struct {
	const char *repo;
	struct rule rules[4];
} expected[] = {
    {"LemmyNet+lemmy", {{"migrations/", "diesel"}, {"", "plain"}}},
    {"rust-lang+crates.io", {{"migrations/data_oauth_github.sql", "plain"}, {"", "diesel"}}},
    {"ory+kratos", {{"", "pop"}}},
    {"hatchet-dev+hatchet", {{"/migrate/migrations/", "goose"}, {"", "plain"}}},
    {"frain-dev+convoy", {{"", "sql-migrate"}}},
    {"supabase+postgres", {{"migrations/db/", "dbmate"}, {"", "pg-dump"}}},
    {"chef+chef-server", {{"/sql/", "plain"}, {"", "sqitch"}}},
    {"MarquezProject+marquez", {{"", "flyway"}}},
    {"documenso+documenso", {{"", "prisma"}}},
    {"PandaYaY+ExTrack", {{"", "liquibase"}}},
    {"openmeterio+openmeter", {{"", "golang-migrate"}}},
    {"getlago+lago-api", {{"db/structure.sql", "pg-dump"}, {"", "plain"}}},
};

static void test_corpus_formats(void **state)
{
	struct stat st;
	int failures = 0;

	(void)state;
	if (stat(DG_CORPUS "/real", &st) != 0) {
		print_message("corpus not found at %s: skipped\n", DG_CORPUS);
		skip();
	}
	for (size_t r = 0; r < sizeof(expected) / sizeof(expected[0]); r++) {
		char dir[2048];
		struct tk_run lint;
		cJSON *root, *files, *file;
		size_t count = 0, skipped = 0;

		snprintf(dir, sizeof(dir), "%s/real/%s", DG_CORPUS, expected[r].repo);
		if (stat(dir, &st) != 0) {
			print_error("%s: missing from the corpus\n", expected[r].repo);
			failures++;
			continue;
		}
		lint =
		    tk_run("'%s' --format json --fail-on never '%s' 2>/dev/null", DG_BINARY, dir);
		root = cJSON_Parse(lint.out);
		free(lint.out);
		assert_non_null(root);
		files = cJSON_GetObjectItem(root, "files");
		assert_true(cJSON_IsArray(files));
		cJSON_ArrayForEach(file, files)
		{
			const char *path = cJSON_GetObjectItem(file, "path")->valuestring;
			const char *got =
			    cJSON_GetObjectItem(file, "migration_format")->valuestring;
			const char *rel = path + strlen(dir) + 1;
			const struct rule *rule = expected[r].rules;

			while (rule->fragment && !strstr(rel, rule->fragment))
				rule++;
			count++;
			if (cJSON_GetObjectItem(file, "skipped")) {
				/* a schema snapshot is read, not linted: not a skip to count */
				if (strcmp(got, "pg-dump") != 0)
					skipped++;
				/* pop: only generic files shadowed by a postgres-specific one */
				if (strstr(rel, ".postgres.")) {
					print_error("%s: a PostgreSQL file reported as skipped\n",
						    path);
					failures++;
				}
			}
			if (!rule->fragment || strcmp(got, rule->format) != 0) {
				print_error("%s: read as %s, expected %s\n", path, got,
					    rule->fragment ? rule->format : "(no rule)");
				failures++;
			}
		}
		if (count == 0) {
			print_error("%s: no file reported\n", expected[r].repo);
			failures++;
		}
		if (skipped && strcmp(expected[r].repo, "ory+kratos") != 0) {
			print_error("%s: %zu file(s) skipped\n", expected[r].repo, skipped);
			failures++;
		}
		print_message("%-24s %5zu files, %zu skipped\n", expected[r].repo, count, skipped);
		cJSON_Delete(root);
	}
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus_formats),
	};
	return cmocka_run_group_tests_name("corpus formats", tests, NULL, NULL);
}
