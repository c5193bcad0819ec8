/* main.c — the ddlguard command line: options, files, one reporter, the exit code. */
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ddlguard/ddlguard.h"
#include "report/report.h"
#include "baseline.h"
#include "closest.h"
#include "engine.h"
#include "git.h"
#include "jobs.h"
#include "memory.h"
#include "migration.h"
#include "dynamodb/dynamodb.h"
#include "arena.h"
#include "source.h"
#include "verify/rollback.h"
#include "verify/tablestats.h"
#include "verify/verify.h"
#include "lsp/lsp.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

/* Fits 80 columns (tests/test_cli.c checks); every option is in the man page too. */
static const char usage[] =
    "Usage: ddlguard [OPTIONS] PATH...   (PATH: a file, a directory, - for stdin)\n"
    "       ddlguard verify [OPTIONS] PATH...   (on a real PostgreSQL: verify --help)\n"
    "       ddlguard lsp                        (a language server for editors)\n"
    "Audit PostgreSQL schema migrations for locks, rewrites, breaking changes and\n"
    "failures, and DynamoDB table definitions (CloudFormation, SAM, CDK, Serverless,\n"
    "Terraform).\n"
    "\n"
    "Output:\n"
    "  --format FORMAT         text (default), json, gcc, sarif, github, gitlab,\n"
    "                          junit, markdown; rollback-plan: a Markdown rollback\n"
    "                          plan per migration instead\n"
    "  -q, --quiet             text: one line per finding, nothing else (hooks)\n"
    "  --summary               end the text report with a summary (always for\n"
    "                          several files)\n"
    "  --color WHEN            auto (default; honours NO_COLOR), always, never\n"
    "  --column-unit UNIT      display, char or byte (default: the format's own;\n"
    "                          gcc: display, others: char)\n"
    "  --locks                 print each statement's locks, rewrite and scan\n"
    "  --fail-on LEVEL         error, warning (default), info, never: the lowest\n"
    "                          severity that exits 1\n"
    "Rules:\n"
    "  --enable RULE           turn a rule on (repeatable)\n"
    "  --disable RULE          turn a rule off (repeatable)\n"
    "  --select RULE           run only the rules selected (repeatable)\n"
    "  --list-rules            list the rules (--format json: as JSON)\n"
    "  --explain RULE          print a rule's documentation\n"
    "  --require-reason        a ddlguard-ignore without 'reason:' is a finding\n"
    "How migrations run:\n"
    "  --pg-version N          PostgreSQL major version, 11-18 (default 15)\n"
    "  --migration-format NAME auto (default), plain, dbmate, goose,\n"
    "                          golang-migrate, sql-migrate, diesel, flyway, sqitch,\n"
    "                          liquibase, prisma, pop, postgres-migrations, atlas,\n"
    "                          sqlx, drizzle, supabase, refinery, graphile-migrate,\n"
    "                          tern, node-pg-migrate, yoyo, hasura, up-down, pg-dump\n"
    "  --assume-in-transaction plain SQL files run inside one transaction block\n"
    "  --stdin-filename NAME   the name standard input is reported and detected as\n"
    "  --max-file-size SIZE    refuse larger files, e.g. 512K, 32M (default 8M)\n"
    "  -j, --jobs N            lint on N threads (default: one per core); the\n"
    "                          output is the same whatever N\n"
    "Configuration and CI:\n"
    "  --config FILE           this file instead of the nearest .ddlguard.yaml\n"
    "  --no-config             no configuration file\n"
    "  --baseline FILE         do not report the findings recorded in FILE\n"
    "  --write-baseline FILE   record every finding in FILE as accepted; exit 0\n"
    "  --diff-base REF         lint only migrations added or changed since git REF\n"
    "                          (and compare DynamoDB templates with their version)\n"
    "  --terraform-plan FILE   audit the DynamoDB tables of a terraform show -json\n"
    "                          plan\n"
    "Table sizes:\n"
    "  --table-stats FILE      sizes from FILE (CSV or JSON of the README's query):\n"
    "                          findings state them; index builds, rewrites, scans\n"
    "                          on small tables become info, on large ones errors\n"
    "  --stats-url URL         the same sizes read from that server (read-only)\n"
    "Fixes:\n"
    "  --fix                   apply the verified fixes in place, report what is left\n"
    "  --fix --diff            print the fixes as a unified diff; change nothing\n"
    "  --version, -h, --help\n"
    "\n"
    "Exit status: 0 no finding at or above --fail-on, 1 such findings, 2 usage,\n"
    "configuration, I/O or internal error.\n"
    "Docs: man ddlguard; ddlguard --explain RULE.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ddlguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ddlguard --help' for more information.\n", stderr);
	return EXIT_TROUBLE;
}

/* "ddlguard: PATH: WHY" on stderr, with the file name's control characters made visible. */
static void say_error(const char *path, const char *why)
{
	fputs("ddlguard: ", stderr);
	dg_put_text(stderr, path);
	if (why) {
		fputs(": ", stderr);
		dg_put_text(stderr, why);
	}
	fputc('\n', stderr);
}

/* The result of an input that could not be read (err as dg_read_stream_max sets it). */
static enum dg_status unreadable(struct dg_result *res, const char *path, int err, size_t limit)
{
	char why[160];

	memset(res, 0, sizeof(*res));
	res->path = strdup(path);
	res->error = strdup(dg_read_strerror(err, limit, why, sizeof(why)));
	if (!res->path || !res->error)
		dg_out_of_memory();
	res->format = "plain";
	res->status = err ? DG_ERR_IO : DG_ERR_INTERNAL;
	return res->status;
}

/* The rules' list document (docs/rules.schema.json). */
#define DG_RULES_JSON_SCHEMA_VERSION 1

static int list_rules(bool json)
{
	cJSON *doc, *rules;
	int rc;

	if (!json) {
		for (size_t i = 0; i < dg_rule_count(); i++) {
			const struct dg_rule_info *r = dg_rule_info_at(i);
			printf("%-45s %-8s %s\n", r->name, dg_severity_name(r->severity),
			       r->summary);
		}
		return EXIT_CLEAN;
	}
	doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "rules_version", DG_RULES_JSON_SCHEMA_VERSION);
	cJSON_AddStringToObject(doc, "ddlguard_version", DG_VERSION);
	rules = cJSON_AddArrayToObject(doc, "rules");
	for (size_t i = 0; i < dg_rule_count(); i++) {
		const struct dg_rule_info *r = dg_rule_info_at(i);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", r->name);
		cJSON_AddStringToObject(o, "severity", dg_severity_name(r->severity));
		cJSON_AddStringToObject(o, "summary", r->summary);
		cJSON_AddItemToArray(rules, o);
	}
	rc = dg_report_json_end(stdout, doc, true);
	if (rc != 0)
		fprintf(stderr, "ddlguard: cannot write the rules: %s\n", strerror(errno));
	return rc ? EXIT_TROUBLE : EXIT_CLEAN;
}

static int unknown_rule(const char *name)
{
	const char *names[512];
	size_t n = 0;
	const char *near;

	for (size_t i = 0; i < dg_rule_count() && n < sizeof(names) / sizeof(names[0]); i++)
		names[n++] = dg_rule_info_at(i)->name;
	near = dg_closest_name(name, names, n);
	if (near)
		fprintf(stderr, "ddlguard: unknown rule '%s' (did you mean '%s'?)\n", name, near);
	else
		fprintf(stderr, "ddlguard: unknown rule '%s' (see --list-rules)\n", name);
	return EXIT_TROUBLE;
}

/* Whether `path` is one of the command line's PATHs or below one of them. */
static bool under_paths(const char *path, char **paths, int n)
{
	while (strncmp(path, "./", 2) == 0)
		path += 2;
	for (int i = 0; i < n; i++) {
		const char *a = paths[i];
		size_t len;
		while (strncmp(a, "./", 2) == 0)
			a += 2;
		len = strlen(a);
		while (len > 1 && a[len - 1] == '/')
			len--;
		if ((len == 1 && a[0] == '.') || len == 0)
			return path[0] != '/';
		if (strncmp(path, a, len) == 0 && (path[len] == '\0' || path[len] == '/'))
			return true;
	}
	return false;
}

/* A command-line word getopt did not accept: a known option without its value, or an unknown
 * one, with the nearest option's name. */
static int bad_option(const char *word, const struct option *longopts, int short_opt)
{
	const char *names[64];
	size_t n = 0, len;
	char name[128];
	const char *near;

	if (short_opt == 'j' && !(word[0] == '-' && word[1] == '-'))
		return usage_error("%s", "option '-j' needs a value");
	if (short_opt && !(word[0] == '-' && word[1] == '-'))
		return usage_error("option '-%c' is not known", short_opt);
	while (*word == '-')
		word++;
	len = strcspn(word, "=");
	snprintf(name, sizeof(name), "%.*s", (int)len, word);
	for (const struct option *o = longopts; o->name && n < 64; o++) {
		if (strcmp(o->name, name) == 0)
			return usage_error("option '--%s' needs a value", name);
		names[n++] = o->name;
	}
	near = dg_closest_name(name, names, n);
	if (near)
		return usage_error("unknown option '--%s' (did you mean '--%s'?)", name, near);
	return usage_error("unknown option '--%s'", name);
}

/* ---- configuration files ------------------------------------------------------------------ */

struct loaded_config {
	char *path;
	struct dg_config_file *file;
	struct dg_config *cfg; /* the command line's configuration under the file's */
};

struct file_config {
	const struct dg_config *cfg;
	int fail_on; /* -1: the command line's */
	bool excluded;
	long long small_rows, large_rows; /* table_stats thresholds */
};

struct configs {
	const char *forced; /* --config */
	bool none;	    /* --no-config */
	struct loaded_config *loaded;
	size_t n_loaded;
	struct file_config *per_file;
};

static const struct loaded_config *load_config(struct configs *c, char *path,
					       const struct dg_config *cli_cfg)
{
	struct loaded_config *l;
	char *error = NULL;

	for (size_t i = 0; i < c->n_loaded; i++) {
		if (strcmp(c->loaded[i].path, path) == 0) {
			free(path);
			return &c->loaded[i];
		}
	}
	l = realloc(c->loaded, (c->n_loaded + 1) * sizeof(*l));
	if (!l) {
		free(path);
		return NULL;
	}
	c->loaded = l;
	l = &c->loaded[c->n_loaded];
	memset(l, 0, sizeof(*l));
	l->path = path;
	if (dg_config_file_load(path, &l->file, &error) != DG_OK) {
		fprintf(stderr, "ddlguard: %s\n", error ? error : path);
		free(error);
		free(path);
		return NULL;
	}
	l->cfg = dg_config_clone(cli_cfg);
	if (!l->cfg) {
		dg_config_file_free(l->file);
		free(path);
		return NULL;
	}
	dg_config_file_apply(l->file, l->cfg);
	c->n_loaded++;
	return l;
}

static int resolve_configs(struct configs *c, const struct dg_path_list *files,
			   const struct dg_config *cli_cfg, const char *stdin_name)
{
	/* files come directory by directory: the lookup of the previous file's directory is reused
	 * (walking up to the root for every file costs more than linting it) */
	char *prev_dir = NULL, *prev_path = NULL;

	c->per_file = calloc(files->n ? files->n : 1, sizeof(*c->per_file));
	if (!c->per_file)
		return -1;
	for (size_t i = 0; i < files->n; i++) {
		const char *p = strcmp(files->items[i], "-") == 0 ? stdin_name : files->items[i];
		const struct loaded_config *l = NULL;
		const char *slash = strrchr(p, '/');
		size_t dlen = slash ? (size_t)(slash - p) : 0;
		char *path;

		c->per_file[i] = (struct file_config){cli_cfg, -1, false, DG_SMALL_TABLE_ROWS,
						      DG_LARGE_TABLE_ROWS};
		if (c->none)
			continue;
		if (c->forced) {
			path = strdup(c->forced);
		} else if (prev_dir && slash && strlen(prev_dir) == dlen &&
			   strncmp(prev_dir, p, dlen) == 0) {
			path = prev_path ? strdup(prev_path) : NULL;
		} else {
			char *ignored;
			path = dg_config_file_find(p, &ignored);
			if (ignored) {
				fputs("ddlguard: warning: ", stderr);
				dg_put_text(stderr, ignored);
				fputs(
				    " is not used: another user owns it (name it with --config to "
				    "use it)\n",
				    stderr);
				free(ignored);
			}
			free(prev_dir);
			free(prev_path);
			prev_dir = slash ? strndup(p, dlen) : NULL;
			prev_path = path ? strdup(path) : NULL;
		}
		if (!path)
			continue;
		l = load_config(c, path, cli_cfg);
		if (!l) {
			free(prev_dir);
			free(prev_path);
			return -1;
		}
		c->per_file[i].cfg = dg_config_file_for_path(l->file, l->cfg, p);
		c->per_file[i].fail_on = dg_config_file_fail_on(l->file);
		dg_config_file_table_thresholds(l->file, &c->per_file[i].small_rows,
						&c->per_file[i].large_rows);
		c->per_file[i].excluded = strcmp(files->items[i], "-") != 0 &&
					  dg_config_file_excludes(l->file, files->items[i]);
	}
	free(prev_dir);
	free(prev_path);
	return 0;
}

static void configs_free(struct configs *c)
{
	for (size_t i = 0; i < c->n_loaded; i++) {
		free(c->loaded[i].path);
		dg_config_file_free(c->loaded[i].file);
		dg_config_free(c->loaded[i].cfg);
	}
	free(c->loaded);
	free(c->per_file);
	memset(c, 0, sizeof(*c));
}

/* ---- --fix ------------------------------------------------------------------------------ */

/* Replaces the file at `path` with `text`: a temporary file next to it, with its mode, renamed
 * over it, so that an interrupted write never leaves half a migration. */
static int write_back(const char *path, const char *text, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	struct stat sb;
	int fd, rc = -1;
	FILE *fp;

	if (!tmp)
		return -1;
	snprintf(tmp, n + 16, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (stat(path, &sb) == 0)
		fchmod(fd, sb.st_mode & 07777);
	fp = fdopen(fd, "wb");
	if (fp && fwrite(text, 1, len, fp) == len && fflush(fp) == 0 && fsync(fileno(fp)) == 0) {
		if (fclose(fp) == 0 && rename(tmp, path) == 0)
			rc = 0;
		fp = NULL;
	}
	if (fp)
		fclose(fp);
	else if (fd >= 0 && !fp && rc != 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* --fix: the file's verified fixes, written back (or shown as a diff), then the report of the
 * text as it now stands, which also extends the schema memory. */
static enum dg_status fix_and_lint(const struct dg_config *cfg, struct dg_catalog *cat,
				   const char *path, const char *buf, size_t len, bool diff_only,
				   bool *changed, bool *trouble, struct dg_result *res)
{
	char *fixed = NULL;
	size_t flen = 0, applied = 0;
	const char *why = NULL, *label = path;
	enum dg_status st;

	if (dg_fix_text(cfg, cat, path, buf, len, &fixed, &flen, &applied, &why) != DG_OK)
		return DG_ERR_INTERNAL;
	if (why)
		fprintf(stderr, "ddlguard: %s: not fixed: %s\n", path, why);
	while (strncmp(label, "./", 2) == 0)
		label += 2;
	if (diff_only) {
		*changed |= dg_diff_write(stdout, label, buf, len, fixed, flen);
	} else if (applied) {
		if (write_back(path, fixed, flen) != 0) {
			fprintf(stderr, "ddlguard: %s: cannot write the fixes: %s\n", path,
				strerror(errno));
			*trouble = true;
			free(fixed);
			return dg_lint_buffer_with(cfg, cat, path, buf, len, res);
		} else {
			fprintf(stderr, "ddlguard: %s: %zu fix%s applied\n", path, applied,
				applied == 1 ? "" : "es");
		}
	}
	st = dg_lint_buffer_with(cfg, cat, path, fixed, flen, res);
	free(fixed);
	return st;
}

/* ---- the files ---------------------------------------------------------------------------- */

/* What linting the files shares: read-only on the lint threads; the report side runs on this
 * thread, in input order. */
struct run {
	const struct dg_path_list *files, *deleted;
	const struct configs *configs;
	size_t first_plan, first_deleted;
	/* walked_from[i] (i < n_walked): the argument (argv index) whose directory walk gave file
	 * i, or 0 when it was named itself */
	const size_t *walked_from;
	size_t n_walked;
	const char *stdin_name;
	bool fix, diff_only;
	bool *changed, *trouble; /* --fix (one thread only) */
	int fail_on;
	bool fail_on_set, have_stats;
	struct dg_table_stats *stats;
	struct dg_catalog *stats_catalog;
	struct dg_baseline *baseline, *new_baseline;
	const struct dg_reporter *reporter;
	void *state;
	struct dg_report_options *ropts;
	struct dg_report_summary *sum;
	int *rc;
};

static bool stdin_closed; /* main: claim_standard_descriptors */

static const char *input_name(const struct run *run, size_t i)
{
	return strcmp(run->files->items[i], "-") == 0 ? run->stdin_name : run->files->items[i];
}

/* The memory group of file i (malloc'd): consecutive files with the same key share one schema
 * memory. It is the catalog's scope, the file's migration root (dg_migration_root_key: the
 * engine enters the same root), so one root's files stay in order on one thread. */
static char *memory_group_key(const struct run *run, size_t i)
{
	return dg_migration_root_key(input_name(run, i), NULL);
}

/* starts[g]: the first file of memory group g; starts[n] = files->n. */
static size_t *memory_groups(const struct run *run, size_t *n_groups)
{
	size_t n = run->files->n, *starts = dg_xcalloc(n + 1, sizeof(*starts)), g = 0;
	char *prev = NULL;

	for (size_t i = 0; i < n; i++) {
		char *key = memory_group_key(run, i);

		/* templates and plans keep no schema memory: any group will do */
		if (!prev || i == run->first_plan || strcmp(key, prev) != 0)
			starts[g++] = i;
		free(prev);
		prev = key;
	}
	free(prev);
	starts[g] = n;
	*n_groups = g;
	return starts;
}

/* The order in which a memory group is linted: its runner's (dg_memory_order), so its catalog
 * only moves forward; a file given out of that order (V10 before V2, a sqitch plan's changes by
 * name) would otherwise send it back to an empty schema and all earlier migrations read again. */
static void memory_group_order(void *ctx, size_t first, size_t n, size_t *order)
{
	const struct run *run = ctx;
	const char **names = dg_xcalloc(n, sizeof(*names));
	char *key = memory_group_key(run, first);
	bool walked = first + n <= run->n_walked && run->walked_from[first];

	for (size_t k = 0; k < n; k++) {
		names[k] = input_name(run, first + k);
		walked = walked && run->walked_from[first + k] == run->walked_from[first];
	}
	/* one directory's walk gave them all: they are in its runner's order */
	if (first + n <= run->first_plan && !walked)
		dg_memory_order(key, names, n, order);
	else
		for (size_t k = 0; k < n; k++)
			order[k] = k;
	for (size_t k = 0; k < n; k++)
		order[k] += first;
	free(key);
	free(names);
}

/* Lints file i with its group's schema memory (on a lint thread). */
static bool lint_one(void *ctx, struct dg_catalog *catalog, size_t i, struct dg_result *res)
{
	const struct run *run = ctx;
	const char *path = run->files->items[i];
	const struct dg_config *fcfg = run->configs->per_file[i].cfg;
	struct timespec t0, t1;

	memset(res, 0, sizeof(*res));
	if (run->configs->per_file[i].excluded) {
		/* not reported, but it ran before the next migrations: remember its schema */
		if (strcmp(path, "-") != 0 && !dg_ddb_path_is_template(path))
			dg_absorb_file(fcfg, catalog, path);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (i >= run->first_deleted) {
		const char *base = run->deleted->items[i - run->first_deleted];
		dg_ddb_lint_deleted(fcfg, path, base, strlen(base), res);
	} else if (i >= run->first_plan) {
		dg_ddb_lint_plan_file(fcfg, path, run->stdin_name, res);
	} else if (strcmp(path, "-") == 0) {
		size_t len = 0;
		int err = EBADF;
		/* bounded like a file: `ddlguard - </dev/zero` must end */
		char *buf = stdin_closed ? NULL
					 : dg_read_stream_max(stdin, dg_config_max_file_size(fcfg),
							      &len, &err);
		if (buf && run->fix)
			fix_and_lint(fcfg, catalog, run->stdin_name, buf, len, run->diff_only,
				     run->changed, run->trouble, res);
		else if (buf)
			dg_lint_buffer_with(fcfg, catalog, run->stdin_name, buf, len, res);
		else
			unreadable(res, run->stdin_name, err, dg_config_max_file_size(fcfg));
		free(buf);
	} else if (run->fix) {
		size_t len = 0;
		int err;
		char *buf = dg_read_path(path, dg_config_max_file_size(fcfg), &len, &err);
		if (buf)
			fix_and_lint(fcfg, catalog, path, buf, len, run->diff_only, run->changed,
				     run->trouble, res);
		else
			dg_lint_file_with(fcfg, catalog, path, res);
		free(buf);
	} else {
		dg_lint_file_with(fcfg, catalog, path, res);
	}
	/* res says what happened, with its reason when it is not DG_OK */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return true;
}

/* File i's result into the summary, the baselines and the report (this thread, in order). */
static void report_one(void *ctx, size_t i, struct dg_result *res, bool reported)
{
	struct run *run = ctx;
	const char *path = run->files->items[i];
	const struct dg_config *fcfg = run->configs->per_file[i].cfg;
	int ffail_on = run->fail_on;
	/* table sizes: SQL migrations only (not templates or plans), in order on this thread */
	bool sized = run->have_stats && i < run->first_plan && strcmp(path, "-") != 0 &&
		     !dg_ddb_path_is_template(path);

	if (!reported) {
		if (run->have_stats && strcmp(path, "-") != 0 && !dg_ddb_path_is_template(path)) {
			struct dg_lock_report lr;
			dg_locks_file_with(fcfg, run->stats_catalog, path, &lr);
			dg_lock_report_clear(&lr);
		}
		return;
	}
	if (!run->fail_on_set && run->configs->per_file[i].fail_on >= 0)
		ffail_on = run->configs->per_file[i].fail_on;
	if (res->status != DG_OK) {
		/* in the report too (errors[], SARIF notifications, JUnit errors): files
		 * checked + errors = files given */
		say_error(res->path, res->error ? res->error : "cannot read");
		run->sum->unreadable++;
		*run->trouble = true;
	} else {
		run->sum->files_checked++;
	}
	if (sized && res->status == DG_OK) {
		run->stats->small_rows = run->configs->per_file[i].small_rows;
		run->stats->large_rows = run->configs->per_file[i].large_rows;
		dg_table_stats_apply(run->stats, fcfg, run->stats_catalog, res);
	}
	if (run->new_baseline)
		dg_baseline_record(run->new_baseline, res);
	if (run->baseline)
		dg_baseline_filter(run->baseline, res);
	if (res->n_findings)
		run->sum->files_with_findings++;
	for (size_t k = 0; k < res->n_findings; k++) {
		run->sum->findings++;
		run->sum->by_severity[res->findings[k].severity]++;
		if ((int)res->findings[k].severity >= ffail_on)
			*run->rc = EXIT_FINDINGS;
	}
	run->ropts->fail_on = ffail_on; /* JUnit fails the findings this file's --fail-on counts */
	if (!run->diff_only)
		run->reporter->file(run->state, res);
}

/* Every file, linted group by group on `jobs` threads, reported in input order. */
static void lint_files(struct run *run, unsigned jobs)
{
	size_t n_groups;
	size_t *starts = memory_groups(run, &n_groups);
	struct dg_jobs j = {run->files->n, starts,     n_groups, jobs,
			    lint_one,	   report_one, run,	 memory_group_order};

	dg_jobs_run(&j);
	free(starts);
}

static int cli(int argc, char **argv, struct dg_config *cfg)
{
	enum {
		OPT_FORMAT = 256,
		OPT_COLOR,
		OPT_FAIL_ON,
		OPT_ENABLE,
		OPT_DISABLE,
		OPT_STDIN_NAME,
		OPT_LIST,
		OPT_EXPLAIN,
		OPT_VERSION,
		OPT_HELP,
		OPT_PG_VERSION,
		OPT_ASSUME_TX,
		OPT_SUMMARY,
		OPT_MIGRATION_FORMAT,
		OPT_SELECT,
		OPT_LOCKS,
		OPT_COLUMN_UNIT
	};
	bool selected = false;
	/* workflow options, numbered apart so that other additions do not collide */
	enum {
		OPT_REQUIRE_REASON = 512,
		OPT_CONFIG,
		OPT_NO_CONFIG,
		OPT_BASELINE,
		OPT_WRITE_BASELINE,
		OPT_DIFF_BASE,
		OPT_TABLE_STATS,
		OPT_STATS_URL,
		OPT_FIX = 1024,
		OPT_DIFF
	};
	/* other front halves, limits */
	enum { OPT_TERRAFORM_PLAN = 768, OPT_MAX_FILE_SIZE };
	enum { OPT_JOBS = 1280 };
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"quiet", no_argument, NULL, 'q'},
	    {"color", required_argument, NULL, OPT_COLOR},
	    {"colour", required_argument, NULL, OPT_COLOR},
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
	    {"enable", required_argument, NULL, OPT_ENABLE},
	    {"disable", required_argument, NULL, OPT_DISABLE},
	    {"stdin-filename", required_argument, NULL, OPT_STDIN_NAME},
	    {"pg-version", required_argument, NULL, OPT_PG_VERSION},
	    {"assume-in-transaction", no_argument, NULL, OPT_ASSUME_TX},
	    {"summary", no_argument, NULL, OPT_SUMMARY},
	    {"require-reason", no_argument, NULL, OPT_REQUIRE_REASON},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
	    {"diff-base", required_argument, NULL, OPT_DIFF_BASE},
	    {"terraform-plan", required_argument, NULL, OPT_TERRAFORM_PLAN},
	    {"table-stats", required_argument, NULL, OPT_TABLE_STATS},
	    {"stats-url", required_argument, NULL, OPT_STATS_URL},
	    {"fix", no_argument, NULL, OPT_FIX},
	    {"diff", no_argument, NULL, OPT_DIFF},
	    {"migration-format", required_argument, NULL, OPT_MIGRATION_FORMAT},
	    {"max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE},
	    {"jobs", required_argument, NULL, OPT_JOBS},
	    {"select", required_argument, NULL, OPT_SELECT},
	    {"locks", no_argument, NULL, OPT_LOCKS},
	    {"column-unit", required_argument, NULL, OPT_COLUMN_UNIT},
	    {"list-rules", no_argument, NULL, OPT_LIST},
	    {"explain", required_argument, NULL, OPT_EXPLAIN},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	const struct dg_reporter *reporter = &dg_reporter_text;
	const char *color = "auto", *stdin_name = "<stdin>", *format = "text";
	bool locks = false, rollback_plan = false, list = false;
	enum dg_column_unit column_unit = DG_COLUMN_DEFAULT;
	char *repo_root = NULL;
	bool fix = false, diff_only = false, changed = false;
	unsigned jobs = dg_jobs_default();
	int fail_on = DG_WARNING; /* 3 = never */
	bool fail_on_set = false;
	struct configs configs = {0};
	const char *baseline_path = NULL, *write_baseline_path = NULL;
	struct dg_baseline *baseline = NULL, *new_baseline = NULL;
	const char *diff_base = NULL, *table_stats = NULL, *stats_url = NULL;
	struct dg_table_stats stats = {0};
	struct dg_catalog *stats_catalog = NULL;
	bool have_stats = false;
	struct dg_git_diff *diff = NULL;
	struct dg_report_options ropts = {0};
	struct dg_report_summary sum = {0};
	struct dg_path_list files = {0}, errors = {0}, plans = {0};
	size_t first_plan, first_deleted;
	size_t *walked_from = NULL, n_walked = 0; /* see struct run */
	struct dg_path_list deleted = {0};	  /* the base content of each deleted template */
	int opt, rc = EXIT_CLEAN;
	bool trouble = false;
	void *state;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "hqj:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			reporter = dg_reporter_find(optarg);
			format = optarg;
			rollback_plan = strcmp(optarg, "rollback-plan") == 0;
			if (rollback_plan)
				reporter = &dg_reporter_text;
			if (!reporter) {
				const char *near = dg_reporter_closest(optarg);
				if (near)
					return usage_error(
					    "unknown format '%s' (did you mean '%s'? %s)", optarg,
					    near, dg_reporter_names());
				return usage_error("unknown format '%s' (%s)", optarg,
						   dg_reporter_names());
			}
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never"))
				return usage_error("--color takes auto, always or never, not '%s'",
						   optarg);
			color = optarg;
			break;
		case OPT_FAIL_ON:
			fail_on_set = true;
			if (strcmp(optarg, "error") == 0)
				fail_on = DG_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				fail_on = DG_WARNING;
			else if (strcmp(optarg, "info") == 0)
				fail_on = DG_INFO;
			else if (strcmp(optarg, "never") == 0)
				fail_on = 3;
			else
				return usage_error(
				    "--fail-on takes error, warning, info or never, not '%s'",
				    optarg);
			break;
		case OPT_ENABLE:
		case OPT_DISABLE:
			if (dg_config_set_rule_enabled(cfg, optarg, opt == OPT_ENABLE) != DG_OK)
				return unknown_rule(optarg);
			break;
		case OPT_PG_VERSION: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || dg_config_set_pg_version(cfg, (int)v) != DG_OK)
				return usage_error(
				    "--pg-version takes a major version from 11 to 18, not '%s'",
				    optarg);
			break;
		}
		case OPT_LOCKS:
			locks = true;
			break;
		case OPT_COLUMN_UNIT:
			if (strcmp(optarg, "display") == 0)
				column_unit = DG_COLUMN_DISPLAY;
			else if (strcmp(optarg, "char") == 0)
				column_unit = DG_COLUMN_CHAR;
			else if (strcmp(optarg, "byte") == 0)
				column_unit = DG_COLUMN_BYTE;
			else
				return usage_error(
				    "--column-unit takes display, char or byte, not '%s'", optarg);
			break;
		case OPT_ASSUME_TX:
			dg_config_set_assume_in_transaction(cfg, true);
			break;
		case OPT_SUMMARY:
			ropts.summary = true;
			break;
		case OPT_REQUIRE_REASON:
			dg_config_set_rule_enabled(cfg, "missing-ignore-reason", true);
			break;
		case OPT_CONFIG:
			configs.forced = optarg;
			break;
		case OPT_NO_CONFIG:
			configs.none = true;
			break;
		case OPT_BASELINE:
			baseline_path = optarg;
			break;
		case OPT_WRITE_BASELINE:
			write_baseline_path = optarg;
			break;
		case OPT_DIFF_BASE:
			diff_base = optarg;
			break;
		case OPT_TERRAFORM_PLAN:
			plans.items = realloc(plans.items, (plans.n + 1) * sizeof(*plans.items));
			if (!plans.items || !(plans.items[plans.n++] = strdup(optarg)))
				abort();
			break;
		case OPT_TABLE_STATS:
			table_stats = optarg;
			break;
		case OPT_STATS_URL:
			stats_url = optarg;
			break;
		case OPT_FIX:
			fix = true;
			break;
		case OPT_DIFF:
			diff_only = true;
			break;
		case OPT_SELECT:
			/* the first --select turns every other rule off */
			if (!selected)
				dg_config_set_all_rules_enabled(cfg, false);
			selected = true;
			if (dg_config_set_rule_enabled(cfg, optarg, true) != DG_OK)
				return unknown_rule(optarg);
			break;
		case OPT_MIGRATION_FORMAT:
			if (dg_config_set_migration_format(cfg, optarg) != DG_OK) {
				const char *names[64], *near;
				size_t n = 0;
				while (n < 64 && (names[n] = dg_migration_format_at(n)))
					n++;
				near = dg_closest_name(optarg, names, n);
				if (near)
					return usage_error("unknown migration format '%s' (did you "
							   "mean '%s'?)",
							   optarg, near);
				return usage_error("unknown migration format '%s' (see --help)",
						   optarg);
			}
			break;
		case OPT_MAX_FILE_SIZE:
			if (dg_config_set_max_file_size(cfg, dg_parse_size(optarg)) != DG_OK)
				return usage_error(
				    "--max-file-size takes a size from 1 byte to 1G, "
				    "such as 512K or 32M, not '%s'",
				    optarg);
			break;
		case 'j':
		case OPT_JOBS: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > 1024)
				return usage_error(
				    "--jobs takes a number of threads from 1 to 1024, not '%s'",
				    optarg);
			jobs = (unsigned)v;
			break;
		}
		case OPT_STDIN_NAME:
			stdin_name = optarg;
			break;
		case OPT_LIST:
			list = true; /* after the other options: --format json may follow */
			break;
		case OPT_EXPLAIN: {
			const struct dg_rule_info *r = dg_rule_info_find(optarg);
			if (!r)
				return unknown_rule(optarg);
			fputs(r->doc, stdout);
			return EXIT_CLEAN;
		}
		case OPT_VERSION:
			printf("ddlguard %s\n", DG_VERSION);
			return EXIT_CLEAN;
		case 'q':
			ropts.quiet = true;
			break;
		case 'h':
		case OPT_HELP:
			fputs(usage, stdout);
			return EXIT_CLEAN;
		default:
			return bad_option(argv[optind - 1], longopts, optopt);
		}
	}
	if (list) {
		if (strcmp(format, "text") && strcmp(format, "json"))
			return usage_error("--list-rules has no format '%s' (text or json)",
					   format);
		return list_rules(strcmp(format, "json") == 0);
	}
	if (column_unit != DG_COLUMN_DEFAULT && reporter->fixed_columns &&
	    column_unit != reporter->column_unit)
		return usage_error("--format %s counts columns in characters only", format);
	if (locks && column_unit != DG_COLUMN_DEFAULT && column_unit != DG_COLUMN_CHAR)
		return usage_error("%s", "--locks counts columns in characters only");
	ropts.column_unit = column_unit		    ? column_unit
			    : reporter->column_unit ? reporter->column_unit
						    : DG_COLUMN_CHAR;
	ropts.fail_on = fail_on;
	if (optind >= argc && !plans.n)
		return usage_error("%s",
				   "no PATH given (a file, a directory or - for standard input)");

	if (diff_only && !fix)
		return usage_error("%s", "--diff goes with --fix");
	if (fix && locks)
		return usage_error("%s", "--fix and --locks do not go together");
	for (int i = optind; fix && !diff_only && i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			return usage_error("%s",
					   "--fix cannot write standard input back: use --fix "
					   "--diff");

	if (strcmp(color, "always") == 0)
		ropts.color = true;
	else if (strcmp(color, "auto") == 0) {
		const char *nc = getenv("NO_COLOR");
		ropts.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	}

	for (int i = optind; i < argc; i++) {
		size_t before = files.n;

		dg_collect_paths(argv[i], &files, &errors);
		/* a directory's files come in its runner's order already: noted, so that their
		 * groups need no ordering walk (a file named alone is itself, unchanged) */
		if (files.n != before &&
		    (files.n != before + 1 || strcmp(files.items[before], argv[i]) != 0)) {
			walked_from = dg_xrealloc(walked_from, files.n * sizeof(*walked_from));
			for (size_t k = n_walked; k < before; k++)
				walked_from[k] = 0;
			for (size_t k = before; k < files.n; k++)
				walked_from[k] = (size_t)i;
			n_walked = files.n;
		}
	}
	/* --terraform-plan files come last, read as plans whatever their name */
	first_plan = files.n;
	for (size_t i = 0; i < plans.n; i++) {
		files.items = realloc(files.items, (files.n + 1) * sizeof(*files.items));
		if (!files.items)
			abort();
		files.items[files.n++] = plans.items[i];
	}
	free(plans.items);
	for (size_t i = 0; i < errors.n; i++)
		say_error(errors.items[i], NULL);
	if (errors.n)
		trouble = true;

	if (locks) {
		const struct dg_lock_reporter *lr = dg_lock_reporter_find(format);
		size_t kept = 0;
		/* templates take no locks: only what a directory search found as SQL */
		for (size_t i = 0; i < files.n; i++) {
			if (i < first_plan && (strcmp(files.items[i], "-") == 0 ||
					       dg_ddb_sniff_file(files.items[i]) == DG_DDB_NONE))
				files.items[kept++] = files.items[i];
			else
				free(files.items[i]);
		}
		files.n = kept;
		if (!lr) {
			dg_path_list_free(&files);
			dg_path_list_free(&errors);
			free(walked_from);
			return usage_error("--locks has no format '%s' (text or json)", format);
		}
		rc = dg_report_locks(cfg, lr, &files, stdin_name, &ropts, stdout);
		dg_path_list_free(&files);
		dg_path_list_free(&errors);
		free(walked_from);
		return trouble ? EXIT_TROUBLE : rc;
	}

	/* --format rollback-plan: the plan of each PATH (a migration root) instead of findings */
	if (rollback_plan) {
		size_t n_errors = 0;
		dg_path_list_free(&files);
		dg_path_list_free(&errors);
		for (int i = optind; i < argc; i++) {
			struct dg_path_list root = {0}, root_errors = {0};
			dg_collect_paths(argv[i], &root, &root_errors);
			dg_verify_keep_migrations(&root);
			for (size_t k = 0; k < root_errors.n; k++)
				fprintf(stderr, "ddlguard: %s\n", root_errors.items[k]);
			if (root_errors.n)
				trouble = true;
			if (i > optind)
				putchar('\n');
			if (dg_rollback_plan(cfg, argv[i], root.items, root.n, NULL, stdout,
					     &n_errors) != 0)
				trouble = true;
			dg_path_list_free(&root);
			dg_path_list_free(&root_errors);
		}
		if (fflush(stdout) != 0)
			trouble = true;
		free(walked_from);
		return trouble ? EXIT_TROUBLE : EXIT_CLEAN;
	}

	if (diff_base) {
		char *error = NULL;
		diff = dg_git_diff_open(diff_base, &error);
		if (!diff) {
			fprintf(stderr, "ddlguard: %s\n", error ? error : "--diff-base failed");
			free(error);
			dg_path_list_free(&files);
			dg_path_list_free(&errors);
			free(walked_from);
			return EXIT_TROUBLE;
		}
		dg_config_set_history(cfg, dg_git_history, diff);
		dg_config_set_base_reader(cfg, dg_git_base_content, diff);
	}
	/* templates deleted since the base, below a PATH: every table they held is removed */
	first_deleted = files.n;
	for (size_t k = 0; diff; k++) {
		char *content = NULL, *path;
		size_t len = 0;

		path = dg_git_deleted_at(diff, k, &content, &len);
		if (!path)
			break;
		if (content && dg_ddb_path_is_template(path) &&
		    under_paths(path, argv + optind, argc - optind) &&
		    dg_ddb_sniff(path, content, len) == DG_DDB_TEMPLATE) {
			files.items = realloc(files.items, (files.n + 1) * sizeof(*files.items));
			deleted.items =
			    realloc(deleted.items, (deleted.n + 1) * sizeof(*deleted.items));
			if (!files.items || !deleted.items)
				abort();
			files.items[files.n++] = path;
			deleted.items[deleted.n++] = content; /* templates: text, no NUL inside */
		} else {
			free(path);
			free(content);
		}
	}

	/* each file's configuration (the nearest .ddlguard.yaml under the command line), before any
	 * output: a broken configuration is a usage error, not half a report */
	if (resolve_configs(&configs, &files, cfg, stdin_name) != 0) {
		configs_free(&configs);
		dg_path_list_free(&files);
		dg_path_list_free(&errors);
		dg_git_diff_free(diff);
		free(walked_from);
		return EXIT_TROUBLE;
	}
	/* --diff-base: only what changed since the base is linted */
	for (size_t i = 0; diff && i < first_plan; i++)
		if (strcmp(files.items[i], "-") != 0 && !dg_git_diff_changed(diff, files.items[i]))
			configs.per_file[i].excluded = true;

	if (baseline_path) {
		char *error = NULL;
		baseline = dg_baseline_load(baseline_path, &error);
		if (!baseline) {
			fprintf(stderr, "ddlguard: %s\n", error ? error : baseline_path);
			free(error);
			configs_free(&configs);
			dg_path_list_free(&files);
			dg_path_list_free(&errors);
			dg_git_diff_free(diff);
			free(walked_from);
			return EXIT_TROUBLE;
		}
	}
	/* table sizes: read before any output, a bad file is a usage error */
	if (table_stats || stats_url) {
		char *error = NULL;
		if ((table_stats && !dg_table_stats_load_file(table_stats, &stats, &error)) ||
		    (stats_url && !dg_table_stats_load_url(stats_url, &stats, &error))) {
			if (stats_url && !table_stats)
				fprintf(stderr, "ddlguard: --stats-url: %s\n",
					error ? error : "failed");
			else
				fprintf(stderr, "ddlguard: %s\n",
					error ? error : "--table-stats failed");
			free(error);
			dg_table_stats_free(&stats);
			dg_baseline_free(baseline);
			configs_free(&configs);
			dg_path_list_free(&files);
			dg_path_list_free(&errors);
			dg_git_diff_free(diff);
			free(walked_from);
			return EXIT_TROUBLE;
		}
		have_stats = true;
		stats_catalog = dg_catalog_new();
	}
	if (write_baseline_path && !(new_baseline = dg_baseline_new()))
		dg_out_of_memory();

	/* SARIF, GitLab, JUnit, GitHub and Markdown name files from the repository root (the
	 * working directory outside a git work tree) */
	if (reporter->repo_paths && !(repo_root = dg_git_toplevel()))
		repo_root = getcwd(NULL, 0);
	ropts.root = repo_root;
	state = diff_only ? &sum : reporter->begin(stdout, &ropts);
	if (!state) {
		fputs("ddlguard: out of memory\n", stderr);
		free(repo_root);
		free(walked_from);
		return EXIT_TROUBLE;
	}
	/* paths that could not even be listed reach the report too (SARIF notifications, JSON
	 * errors[], JUnit errors), not only stderr */
	for (size_t i = 0; i < errors.n; i++) {
		struct dg_result res = {0};
		char *sep = strstr(errors.items[i], ": "), *next;

		while (sep && (next = strstr(sep + 2, ": ")))
			sep = next;
		if (!sep)
			continue;
		*sep = '\0';
		res.path = errors.items[i];
		res.status = DG_ERR_IO;
		res.error = sep + 2;
		res.format = "plain";
		if (!diff_only)
			reporter->file(state, &res);
		*sep = ':';
		sum.unreadable++;
	}
	/* schema memory: files come directory by directory, in the tool's order; each memory
	 * group is linted in order with its own catalog, the groups on --jobs threads */
	{
		struct run run = {
		    .files = &files,
		    .configs = &configs,
		    .deleted = &deleted,
		    .first_plan = first_plan,
		    .first_deleted = first_deleted,
		    .walked_from = walked_from,
		    .n_walked = n_walked,
		    .stdin_name = stdin_name,
		    .fix = fix,
		    .diff_only = diff_only,
		    .changed = &changed,
		    .trouble = &trouble,
		    .fail_on = fail_on,
		    .fail_on_set = fail_on_set,
		    .have_stats = have_stats,
		    .stats = &stats,
		    .stats_catalog = stats_catalog,
		    .baseline = baseline,
		    .new_baseline = new_baseline,
		    .reporter = reporter,
		    .state = state,
		    .ropts = &ropts,
		    .sum = &sum,
		    .rc = &rc,
		};
		/* --fix writes files and diffs as it goes, --diff-base asks git: one thread */
		lint_files(&run, fix || diff ? 1 : jobs);
	}
	dg_path_list_free(&deleted);
	dg_catalog_free(stats_catalog);
	dg_table_stats_free(&stats);
	if (diff_only) {
		rc = changed ? EXIT_FINDINGS : EXIT_CLEAN;
		if (fflush(stdout) != 0) {
			fprintf(stderr, "ddlguard: cannot write the diff: %s\n", strerror(errno));
			trouble = true;
		}
	} else if (reporter->end(state, &sum) != 0) {
		fprintf(stderr, "ddlguard: cannot write the report: %s\n", strerror(errno));
		trouble = true;
	}
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
	configs_free(&configs);
	if (new_baseline) {
		if (dg_baseline_write(new_baseline, write_baseline_path) != 0) {
			fprintf(stderr, "ddlguard: %s: %s\n", write_baseline_path, strerror(errno));
			trouble = true;
		}
		rc = EXIT_CLEAN; /* the findings are accepted now */
	}
	dg_baseline_free(new_baseline);
	dg_baseline_free(baseline);
	dg_git_diff_free(diff);
	free(repo_root);
	free(walked_from);
	return trouble ? EXIT_TROUBLE : rc;
}

/* libpg_query ends the process with exit(1) when its memory runs out ("Terminating process due
 * to FATAL error" on stdout): 1 would read as "findings". Exiting while a file is being parsed
 * is always that; make it a tool error that names the file, and drop the half-written stdout. */
static void parser_exit_guard(void)
{
	const char *p = dg_current_input();

	if (!p)
		return;
	say_error(p, "the PostgreSQL parser ran out of memory (lower --max-file-size, or give the "
		     "process more memory)");
	_exit(EXIT_TROUBLE);
}

struct cli_call {
	int argc;
	char **argv;
	struct dg_config *cfg;
	int rc;
};

static void *cli_thread(void *arg)
{
	struct cli_call *c = arg;

	c->rc = cli(c->argc, c->argv, c->cfg);
	dg_lint_caches_free(); /* this thread's: its end would lose them */
	return NULL;
}

/* libpg_query turns a parse tree into protobuf recursively, one C frame per level: a chain of
 * 150000 operators (300 kB of "1+1+…") overflows the usual 8 MB stack. The run gets a stack of
 * 1 GiB (address space; pages are used only as deep as a tree goes), enough for a file at the
 * default --max-file-size; where that cannot be had (ulimit -v), the main thread's. */
static int run_with_big_stack(int argc, char **argv, struct dg_config *cfg)
{
	struct cli_call c = {argc, argv, cfg, EXIT_TROUBLE};
	pthread_attr_t attr;
	pthread_t t;
	bool started = false;

	if (pthread_attr_init(&attr) == 0) {
		started = pthread_attr_setstacksize(&attr, (size_t)1 << 30) == 0 &&
			  pthread_create(&t, &attr, cli_thread, &c) == 0;
		pthread_attr_destroy(&attr);
	}
	if (!started)
		return cli(argc, argv, cfg);
	if (pthread_join(t, NULL) != 0)
		return EXIT_TROUBLE;
	return c.rc;
}

/* Standard descriptors the caller closed (`ddlguard - <&-`) get /dev/null, so that no file this
 * process opens on any thread (a spool, a migration) takes their number and is read as standard
 * input or written as the report. Reading `-` then fails as it would have (EBADF); a closed
 * standard output is trouble, as a failed write would be. */
static bool stdout_closed;

static void claim_standard_descriptors(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (null >= 0 && null != fd) { /* a lower number was closed too */
			dup2(null, fd);
			close(null);
		}
		if (fd == 0)
			stdin_closed = true;
		else if (fd == 1)
			stdout_closed = true;
	}
}

int main(int argc, char **argv)
{
	struct dg_config *cfg;
	int rc;

	claim_standard_descriptors();
	atexit(parser_exit_guard);
	cfg = dg_config_new();
	if (!cfg) {
		fputs("ddlguard: out of memory\n", stderr);
		return EXIT_TROUBLE;
	}
	/* ddlguard lsp: the language server (src/lsp/) */
	if (argc > 1 && strcmp(argv[1], "lsp") == 0) {
		dg_config_free(cfg);
		return dg_lsp_main(argc - 1, argv + 1);
	}
	/* ddlguard verify …: the real-server front half (src/verify/) */
	if (argc > 1 && strcmp(argv[1], "verify") == 0) {
		dg_config_free(cfg);
		return dg_verify_main(argc - 1, argv + 1);
	}
	rc = run_with_big_stack(argc, argv, cfg);
	dg_config_free(cfg);
	if (stdout_closed) {
		fputs("ddlguard: standard output is closed: nothing could be reported\n", stderr);
		return EXIT_TROUBLE;
	}
	return rc;
}
