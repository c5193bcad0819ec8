/* fuzz_directory.c — several migrations of one directory linted in order with one schema memory
 * (what `ddlguard DIR` does): the input is cut at NUL bytes into up to five files; the first
 * byte picks the runner's naming, so each format's ordering and up/down pairing is used. */
#include <stdio.h>
#include <stdlib.h>

#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_config *cfg;
	/* prefix, then the file's number, then suffix */
	static const char *const shapes[][2] = {{"db/migrate/00", "_step.sql"},
						{"db/00", "_step.up.sql"},
						{"sql/V", "__step.sql"},
						{"db/migrations/2024010100000", "_x.sql"},
						{"migrations/000", "_x/up.sql"}};
	char *parts[5];
	size_t lens[5], n;
	struct dg_catalog *lint_cat, *lock_cat;
	const char *const *shape;

	if (!cfg)
		cfg = dg_config_new();
	if (!size)
		return 0;
	shape = shapes[data[0] % (sizeof(shapes) / sizeof(shapes[0]))];
	n = fk_split(data + 1, size - 1, parts, lens, 5);
	lint_cat = dg_catalog_new();
	lock_cat = dg_catalog_new();
	for (size_t i = 0; i < n; i++) {
		char name[64];
		struct dg_result res;
		struct dg_lock_report rep;

		snprintf(name, sizeof(name), "%s%zu%s", shape[0], i + 1, shape[1]);
		dg_lint_buffer_with(cfg, lint_cat, name, parts[i], lens[i], &res);
		dg_result_clear(&res);
		dg_locks_buffer_with(cfg, lock_cat, name, parts[i], lens[i], &rep);
		dg_lock_report_clear(&rep);
	}
	dg_catalog_free(lint_cat);
	dg_catalog_free(lock_cat);
	fk_free_parts(parts, n);
	return 0;
}
