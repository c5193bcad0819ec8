/* config.c — .ddlguard.yaml: found by walking up from each linted file, read with libyaml,
 * checked strictly (an unknown key or rule is an error at its line, with the closest valid
 * name), then applied under whatever the command line set explicitly.
 *
 *   pg_version: 14
 *   max_file_size: 32M              # larger files are refused (default 8M)
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
	int fail_on;	      /* -1 unset */
	size_t max_file_size; /* 0 unset */
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

static const char *const top_keys[] = {"pg_version",
				       "max_file_size",
				       "assume_in_transaction",
				       "migration_format",
				       "fail_on",
				       "require_reason",
				       "exclude",
				       "rules",
				       "table_stats",
				       "directories",
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

/* The document as a small tree, built from libyaml's events (its own loader is super-quadratic
 * on deeply nested input): a mapping's items are its keys and values in turn. */
struct ynode {
	enum { Y_SCALAR, Y_SEQUENCE, Y_MAPPING } type;
	char *value; /* a scalar's text */
	bool plain;  /* a plain (unquoted) scalar: only those are booleans or null */
	size_t line, column;
	struct ynode **items;
	size_t n;
};

/* A configuration is a few keys: anything near these limits is not one. */
#define CONFIG_MAX_SIZE ((size_t)1 << 20)
#define CONFIG_MAX_DEPTH 32
#define CONFIG_MAX_NODES 10000

struct reader {
	const char *path;
	yaml_parser_t parser;
	size_t nodes;
	char *error;
};

__attribute__((format(printf, 3, 4))) static bool fail(struct reader *r, const struct ynode *at,
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
			snprintf(r->error, n, "%s:%zu:%zu: %s", r->path, at->line, at->column, msg);
		else
			snprintf(r->error, n, "%s: %s", r->path, msg);
	}
	return false;
}

static const char *scalar(const struct ynode *n)
{
	return n && n->type == Y_SCALAR ? n->value : NULL;
}

static bool is_null_scalar(const struct ynode *n)
{
	const char *s = scalar(n);
	return s && n->plain && (!*s || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0);
}

/* YAML 1.1 booleans: 1 true, 0 false, -1 not a boolean */
static int boolean(const struct ynode *n)
{
	static const char *const yes[] = {"true", "yes", "on", NULL};
	static const char *const no[] = {"false", "no", "off", NULL};
	const char *s = scalar(n);

	if (!s || !n->plain)
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

static bool unknown(struct reader *r, const struct ynode *at, const char *what, const char *name,
		    const char *near, const char *hint)
{
	if (near)
		return fail(r, at, "unknown %s '%s' (did you mean '%s'?)", what, name, near);
	return fail(r, at, "unknown %s '%s' (%s)", what, name, hint);
}

static bool read_rule(struct reader *r, struct dg_config_file *f, const struct ynode *key,
		      const struct ynode *val)
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
	if (val->type == Y_SCALAR) {
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
	if (val->type != Y_MAPPING)
		return fail(r, val, "rule '%s' takes a mapping {enabled: …, severity: …}", name);
	for (size_t i = 0; i < val->n; i += 2) {
		const struct ynode *k = val->items[i], *v = val->items[i + 1];
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

static bool add_exclude(struct reader *r, struct dg_config_file *f, const struct ynode *v)
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

static bool read_format(struct reader *r, const struct ynode *v, const char **out)
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
static bool read_directories(struct reader *r, struct dg_config_file *f, const struct ynode *v)
{
	static const char *const keys[] = {"migration_format", "transaction", NULL};
	static const char *const modes[] = {"none", "wrapped", "implicit"};

	if (is_null_scalar(v))
		return true;
	if (v->type != Y_MAPPING)
		return fail(r, v, "'directories' takes a mapping of globs to settings");
	for (size_t p = 0; p + 1 < v->n; p += 2) {
		const struct ynode *k = v->items[p], *m = v->items[p + 1];
		struct dir_setting ds = {NULL, NULL, false, -1, NULL}, *n;

		if (!scalar(k) || !*scalar(k))
			return fail(r, k, "a directory glob must be a non-empty string");
		if (!m || m->type != Y_MAPPING)
			return fail(r, m ? m : k,
				    "'%s' takes a mapping: {migration_format: …, transaction: …}",
				    scalar(k));
		for (size_t q = 0; q + 1 < m->n; q += 2) {
			const struct ynode *kk = m->items[q], *vv = m->items[q + 1];
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

static bool read_top(struct reader *r, struct dg_config_file *f, const struct ynode *root)
{
	if (!root || is_null_scalar(root))
		return true; /* an empty file is a valid, empty configuration */
	if (root->type != Y_MAPPING)
		return fail(r, root, "the configuration must be a mapping of keys to values");
	for (size_t p = 0; p < root->n; p += 2) {
		const struct ynode *k = root->items[p], *v = root->items[p + 1];
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
		} else if (strcmp(key, "max_file_size") == 0) {
			if (!s || !(f->max_file_size = dg_parse_size(s)) ||
			    f->max_file_size > DG_MAX_MAX_FILE_SIZE)
				return fail(
				    r, v,
				    "'max_file_size' takes a size from 1 byte to 1G, such as "
				    "512K or 32M");
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
			if (v->type == Y_SEQUENCE) {
				for (size_t k2 = 0; k2 < v->n; k2++)
					if (!add_exclude(r, f, v->items[k2]))
						return false;
			} else if (!is_null_scalar(v) && !add_exclude(r, f, v)) {
				return false;
			}
		} else if (strcmp(key, "table_stats") == 0) {
			if (v->type != Y_MAPPING)
				return fail(r, v,
					    "'table_stats' takes {small_rows: N, large_rows: N}");
			for (size_t q = 0; q < v->n; q += 2) {
				const struct ynode *tk = v->items[q], *tv = v->items[q + 1];
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
			if (v->type != Y_MAPPING)
				return fail(r, v, "'rules' takes a mapping of rule names");
			for (size_t q = 0; q < v->n; q += 2)
				if (!read_rule(r, f, v->items[q], v->items[q + 1]))
					return false;
		} else {
			/* a rule name at the top level is a common slip: say where it goes */
			if (find_rule(key) >= 0)
				return fail(r, k, "unknown key '%s': rules go under 'rules:'", key);
			return unknown(
			    r, k, "key", key, closest_key(key, top_keys),
			    "valid keys: pg_version, max_file_size, assume_in_transaction, "
			    "migration_format, fail_on, require_reason, exclude, directories, rules, "
			    "table_stats");
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

static void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->value);
	free(n);
}

/* "file:line:col: why" at the event's position. */
static struct ynode *fail_at(struct reader *r, const yaml_mark_t *m, const char *why)
{
	struct ynode at = {.line = m->line + 1, .column = m->column + 1};

	fail(r, &at, "%s", why);
	return NULL;
}

static bool next_event(struct reader *r, yaml_event_t *ev)
{
	if (yaml_parser_parse(&r->parser, ev))
		return true;
	char why[256];

	snprintf(why, sizeof(why), "not valid YAML: %s",
		 r->parser.problem ? r->parser.problem : "syntax error");
	fail_at(r, &r->parser.problem_mark, why);
	return false;
}

/* The node that starts with `ev` (consumed), its children read from the parser. */
static struct ynode *build(struct reader *r, yaml_event_t *ev, int depth)
{
	struct ynode *n;

	if (ev->type == YAML_ALIAS_EVENT)
		return fail_at(r, &ev->start_mark,
			       "aliases (*name) are not allowed in a ddlguard configuration");
	if (ev->type != YAML_SCALAR_EVENT && ev->type != YAML_SEQUENCE_START_EVENT &&
	    ev->type != YAML_MAPPING_START_EVENT)
		return fail_at(r, &ev->start_mark, "not valid YAML here");
	if (++r->nodes > CONFIG_MAX_NODES)
		return fail_at(r, &ev->start_mark,
			       "more than 10000 values: this is not a ddlguard configuration");
	if (depth > CONFIG_MAX_DEPTH)
		return fail_at(r, &ev->start_mark,
			       "nested more than 32 levels deep: this is not a ddlguard "
			       "configuration");
	n = dg_xcalloc(1, sizeof(*n));
	n->line = ev->start_mark.line + 1;
	n->column = ev->start_mark.column + 1;
	if (ev->type == YAML_SCALAR_EVENT) {
		n->type = Y_SCALAR;
		n->value = dg_xcalloc(1, ev->data.scalar.length + 1);
		memcpy(n->value, ev->data.scalar.value, ev->data.scalar.length);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return n;
	}
	n->type = ev->type == YAML_MAPPING_START_EVENT ? Y_MAPPING : Y_SEQUENCE;
	for (size_t cap = 0;;) {
		yaml_event_t child;
		struct ynode *c;

		if (!next_event(r, &child))
			break;
		if (child.type == YAML_SEQUENCE_END_EVENT || child.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&child);
			return n;
		}
		c = build(r, &child, depth + 1);
		yaml_event_delete(&child);
		if (!c)
			break;
		/* a key said twice: YAML forbids it, and "the last one wins" hides a mistake */
		if (n->type == Y_MAPPING && n->n % 2 == 0 && c->type == Y_SCALAR) {
			for (size_t k = 0; k < n->n; k += 2) {
				const struct ynode *prev = n->items[k];
				if (prev->type == Y_SCALAR && strcmp(prev->value, c->value) == 0) {
					char why[64];
					snprintf(why, sizeof(why), "first at line %zu", prev->line);
					fail(r, c, "duplicate key '%s' (%s)", c->value, why);
					ynode_free(c);
					ynode_free(n);
					return NULL;
				}
			}
		}
		if (n->n == cap)
			n->items =
			    dg_xrealloc(n->items, (cap = cap ? 2 * cap : 8) * sizeof(*n->items));
		n->items[n->n++] = c;
	}
	ynode_free(n);
	return NULL;
}

/* The one document of the stream: *root is NULL for an empty file. */
static bool read_document(struct reader *r, struct ynode **root)
{
	yaml_event_t ev;
	bool ok = false;

	*root = NULL;
	if (!next_event(r, &ev))
		return false;
	yaml_event_delete(&ev); /* STREAM-START */
	if (!next_event(r, &ev))
		return false;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return true;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */
	if (!next_event(r, &ev))
		return false;
	*root = build(r, &ev, 0);
	yaml_event_delete(&ev);
	if (!*root || !next_event(r, &ev))
		goto out;
	yaml_event_delete(&ev); /* DOCUMENT-END */
	if (!next_event(r, &ev))
		goto out;
	if (ev.type == YAML_DOCUMENT_START_EVENT)
		fail_at(r, &ev.start_mark,
			"a second YAML document (---): a configuration file holds one");
	else
		ok = true;
	yaml_event_delete(&ev);
out:
	if (!ok) {
		ynode_free(*root);
		*root = NULL;
	}
	return ok;
}

enum dg_status dg_config_file_load(const char *path, struct dg_config_file **out, char **error)
{
	struct reader r;
	struct dg_config_file *f;
	struct ynode *root = NULL;
	char *text, why[160];
	size_t len = 0;
	int err;
	bool ok;

	memset(&r, 0, sizeof(r));
	r.path = path;
	*out = NULL;
	*error = NULL;
	/* bounded, and never a FIFO that would block */
	text = dg_read_path(path, CONFIG_MAX_SIZE, &len, &err);
	if (!text) {
		fail(&r, NULL, "%s", dg_read_strerror(err, CONFIG_MAX_SIZE, why, sizeof(why)));
		*error = r.error;
		return err ? DG_ERR_IO : DG_ERR_INTERNAL;
	}
	if (!yaml_parser_initialize(&r.parser)) {
		free(text);
		return DG_ERR_INTERNAL;
	}
	f = dg_xcalloc(1, sizeof(*f));
	f->assume_in_transaction = -1;
	f->fail_on = -1;
	f->small_rows = f->large_rows = -1;
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
	ok = read_document(&r, &root) && read_top(&r, f, root);
	ynode_free(root);
	yaml_parser_delete(&r.parser);
	free(text);
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
	if (f->max_file_size && !x->max_file_size)
		cfg->max_file_size = f->max_file_size;
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

/* Directories already looked at, so that a run over thousands of migration directories walks up
 * in memory rather than with three stat() calls per level and file: those that hold no
 * configuration file, and those that are a repository's root (hold .git). Process-wide sets:
 * neither appears during a run. */
struct dir_set {
	char **slots;
	size_t cap, n;
};
static struct dir_set no_config, repo_roots, not_repo_roots;

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static bool set_has(const struct dir_set *set, const char *dir)
{
	if (!set->cap)
		return false;
	for (size_t i = hash_str(dir) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		if (!set->slots[i])
			return false;
		if (strcmp(set->slots[i], dir) == 0)
			return true;
	}
}

static void set_add(struct dir_set *set, const char *dir)
{
	if (2 * (set->n + 1) > set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 256;
		char **ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return;
		for (size_t i = 0; i < set->cap; i++) {
			char *k = set->slots[i];
			if (!k)
				continue;
			size_t j = hash_str(k) & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = k;
		}
		free(set->slots);
		set->slots = ns;
		set->cap = ncap;
	}
	size_t i = hash_str(dir) & (set->cap - 1);
	while (set->slots[i]) {
		if (strcmp(set->slots[i], dir) == 0)
			return;
		i = (i + 1) & (set->cap - 1);
	}
	set->slots[i] = strdup(dir);
	if (set->slots[i])
		set->n++;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	char *p = dg_xmalloc(n + strlen(name) + 2);

	sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
	return p;
}

static void set_clear(struct dir_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

void dg_config_file_forget(void)
{
	set_clear(&no_config);
	set_clear(&repo_roots);
	set_clear(&not_repo_roots);
}

char *dg_config_file_find(const char *path, char **ignored)
{
	static const char *const names[] = {".ddlguard.yaml", ".ddlguard.yml"};
	char *dir = absolute_dir_of(path);
	struct stat st;

	*ignored = NULL;
	/* a directory named on the command line is searched from itself */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		free(dir);
		dir = realpath(path, NULL);
	}
	while (dir) {
		bool root;
		if (!set_has(&no_config, dir)) {
			for (size_t i = 0; i < 2; i++) {
				char *cand = join(dir, names[i]);
				if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
					/* like git's safe.directory: another user's file in a
					 * shared parent (/tmp) must not configure this run */
					if (st.st_uid == geteuid() || st.st_uid == 0) {
						free(dir);
						return cand;
					}
					if (!*ignored)
						*ignored = cand;
					else
						free(cand);
					continue;
				}
				free(cand);
			}
			set_add(&no_config, dir);
		}
		/* the repository's root is as far as a lookup goes */
		root = set_has(&repo_roots, dir);
		if (!root && !set_has(&not_repo_roots, dir)) {
			char *git = join(dir, ".git");
			root = lstat(git, &st) == 0;
			free(git);
			set_add(root ? &repo_roots : &not_repo_roots, dir);
		}
		if (root || strcmp(dir, "/") == 0)
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
