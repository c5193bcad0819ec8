/* registry.c — rules.def expanded into the list of rules, their docs and the default config. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define DG_RULE(id) extern const struct dg_rule dg_rule_##id;
#include "rules.def"
#undef DG_RULE

#define DG_RULE(id) extern const char dg_doc_##id[];
#include "rules.def"
#undef DG_RULE

const struct dg_rule *const dg_rules[DG_N_RULES] = {
#define DG_RULE(id) &dg_rule_##id,
#include "rules.def"
#undef DG_RULE
};

static const char *const docs[DG_N_RULES] = {
#define DG_RULE(id) dg_doc_##id,
#include "rules.def"
#undef DG_RULE
};

static struct dg_rule_info infos[DG_N_RULES];

size_t dg_rule_count(void)
{
	return DG_N_RULES;
}

static pthread_once_t infos_once = PTHREAD_ONCE_INIT;

static void fill_infos(void)
{
	for (size_t i = 0; i < DG_N_RULES; i++)
		infos[i] = (struct dg_rule_info){dg_rules[i]->name, dg_rules[i]->summary,
						 dg_rules[i]->severity, docs[i]};
}

const struct dg_rule_info *dg_rule_info_at(size_t i)
{
	if (i >= DG_N_RULES)
		return NULL;
	pthread_once(&infos_once, fill_infos); /* any thread may ask first (--jobs) */
	return &infos[i];
}

const struct dg_rule_info *dg_rule_info_find(const char *name)
{
	for (size_t i = 0; i < DG_N_RULES; i++)
		if (strcmp(dg_rules[i]->name, name) == 0)
			return dg_rule_info_at(i);
	return NULL;
}

struct dg_config *dg_config_new(void)
{
	struct dg_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	cfg->tx_override = -1;
	for (size_t i = 0; i < DG_N_RULES; i++) {
		cfg->enabled[i] = !dg_rules[i]->off_by_default;
		cfg->severity[i] = dg_rules[i]->severity;
	}
	cfg->pg_version = 15;
	cfg->max_file_size = DG_DEFAULT_MAX_FILE_SIZE;
	return cfg;
}

void dg_config_free(struct dg_config *cfg)
{
	free(cfg);
}

enum dg_status dg_config_set_rule_enabled(struct dg_config *cfg, const char *rule, bool enabled)
{
	for (size_t i = 0; i < DG_N_RULES; i++) {
		if (strcmp(dg_rules[i]->name, rule) == 0) {
			cfg->enabled[i] = enabled;
			cfg->explicit_set.enabled[i] = true;
			return DG_OK;
		}
	}
	return DG_ERR_USAGE;
}

void dg_config_set_all_rules_enabled(struct dg_config *cfg, bool enabled)
{
	for (size_t i = 0; i < DG_N_RULES; i++) {
		cfg->enabled[i] = enabled;
		cfg->explicit_set.enabled[i] = true;
	}
}

enum dg_status dg_config_set_pg_version(struct dg_config *cfg, int major)
{
	if (major < 11 || major > 18)
		return DG_ERR_USAGE;
	cfg->pg_version = major;
	cfg->explicit_set.pg_version = true;
	return DG_OK;
}

enum dg_status dg_config_set_max_file_size(struct dg_config *cfg, size_t bytes)
{
	if (bytes == 0 || bytes > DG_MAX_MAX_FILE_SIZE)
		return DG_ERR_USAGE;
	cfg->max_file_size = bytes;
	cfg->explicit_set.max_file_size = true;
	return DG_OK;
}

size_t dg_config_max_file_size(const struct dg_config *cfg)
{
	return cfg->max_file_size;
}

void dg_config_set_assume_in_transaction(struct dg_config *cfg, bool on)
{
	cfg->assume_in_transaction = on;
	cfg->explicit_set.assume_in_transaction = true;
}

enum dg_status dg_config_set_rule_severity(struct dg_config *cfg, const char *rule,
					   enum dg_severity severity)
{
	if (severity < DG_INFO || severity > DG_ERROR)
		return DG_ERR_USAGE;
	for (size_t i = 0; i < DG_N_RULES; i++) {
		if (strcmp(dg_rules[i]->name, rule) == 0) {
			cfg->severity[i] = severity;
			cfg->explicit_set.severity[i] = true;
			return DG_OK;
		}
	}
	return DG_ERR_USAGE;
}

enum dg_status dg_config_set_migration_format(struct dg_config *cfg, const char *name)
{
	const char *known = NULL;

	if (name && strcmp(name, "auto") != 0) {
		known = dg_migration_format_find(name);
		if (!known)
			return DG_ERR_USAGE;
	}
	cfg->migration_format = known;
	cfg->explicit_set.migration_format = true;
	return DG_OK;
}

void dg_config_set_history(struct dg_config *cfg, dg_history_fn fn, void *user)
{
	cfg->history = fn;
	cfg->history_user = user;
}

void dg_config_set_base_reader(struct dg_config *cfg, dg_base_fn fn, void *user)
{
	cfg->base_reader = fn;
	cfg->base_user = user;
}

void dg_config_set_verify_fixes(struct dg_config *cfg, bool on)
{
	cfg->verify_fixes = on;
}

struct dg_config *dg_config_clone(const struct dg_config *cfg)
{
	struct dg_config *c = malloc(sizeof(*c));

	if (c)
		memcpy(c, cfg, sizeof(*c));
	return c;
}

const char *dg_migration_format_at(size_t i)
{
	return dg_migration_format_name(i);
}

const char *dg_severity_name(enum dg_severity s)
{
	switch (s) {
	case DG_ERROR:
		return "error";
	case DG_WARNING:
		return "warning";
	default:
		return "info";
	}
}

const char *dg_direction_name(enum dg_direction d)
{
	switch (d) {
	case DG_DIR_UP:
		return "up";
	case DG_DIR_DOWN:
		return "down";
	default:
		return NULL;
	}
}

size_t dg_parse_size(const char *s)
{
	static const char units[] = "KMG";
	char *end;
	unsigned long long n;
	const char *u;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || n > SIZE_MAX)
		return 0;
	if (*end && (u = strchr(units, toupper((unsigned char)*end)))) {
		unsigned shift = 10 * (unsigned)(u - units + 1);
		if (n > (SIZE_MAX >> shift))
			return 0;
		n <<= shift;
		end++;
		if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)
			end += strlen(end); /* 8MiB, 8MB: the same binary unit */
	}
	return *end ? 0 : (size_t)n;
}
