/* model.c — reads the DynamoDB tables out of a template's tree: CloudFormation and SAM
 * (Resources), Serverless (resources.Resources), Terraform JSON configuration (resource.
 * aws_dynamodb_table) and `terraform show -json` plans (resource_changes). */
#include "dynamodb/dynamodb.h"

#include <stdlib.h>
#include <string.h>

#define CANON_MAX 1024

static struct dg_ddb_span span_of(const struct dg_ynode *n)
{
	return n ? (struct dg_ddb_span){n->start, n->end} : (struct dg_ddb_span){0, 0};
}

static struct dg_ddb_span pair_span(const struct dg_ypair *p)
{
	return (struct dg_ddb_span){p->key->start, p->value->end};
}

/* A name as written: a plain string, or the canonical text of anything else (!Ref x, ${var}). */
static const char *text_of(struct dg_arena *a, const struct dg_ynode *n)
{
	if (!n)
		return NULL;
	if (n->kind == DG_Y_SCALAR && !(n->tag && n->tag[0] == '!' && n->tag[1] != '!')) {
		/* YAML and JSON null mean "not set" */
		if (n->plain &&
		    (n->len == 0 || strcmp(n->value, "null") == 0 || strcmp(n->value, "~") == 0))
			return NULL;
		return n->value;
	}
	return dg_ycanon(a, n, CANON_MAX);
}

static bool is_true(const struct dg_ynode *n)
{
	const char *s = dg_yscalar(n);
	return s && (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "TYPE [a,b]" with the attributes sorted: their order is no change. */
static const char *projection_text(struct dg_arena *a, const char *type,
				   const struct dg_ynode *attrs)
{
	size_t n = attrs && attrs->kind == DG_Y_SEQ ? attrs->n : 0, len = 0, at;
	const char **names = dg_arena_alloc(a, (n ? n : 1) * sizeof(*names));
	char *out;

	if (!type && !n)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		names[i] = text_of(a, attrs->items[i]);
		if (!names[i])
			names[i] = "";
		len += strlen(names[i]) + 1;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	type = type ? type : "ALL";
	len += strlen(type) + 4;
	out = dg_arena_alloc(a, len);
	at = (size_t)snprintf(out, len, "%s", type);
	if (n) {
		at += (size_t)snprintf(out + at, len - at, " [");
		for (size_t i = 0; i < n; i++)
			at += (size_t)snprintf(out + at, len - at, "%s%s", i ? "," : "", names[i]);
		snprintf(out + at, len - at, "]");
	}
	return out;
}

/* CloudFormation KeySchema: [{AttributeName, KeyType: HASH|RANGE}] */
static void cfn_keys(struct dg_arena *a, const struct dg_ynode *ks, const char **hash,
		     struct dg_ddb_span *hash_at, const char **range, struct dg_ddb_span *range_at)
{
	if (!ks || ks->kind != DG_Y_SEQ)
		return;
	for (size_t i = 0; i < ks->n; i++) {
		const struct dg_ynode *e = ks->items[i];
		const char *type = dg_yscalar(dg_ymap_get(e, "KeyType"));
		const char *name = text_of(a, dg_ymap_get(e, "AttributeName"));
		if (!type || !name)
			continue;
		if (strcmp(type, "HASH") == 0) {
			*hash = name;
			if (hash_at)
				*hash_at = span_of(e);
		} else if (strcmp(type, "RANGE") == 0) {
			*range = name;
			if (range_at)
				*range_at = span_of(e);
		}
	}
}

/* Whether a list property is written as a plain list of plain entries, each with `key`. */
static bool readable_list(const struct dg_ynode *seq, const char *key)
{
	if (!seq || seq->kind != DG_Y_SEQ || (seq->tag && seq->tag[0] == '!' && seq->tag[1] != '!'))
		return false;
	for (size_t i = 0; i < seq->n; i++) {
		const struct dg_ynode *e = seq->items[i];
		if (e->kind != DG_Y_MAP || e->tag || !dg_yscalar(dg_ymap_get(e, key)))
			return false;
	}
	return true;
}

static void cfn_indexes(struct dg_arena *a, const struct dg_ynode *seq, struct dg_ddb_index **out,
			size_t *n)
{
	size_t cap = 0;

	if (!seq || seq->kind != DG_Y_SEQ)
		return;
	for (size_t i = 0; i < seq->n; i++) {
		const struct dg_ynode *e = seq->items[i], *proj = dg_ymap_get(e, "Projection");
		const struct dg_ypair *kp = dg_ymap_pair(e, "KeySchema");
		const struct dg_ypair *pp = dg_ymap_pair(e, "Projection");
		struct dg_ddb_index ix = {0};

		ix.name = text_of(a, dg_ymap_get(e, "IndexName"));
		if (!ix.name)
			continue;
		ix.at = span_of(e);
		cfn_keys(a, kp ? kp->value : NULL, &ix.hash, NULL, &ix.range, NULL);
		ix.keys_at = kp ? pair_span(kp) : ix.at;
		ix.projection = projection_text(a, text_of(a, dg_ymap_get(proj, "ProjectionType")),
						dg_ymap_get(proj, "NonKeyAttributes"));
		ix.projection_at = pp ? pair_span(pp) : ix.at;
		*out = dg_arena_grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = ix;
	}
}

static void push_table(struct dg_arena *a, struct dg_ddb_table **arr, size_t *n, size_t *cap,
		       const struct dg_ddb_table *t)
{
	*arr = dg_arena_grow(a, *arr, *n, cap, sizeof(**arr));
	(*arr)[(*n)++] = *t;
}

static const char *sam_type(const char *t)
{
	if (!t)
		return "S"; /* SimpleTable's default key: id, String */
	if (strcmp(t, "String") == 0)
		return "S";
	if (strcmp(t, "Number") == 0)
		return "N";
	if (strcmp(t, "Binary") == 0)
		return "B";
	return t;
}

static bool retain(const char *policy)
{
	return policy &&
	       (strcmp(policy, "Retain") == 0 || strcmp(policy, "RetainExceptOnCreate") == 0);
}

static void cfn_resources(struct dg_arena *a, const struct dg_ynode *res, struct dg_ddb_template *t,
			  size_t *cap)
{
	if (!res || res->kind != DG_Y_MAP)
		return;
	for (size_t i = 0; i < res->n; i++) {
		const struct dg_ypair *rp = &res->pairs[i];
		const struct dg_ynode *r = rp->value, *props = dg_ymap_get(r, "Properties");
		const char *type = dg_yscalar(dg_ymap_get(r, "Type"));
		const struct dg_ypair *p;
		struct dg_ddb_table tb = {0};
		size_t acap = 0;

		tb.id = text_of(a, rp->key);
		if (!type || !tb.id)
			continue;
		tb.id_at = span_of(rp->key);
		tb.tool = DG_DDB_CLOUDFORMATION;
		tb.retain_delete = retain(dg_yscalar(dg_ymap_get(r, "DeletionPolicy")));
		tb.retain_replace = retain(dg_yscalar(dg_ymap_get(r, "UpdateReplacePolicy")));
		tb.deletion_protection = is_true(dg_ymap_get(props, "DeletionProtectionEnabled"));
		tb.lsis_at = tb.gsis_at = tb.keys_at = tb.name_at = tb.id_at;
		if ((p = dg_ymap_pair(props, "TableName"))) {
			tb.name = text_of(a, p->value);
			tb.name_at = pair_span(p);
			tb.name_value_at = span_of(p->value);
		}
		if (strcmp(type, "AWS::Serverless::SimpleTable") == 0) {
			const struct dg_ynode *pk = dg_ymap_get(props, "PrimaryKey");
			struct dg_ddb_attr at = {0};
			p = dg_ymap_pair(props, "PrimaryKey");
			tb.hash = pk ? text_of(a, dg_ymap_get(pk, "Name")) : "id";
			if (!tb.hash)
				tb.hash = "id";
			tb.hash_at = tb.keys_at = p ? pair_span(p) : tb.id_at;
			at.name = tb.hash;
			at.type = sam_type(text_of(a, dg_ymap_get(pk, "Type")));
			at.at = tb.hash_at;
			tb.attrs = dg_arena_grow(a, tb.attrs, 0, &acap, sizeof(*tb.attrs));
			tb.attrs[tb.n_attrs++] = at;
			push_table(a, &t->tables, &t->n_tables, cap, &tb);
			continue;
		}
		if (strcmp(type, "AWS::DynamoDB::Table") != 0 &&
		    strcmp(type, "AWS::DynamoDB::GlobalTable") != 0)
			continue;
		if ((p = dg_ymap_pair(props, "KeySchema"))) {
			tb.keys_unknown = !readable_list(p->value, "KeyType");
			tb.keys_at = pair_span(p);
			tb.hash_at = tb.range_at = tb.keys_at;
			cfn_keys(a, p->value, &tb.hash, &tb.hash_at, &tb.range, &tb.range_at);
		}
		p = dg_ymap_pair(props, "AttributeDefinitions");
		tb.attrs_unknown = p && !readable_list(p->value, "AttributeType");
		if (p && p->value->kind == DG_Y_SEQ) {
			for (size_t k = 0; k < p->value->n; k++) {
				const struct dg_ynode *e = p->value->items[k];
				struct dg_ddb_attr at = {
				    text_of(a, dg_ymap_get(e, "AttributeName")),
				    text_of(a, dg_ymap_get(e, "AttributeType")), span_of(e)};
				if (!at.name)
					continue;
				tb.attrs = dg_arena_grow(a, tb.attrs, tb.n_attrs, &acap,
							 sizeof(*tb.attrs));
				tb.attrs[tb.n_attrs++] = at;
			}
		}
		if ((p = dg_ymap_pair(props, "GlobalSecondaryIndexes"))) {
			tb.gsis_at = pair_span(p);
			tb.gsis_unknown = !readable_list(p->value, "IndexName");
			cfn_indexes(a, p->value, &tb.gsis, &tb.n_gsis);
		}
		if ((p = dg_ymap_pair(props, "LocalSecondaryIndexes"))) {
			tb.lsis_at = pair_span(p);
			tb.lsis_unknown = !readable_list(p->value, "IndexName");
			cfn_indexes(a, p->value, &tb.lsis, &tb.n_lsis);
		}
		push_table(a, &t->tables, &t->n_tables, cap, &tb);
	}
}

/* Terraform blocks: a list of objects, or one object. */
static size_t block_count(const struct dg_ynode *n)
{
	return !n ? 0 : n->kind == DG_Y_SEQ ? n->n : n->kind == DG_Y_MAP ? 1 : 0;
}

static const struct dg_ynode *block_at(const struct dg_ynode *n, size_t i)
{
	return n->kind == DG_Y_SEQ ? n->items[i] : n;
}

static void tf_indexes(struct dg_arena *a, const struct dg_ynode *blocks, struct dg_ddb_index **out,
		       size_t *n)
{
	size_t cap = 0, count = block_count(blocks);

	for (size_t i = 0; i < count; i++) {
		const struct dg_ynode *e = block_at(blocks, i);
		const struct dg_ypair *hp = dg_ymap_pair(e, "hash_key"),
				      *rp = dg_ymap_pair(e, "range_key");
		const struct dg_ypair *pp = dg_ymap_pair(e, "projection_type");
		struct dg_ddb_index ix = {0};

		if (e->kind != DG_Y_MAP)
			continue;
		ix.name = text_of(a, dg_ymap_get(e, "name"));
		if (!ix.name)
			continue;
		ix.at = span_of(e);
		ix.hash = hp ? text_of(a, hp->value) : NULL;
		ix.range = rp ? text_of(a, rp->value) : NULL;
		ix.keys_at = hp ? pair_span(hp) : rp ? pair_span(rp) : ix.at;
		ix.projection = projection_text(a, pp ? text_of(a, pp->value) : NULL,
						dg_ymap_get(e, "non_key_attributes"));
		ix.projection_at = pp ? pair_span(pp) : ix.at;
		*out = dg_arena_grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = ix;
	}
}

/* An aws_dynamodb_table's arguments (a .tf.json block, or a plan's before/after object). */
static void tf_table(struct dg_arena *a, const char *id, const struct dg_ynode *id_node,
		     const struct dg_ynode *body, struct dg_ddb_table *tb)
{
	const struct dg_ypair *p;
	const struct dg_ynode *attrs = dg_ymap_get(body, "attribute"), *lc;
	size_t acap = 0;

	memset(tb, 0, sizeof(*tb));
	tb->id = id;
	tb->id_at = span_of(id_node);
	tb->tool = DG_DDB_TERRAFORM;
	tb->lsis_at = tb->gsis_at = tb->keys_at = tb->name_at = tb->hash_at = tb->range_at =
	    tb->id_at;
	if ((p = dg_ymap_pair(body, "name"))) {
		tb->name = text_of(a, p->value);
		tb->name_at = pair_span(p);
		tb->name_value_at = span_of(p->value);
	}
	if ((p = dg_ymap_pair(body, "hash_key"))) {
		tb->hash = text_of(a, p->value);
		tb->hash_at = tb->keys_at = pair_span(p);
	}
	if ((p = dg_ymap_pair(body, "range_key"))) {
		tb->range = text_of(a, p->value);
		tb->range_at = pair_span(p);
	}
	for (size_t i = 0; i < block_count(attrs); i++) {
		const struct dg_ynode *e = block_at(attrs, i);
		struct dg_ddb_attr at = {text_of(a, dg_ymap_get(e, "name")),
					 text_of(a, dg_ymap_get(e, "type")), span_of(e)};
		if (!at.name)
			continue;
		tb->attrs = dg_arena_grow(a, tb->attrs, tb->n_attrs, &acap, sizeof(*tb->attrs));
		tb->attrs[tb->n_attrs++] = at;
	}
	if ((p = dg_ymap_pair(body, "global_secondary_index"))) {
		tb->gsis_at = pair_span(p);
		tf_indexes(a, p->value, &tb->gsis, &tb->n_gsis);
	}
	if ((p = dg_ymap_pair(body, "local_secondary_index"))) {
		tb->lsis_at = pair_span(p);
		tf_indexes(a, p->value, &tb->lsis, &tb->n_lsis);
	}
	tb->deletion_protection = is_true(dg_ymap_get(body, "deletion_protection_enabled"));
	/* dynamic "global_secondary_index" { … } blocks are generated: their content is unknown */
	{
		const struct dg_ynode *dyn = dg_ymap_get(body, "dynamic");
		for (size_t i = 0; i < block_count(dyn); i++) {
			const struct dg_ynode *d = block_at(dyn, i);
			tb->gsis_unknown |= dg_ymap_get(d, "global_secondary_index") != NULL;
			tb->lsis_unknown |= dg_ymap_get(d, "local_secondary_index") != NULL;
			tb->attrs_unknown |= dg_ymap_get(d, "attribute") != NULL;
		}
	}
	lc = dg_ymap_get(body, "lifecycle");
	for (size_t i = 0; i < block_count(lc); i++)
		tb->prevent_destroy |= is_true(dg_ymap_get(block_at(lc, i), "prevent_destroy"));
}

static void tf_config(struct dg_arena *a, const struct dg_ynode *root, struct dg_ddb_template *t,
		      size_t *cap)
{
	const struct dg_ynode *res = dg_ymap_get(root, "resource");

	/* "resource" is an object of types, or a list of such objects */
	for (size_t i = 0; i < block_count(res); i++) {
		const struct dg_ynode *types = block_at(res, i);
		const struct dg_ynode *tables = dg_ymap_get(types, "aws_dynamodb_table");
		if (!tables || tables->kind != DG_Y_MAP)
			continue;
		for (size_t k = 0; k < tables->n; k++) {
			const struct dg_ypair *tp = &tables->pairs[k];
			const char *name = text_of(a, tp->key);
			size_t len = (name ? strlen(name) : 0) + sizeof("aws_dynamodb_table.");
			char *addr = dg_arena_alloc(a, len);
			struct dg_ddb_table tb;
			if (!name)
				continue;
			snprintf(addr, len, "aws_dynamodb_table.%s", name);
			/* one block, or (rarely written) a list of one */
			tf_table(a, addr, tp->key,
				 block_count(tp->value) ? block_at(tp->value, 0) : NULL, &tb);
			push_table(a, &t->tables, &t->n_tables, cap, &tb);
		}
	}
}

static const char *join_paths(struct dg_arena *a, const struct dg_ynode *paths)
{
	char buf[1024];
	size_t at = 0;

	if (!paths || paths->kind != DG_Y_SEQ || !paths->n)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < paths->n && at < sizeof(buf) - 1; i++) {
		const struct dg_ynode *path = paths->items[i];
		if (i)
			at += (size_t)snprintf(buf + at, sizeof(buf) - at, ", ");
		if (at >= sizeof(buf))
			break;
		for (size_t k = 0; path->kind == DG_Y_SEQ && k < path->n && at < sizeof(buf); k++) {
			const char *s = dg_yscalar(path->items[k]);
			at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%s", k ? "." : "",
					       s ? s : "?");
		}
		if (path->kind == DG_Y_SCALAR && at < sizeof(buf))
			at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s", path->value);
	}
	if (at >= sizeof(buf))
		at = sizeof(buf) - 1;
	return dg_arena_strndup(a, buf, at);
}

static bool has_action(const struct dg_ynode *actions, const char *what)
{
	for (size_t i = 0; actions && actions->kind == DG_Y_SEQ && i < actions->n; i++)
		if (dg_yscalar_is(actions->items[i], what))
			return true;
	return false;
}

static void tf_plan(struct dg_arena *a, const struct dg_ynode *changes, struct dg_ddb_template *t,
		    size_t *cap)
{
	size_t bcap = 0;

	for (size_t i = 0; changes && changes->kind == DG_Y_SEQ && i < changes->n; i++) {
		const struct dg_ynode *rc = changes->items[i], *ch = dg_ymap_get(rc, "change");
		const struct dg_ynode *addr = dg_ymap_get(rc, "address");
		const struct dg_ynode *before = dg_ymap_get(ch, "before"),
				      *after = dg_ymap_get(ch, "after");
		const struct dg_ynode *actions = dg_ymap_get(ch, "actions");
		bool del = has_action(actions, "delete"), create = has_action(actions, "create");
		struct dg_ddb_table tb;

		if (!dg_yscalar_is(dg_ymap_get(rc, "type"), "aws_dynamodb_table") ||
		    !dg_yscalar(addr))
			continue;
		if (before && before->kind == DG_Y_MAP) {
			tf_table(a, addr->value, addr, before, &tb);
			tb.from_plan = true;
			tb.plan_delete = del && !create;
			tb.actions_at = span_of(actions ? actions : addr);
			t->before =
			    dg_arena_grow(a, t->before, t->n_before, &bcap, sizeof(*t->before));
			t->before[t->n_before++] = tb;
		}
		if (after && after->kind == DG_Y_MAP) {
			const struct dg_ynode *unk = dg_ymap_get(ch, "after_unknown");
			tf_table(a, addr->value, addr, after, &tb);
			tb.from_plan = true;
			/* values known only after apply */
			tb.keys_unknown = is_true(dg_ymap_get(unk, "hash_key")) ||
					  is_true(dg_ymap_get(unk, "range_key"));
			tb.attrs_unknown = is_true(dg_ymap_get(unk, "attribute"));
			tb.gsis_unknown = is_true(dg_ymap_get(unk, "global_secondary_index"));
			tb.lsis_unknown = is_true(dg_ymap_get(unk, "local_secondary_index"));
			tb.plan_replace = del && create;
			tb.replace_paths = join_paths(a, dg_ymap_get(ch, "replace_paths"));
			tb.actions_at = span_of(actions ? actions : addr);
			push_table(a, &t->tables, &t->n_tables, cap, &tb);
		}
	}
}

/* Names as written (at most 200 bytes), for messages: `!Sub "${Env}-users"`. */
static void written_names(struct dg_arena *a, const struct dg_ydoc *doc, struct dg_ddb_table *ts,
			  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct dg_ddb_span v = ts[i].name_value_at;
		size_t len = v.end - v.start;
		if (!ts[i].name || v.end <= v.start)
			continue;
		char *w = dg_arena_strndup(a, doc->text + v.start, len > 200 ? 200 : len), *o = w;
		/* a block mapping spans lines: one space for each run of blanks */
		for (const char *c = w; *c; c++) {
			bool blank = *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r';
			if (!blank)
				*o++ = *c;
			else if (o > w && o[-1] != ' ')
				*o++ = ' ';
		}
		*o = '\0';
		ts[i].name_written = w;
	}
}

static bool read_template(struct dg_arena *a, const struct dg_ydoc *doc, const char *path,
			  struct dg_ddb_template *t);

bool dg_ddb_read(struct dg_arena *a, const struct dg_ydoc *doc, const char *path,
		 struct dg_ddb_template *t)
{
	if (!read_template(a, doc, path, t))
		return false;
	written_names(a, doc, t->tables, t->n_tables);
	written_names(a, doc, t->before, t->n_before);
	return true;
}

static bool read_template(struct dg_arena *a, const struct dg_ydoc *doc, const char *path,
			  struct dg_ddb_template *t)
{
	const struct dg_ynode *root = doc->root, *n;
	const struct dg_ypair *p;
	size_t cap = 0, len = strlen(path);

	memset(t, 0, sizeof(*t));
	if (!root || root->kind != DG_Y_MAP)
		return false;
	if (dg_ymap_get(root, "format_version") && ((n = dg_ymap_get(root, "resource_changes")) ||
						    dg_ymap_get(root, "terraform_version"))) {
		t->kind = "terraform-plan";
		t->anchor = (struct dg_ddb_span){root->start, root->start};
		if ((p = dg_ymap_pair(root, "resource_changes")))
			t->anchor = (struct dg_ddb_span){p->key->start, p->key->end};
		tf_plan(a, n, t, &cap);
		return true;
	}
	if ((p = dg_ymap_pair(root, "Resources"))) {
		t->kind = "cloudformation";
		t->anchor = (struct dg_ddb_span){p->key->start, p->key->end};
		cfn_resources(a, p->value, t, &cap);
		return true;
	}
	if ((n = dg_ymap_get(root, "resources")) && dg_ymap_get(root, "service")) {
		/* Serverless: resources.Resources, or a list of such fragments */
		t->kind = "serverless";
		for (size_t i = 0; i < block_count(n); i++) {
			p = dg_ymap_pair(block_at(n, i), "Resources");
			if (!p)
				continue;
			if (!t->anchor.end)
				t->anchor = (struct dg_ddb_span){p->key->start, p->key->end};
			cfn_resources(a, p->value, t, &cap);
		}
		return true;
	}
	if ((p = dg_ymap_pair(root, "resource")) ||
	    (len > 8 && strcmp(path + len - 8, ".tf.json") == 0)) {
		t->kind = "terraform";
		if (p)
			t->anchor = (struct dg_ddb_span){p->key->start, p->key->end};
		tf_config(a, root, t, &cap);
		return true;
	}
	return false;
}
