/* fuzz_baseline.c — --baseline FILE: any bytes are loaded; a valid baseline filters a lint
 * result and is written back. */
#include <stdio.h>
#include <stdlib.h>

#include "baseline.h"
#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_config *cfg;
	static const char sql[] = "CREATE INDEX i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;\n";
	char *path = fk_write(fk_tmpdir(), "baseline.json", (const char *)data, size);
	char *error = NULL;
	struct dg_baseline *b;

	if (!cfg)
		cfg = dg_config_new();
	b = dg_baseline_load(path, &error);
	if (b) {
		struct dg_result res;
		dg_lint_buffer(cfg, "db/1_x.sql", sql, sizeof(sql) - 1, &res);
		dg_baseline_filter(b, &res);
		dg_baseline_record(b, &res);
		if (dg_baseline_write(b, path) != 0)
			abort();
		dg_result_clear(&res);
		dg_baseline_free(b);
	} else if (!error) {
		abort(); /* every refusal says why */
	}
	free(error);
	free(path);
	return 0;
}
