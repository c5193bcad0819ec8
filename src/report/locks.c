/* locks.c — the `--locks` run: each file through the lock model, into one lock reporter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "source.h"

static const struct dg_lock_reporter *const reporters[] = {&dg_lock_reporter_text,
							   &dg_lock_reporter_json};

const struct dg_lock_reporter *dg_lock_reporter_find(const char *name)
{
	for (size_t i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (strcmp(reporters[i]->name, name) == 0)
			return reporters[i];
	return NULL;
}

int dg_report_locks(const struct dg_config *cfg, const struct dg_lock_reporter *rep,
		    const struct dg_path_list *files, const char *stdin_name,
		    const struct dg_report_options *opts, FILE *out)
{
	void *state = rep->begin(out, opts);
	struct dg_catalog *catalog;
	int rc = 0;

	if (!state) {
		fputs("ddlguard: out of memory\n", stderr);
		return 2;
	}
	/* schema memory: files come directory by directory, in the tool's order */
	catalog = dg_catalog_new();
	for (size_t i = 0; i < files->n; i++) {
		struct dg_lock_report r;

		if (strcmp(files->items[i], "-") == 0) {
			size_t len = 0;
			int err;
			char *buf = dg_read_stream(stdin, &len, &err);
			if (!buf) {
				fprintf(stderr, "ddlguard: %s: cannot read standard input\n",
					stdin_name);
				rc = 2;
				continue;
			}
			dg_locks_buffer_with(cfg, catalog, stdin_name, buf, len, &r);
			free(buf);
		} else {
			dg_locks_file_with(cfg, catalog, files->items[i], &r);
		}
		if (r.status != DG_OK) {
			fprintf(stderr, "ddlguard: %s: %s\n", r.path,
				r.error ? r.error : "cannot read");
			rc = 2;
		}
		rep->file(state, &r);
		dg_lock_report_clear(&r);
	}
	dg_catalog_free(catalog);
	if (rep->end(state) != 0) {
		fprintf(stderr, "ddlguard: cannot write the report: %s\n", strerror(errno));
		rc = 2;
	}
	return rc;
}
