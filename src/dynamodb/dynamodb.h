/* dynamodb.h — the DynamoDB front half: which files are infrastructure templates, and linting
 * one (against its base version) into the same findings, suppressions and fingerprints as SQL. */
#ifndef DG_DYNAMODB_H
#define DG_DYNAMODB_H

#include <stdbool.h>
#include <stddef.h>

#include "ddlguard/ddlguard.h"
#include "dynamodb/model.h"
#include "dynamodb/yaml.h"

/* How much of a file dg_ddb_sniff needs to see when a directory is searched. */
#define DG_DDB_SNIFF_BYTES (64 * 1024)

enum dg_ddb_kind { DG_DDB_NONE = 0, DG_DDB_TEMPLATE, DG_DDB_PLAN };

/* Names that may hold a template: *.yaml, *.yml, *.json, *.template (never *.sql). */
bool dg_ddb_path_is_template(const char *path);
/* From the name and the text (or its first DG_DDB_SNIFF_BYTES): a CloudFormation / SAM / CDK
 * template (AWSTemplateFormatVersion, AWS:: resource types), a Serverless file (serverless.yml),
 * Terraform JSON (*.tf.json) or a `terraform show -json` plan. */
enum dg_ddb_kind dg_ddb_sniff(const char *path, const char *buf, size_t len);
/* Whether the text is a `terraform show -json` plan. */
bool dg_ddb_is_plan(const char *buf, size_t len);
/* The same for a file on disk, reading only its beginning. */
enum dg_ddb_kind dg_ddb_sniff_file(const char *path);

/* Lints one template: read with libyaml, its tables compared with the base version the
 * configuration's base reader gives (or, for a plan, with its `before` values), every enabled
 * rule's check_table run, YAML-comment suppressions applied. */
enum dg_status dg_ddb_lint(const struct dg_config *cfg, const char *path, const char *buf,
			   size_t len, struct dg_result *out);

/* --terraform-plan FILE: reads the file (standard input for "-", reported as stdin_name) and
 * lints it as a plan; one that is not a plan is an error in out (DG_ERR_IO). */
enum dg_status dg_ddb_lint_plan_file(const struct dg_config *cfg, const char *path,
				     const char *stdin_name, struct dg_result *out);
/* A template deleted since the base revision, `base` its content there: each table it held is
 * a removed table. */
enum dg_status dg_ddb_lint_deleted(const struct dg_config *cfg, const char *path, const char *base,
				   size_t len, struct dg_result *out);

/* The tables of a loaded document; false when it is no template ddlguard knows. */
bool dg_ddb_read(struct dg_arena *a, const struct dg_ydoc *doc, const char *path,
		 struct dg_ddb_template *t);

#endif
