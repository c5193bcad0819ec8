/* dynamodb.c — the DynamoDB front half's driver: detects templates, reads the template and its
 * base version, matches tables by logical ID or resource address, runs the DynamoDB rules and
 * hands the findings to the back half (suppressions, fingerprints, reporters). */
#include "dynamodb/dynamodb.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "fingerprint.h"
#include "suppress.h"

struct dg_ddb_ctx {
	struct dg_ctx ctx;
	const struct dg_ddb_template *now;
	bool has_base;
	bool deleted; /* the template file itself is gone */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

bool dg_ddb_path_is_template(const char *path)
{
	return ends_with(path, ".yaml") || ends_with(path, ".yml") || ends_with(path, ".json") ||
	       ends_with(path, ".template");
}

static bool has(const char *buf, size_t len, const char *s)
{
	return memmem(buf, len, s, strlen(s)) != NULL;
}

bool dg_ddb_is_plan(const char *buf, size_t len)
{
	/* a plan without changes has no resource_changes, but always its versions */
	return has(buf, len, "\"format_version\"") &&
	       (has(buf, len, "\"resource_changes\"") || has(buf, len, "\"terraform_version\""));
}

enum dg_ddb_kind dg_ddb_sniff(const char *path, const char *buf, size_t len)
{
	const char *name = base_name(path);

	if (!dg_ddb_path_is_template(path))
		return DG_DDB_NONE;
	if (dg_ddb_is_plan(buf, len))
		return DG_DDB_PLAN;
	if (ends_with(name, ".tf.json") || strcmp(name, "serverless.yml") == 0 ||
	    strcmp(name, "serverless.yaml") == 0 || strcmp(name, "serverless.json") == 0)
		return DG_DDB_TEMPLATE;
	/* resource types alone are not enough: CDK's tree.json and manifest.json name them too */
	if (has(buf, len, "AWSTemplateFormatVersion") ||
	    (has(buf, len, "Resources") && has(buf, len, "AWS::")))
		return DG_DDB_TEMPLATE;
	return DG_DDB_NONE;
}

enum dg_ddb_kind dg_ddb_sniff_file(const char *path)
{
	char *buf;
	size_t n;
	FILE *fp;
	enum dg_ddb_kind k;

	if (!dg_ddb_path_is_template(path))
		return DG_DDB_NONE;
	fp = fopen(path, "rb");
	if (!fp)
		return DG_DDB_NONE; /* not ours to report: the SQL walk never listed it either */
	buf = dg_xmalloc(DG_DDB_SNIFF_BYTES);
	n = fread(buf, 1, DG_DDB_SNIFF_BYTES, fp);
	fclose(fp);
	k = dg_ddb_sniff(path, buf, n);
	free(buf);
	return k;
}

/* ---- what rules see ----------------------------------------------------------------------- */

void dg_ddb_report(struct dg_ddb_ctx *dc, const struct dg_ddb_table *t, struct dg_ddb_span at,
		   const char *fmt, ...)
{
	struct dg_ctx *ctx = &dc->ctx;
	struct dg_result *out = ctx->out;
	const char *path = out->path;
	char msg[2048];
	va_list ap;
	uint64_t h;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dg_emit(ctx, ctx->rule_index, DG_DIR_NONE, at.start, at.end, ctx->rule->help, msg);
	/* the identity of a template finding: file, rule, table and the text it points at (not the
	 * line), as for SQL */
	while (strncmp(path, "./", 2) == 0)
		path += 2;
	h = dg_fnv1a(DG_FNV_INIT, path, strlen(path) + 1);
	h = dg_fnv1a(h, ctx->rule->name, strlen(ctx->rule->name) + 1);
	h = dg_fnv1a(h, t->id, strlen(t->id) + 1);
	h = dg_fnv1a(h, "|", 1);
	if (at.end <= ctx->src->len && at.start <= at.end)
		h = dg_hash_normalized(h, ctx->src->text, at.start, at.end);
	snprintf(out->findings[out->n_findings - 1].fingerprint,
		 sizeof(out->findings[0].fingerprint), "%016llx", (unsigned long long)h);
}

bool dg_ddb_has_base(const struct dg_ddb_ctx *dc)
{
	return dc->has_base;
}

bool dg_ddb_template_deleted(const struct dg_ddb_ctx *dc)
{
	return dc->deleted;
}

struct dg_ddb_span dg_ddb_anchor(const struct dg_ddb_ctx *dc)
{
	return dc->now->anchor;
}

const struct dg_ddb_attr *dg_ddb_attr(const struct dg_ddb_table *t, const char *name)
{
	for (size_t i = 0; t && name && i < t->n_attrs; i++)
		if (strcmp(t->attrs[i].name, name) == 0)
			return &t->attrs[i];
	return NULL;
}

static const struct dg_ddb_index *find_index(const struct dg_ddb_index *ix, size_t n,
					     const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(ix[i].name, name) == 0)
			return &ix[i];
	return NULL;
}

const struct dg_ddb_index *dg_ddb_gsi(const struct dg_ddb_table *t, const char *name)
{
	return t ? find_index(t->gsis, t->n_gsis, name) : NULL;
}

const struct dg_ddb_index *dg_ddb_lsi(const struct dg_ddb_table *t, const char *name)
{
	return t ? find_index(t->lsis, t->n_lsis, name) : NULL;
}

const char *dg_ddb_q(char *buf, size_t size, const char *name)
{
	if (name && strchr("{[!\"'", name[0]))
		snprintf(buf, size, "%.200s", name); /* already quoted, or an intrinsic function */
	else if (name)
		snprintf(buf, size, "\"%.200s\"", name);
	else
		snprintf(buf, size, "none");
	return buf;
}

bool dg_ddb_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

const char *dg_ddb_replaces(const struct dg_ddb_table *t)
{
	if (t->tool == DG_DDB_TERRAFORM)
		return "Terraform destroys the table and creates an empty one (forces replacement)";
	if (t->name)
		return "CloudFormation must replace the table, and with a fixed TableName the stack "
		       "update fails (a custom-named resource cannot be replaced); without one the "
		       "new table starts empty";
	return "CloudFormation replaces the table (Update requires: Replacement): the new table "
	       "starts empty and the old one is deleted with its items";
}

/* ---- suppressions: YAML comments ---------------------------------------------------------- */

struct targets {
	struct dg_ddb_span *at;
	size_t n, cap;
	struct dg_arena *a;
};

static void add_target(struct targets *t, size_t start, size_t end)
{
	t->at = dg_arena_grow(t->a, t->at, t->n, &t->cap, sizeof(*t->at));
	t->at[t->n++] = (struct dg_ddb_span){start, end};
}

/* Every key with its value and every sequence item: what a comment may cover. */
static void collect_targets(struct targets *t, struct dg_ynode *n)
{
	if (!n || n->seen)
		return;
	n->seen = true;
	for (size_t i = 0; n->kind == DG_Y_MAP && i < n->n; i++) {
		const struct dg_ypair *p = &n->pairs[i];
		/* an alias's value lies elsewhere in the file: the key alone then */
		add_target(t, p->key->start,
			   p->value->end > p->key->start ? p->value->end : p->key->end);
		collect_targets(t, p->value);
	}
	for (size_t i = 0; n->kind == DG_Y_SEQ && i < n->n; i++) {
		if (n->items[i]->start >= n->start)
			add_target(t, n->items[i]->start, n->items[i]->end);
		collect_targets(t, n->items[i]);
	}
}

static size_t line_start(const char *s, size_t at)
{
	while (at > 0 && s[at - 1] != '\n')
		at--;
	return at;
}

static void apply_suppressions(struct dg_ddb_ctx *dc, struct dg_arena *a, const struct dg_ydoc *doc)
{
	const struct dg_source *src = dc->ctx.src;
	struct targets t = {NULL, 0, 0, a};
	struct dg_comment *cs;

	if (!doc->n_comments)
		return;
	collect_targets(&t, doc->root);
	cs = dg_arena_alloc(a, doc->n_comments * sizeof(*cs));
	for (size_t i = 0; i < doc->n_comments; i++) {
		const struct dg_ycomment *c = &doc->comments[i];
		struct dg_comment *o = &cs[i];
		size_t best = (size_t)-1;

		memset(o, 0, sizeof(*o));
		o->start = c->start;
		o->end = c->end;
		o->body = c->start + 1;
		for (size_t k = 0; k < t.n; k++) {
			const struct dg_ddb_span *s = &t.at[k];
			bool fits;
			if (c->own_line) /* covers what follows it: the next key */
				fits = s->start >= c->end &&
				       (best == (size_t)-1 || s->start < t.at[best].start ||
					(s->start == t.at[best].start && s->end > t.at[best].end));
			else /* trails a line: covers the outermost key that starts on it */
				fits = s->start < c->start &&
				       s->start >= line_start(src->text, c->start) &&
				       (best == (size_t)-1 || s->start < t.at[best].start ||
					(s->start == t.at[best].start && s->end > t.at[best].end));
			if (fits)
				best = k;
		}
		if (best != (size_t)-1) {
			o->has_target = true;
			o->target_start = t.at[best].start;
			o->target_end = t.at[best].end;
		}
	}
	struct dg_suppressor sup = dg_suppressor_of(&dc->ctx);
	dg_suppress_apply_comments(&sup, cs, doc->n_comments, "key");
}

/* ---- the driver --------------------------------------------------------------------------- */

static const struct dg_ddb_table *find_table(const struct dg_ddb_table *ts, size_t n,
					     const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ts[i].id, id) == 0)
			return &ts[i];
	return NULL;
}

/* The template at the base revision, from `buf` (the caller's) or the base reader. */
static bool read_base_text(const struct dg_config *cfg, struct dg_arena *a, const char *path,
			   const char *given, size_t given_len, struct dg_ddb_template *old)
{
	struct dg_source *src;
	struct dg_ydoc doc;
	size_t len = 0;
	char *buf = NULL;

	memset(old, 0, sizeof(*old));
	if (!given && (!cfg->base_reader || !(buf = cfg->base_reader(cfg->base_user, path, &len))))
		return false;
	src = dg_arena_alloc(a, sizeof(*src));
	dg_source_init(src, a, path, given ? given : buf, given ? given_len : len);
	free(buf);
	/* a base that cannot be read as a template leaves nothing to compare with */
	if (dg_source_find_invalid_utf8(src) != (size_t)-1 || !dg_yaml_load(src, a, &doc) ||
	    !dg_ddb_read(a, &doc, path, old)) {
		memset(old, 0, sizeof(*old));
		return false;
	}
	return true;
}

/* The base version's tables: from the plan itself, or the template at the base revision. */
static bool read_base(const struct dg_config *cfg, struct dg_arena *a, const char *path,
		      const struct dg_ddb_template *now, struct dg_ddb_template *old)
{
	if (strcmp(now->kind, "terraform-plan") == 0) {
		memset(old, 0, sizeof(*old));
		old->tables = now->before;
		old->n_tables = now->n_before;
		return true;
	}
	return read_base_text(cfg, a, path, NULL, 0, old);
}

static void run_rules(struct dg_ddb_ctx *dc, const struct dg_ddb_template *now,
		      const struct dg_ddb_template *old)
{
	const struct dg_config *cfg = dc->ctx.cfg;

	for (size_t r = 0; r < DG_N_RULES; r++) {
		if (!cfg->enabled[r] || !dg_rules[r]->check_table)
			continue;
		dc->ctx.rule = dg_rules[r];
		dc->ctx.rule_index = r;
		for (size_t i = 0; i < now->n_tables; i++)
			dg_rules[r]->check_table(
			    dc, find_table(old->tables, old->n_tables, now->tables[i].id),
			    &now->tables[i]);
		for (size_t i = 0; i < old->n_tables; i++)
			if (!find_table(now->tables, now->n_tables, old->tables[i].id))
				dg_rules[r]->check_table(dc, &old->tables[i], NULL);
	}
}

static void syntax_finding(struct dg_ddb_ctx *dc, size_t at, const char *msg)
{
	struct dg_ctx *ctx = &dc->ctx;

	if (!ctx->cfg->enabled[DG_RULE_ID_syntax_error])
		return;
	dg_emit(ctx, DG_RULE_ID_syntax_error, DG_DIR_NONE, at, at + 1,
		"Fix the template so that it parses (CloudFormation and Terraform would reject it "
		"too); nothing in it was checked.",
		msg);
}

enum dg_status dg_ddb_lint(const struct dg_config *cfg, const char *path, const char *buf,
			   size_t len, struct dg_result *out)
{
	struct dg_arena arena;
	struct dg_source src;
	struct dg_parsed parsed;
	struct dg_ydoc doc;
	struct dg_ddb_template now, old;
	struct dg_ddb_ctx dc;
	size_t bad;

	memset(out, 0, sizeof(*out));
	memset(&dc, 0, sizeof(dc));
	memset(&parsed, 0, sizeof(parsed));
	out->path = dg_xstrdup(path);
	out->format = "template";
	dg_arena_init(&arena);
	dg_source_init(&src, &arena, out->path, buf, len);
	dc.ctx.cfg = cfg;
	dc.ctx.arena = &arena;
	dc.ctx.src = &src;
	dc.ctx.out = out;
	dc.ctx.parsed = &parsed;

	bad = dg_source_find_invalid_utf8(&src);
	if (bad != (size_t)-1) {
		syntax_finding(&dc, bad, "the template is not valid UTF-8: it was not checked");
	} else if (!dg_yaml_load(&src, &arena, &doc)) {
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "the template is not well-formed YAML or JSON (%s): it was "
			 "not checked",
			 doc.error);
		syntax_finding(&dc, doc.error_at, msg);
	} else if (dg_ddb_read(&arena, &doc, out->path, &now)) {
		out->format = now.kind;
		dc.now = &now;
		dc.has_base = read_base(cfg, &arena, out->path, &now, &old);
		run_rules(&dc, &now, &old);
		apply_suppressions(&dc, &arena, &doc);
	} else {
		/* YAML, but no template we know (no Resources, resource or resource_changes):
		 * suppressions still get checked, so a stale one is reported */
		apply_suppressions(&dc, &arena, &doc);
	}
	dg_arena_destroy(&arena);
	dg_result_finish(out);
	return DG_OK;
}

enum dg_status dg_ddb_lint_deleted(const struct dg_config *cfg, const char *path, const char *base,
				   size_t len, struct dg_result *out)
{
	struct dg_arena arena;
	struct dg_source src;
	struct dg_parsed parsed;
	struct dg_ddb_template now, old;
	struct dg_ddb_ctx dc;

	memset(out, 0, sizeof(*out));
	memset(&dc, 0, sizeof(dc));
	memset(&parsed, 0, sizeof(parsed));
	memset(&now, 0, sizeof(now));
	out->path = dg_xstrdup(path);
	out->format = "template";
	dg_arena_init(&arena);
	dg_source_init(&src, &arena, out->path, "", 0);
	dc.ctx.cfg = cfg;
	dc.ctx.arena = &arena;
	dc.ctx.src = &src;
	dc.ctx.out = out;
	dc.ctx.parsed = &parsed;
	/* every table the file held is gone with it: reported at its (now empty) first line */
	if (read_base_text(cfg, &arena, out->path, base, len, &old)) {
		out->format = old.kind;
		now.kind = old.kind;
		dc.now = &now;
		dc.has_base = true;
		dc.deleted = true;
		run_rules(&dc, &now, &old);
	}
	dg_arena_destroy(&arena);
	dg_result_finish(out);
	return DG_OK;
}

enum dg_status dg_ddb_lint_plan_file(const struct dg_config *cfg, const char *path,
				     const char *stdin_name, struct dg_result *out)
{
	bool in = strcmp(path, "-") == 0;
	size_t len = 0;
	int err = 0;
	char *buf = in ? dg_read_stream_max(stdin, cfg->max_file_size, &len, &err)
		       : dg_read_path(path, cfg->max_file_size, &len, &err);
	enum dg_status st;

	if (!buf || !dg_ddb_is_plan(buf, len)) {
		memset(out, 0, sizeof(*out));
		out->path = dg_xstrdup(in ? stdin_name : path);
		out->format = "terraform-plan";
		out->status = DG_ERR_IO;
		out->error = dg_xstrdup(!buf ? strerror(err ? err : EIO)
					     : "not a Terraform plan in JSON (the output of "
					       "terraform show -json PLANFILE)");
		free(buf);
		return DG_ERR_IO;
	}
	st = dg_ddb_lint(cfg, in ? stdin_name : path, buf, len, out);
	free(buf);
	return st;
}
