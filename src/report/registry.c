/* registry.c — the output formats --format knows. */
#include <string.h>

#include "report.h"
#include "closest.h"

static const struct dg_reporter *const reporters[] = {
    &dg_reporter_text,	 &dg_reporter_json,   &dg_reporter_gcc,	  &dg_reporter_sarif,
    &dg_reporter_github, &dg_reporter_gitlab, &dg_reporter_junit, &dg_reporter_markdown,
};

#define N_REPORTERS (sizeof(reporters) / sizeof(reporters[0]))

const struct dg_reporter *dg_reporter_find(const char *name)
{
	for (size_t i = 0; i < N_REPORTERS; i++)
		if (strcmp(reporters[i]->name, name) == 0)
			return reporters[i];
	return NULL;
}

const char *dg_reporter_names(void)
{
	static char names[256];

	if (!names[0]) {
		for (size_t i = 0; i < N_REPORTERS; i++) {
			if (i)
				strncat(names, ", ", sizeof(names) - strlen(names) - 1);
			strncat(names, reporters[i]->name, sizeof(names) - strlen(names) - 1);
		}
	}
	return names;
}

const char *dg_reporter_closest(const char *name)
{
	const char *names[N_REPORTERS];

	for (size_t i = 0; i < N_REPORTERS; i++)
		names[i] = reporters[i]->name;
	return dg_closest_name(name, names, N_REPORTERS);
}
