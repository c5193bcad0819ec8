/* tablestats.c — reading table sizes (CSV, JSON, or the catalog query on a read-only connection)
 * and applying them to findings through the lock model's view of each statement. */
#include "tablestats.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "pq.h"
#include "source.h"

/* Findings whose cost grows with the table: how long the lock is held depends on its size. */
static const char *const duration_rules[] = {
    "require-concurrent-index-creation",
    "require-concurrent-reindex",
    "require-concurrent-refresh",
    "adding-field-with-default",
    "changing-column-type",
    "adding-not-nullable-field",
    "adding-serial-primary-key-field",
    "disallowed-unique-constraint",
    "adding-exclusion-constraint",
    "constraint-missing-not-valid",
    "attach-partition-without-check",
    "ban-vacuum-full-and-cluster",
    "ban-set-logged-unlogged",
    "ban-set-tablespace",
    "ban-validate-in-same-transaction",
    "unbatched-backfill",
};

static void push(struct dg_table_stats *s, const char *schema, const char *table, long long rows,
		 long long bytes)
{
	s->items = dg_xrealloc(s->items, (s->n + 1) * sizeof(*s->items));
	s->items[s->n].schema = dg_xstrdup(schema ? schema : "");
	s->items[s->n].table = dg_xstrdup(table);
	s->items[s->n].rows = rows;
	s->items[s->n].bytes = bytes;
	s->n++;
}

static char *errf(const char *path, unsigned line, const char *why)
{
	size_t n = strlen(path) + strlen(why) + 32;
	char *m = dg_xmalloc(n);

	if (line)
		snprintf(m, n, "%s:%u: %s", path, line, why);
	else
		snprintf(m, n, "%s: %s", path, why);
	return m;
}

static bool number(const char *s, long long *out)
{
	char *end;

	while (*s == ' ')
		s++;
	if (!*s) {
		*out = -1;
		return true;
	}
	*out = strtoll(s, &end, 10);
	if (*end == '.') /* reltuples printed as a float */
		while (isdigit((unsigned char)*++end))
			;
	while (*end == ' ' || *end == '\r')
		end++;
	return *end == '\0';
}

/* One CSV field (RFC 4180 quotes); advances *p past it and its comma. */
static char *csv_field(char **p)
{
	char *s = *p, *out = s, *w = s;

	if (*s == '"') {
		s++;
		while (*s) {
			if (*s == '"' && s[1] == '"') {
				*w++ = '"';
				s += 2;
			} else if (*s == '"') {
				s++;
				break;
			} else {
				*w++ = *s++;
			}
		}
		while (*s && *s != ',')
			s++;
	} else {
		while (*s && *s != ',')
			*w++ = *s++;
	}
	if (*s == ',')
		s++;
	*w = '\0';
	*p = s;
	return out;
}

static bool load_csv(const char *path, char *text, struct dg_table_stats *out, char **err)
{
	int col[4] = {-1, -1, -1, -1};
	static const char *const names[] = {"schema", "table", "estimated_rows", "total_bytes"};
	unsigned line = 0;
	char *save = NULL, *l;

	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *fields[16], *p = l;
		int nf = 0;
		long long rows, bytes = -1;

		line++;
		l[strcspn(l, "\r")] = '\0';
		if (!*l)
			continue;
		while (*p && nf < 16)
			fields[nf++] = csv_field(&p);
		if (line == 1) {
			for (int i = 0; i < nf; i++)
				for (int k = 0; k < 4; k++)
					if (strcmp(fields[i], names[k]) == 0)
						col[k] = i;
			if (col[1] < 0 || col[2] < 0) {
				*err = errf(path, 1,
					    "the header must name the columns schema, table, "
					    "estimated_rows, total_bytes (see the README's query)");
				return false;
			}
			continue;
		}
		if (col[1] >= nf || col[2] >= nf || !number(fields[col[2]], &rows) ||
		    (col[3] >= 0 && col[3] < nf && !number(fields[col[3]], &bytes))) {
			*err = errf(path, line, "expected schema,table,estimated_rows,total_bytes");
			return false;
		}
		push(out, col[0] >= 0 && col[0] < nf ? fields[col[0]] : NULL, fields[col[1]], rows,
		     bytes);
	}
	return true;
}

static bool json_number(const cJSON *o, const char *key, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = -1;
	if (!v || cJSON_IsNull(v))
		return true;
	if (cJSON_IsNumber(v)) {
		*out = (long long)v->valuedouble;
		return true;
	}
	return cJSON_IsString(v) && number(v->valuestring, out);
}

static bool load_json(const char *path, const char *text, struct dg_table_stats *out, char **err)
{
	cJSON *doc = cJSON_Parse(text), *o;
	unsigned i = 0;

	if (!doc || !cJSON_IsArray(doc)) {
		cJSON_Delete(doc);
		*err = errf(path, 0,
			    "not a JSON array of {schema, table, estimated_rows, total_bytes}");
		return false;
	}
	cJSON_ArrayForEach(o, doc)
	{
		const cJSON *schema = cJSON_GetObjectItemCaseSensitive(o, "schema");
		const cJSON *table = cJSON_GetObjectItemCaseSensitive(o, "table");
		long long rows, bytes;
		i++;
		if (!cJSON_IsString(table) || !json_number(o, "estimated_rows", &rows) ||
		    !json_number(o, "total_bytes", &bytes)) {
			char why[128];
			snprintf(
			    why, sizeof(why),
			    "entry %u needs a string \"table\" and numbers \"estimated_rows\", "
			    "\"total_bytes\"",
			    i);
			cJSON_Delete(doc);
			*err = errf(path, 0, why);
			return false;
		}
		push(out, cJSON_IsString(schema) ? schema->valuestring : NULL, table->valuestring,
		     rows, bytes);
	}
	cJSON_Delete(doc);
	return true;
}

bool dg_table_stats_load_file(const char *path, struct dg_table_stats *out, char **err)
{
	size_t len = 0;
	int e;
	char *text = dg_read_path(path, DG_DEFAULT_MAX_FILE_SIZE, &len, &e);
	const char *p;
	bool ok;

	if (!text) {
		*err = errf(path, 0, e ? strerror(e) : "out of memory");
		return false;
	}
	for (p = text; *p && isspace((unsigned char)*p); p++)
		;
	ok = *p == '[' ? load_json(path, text, out, err) : load_csv(path, text, out, err);
	free(text);
	return ok;
}

bool dg_table_stats_load_url(const char *url, struct dg_table_stats *out, char **err)
{
	const char *keys[] = {"dbname", "application_name", NULL};
	const char *vals[] = {url, "ddlguard table stats", NULL};
	char why[512];
	PGconn *c;
	PGresult *r = NULL;
	bool ok = false;

	*err = NULL;
	if (!dg_pq_load(why, sizeof(why))) {
		*err = dg_xstrdup(why);
		return false;
	}
	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		*err = dg_xstrdup(PQerrorMessage(c));
		goto done;
	}
	/* only the catalog query, read-only, and never for long */
	PQclear(PQexec(c, "BEGIN READ ONLY"));
	PQclear(PQexec(c, "SET LOCAL statement_timeout = '5s'"));
	PQclear(PQexec(c, "SET LOCAL lock_timeout = '1s'"));
	r = PQexec(c, DG_TABLE_STATS_QUERY);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		*err = dg_xstrdup(PQerrorMessage(c));
		goto done;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		long long rows = -1, bytes = -1;
		number(PQgetvalue(r, i, 2), &rows);
		number(PQgetvalue(r, i, 3), &bytes);
		push(out, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), rows, bytes);
	}
	ok = true;
done:
	if (*err)
		(*err)[strcspn(*err, "\n")] = '\0';
	PQclear(r);
	if (PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "ROLLBACK"));
	PQfinish(c);
	return ok;
}

void dg_table_stats_free(struct dg_table_stats *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].schema);
		free(s->items[i].table);
	}
	free(s->items);
	s->items = NULL;
	s->n = 0;
}

/* "orders" or "shop.orders" as the lock model names it; unqualified prefers public. */
static const struct dg_table_stat *find(const struct dg_table_stats *s, const char *label)
{
	const char *dot = strchr(label, '.');
	const struct dg_table_stat *any = NULL;

	for (size_t i = 0; i < s->n; i++) {
		const struct dg_table_stat *t = &s->items[i];
		if (dot) {
			if (strlen(t->schema) == (size_t)(dot - label) &&
			    strncmp(t->schema, label, (size_t)(dot - label)) == 0 &&
			    strcmp(t->table, dot + 1) == 0)
				return t;
		} else if (strcmp(t->table, label) == 0) {
			if (strcmp(t->schema, "public") == 0 || !*t->schema)
				return t;
			if (!any)
				any = t;
		}
	}
	return any;
}

static void human(long long v, const char *const units[], double base, bool space, char *buf,
		  size_t n)
{
	double x = (double)v;
	int u = 0;

	while (x >= base && units[u + 1]) {
		x /= base;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%lld%s%s", v, space ? " " : "", units[0]);
	else
		snprintf(buf, n, "%.1f%s%s", x, space ? " " : "", units[u]);
}

static void describe(const struct dg_table_stat *t, const char *label, char *buf, size_t n)
{
	static const char *const counts[] = {"", "K", "M", "B", NULL};
	static const char *const sizes[] = {"bytes", "kB", "MB", "GB", "TB", NULL};
	char rows[32], bytes[32];

	human(t->rows, counts, 1000, false, rows, sizeof(rows));
	human(t->bytes, sizes, 1024, true, bytes, sizeof(bytes));
	if (t->rows >= 0 && t->bytes >= 0)
		snprintf(buf, n, "%s: ~%s rows, %s", label, rows, bytes);
	else if (t->rows >= 0)
		snprintf(buf, n, "%s: ~%s rows", label, rows);
	else if (t->bytes >= 0)
		snprintf(buf, n, "%s: %s, never analyzed", label, bytes);
	else
		snprintf(buf, n, "%s: size unknown", label);
}

static bool is_duration_rule(const char *rule)
{
	for (size_t i = 0; i < sizeof(duration_rules) / sizeof(*duration_rules); i++)
		if (strcmp(rule, duration_rules[i]) == 0)
			return true;
	return false;
}

static void append(char **msg, const char *text)
{
	size_t a = strlen(*msg), b = strlen(text);

	*msg = dg_xrealloc(*msg, a + b + 1);
	memcpy(*msg + a, text, b + 1);
}

void dg_table_stats_apply(const struct dg_table_stats *s, const struct dg_config *cfg,
			  struct dg_catalog *cat, struct dg_result *res)
{
	struct dg_lock_report lr;

	if (dg_locks_file_with(cfg, cat, res->path, &lr) != DG_OK) {
		dg_lock_report_clear(&lr);
		return;
	}
	for (size_t i = 0; i < res->n_findings; i++) {
		struct dg_finding *f = &res->findings[i];
		const struct dg_stmt_locks *sl = NULL;
		const struct dg_table_stat *t = NULL;
		const char *label = NULL;
		char text[256];

		for (size_t k = 0; k < lr.n_stmts && !sl; k++)
			if (f->byte_offset >= lr.stmts[k].byte_offset &&
			    f->byte_offset < lr.stmts[k].byte_offset + lr.stmts[k].byte_length + 1)
				sl = &lr.stmts[k];
		if (!sl)
			continue;
		/* the statement's own table first, then any relation it names */
		for (int pass = 0; pass < 2 && !t; pass++)
			for (size_t k = 0; k < sl->n_rows && !t; k++) {
				const char *role = sl->rows[k].role;
				bool own = strcmp(role, "table") == 0 ||
					   strcmp(role, "partition") == 0 ||
					   strcmp(role, "table of index") == 0;
				if ((pass == 0) != own || strcmp(role, "new") == 0 ||
				    sl->rows[k].relation[0] == '(')
					continue;
				if ((t = find(s, sl->rows[k].relation)))
					label = sl->rows[k].relation;
			}
		if (!t)
			continue;
		describe(t, label, text, sizeof(text));
		append(&f->message, " (");
		append(&f->message, text);
		append(&f->message, ")");
		if (!is_duration_rule(f->rule) || t->rows < 0)
			continue;
		if (t->rows < s->small_rows) {
			f->severity = DG_INFO;
			append(&f->message, "; on a table this small it lasts milliseconds");
		} else if (t->rows > s->large_rows) {
			f->severity = DG_ERROR;
			append(&f->message,
			       "; on a table this large it lasts long enough to matter");
		}
	}
	dg_lock_report_clear(&lr);
}
