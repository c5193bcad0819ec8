/* fuzz_options.c — one migration under every setting that changes how it is read: the first
 * byte picks the PostgreSQL version (11-18), --assume-in-transaction and a forced
 * --migration-format (or detection), the rest is the file. */
#include <stdlib.h>

#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_config *cfg;
	struct dg_result res;
	struct dg_lock_report rep;
	size_t n_formats = 0, pick;
	unsigned char b;

	if (!size)
		return 0;
	b = data[0];
	while (dg_migration_format_at(n_formats))
		n_formats++;
	cfg = dg_config_new();
	if (!cfg)
		abort();
	if (dg_config_set_pg_version(cfg, 11 + (b & 7)) != DG_OK)
		abort();
	dg_config_set_assume_in_transaction(cfg, b & 8);
	pick = (size_t)(b >> 4) % (n_formats + 1);
	if (pick < n_formats &&
	    dg_config_set_migration_format(cfg, dg_migration_format_at(pick)) != DG_OK)
		abort();
	dg_lint_buffer(cfg, "db/migrations/20240101000000_x.up.sql", (const char *)data + 1,
		       size - 1, &res);
	dg_result_clear(&res);
	dg_locks_buffer(cfg, "db/migrations/20240101000000_x.up.sql", (const char *)data + 1,
			size - 1, &rep);
	dg_lock_report_clear(&rep);
	dg_config_free(cfg);
	return 0;
}
