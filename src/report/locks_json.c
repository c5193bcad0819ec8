/* locks_json.c — `ddlguard --locks --format json`: the lock model's answer per statement.
 * Schema (docs/locks.schema.json): {"locks_version", "ddlguard_version", "files": [{"path",
 * "migration_format", "pg_version", "note"?, "statements":
 * [{"line", "column", "byte_offset", "byte_length", "statement", "known", "no_transaction",
 * "in_transaction", "unsupported", "fails", "locks": [{"relation", "role", "mode", "strength",
 * "blocks_reads", "blocks_writes", "rewrite", "scan", "note"}]}]}], "errors": [...]} */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "report.h"

struct state {
	FILE *out;
	cJSON *root, *files, *errors;
};

static void *begin(FILE *out, const struct dg_report_options *opts)
{
	struct state *st = calloc(1, sizeof(*st));

	(void)opts;
	if (!st)
		return NULL;
	st->out = out;
	st->root = cJSON_CreateObject();
	st->files = cJSON_CreateArray();
	st->errors = cJSON_CreateArray();
	return st;
}

static void file(void *state, const struct dg_lock_report *rep)
{
	struct state *st = state;
	cJSON *f, *stmts;

	if (rep->status != DG_OK) {
		cJSON_AddItemToArray(st->errors, dg_json_error(rep->path, rep->error));
		return;
	}
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "path", rep->path);
	cJSON_AddStringToObject(f, "migration_format", rep->format ? rep->format : "plain");
	cJSON_AddNumberToObject(f, "pg_version", rep->pg_version);
	if (rep->note)
		cJSON_AddStringToObject(f, "note", rep->note);
	stmts = cJSON_AddArrayToObject(f, "statements");
	for (size_t i = 0; i < rep->n_stmts; i++) {
		const struct dg_stmt_locks *s = &rep->stmts[i];
		cJSON *o = cJSON_CreateObject(), *locks;

		dg_json_add_count(o, "line", s->line);
		dg_json_add_count(o, "column", s->column);
		dg_json_add_count(o, "byte_offset", s->byte_offset);
		dg_json_add_count(o, "byte_length", s->byte_length);
		cJSON_AddStringToObject(o, "statement", s->text);
		cJSON_AddBoolToObject(o, "known", s->known);
		cJSON_AddBoolToObject(o, "no_transaction", s->no_transaction);
		cJSON_AddBoolToObject(o, "in_transaction", s->in_transaction);
		dg_json_add_string_or_null(o, "unsupported", s->unsupported);
		dg_json_add_string_or_null(o, "fails", s->fails);
		locks = cJSON_AddArrayToObject(o, "locks");
		for (size_t k = 0; k < s->n_rows; k++) {
			const struct dg_lock_row *r = &s->rows[k];
			cJSON *l = cJSON_CreateObject();
			cJSON_AddStringToObject(l, "relation", r->relation);
			cJSON_AddStringToObject(l, "role", r->role);
			dg_json_add_string_or_null(l, "mode", r->mode);
			cJSON_AddNumberToObject(l, "strength", r->strength);
			cJSON_AddBoolToObject(l, "blocks_reads", r->blocks_reads);
			cJSON_AddBoolToObject(l, "blocks_writes", r->blocks_writes);
			cJSON_AddBoolToObject(l, "rewrite", r->rewrite);
			cJSON_AddBoolToObject(l, "scan", r->scan);
			dg_json_add_string_or_null(l, "note", r->note);
			cJSON_AddItemToArray(locks, l);
		}
		cJSON_AddItemToArray(stmts, o);
	}
	cJSON_AddItemToArray(st->files, f);
}

static int end(void *state)
{
	struct state *st = state;
	int rc;

	/* its own schema, versioned apart from the findings report's "version" */
	cJSON_AddNumberToObject(st->root, "locks_version", DG_LOCKS_JSON_SCHEMA_VERSION);
	cJSON_AddStringToObject(st->root, "ddlguard_version", DG_VERSION);
	cJSON_AddItemToObject(st->root, "files", st->files);
	cJSON_AddItemToObject(st->root, "errors", st->errors);
	rc = dg_report_json_end(st->out, st->root, false);
	free(st);
	return rc;
}

const struct dg_lock_reporter dg_lock_reporter_json = {"json", begin, file, end};
