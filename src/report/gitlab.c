/* gitlab.c — GitLab Code Quality report (a JSON array, the Code Climate subset GitLab reads):
 * findings appear in merge request widgets and diffs. `fingerprint` identifies a finding across
 * commits: it hashes the path, the rule and the statement's normalized text, never the line, so
 * a migration edited above a finding does not make it "new". */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report.h"

struct gitlab_state {
	FILE *out;
	const char *repo_root;
	struct dg_json_spool issues; /* spooled file by file (spool.c) */
};

static void *gitlab_begin(FILE *out, const struct dg_report_options *opts)
{
	struct gitlab_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->out = out;
	st->repo_root = opts->root;
	if (dg_json_spool_open(&st->issues, 1, true) != 0) {
		free(st);
		return NULL;
	}
	return st;
}

/* GitLab's scale: info, minor, major, critical, blocker. */
static const char *gitlab_severity(const struct dg_finding *f)
{
	if (strcmp(f->rule, "syntax-error") == 0)
		return "blocker"; /* nothing after it runs */
	switch (f->severity) {
	case DG_ERROR:
		return "critical";
	case DG_WARNING:
		return "major";
	default:
		return "info";
	}
}

static void gitlab_file(void *state, const struct dg_result *res)
{
	struct gitlab_state *st = state;
	char *path;

	if (res->status != DG_OK)
		return; /* the CLI has said why on stderr */
	/* GitLab matches paths relative to the project root */
	path = dg_report_repo_path(st->repo_root, res->path, NULL);
	if (!path)
		return;
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		cJSON *o = cJSON_CreateObject(), *loc, *lines, *cats;

		cJSON_AddStringToObject(o, "type", "issue");
		cJSON_AddStringToObject(o, "description", f->message);
		cJSON_AddStringToObject(o, "check_name", f->rule);
		cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
		cJSON_AddStringToObject(o, "severity", gitlab_severity(f));
		cats = cJSON_AddArrayToObject(o, "categories");
		cJSON_AddItemToArray(cats, cJSON_CreateString("Bug Risk"));
		loc = cJSON_AddObjectToObject(o, "location");
		cJSON_AddStringToObject(loc, "path", path);
		lines = cJSON_AddObjectToObject(loc, "lines");
		dg_json_add_count(lines, "begin", f->line);
		dg_json_add_count(lines, "end", f->end_line);
		dg_json_spool_add(&st->issues, o);
	}
	free(path);
}

static int gitlab_end(void *state, const struct dg_report_summary *s)
{
	struct gitlab_state *st = state;
	struct dg_json_spool *const lists[] = {&st->issues};
	int rc =
	    dg_report_json_end_spooled(st->out, dg_json_spool_hole(&st->issues), true, lists, 1);

	(void)s;
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_gitlab = {
    .name = "gitlab",
    .begin = gitlab_begin,
    .file = gitlab_file,
    .end = gitlab_end,
    .repo_paths = true,
};
