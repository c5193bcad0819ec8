/* fuzz_context.c — the files around a migration that format detection and ordering read:
 * sqitch.plan, Diesel's metadata.toml, a Flyway .conf, atlas.sum, pop's dialect siblings and a
 * Drizzle journal. The first byte picks the layout; the input is then cut at NUL bytes into the
 * context file and one or two migrations, written to a private directory, collected like a
 * command-line directory and linted from disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"

struct layout {
	const char *context;  /* the context file */
	const char *files[2]; /* the migrations */
};

static const struct layout layouts[] = {
    {"sqitch.plan", {"deploy/add_users.sql", "revert/add_users.sql"}},
    {"2024-01-01-000000_x/metadata.toml",
     {"2024-01-01-000000_x/up.sql", "2024-01-01-000000_x/down.sql"}},
    {"V1__init.sql.conf", {"V1__init.sql", "V2__more.sql"}},
    {"atlas.sum", {"20240101000000_init.sql", "20240102000000_more.sql"}},
    {"20240101000000_x.mysql.up.sql",
     {"20240101000000_x.up.sql", "20240101000000_x.postgres.up.sql"}},
    {"meta/_journal.json", {"0000_init.sql", "0001_more.sql"}},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_config *cfg;
	const struct layout *l;
	char *parts[3];
	size_t lens[3], n;
	struct dg_path_list files = {0}, errors = {0};
	struct dg_catalog *cat;

	if (!cfg)
		cfg = dg_config_new();
	if (!size)
		return 0;
	l = &layouts[data[0] % (sizeof(layouts) / sizeof(layouts[0]))];
	n = fk_split(data + 1, size - 1, parts, lens, 3);
	fk_clean_tmpdir();
	free(fk_write(fk_tmpdir(), l->context, parts[0], lens[0]));
	for (size_t i = 0; i < 2; i++)
		free(fk_write(fk_tmpdir(), l->files[i], i + 1 < n ? parts[i + 1] : "SELECT 1;",
			      i + 1 < n ? lens[i + 1] : 9));
	dg_collect_paths(fk_tmpdir(), &files, &errors);
	cat = dg_catalog_new();
	for (size_t i = 0; i < files.n; i++) {
		struct dg_result res;
		struct dg_lock_report rep;
		dg_lint_file_with(cfg, cat, files.items[i], &res);
		dg_result_clear(&res);
		dg_locks_file(cfg, files.items[i], &rep);
		dg_lock_report_clear(&rep);
	}
	dg_catalog_free(cat);
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
	fk_free_parts(parts, n);
	return 0;
}
