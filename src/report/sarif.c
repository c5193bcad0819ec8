/* sarif.c — SARIF 2.1.0 for code scanning (GitHub code scanning, Azure DevOps, IDE viewers):
 * one run whose tool.driver lists every rule with its doc, and one result per finding.
 * Columns are Unicode code points (run.columnKind says so), 1-based, end exclusive, exactly the
 * numbers every other format shows; byteOffset/byteLength count bytes of the file as stored.
 * Within GitHub code scanning's limits: a fullDescription of at most 1024 characters, artifact
 * URIs relative to the repository root (uriBaseId %SRCROOT%, resolved by originalUriBaseIds),
 * partialFingerprints.primaryLocationLineHash, and a helpUri only when the build says where the
 * rule docs are served (DDLGUARD_DOCS_URL). */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report.h"

/* GitHub code scanning rejects longer rule descriptions. */
#define FULL_DESCRIPTION_MAX 1024
#define SRCROOT "%SRCROOT%"

struct sarif_state {
	FILE *out;
	const char *root;
	cJSON *doc; /* without its results and notifications, spooled file by file (spool.c) */
	struct dg_json_spool results, notifications;
	bool trouble;
};

static void add_text(cJSON *o, const char *key, const char *text)
{
	cJSON *m = cJSON_AddObjectToObject(o, key);
	cJSON_AddStringToObject(m, "text", text);
}

/* The doc's "## Why" section as plain prose, or NULL. */
static char *why_section(const char *doc)
{
	const char *p = strstr(doc, "## Why\n"), *end;
	size_t n;
	char *s;

	if (!p)
		return NULL;
	p += strlen("## Why\n");
	while (*p == '\n')
		p++;
	end = strstr(p, "\n## ");
	n = end ? (size_t)(end - p) : strlen(p);
	while (n && (p[n - 1] == '\n' || p[n - 1] == ' '))
		n--;
	if (n > FULL_DESCRIPTION_MAX) {
		/* the whole sentences that fit, else the words that fit and an ellipsis (3 bytes,
		 * counted); never cut inside a UTF-8 sequence */
		size_t cut = 0, room = FULL_DESCRIPTION_MAX - 3;

		for (size_t i = 0; i + 1 < n && i < room; i++)
			if (p[i] == '.' && (p[i + 1] == ' ' || p[i + 1] == '\n'))
				cut = i + 1;
		if (cut) {
			n = cut;
		} else {
			n = room;
			while (n && p[n] != ' ')
				n--;
			if (!n)
				for (n = room; n && (p[n] & 0xC0) == 0x80; n--)
					;
		}
		s = malloc(n + 4);
		if (s) {
			memcpy(s, p, n);
			strcpy(s + n, cut ? "" : "\xE2\x80\xA6");
		}
		return s;
	}
	s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static cJSON *rule_descriptor(const struct dg_rule_info *r)
{
	cJSON *d = cJSON_CreateObject(), *cfg, *help, *props, *tags;
	char *why = why_section(r->doc);
	char uri[512];

	cJSON_AddStringToObject(d, "id", r->name);
	cJSON_AddStringToObject(d, "name", r->name);
	add_text(d, "shortDescription", r->summary);
	add_text(d, "fullDescription", why ? why : r->summary);
	free(why);
	if (DG_DOCS_URL[0]) {
		size_t n = strlen(DG_DOCS_URL);
		snprintf(uri, sizeof(uri), "%s%s%s.md", DG_DOCS_URL,
			 DG_DOCS_URL[n - 1] == '/' ? "" : "/", r->name);
		cJSON_AddStringToObject(d, "helpUri", uri);
	}
	help = cJSON_AddObjectToObject(d, "help");
	cJSON_AddStringToObject(help, "text", r->doc);
	cJSON_AddStringToObject(help, "markdown", r->doc);
	cfg = cJSON_AddObjectToObject(d, "defaultConfiguration");
	cJSON_AddStringToObject(cfg, "level", dg_report_level(r->severity, "note"));
	props = cJSON_AddObjectToObject(d, "properties");
	tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("postgresql"));
	cJSON_AddItemToArray(tags, cJSON_CreateString("migrations"));
	return d;
}

/* A path as a URI reference: relative paths stay relative (to the repository root, for code
 * scanning), absolute ones become file:// URIs; anything but unreserved characters and '/' is
 * percent-encoded (a ':' would otherwise read as a scheme). */
static char *path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *s = malloc(3 * n + 8), *o = s;

	if (!s)
		return NULL;
	while (strncmp(path, "./", 2) == 0)
		path += 2;
	if (path[0] == '/') {
		memcpy(o, "file://", 7);
		o += 7;
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return s;
}

/* Relative to the repository root (with its uriBaseId) when the file is in it; otherwise as
 * given (a path outside the repository stays absolute, a file:// URI). */
static cJSON *artifact_location(const char *root, const char *path)
{
	cJSON *a = cJSON_CreateObject();
	bool inside = false;
	char *rel = dg_report_repo_path(root, path, &inside);
	char *uri = path_uri(rel ? rel : path);

	cJSON_AddStringToObject(a, "uri", uri ? uri : "");
	if (inside)
		cJSON_AddStringToObject(a, "uriBaseId", SRCROOT);
	free(uri);
	free(rel);
	return a;
}

/* A fix as SARIF: one artifactChange of this file, one replacement per edit (deletedRegion
 * by lines and columns as every region here, plus the byte offsets). */
static cJSON *sarif_fix(const char *root, const char *path, const struct dg_fix *x)
{
	cJSON *fix = cJSON_CreateObject(), *changes, *change, *reps;

	add_text(fix, "description", x->description);
	changes = cJSON_AddArrayToObject(fix, "artifactChanges");
	change = cJSON_CreateObject();
	cJSON_AddItemToArray(changes, change);
	cJSON_AddItemToObject(change, "artifactLocation", artifact_location(root, path));
	reps = cJSON_AddArrayToObject(change, "replacements");
	for (size_t i = 0; i < x->n_edits; i++) {
		const struct dg_edit *e = &x->edits[i];
		cJSON *rep = cJSON_CreateObject(),
		      *del = cJSON_AddObjectToObject(rep, "deletedRegion");

		dg_json_add_count(del, "startLine", e->line);
		dg_json_add_count(del, "startColumn", e->column);
		dg_json_add_count(del, "endLine", e->end_line);
		dg_json_add_count(del, "endColumn", e->end_column);
		dg_json_add_count(del, "byteOffset", e->byte_offset);
		dg_json_add_count(del, "byteLength", e->byte_length);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(rep, "insertedContent"), "text",
					e->text);
		cJSON_AddItemToArray(reps, rep);
	}
	return fix;
}

static void *sarif_begin(FILE *out, const struct dg_report_options *opts)
{
	struct sarif_state *st = calloc(1, sizeof(*st));
	cJSON *runs, *run, *tool, *driver, *rules;

	if (!st)
		return NULL;
	st->out = out;
	st->root = opts->root;
	st->doc = cJSON_CreateObject();
	cJSON_AddStringToObject(
	    st->doc, "$schema",
	    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
	    "sarif-schema-2.1.0.json");
	cJSON_AddStringToObject(st->doc, "version", "2.1.0");
	runs = cJSON_AddArrayToObject(st->doc, "runs");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);
	tool = cJSON_AddObjectToObject(run, "tool");
	driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON_AddStringToObject(driver, "name", "ddlguard");
	cJSON_AddStringToObject(driver, "version", DG_VERSION);
	cJSON_AddStringToObject(driver, "semanticVersion", DG_VERSION);
	if (DG_HOMEPAGE[0])
		cJSON_AddStringToObject(driver, "informationUri", DG_HOMEPAGE);
	rules = cJSON_AddArrayToObject(driver, "rules");
	for (size_t i = 0; i < dg_rule_count(); i++)
		cJSON_AddItemToArray(rules, rule_descriptor(dg_rule_info_at(i)));
	if (opts->root) {
		/* the repository root as a file:// URI ending in '/' (SARIF §3.14.14) */
		char *dir = malloc(strlen(opts->root) + 2), *u;
		cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds"), *b;

		if (dir) {
			sprintf(dir, "%s%s", opts->root,
				opts->root[strlen(opts->root) - 1] == '/' ? "" : "/");
			u = path_uri(dir);
			b = cJSON_AddObjectToObject(bases, SRCROOT);
			cJSON_AddStringToObject(b, "uri", u ? u : "");
			free(u);
			free(dir);
		}
	}
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	/* a result sits in the document, runs, the run and results; a notification in the
	 * document, runs, the run, invocations, the invocation and its notifications */
	if (dg_json_spool_open(&st->results, 4, true) != 0 ||
	    dg_json_spool_open(&st->notifications, 6, true) != 0) {
		dg_spool_close(&st->results.s);
		cJSON_Delete(st->doc);
		free(st);
		return NULL;
	}
	cJSON_AddItemToObject(run, "results", dg_json_spool_hole(&st->results));
	return st;
}

static int rule_index(const char *name)
{
	for (size_t i = 0; i < dg_rule_count(); i++)
		if (strcmp(dg_rule_info_at(i)->name, name) == 0)
			return (int)i;
	return -1;
}

static void sarif_file(void *state, const struct dg_result *res)
{
	struct sarif_state *st = state;

	if (res->status != DG_OK) {
		cJSON *n = cJSON_CreateObject(), *locs = cJSON_CreateArray(),
		      *loc = cJSON_CreateObject(),
		      *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
		char msg[1024];

		cJSON_AddItemToObject(phys, "artifactLocation",
				      artifact_location(st->root, res->path));
		cJSON_AddItemToArray(locs, loc);
		cJSON_AddItemToObject(n, "locations", locs);
		snprintf(msg, sizeof(msg), "%s: %s", res->path,
			 res->error ? res->error : "cannot read");
		add_text(n, "message", msg);
		cJSON_AddStringToObject(n, "level", "error");
		dg_json_spool_add(&st->notifications, n);
		st->trouble = true;
		return;
	}
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		cJSON *r = cJSON_CreateObject(), *locs, *loc, *phys, *region, *fp;
		char line_hash[32];
		int idx = rule_index(f->rule);

		cJSON_AddStringToObject(r, "ruleId", f->rule);
		if (idx >= 0)
			cJSON_AddNumberToObject(r, "ruleIndex", idx);
		cJSON_AddStringToObject(r, "level", dg_report_level(f->severity, "note"));
		add_text(r, "message", f->message);
		locs = cJSON_AddArrayToObject(r, "locations");
		loc = cJSON_CreateObject();
		cJSON_AddItemToArray(locs, loc);
		phys = cJSON_AddObjectToObject(loc, "physicalLocation");
		cJSON_AddItemToObject(phys, "artifactLocation",
				      artifact_location(st->root, res->path));
		region = cJSON_AddObjectToObject(phys, "region");
		dg_json_add_count(region, "startLine", f->line);
		dg_json_add_count(region, "startColumn", f->column);
		dg_json_add_count(region, "endLine", f->end_line);
		dg_json_add_count(region, "endColumn", f->end_column);
		dg_json_add_count(region, "byteOffset", f->byte_offset);
		dg_json_add_count(region, "byteLength", f->byte_length);
		if (f->n_fixes) {
			cJSON *fixes = cJSON_AddArrayToObject(r, "fixes");
			for (size_t k = 0; k < f->n_fixes; k++)
				cJSON_AddItemToArray(fixes,
						     sarif_fix(st->root, res->path, &f->fixes[k]));
		}
		fp = cJSON_AddObjectToObject(r, "partialFingerprints");
		cJSON_AddStringToObject(fp, "ddlguard/v1", f->fingerprint);
		/* GitHub's key for matching alerts across commits; the statement fingerprint is
		 * already unique per finding and survives lines moving */
		snprintf(line_hash, sizeof(line_hash), "%s:1", f->fingerprint);
		cJSON_AddStringToObject(fp, "primaryLocationLineHash", line_hash);
		if (f->help || f->section) {
			cJSON *props = cJSON_AddObjectToObject(r, "properties");
			if (f->help)
				cJSON_AddStringToObject(props, "help", f->help);
			if (dg_direction_name(f->section))
				cJSON_AddStringToObject(props, "section",
							dg_direction_name(f->section));
		}
		dg_json_spool_add(&st->results, r);
	}
}

static int sarif_end(void *state, const struct dg_report_summary *s)
{
	struct sarif_state *st = state;
	cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(st->doc, "runs"), 0);
	cJSON *invs = cJSON_AddArrayToObject(run, "invocations"), *inv = cJSON_CreateObject();
	int rc;

	(void)s;
	cJSON_AddBoolToObject(inv, "executionSuccessful", !st->trouble);
	struct dg_json_spool *const lists[] = {&st->results, &st->notifications};

	cJSON_AddItemToObject(inv, "toolExecutionNotifications",
			      dg_json_spool_hole(&st->notifications));
	cJSON_AddItemToArray(invs, inv);
	rc = dg_report_json_end_spooled(st->out, st->doc, true, lists, 2);
	free(st);
	return rc;
}

const struct dg_reporter dg_reporter_sarif = {
    .name = "sarif",
    .begin = sarif_begin,
    .file = sarif_file,
    .end = sarif_end,
    .column_unit = DG_COLUMN_CHAR,
    .fixed_columns = true, /* run.columnKind: unicodeCodePoints */
    .repo_paths = true,
};
