/* registry.c — the output formats --format knows. */
#include <string.h>

#include "report.h"

static const struct dg_reporter *const reporters[] = {&dg_reporter_text, &dg_reporter_json};

const struct dg_reporter *dg_reporter_find(const char *name)
{
	for (size_t i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (strcmp(reporters[i]->name, name) == 0)
			return reporters[i];
	return NULL;
}
