/* fuzz_lint.c — libFuzzer target: any bytes, under any file name shape, must lint without a
 * crash, a leak or a sanitizer report. Build: see README (Fuzzing). */
#include <stddef.h>
#include <stdint.h>

#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_config *cfg;
	static const char *const names[] = {"x.sql", "001_init.up.sql", "001_init.down.sql",
					    "V1__init.sql", "migrations/20240101_x/up.sql"};
	struct dg_result res;

	if (!cfg)
		cfg = dg_config_new();
	/* the first byte picks the file name, so format detection is fuzzed too */
	const char *name = size ? names[data[0] % (sizeof(names) / sizeof(names[0]))] : names[0];
	dg_lint_buffer(cfg, name, (const char *)data, size, &res);
	dg_result_clear(&res);
	return 0;
}
