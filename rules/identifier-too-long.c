/* identifier-too-long.c — PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1) with only a
 * NOTICE. The parser has already cut the names in the AST, so the rule finds the defining names
 * that may have been cut and looks for the long spelling in the statement's source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

#define MAX_IDENT 63 /* NAMEDATALEN - 1 */
/* a cut name is at least this long: cutting stops at a UTF-8 character boundary */
#define MAX_CHAR 4
#define MAX_NAMES 64

struct defined {
	const char *kind; /* "table", "column", … */
	const char *name; /* as the parser left it */
};

struct names {
	struct defined d[MAX_NAMES];
	size_t n;
};

static void add(struct names *ns, const char *kind, const char *name)
{
	if (!name || strlen(name) < MAX_IDENT + 1 - MAX_CHAR || ns->n == MAX_NAMES)
		return;
	ns->d[ns->n++] = (struct defined){kind, name};
}

static void add_constraint(struct names *ns, const PgQuery__Node *n)
{
	/* indexname (USING INDEX) names an existing index: a reference, not a definition */
	if (n && n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
		add(ns, "constraint", n->constraint->conname);
}

static void add_column(struct names *ns, const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
		return;
	add(ns, "column", n->column_def->colname);
	for (size_t k = 0; k < n->column_def->n_constraints; k++)
		add_constraint(ns, n->column_def->constraints[k]);
}

static void collect(const PgQuery__Node *node, struct names *ns)
{
	switch (node->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT: {
		const PgQuery__CreateStmt *c = node->create_stmt;
		if (c->relation)
			add(ns, "table", c->relation->relname);
		for (size_t i = 0; i < c->n_table_elts; i++) {
			add_column(ns, c->table_elts[i]);
			add_constraint(ns, c->table_elts[i]);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		for (size_t i = 0; i < node->alter_table_stmt->n_cmds; i++) {
			const PgQuery__AlterTableCmd *c =
			    node->alter_table_stmt->cmds[i]->alter_table_cmd;
			if (!c)
				continue;
			if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn)
				add_column(ns, c->def);
			else if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint)
				add_constraint(ns, c->def);
		}
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		add(ns, "index", node->index_stmt->idxname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		if (node->create_seq_stmt->sequence)
			add(ns, "sequence", node->create_seq_stmt->sequence->relname);
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		if (node->view_stmt->view)
			add(ns, "view", node->view_stmt->view->relname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		if (node->create_table_as_stmt->into && node->create_table_as_stmt->into->rel)
			add(ns,
			    node->create_table_as_stmt->objtype ==
				    PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW
				? "materialized view"
				: "table",
			    node->create_table_as_stmt->into->rel->relname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		add(ns, "trigger", node->create_trig_stmt->trigname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		add(ns, "schema", node->create_schema_stmt->schemaname);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		add(ns, "new", node->rename_stmt->newname); /* "new name of N bytes" */
		break;
	default:
		break;
	}
}

/* The identifier a token spells, as the server sees it before cutting: quotes removed and ""
 * undoubled, unquoted letters folded to lower case (ASCII only, as in a UTF-8 database). */
static size_t decode(const char *s, size_t n, char *out)
{
	size_t k = 0;

	if (n >= 2 && s[0] == '"') {
		for (size_t i = 1; i + 1 < n; i++) {
			out[k++] = s[i];
			if (s[i] == '"' && s[i + 1] == '"')
				i++;
		}
	} else {
		for (size_t i = 0; i < n; i++)
			out[k++] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	}
	out[k] = '\0';
	return k;
}

/* How many bytes the server keeps: at most 63, never half a UTF-8 character. */
static size_t cut(const char *s, size_t n)
{
	size_t k = n < MAX_IDENT ? n : MAX_IDENT;

	if (n <= MAX_IDENT)
		return n;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

static void check(struct dg_ctx *ctx, const PgQuery__Node *node)
{
	struct names ns = {0};
	size_t start, end, len;
	const char *text;
	char *copy, *ident, *seen[MAX_NAMES];
	size_t n_seen = 0;
	PgQueryScanResult scan;
	PgQuery__ScanResult *tokens;

	if (node != dg_stmt(ctx))
		return;
	collect(node, &ns);
	if (ns.n == 0)
		return;
	text = dg_stmt_source(ctx, &start, &end);
	len = end - start;
	copy = malloc(len + 1);
	ident = malloc(len + 1);
	if (!copy || !ident) {
		free(copy);
		free(ident);
		return;
	}
	memcpy(copy, text + start, len);
	copy[len] = '\0';
	scan = pg_query_scan(copy);
	tokens = scan.error ? NULL
			    : pg_query__scan_result__unpack(NULL, scan.pbuf.len,
							    (const uint8_t *)scan.pbuf.data);
	for (size_t t = 0; tokens && t < tokens->n_tokens; t++) {
		const PgQuery__ScanToken *tok = tokens->tokens[t];
		size_t a = (size_t)tok->start, b = (size_t)tok->end, n, keep;
		const struct defined *d = NULL;
		bool dup = false, clash = false;

		if (tok->token != PG_QUERY__TOKEN__IDENT || b > len || b - a <= MAX_IDENT)
			continue;
		n = decode(copy + a, b - a, ident);
		keep = cut(ident, n);
		if (n <= MAX_IDENT)
			continue;
		for (size_t i = 0; i < ns.n && !d; i++)
			if (strlen(ns.d[i].name) == keep && memcmp(ns.d[i].name, ident, keep) == 0)
				d = &ns.d[i];
		/* report each spelling once, where it first appears: that is where it is defined */
		for (size_t i = 0; i < n_seen && !dup; i++) {
			dup = strcmp(seen[i], ident) == 0;
			clash |= strncmp(seen[i], ident, keep) == 0 && strlen(seen[i]) > keep;
		}
		if (!d || dup || n_seen == MAX_NAMES)
			continue;
		if (!(seen[n_seen] = malloc(n + 1)))
			break;
		strcpy(seen[n_seen++], ident);
		dg_report_range(
		    ctx, start + a, start + b, NULL,
		    "%s name of %zu bytes: PostgreSQL keeps only its first %zu bytes (at most "
		    "63, whole UTF-8 characters) with just a NOTICE, so it becomes \"%s\"%s",
		    d->kind, n, keep, d->name,
		    clash ? ", the same name as the different, longer one before it in this "
			    "statement"
			  : ", and any other name that starts with the same bytes is the same "
			    "name");
	}
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i]);
	if (tokens)
		pg_query__scan_result__free_unpacked(tokens, NULL);
	pg_query_free_scan_result(scan);
	free(copy);
	free(ident);
}

const struct dg_rule dg_rule_identifier_too_long = {
    .name = "identifier-too-long",
    .summary = "Names longer than 63 bytes are silently cut by PostgreSQL",
    .help = "Keep names to 63 bytes (NAMEDATALEN - 1); letters outside ASCII take 2 to 4 bytes "
	    "each in UTF-8. Two names that share their first 63 bytes are the same name: the "
	    "second CREATE fails with \"already exists\", or a later statement finds the wrong "
	    "object.",
    .severity = DG_INFO,
    .kinds = DG_KINDS(PG_QUERY__NODE__NODE_CREATE_STMT, PG_QUERY__NODE__NODE_ALTER_TABLE_STMT,
		      PG_QUERY__NODE__NODE_INDEX_STMT, PG_QUERY__NODE__NODE_CREATE_SEQ_STMT,
		      PG_QUERY__NODE__NODE_VIEW_STMT, PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT,
		      PG_QUERY__NODE__NODE_CREATE_TRIG_STMT,
		      PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT, PG_QUERY__NODE__NODE_RENAME_STMT),
    .check = check,
};
