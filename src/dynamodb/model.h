/* model.h — DynamoDB tables as infrastructure templates declare them (CloudFormation, SAM, CDK
 * output, Serverless, Terraform), the same shape whatever the source, and what a DynamoDB rule
 * sees: the old and the new declaration of one table, and dg_ddb_report(). */
#ifndef DG_DDB_MODEL_H
#define DG_DDB_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "rule.h"

/* Where a thing is written: byte offsets into the template. */
struct dg_ddb_span {
	size_t start, end;
};

enum dg_ddb_tool {
	DG_DDB_CLOUDFORMATION, /* CloudFormation, SAM, CDK output, Serverless resources */
	DG_DDB_TERRAFORM,      /* *.tf.json and `terraform show -json` plans */
};

struct dg_ddb_attr {
	const char *name, *type; /* "S", "N", "B" (or what is written) */
	struct dg_ddb_span at;
};

struct dg_ddb_index {
	const char *name;
	struct dg_ddb_span at;	  /* the whole entry */
	const char *hash, *range; /* key attribute names, NULL when absent */
	struct dg_ddb_span keys_at;
	const char *projection; /* canonical: "ALL", "KEYS_ONLY", "INCLUDE [a,b]" */
	struct dg_ddb_span projection_at;
};

struct dg_ddb_table {
	const char *id; /* CloudFormation logical ID, Terraform resource address */
	struct dg_ddb_span id_at;
	enum dg_ddb_tool tool;
	const char *name;	  /* TableName / name as canonical text, or NULL: generated */
	const char *name_written; /* the same as written in the template, for messages */
	struct dg_ddb_span name_at, name_value_at;
	const char *hash, *range; /* key attribute names */
	struct dg_ddb_span hash_at, range_at, keys_at;
	struct dg_ddb_attr *attrs;
	size_t n_attrs;
	struct dg_ddb_index *lsis, *gsis;
	size_t n_lsis, n_gsis;
	struct dg_ddb_span lsis_at, gsis_at; /* the property; id_at when absent */
	/* written so that ddlguard cannot know the value (an intrinsic function such as Fn::If, a
	 * Terraform dynamic block, a value known only after apply): not compared */
	bool keys_unknown, attrs_unknown, gsis_unknown, lsis_unknown;
	/* CloudFormation: DeletionPolicy / UpdateReplacePolicy Retain (or RetainExceptOnCreate) */
	bool retain_delete, retain_replace;
	/* Terraform: lifecycle prevent_destroy, deletion_protection_enabled */
	bool prevent_destroy, deletion_protection;
	/* Terraform plans: both versions come from the plan file itself (so the old one's spans
	 * are in the file being reported), the planned actions and the paths that force the
	 * replacement */
	bool from_plan, plan_replace, plan_delete;
	const char *replace_paths; /* "hash_key, range_key", or NULL */
	struct dg_ddb_span actions_at;
};

/* One template's tables. */
struct dg_ddb_template {
	const char *kind; /* "cloudformation", "serverless", "terraform", "terraform-plan" */
	struct dg_ddb_table *tables;
	size_t n_tables;
	struct dg_ddb_span anchor; /* the Resources map: where a removed table is reported */
	/* plans hold both versions: the tables before the change (old), after it in `tables` */
	struct dg_ddb_table *before;
	size_t n_before;
};

struct dg_ddb_ctx;

/* Reports the running rule's finding at `at` of the new template, about table `t`. */
void dg_ddb_report(struct dg_ddb_ctx *dc, const struct dg_ddb_table *t, struct dg_ddb_span at,
		   const char *fmt, ...) DG_PRINTF(4, 5);
/* Whether the new template came with a version to compare with (--diff-base, or a plan). */
bool dg_ddb_has_base(const struct dg_ddb_ctx *dc);
/* Whether the template file was deleted since the base (its tables are all removed). */
bool dg_ddb_template_deleted(const struct dg_ddb_ctx *dc);
/* The span of the new template's Resources (or resource) map. */
struct dg_ddb_span dg_ddb_anchor(const struct dg_ddb_ctx *dc);

/* Lookups rules share. */
const struct dg_ddb_attr *dg_ddb_attr(const struct dg_ddb_table *t, const char *name);
const struct dg_ddb_index *dg_ddb_gsi(const struct dg_ddb_table *t, const char *name);
const struct dg_ddb_index *dg_ddb_lsi(const struct dg_ddb_table *t, const char *name);
/* "\"name\"" into buf, or "none" for NULL; returns buf. */
const char *dg_ddb_q(char *buf, size_t size, const char *name);
/* Whether two optional strings are equal (NULL equals only NULL). */
bool dg_ddb_same(const char *a, const char *b);
/* What replacing this table means for its items, for messages: "CloudFormation replaces the
 * table" / "Terraform destroys the table and creates an empty one". */
const char *dg_ddb_replaces(const struct dg_ddb_table *t);

#endif
