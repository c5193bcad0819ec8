/* fuzz_config.c — .ddlguard.yaml: any bytes are read (libyaml's event parser, the limits) and,
 * when valid, applied and asked about excludes; never a crash, a leak or a hang. */
#include <stdlib.h>

#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fk_write(fk_tmpdir(), ".ddlguard.yaml", (const char *)data, size);
	struct dg_config_file *f = NULL;
	char *error = NULL;

	if (dg_config_file_load(path, &f, &error) == DG_OK) {
		struct dg_config *cfg = dg_config_new();
		if (!cfg || error)
			abort();
		dg_config_file_apply(f, cfg);
		(void)dg_config_file_fail_on(f);
		(void)dg_config_file_excludes(f, path);
		dg_config_free(cfg);
		dg_config_file_free(f);
	} else if (!error) {
		abort(); /* every refusal says why */
	}
	free(error);
	free(path);
	return 0;
}
