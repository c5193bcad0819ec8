/* config.c — .ddlguard.yaml: found by walking up from each linted file, read with libyaml,
 * checked strictly (an unknown key or rule is an error at its line, with the closest valid
 * name), then applied under whatever the command line set explicitly.
 *
 *   pg_version: 14
 *   assume_in_transaction: false
 *   migration_format: dbmate        # or auto
 *   fail_on: error                  # error, warning, info, never
 *   require_reason: true            # same as enabling missing-ignore-reason
 *   exclude: [db/legacy, "*_seed.sql"]
 *   table_stats: {small_rows: 10000, large_rows: 10000000}   # with --table-stats/--stats-url
 *   directories:                    # glob (as in exclude) → how its runner runs it
 *     db/scripts: {migration_format: plain, transaction: none}
 *   rules:
 *     renaming-column: {enabled: false}
 *     require-concurrent-index-creation: {severity: error}
 *     unused-ignore: off            # shorthand: a boolean or a severity */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "closest.h"
#include "engine.h"

struct rule_setting {
	size_t rule;
	int enabled;  /* -1 unset */
	int severity; /* -1 unset */
};

struct dg_config_file {
	char *dir;	/* absolute directory of the file: exclude globs are relative to it */
	int pg_version; /* 0 unset */
	int assume_in_transaction; /* -1 unset */
	const char *migration_format;
	bool migration_format_set;
	int fail_on; /* -1 unset */
	struct rule_setting rules[DG_N_RULES];
	size_t n_rules;
	char **exclude;
	size_t n_exclude;
	long long small_rows, large_rows; /* table_stats thresholds; -1 unset */
	/* directories: glob → how the tool runs the files there */
	struct dir_setting {
		char *pattern;
		const char *migration_format; /* static, or NULL for auto */
		bool migration_format_set;
		int tx;		       /* enum dg_tx_mode, or -1 */
		struct dg_config *cfg; /* the file's settings with these applied, made on use */
	} * dirs;
	size_t n_dirs;
};

static const char *const top_keys[] = {"pg_version", "assume_in_transaction", "migration_format",
				       "fail_on",    "require_reason",	      "exclude",
				       "rules",	     "table_stats",	      "directories",
				       NULL};
static const char *const rule_keys[] = {"enabled", "severity", NULL};

/* ---- closest name ----------------------------------------------------------------------- */

static const char *closest_rule(const char *name)
{
	const char *names[DG_N_RULES];

	for (size_t i = 0; i < DG_N_RULES; i++)
		names[i] = dg_rules[i]->name;
	return dg_closest_name(name, names, DG_N_RULES);
}

static const char *closest_key(const char *name, const char *const *keys)
{
	size_t n = 0;

	while (keys[n])
		n++;
	return dg_closest_name(name, keys, n);
}

/* ---- reading ------------------------------------------------------------------------------ */

struct reader {
	const char *path;
	yaml_document_t doc;
	char *error;
};

__attribute__((format(printf, 3, 4))) static bool fail(struct reader *r, const yaml_node_t *at,
						       const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(r->path) + strlen(msg) + 64;
	r->error = malloc(n);
	if (r->error) {
		if (at)
			snprintf(r->error, n, "%s:%zu:%zu: %s", r->path, at->start_mark.line + 1,
				 at->start_mark.column + 1, msg);
		else
			snprintf(r->error, n, "%s: %s", r->path, msg);
	}
	return false;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool is_null_scalar(const yaml_node_t *n)
{
	const char *s = scalar(n);
	return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0);
}

/* YAML 1.1 booleans: 1 true, 0 false, -1 not a boolean */
static int boolean(const yaml_node_t *n)
{
	static const char *const yes[] = {"true", "yes", "on", NULL};
	static const char *const no[] = {"false", "no", "off", NULL};
	const char *s = scalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return -1;
	for (size_t i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

static int severity_of(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "error") == 0)
		return DG_ERROR;
	if (strcmp(s, "warning") == 0)
		return DG_WARNING;
	if (strcmp(s, "info") == 0)
		return DG_INFO;
	return -1;
}

static struct rule_setting *setting_for(struct dg_config_file *f, size_t rule)
{
	for (size_t i = 0; i < f->n_rules; i++)
		if (f->rules[i].rule == rule)
			return &f->rules[i];
	f->rules[f->n_rules] = (struct rule_setting){rule, -1, -1};
	return &f->rules[f->n_rules++];
}

static long find_rule(const char *name)
{
	for (size_t i = 0; i < DG_N_RULES; i++)
		if (strcmp(dg_rules[i]->name, name) == 0)
			return (long)i;
	return -1;
}

static bool unknown(struct reader *r, const yaml_node_t *at, const char *what, const char *name,
		    const char *near, const char *hint)
{
	if (near)
		return fail(r, at, "unknown %s '%s' (did you mean '%s'?)", what, name, near);
	return fail(r, at, "unknown %s '%s' (%s)", what, name, hint);
}

static bool read_rule(struct reader *r, struct dg_config_file *f, const yaml_node_t *key,
		      const yaml_node_t *val)
{
	const char *name = scalar(key);
	long rule = name ? find_rule(name) : -1;
	struct rule_setting *s;

	if (!name)
		return fail(r, key, "a rule name must be a plain string");
	if (rule < 0)
		return unknown(r, key, "rule", name, closest_rule(name),
			       "see ddlguard --list-rules");
	s = setting_for(f, (size_t)rule);
	if (val->type == YAML_SCALAR_NODE) {
		int b = boolean(val), sev = severity_of(scalar(val));
		if (b >= 0)
			s->enabled = b;
		else if (sev >= 0) {
			s->enabled = 1;
			s->severity = sev;
		} else {
			return fail(
			    r, val,
			    "rule '%s' takes true/false, a severity (error, warning, info) or "
			    "{enabled: …, severity: …}, not '%s'",
			    name, scalar(val));
		}
		return true;
	}
	if (val->type != YAML_MAPPING_NODE)
		return fail(r, val, "rule '%s' takes a mapping {enabled: …, severity: …}", name);
	for (yaml_node_pair_t *p = val->data.mapping.pairs.start; p < val->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = yaml_document_get_node(&r->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(&r->doc, p->value);
		const char *ks = scalar(k);
		if (ks && strcmp(ks, "enabled") == 0) {
			if ((s->enabled = boolean(v)) < 0)
				return fail(r, v, "'enabled' takes true or false");
		} else if (ks && strcmp(ks, "severity") == 0) {
			if ((s->severity = severity_of(scalar(v))) < 0)
				return fail(r, v,
					    "'severity' takes error, warning or info, not '%s'",
					    scalar(v) ? scalar(v) : "a collection");
		} else {
			return unknown(r, k, "key", ks ? ks : "?",
				       ks ? closest_key(ks, rule_keys) : NULL,
				       "a rule takes enabled and severity");
		}
	}
	return true;
}

static bool add_exclude(struct reader *r, struct dg_config_file *f, const yaml_node_t *v)
{
	const char *s = scalar(v);
	char **n;

	if (!s || !*s)
		return fail(r, v, "'exclude' takes glob patterns (strings)");
	n = realloc(f->exclude, (f->n_exclude + 1) * sizeof(*n));
	if (!n)
		return fail(r, v, "out of memory");
	f->exclude = n;
	f->exclude[f->n_exclude] = strdup(s);
	if (!f->exclude[f->n_exclude])
		return fail(r, v, "out of memory");
	f->n_exclude++;
	return true;
}

static bool read_format(struct reader *r, const yaml_node_t *v, const char **out)
{
	static const char *const names[] = {"auto", "plain",   "dbmate", "golang-migrate",
					    "sqlx", "drizzle", "flyway", "goose"};
	const char *s = scalar(v);

	if (!s)
		return fail(r, v, "'migration_format' takes a format name or auto");
	*out = NULL;
	if (strcmp(s, "auto") != 0) {
		*out = dg_migration_format_find(s);
		if (!*out)
			return unknown(r, v, "migration format", s,
				       dg_closest_name(s, names, sizeof(names) / sizeof(names[0])),
				       "auto or a format named in the README");
	}
	return true;
}

/* directories: {GLOB: {migration_format: NAME, transaction: wrapped|none|implicit}, …} */
static bool read_directories(struct reader *r, struct dg_config_file *f, const yaml_node_t *v)
{
	static const char *const keys[] = {"migration_format", "transaction", NULL};
	static const char *const modes[] = {"none", "wrapped", "implicit"};

	if (is_null_scalar(v))
		return true;
	if (v->type != YAML_MAPPING_NODE)
		return fail(r, v, "'directories' takes a mapping of globs to settings");
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = yaml_document_get_node(&r->doc, p->key);
		const yaml_node_t *m = yaml_document_get_node(&r->doc, p->value);
		struct dir_setting ds = {NULL, NULL, false, -1, NULL}, *n;

		if (!scalar(k) || !*scalar(k))
			return fail(r, k, "a directory glob must be a non-empty string");
		if (!m || m->type != YAML_MAPPING_NODE)
			return fail(r, m ? m : k,
				    "'%s' takes a mapping: {migration_format: …, transaction: …}",
				    scalar(k));
		for (yaml_node_pair_t *q = m->data.mapping.pairs.start;
		     q < m->data.mapping.pairs.top; q++) {
			const yaml_node_t *kk = yaml_document_get_node(&r->doc, q->key);
			const yaml_node_t *vv = yaml_document_get_node(&r->doc, q->value);
			const char *ks = scalar(kk), *vs = scalar(vv);
			if (ks && strcmp(ks, "migration_format") == 0) {
				if (!read_format(r, vv, &ds.migration_format))
					return false;
				ds.migration_format_set = true;
			} else if (ks && strcmp(ks, "transaction") == 0) {
				for (int i = 0; i < 3; i++)
					if (vs && strcmp(vs, modes[i]) == 0)
						ds.tx = i; /* the order of enum dg_tx_mode */
				if (ds.tx < 0)
					return fail(
					    r, vv,
					    "'transaction' takes wrapped (each file in one "
					    "transaction), none (each statement on its own) "
					    "or implicit (each file as one query string)");
			} else {
				return unknown(r, kk, "key", ks ? ks : "?",
					       ks ? closest_key(ks, keys) : NULL,
					       "valid keys: migration_format, transaction");
			}
		}
		n = realloc(f->dirs, (f->n_dirs + 1) * sizeof(*n));
		if (!n)
			return fail(r, k, "out of memory");
		f->dirs = n;
		ds.pattern = strdup(scalar(k));
		if (!ds.pattern)
			return fail(r, k, "out of memory");
		f->dirs[f->n_dirs++] = ds;
	}
	return true;
}

static bool read_top(struct reader *r, struct dg_config_file *f, const yaml_node_t *root)
{
	if (!root || is_null_scalar(root))
		return true; /* an empty file is a valid, empty configuration */
	if (root->type != YAML_MAPPING_NODE)
		return fail(r, root, "the configuration must be a mapping of keys to values");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = yaml_document_get_node(&r->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(&r->doc, p->value);
		const char *key = scalar(k), *s = scalar(v);

		if (!key)
			return fail(r, k, "keys must be plain strings");
		if (strcmp(key, "pg_version") == 0) {
			char *end;
			long n = s ? strtol(s, &end, 10) : 0;
			if (!s || *end || n < 11 || n > 18)
				return fail(r, v,
					    "'pg_version' takes a major version from 11 to 18");
			f->pg_version = (int)n;
		} else if (strcmp(key, "assume_in_transaction") == 0) {
			if ((f->assume_in_transaction = boolean(v)) < 0)
				return fail(r, v, "'assume_in_transaction' takes true or false");
		} else if (strcmp(key, "require_reason") == 0) {
			int b = boolean(v);
			if (b < 0)
				return fail(r, v, "'require_reason' takes true or false");
			setting_for(f, DG_RULE_ID_missing_ignore_reason)->enabled = b;
		} else if (strcmp(key, "migration_format") == 0) {
			if (!read_format(r, v, &f->migration_format))
				return false;
			f->migration_format_set = true;
		} else if (strcmp(key, "directories") == 0) {
			if (!read_directories(r, f, v))
				return false;
		} else if (strcmp(key, "fail_on") == 0) {
			static const char *const names[] = {"info", "warning", "error", "never"};
			f->fail_on = -1;
			for (int i = 0; i < 4; i++)
				if (s && strcmp(s, names[i]) == 0)
					f->fail_on = i;
			if (f->fail_on < 0)
				return fail(r, v, "'fail_on' takes error, warning, info or never");
		} else if (strcmp(key, "exclude") == 0) {
			if (v->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top; it++)
					if (!add_exclude(r, f,
							 yaml_document_get_node(&r->doc, *it)))
						return false;
			} else if (!is_null_scalar(v) && !add_exclude(r, f, v)) {
				return false;
			}
		} else if (strcmp(key, "table_stats") == 0) {
			if (v->type != YAML_MAPPING_NODE)
				return fail(r, v,
					    "'table_stats' takes {small_rows: N, large_rows: N}");
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
			     q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *tk = yaml_document_get_node(&r->doc, q->key);
				yaml_node_t *tv = yaml_document_get_node(&r->doc, q->value);
				const char *tname = scalar(tk), *tval = scalar(tv);
				char *end;
				long long n = tval ? strtoll(tval, &end, 10) : -1;
				if (!tval || *end || n < 0)
					return fail(r, tv, "'%s' takes a number of rows",
						    tname ? tname : "table_stats");
				if (tname && strcmp(tname, "small_rows") == 0)
					f->small_rows = n;
				else if (tname && strcmp(tname, "large_rows") == 0)
					f->large_rows = n;
				else
					return fail(
					    r, tk,
					    "unknown key '%s': table_stats takes small_rows "
					    "and large_rows",
					    tname ? tname : "?");
			}
		} else if (strcmp(key, "rules") == 0) {
			if (is_null_scalar(v))
				continue;
			if (v->type != YAML_MAPPING_NODE)
				return fail(r, v, "'rules' takes a mapping of rule names");
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
			     q < v->data.mapping.pairs.top; q++)
				if (!read_rule(r, f, yaml_document_get_node(&r->doc, q->key),
					       yaml_document_get_node(&r->doc, q->value)))
					return false;
		} else {
			/* a rule name at the top level is a common slip: say where it goes */
			if (find_rule(key) >= 0)
				return fail(r, k, "unknown key '%s': rules go under 'rules:'", key);
			return unknown(
			    r, k, "key", key, closest_key(key, top_keys),
			    "valid keys: pg_version, assume_in_transaction, migration_format, "
			    "fail_on, require_reason, exclude, directories, rules, table_stats");
		}
	}
	return true;
}

static char *absolute_dir_of(const char *path)
{
	char *copy = strdup(path), *slash, *abs;

	if (!copy)
		return NULL;
	slash = strrchr(copy, '/');
	if (slash)
		*(slash == copy ? slash + 1 : slash) = '\0';
	abs = realpath(slash ? copy : ".", NULL);
	free(copy);
	return abs;
}

enum dg_status dg_config_file_load(const char *path, struct dg_config_file **out, char **error)
{
	struct reader r;
	struct dg_config_file *f;
	yaml_parser_t parser;
	FILE *fp;
	bool ok;

	memset(&r, 0, sizeof(r));
	r.path = path;
	*out = NULL;
	*error = NULL;
	fp = fopen(path, "rb");
	if (!fp) {
		fail(&r, NULL, "%s", strerror(errno));
		*error = r.error;
		return DG_ERR_IO;
	}
	f = calloc(1, sizeof(*f));
	if (!f || !yaml_parser_initialize(&parser)) {
		fclose(fp);
		free(f);
		return DG_ERR_INTERNAL;
	}
	f->assume_in_transaction = -1;
	f->fail_on = -1;
	f->small_rows = f->large_rows = -1;
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &r.doc)) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s:%zu:%zu: not valid YAML: %s", path,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "syntax error");
		*error = strdup(msg);
		yaml_parser_delete(&parser);
		fclose(fp);
		dg_config_file_free(f);
		return DG_ERR_USAGE;
	}
	ok = read_top(&r, f, yaml_document_get_root_node(&r.doc));
	yaml_document_delete(&r.doc);
	yaml_parser_delete(&parser);
	fclose(fp);
	if (ok) {
		f->dir = absolute_dir_of(path);
		if (!f->dir) {
			ok = false;
			fail(&r, NULL, "cannot resolve its directory: %s", strerror(errno));
		}
	}
	if (!ok) {
		*error = r.error;
		dg_config_file_free(f);
		return DG_ERR_USAGE;
	}
	*out = f;
	return DG_OK;
}

void dg_config_file_free(struct dg_config_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_exclude; i++)
		free(f->exclude[i]);
	free(f->exclude);
	for (size_t i = 0; i < f->n_dirs; i++) {
		free(f->dirs[i].pattern);
		dg_config_free(f->dirs[i].cfg);
	}
	free(f->dirs);
	free(f->dir);
	free(f);
}

void dg_config_file_apply(const struct dg_config_file *f, struct dg_config *cfg)
{
	const struct dg_config_explicit *x = &cfg->explicit_set;

	if (f->pg_version && !x->pg_version)
		cfg->pg_version = f->pg_version;
	if (f->assume_in_transaction >= 0 && !x->assume_in_transaction)
		cfg->assume_in_transaction = f->assume_in_transaction;
	if (f->migration_format_set && !x->migration_format)
		cfg->migration_format = f->migration_format;
	for (size_t i = 0; i < f->n_rules; i++) {
		const struct rule_setting *s = &f->rules[i];
		if (s->enabled >= 0 && !x->enabled[s->rule])
			cfg->enabled[s->rule] = s->enabled;
		if (s->severity >= 0 && !x->severity[s->rule])
			cfg->severity[s->rule] = (enum dg_severity)s->severity;
	}
}

int dg_config_file_fail_on(const struct dg_config_file *f)
{
	return f->fail_on;
}

/* Whether `pat` (relative to the configuration file's directory, as exclude takes it) matches
 * the file whose absolute path is `abs`, or a directory above it. */
static bool glob_matches(const struct dg_config_file *f, const char *pat, const char *abs)
{
	size_t dl = strlen(f->dir);
	const char *rel;
	char prefix[PATH_MAX];
	bool hit = false;

	if (strncmp(abs, f->dir, dl) == 0 && (abs[dl] == '/' || dl == 1))
		rel = abs + (dl == 1 ? 1 : dl + 1);
	else
		rel = abs; /* outside the file's tree: only patterns without '/' can match */
	if (strchr(pat, '/') == NULL) {
		/* like .gitignore: a bare pattern matches a file or directory name anywhere */
		for (const char *seg = rel; seg && *seg && !hit;) {
			const char *end = strchr(seg, '/');
			size_t n = end ? (size_t)(end - seg) : strlen(seg);
			snprintf(prefix, sizeof(prefix), "%.*s", (int)n, seg);
			hit = fnmatch(pat, prefix, 0) == 0;
			seg = end ? end + 1 : NULL;
		}
		return hit;
	}
	if (rel == abs)
		return false;
	while (*pat == '/' || (pat[0] == '.' && pat[1] == '/'))
		pat += *pat == '/' ? 1 : 2;
	/* the path itself, or any directory above it (db/legacy excludes db/legacy/x.sql); a star
	 * may cross '/', so "db/ *" (without the space) covers the whole tree */
	hit = fnmatch(pat, rel, 0) == 0;
	for (const char *s = strchr(rel, '/'); s && !hit; s = strchr(s + 1, '/')) {
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(s - rel), rel);
		hit = fnmatch(pat, prefix, 0) == 0;
		if (!hit && pat[strlen(pat) - 1] == '/') {
			size_t pl = strlen(prefix);
			if (pl + 1 < sizeof(prefix)) {
				prefix[pl] = '/';
				prefix[pl + 1] = '\0';
				hit = fnmatch(pat, prefix, 0) == 0;
			}
		}
	}
	return hit;
}

bool dg_config_file_excludes(const struct dg_config_file *f, const char *path)
{
	char *abs;
	bool hit = false;

	if (!f->n_exclude)
		return false;
	abs = realpath(path, NULL);
	if (!abs)
		return false;
	for (size_t i = 0; i < f->n_exclude && !hit; i++)
		hit = glob_matches(f, f->exclude[i], abs);
	free(abs);
	return hit;
}

const struct dg_config *dg_config_file_for_path(struct dg_config_file *f,
						const struct dg_config *cfg, const char *path)
{
	char *abs;
	size_t k = f->n_dirs;

	if (!f->n_dirs)
		return cfg;
	abs = realpath(path, NULL);
	for (size_t i = 0; abs && i < f->n_dirs && k == f->n_dirs; i++)
		if (glob_matches(f, f->dirs[i].pattern, abs))
			k = i;
	free(abs);
	if (k == f->n_dirs)
		return cfg;
	if (!f->dirs[k].cfg) {
		struct dg_config *c = dg_config_clone(cfg);
		if (!c)
			return cfg;
		if (f->dirs[k].migration_format_set && !c->explicit_set.migration_format)
			c->migration_format = f->dirs[k].migration_format;
		if (f->dirs[k].tx >= 0)
			c->tx_override = f->dirs[k].tx;
		f->dirs[k].cfg = c;
	}
	return f->dirs[k].cfg;
}

/* Directories already known to hold no configuration file, so that a run over thousands of
 * migration directories walks up to the root in memory rather than with two stat() calls per
 * level and file. A process-wide set: configuration files do not appear during a run. */
static struct {
	char **slots;
	size_t cap, n;
} no_config;

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static bool known_empty(const char *dir)
{
	if (!no_config.cap)
		return false;
	for (size_t i = hash_str(dir) & (no_config.cap - 1);; i = (i + 1) & (no_config.cap - 1)) {
		if (!no_config.slots[i])
			return false;
		if (strcmp(no_config.slots[i], dir) == 0)
			return true;
	}
}

static void remember_empty(const char *dir)
{
	if (2 * (no_config.n + 1) > no_config.cap) {
		size_t ncap = no_config.cap ? no_config.cap * 2 : 256;
		char **ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return;
		for (size_t i = 0; i < no_config.cap; i++) {
			char *k = no_config.slots[i];
			if (!k)
				continue;
			size_t j = hash_str(k) & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = k;
		}
		free(no_config.slots);
		no_config.slots = ns;
		no_config.cap = ncap;
	}
	size_t i = hash_str(dir) & (no_config.cap - 1);
	while (no_config.slots[i]) {
		if (strcmp(no_config.slots[i], dir) == 0)
			return;
		i = (i + 1) & (no_config.cap - 1);
	}
	no_config.slots[i] = strdup(dir);
	if (no_config.slots[i])
		no_config.n++;
}

char *dg_config_file_find(const char *path)
{
	static const char *const names[] = {".ddlguard.yaml", ".ddlguard.yml"};
	char *dir = absolute_dir_of(path);

	/* a directory named on the command line is searched from itself */
	{
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			free(dir);
			dir = realpath(path, NULL);
		}
	}
	while (dir) {
		size_t n = strlen(dir);
		if (!known_empty(dir)) {
			for (size_t i = 0; i < 2; i++) {
				char *cand = malloc(n + strlen(names[i]) + 2);
				struct stat st;
				if (!cand)
					break;
				sprintf(cand, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/",
					names[i]);
				if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
					free(dir);
					return cand;
				}
				free(cand);
			}
			remember_empty(dir);
		}
		if (strcmp(dir, "/") == 0)
			break;
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(dir);
	return NULL;
}

void dg_config_file_table_thresholds(const struct dg_config_file *f, long long *small_rows,
				     long long *large_rows)
{
	if (f->small_rows >= 0)
		*small_rows = f->small_rows;
	if (f->large_rows >= 0)
		*large_rows = f->large_rows;
}
