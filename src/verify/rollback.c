/* rollback.c — the rollback plan of a migration root: per migration what goes forward, what goes
 * back, what a rollback loses, and the first migration after which no rollback brings the data
 * back (the point of no return). Statements are read as the linter reads them (dg_read_migration);
 * old column types come from schema memory (the catalog). */
#include "rollback.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "lex.h"

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
};

DG_PRINTF(2, 3) static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = dg_xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static const char *str(const struct buf *b, const char *none)
{
	return b->len ? b->s : none;
}

/* One migration of the root. */
struct plan {
	char *name;
	bool has_down;	  /* it has a down with statements */
	bool down_exists; /* a down section or file, maybe empty */
	struct buf forward, rollback, loss;
	struct buf destroys; /* what its up destroys that no down brings back; empty: nothing */
	enum dg_verify_down verified;
	bool is_verified; /* under verify */
};

/* "20240101_x" for db/20240101_x.sql and 000001_x.up.sql; the directory's name for diesel's
 * dir/up.sql. */
static char *migration_name(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t len = strlen(base);
	char *name;

	if (len > 4 && strcmp(base + len - 4, ".sql") == 0)
		len -= 4;
	if (len > 3 && strncmp(base + len - 3, ".up", 3) == 0)
		len -= 3;
	if (slash && ((len == 2 && strncmp(base, "up", 2) == 0) ||
		      (len == 9 && strncmp(base, "migration", 9) == 0))) {
		const char *d = slash, *start = path;
		for (const char *p = path; p < slash; p++)
			if (*p == '/')
				start = p + 1;
		name = dg_xmalloc((size_t)(d - start) + 1);
		memcpy(name, start, (size_t)(d - start));
		name[d - start] = '\0';
		return name;
	}
	name = dg_xmalloc(len + 1);
	memcpy(name, base, len);
	name[len] = '\0';
	return name;
}

/* The statement's text on one line (runs of white space made one space), at most ~100
 * characters. Comments inside are kept: they are part of what runs. */
static void statement_text(struct buf *b, const struct dg_read *rd, const struct dg_stmt *st)
{
	const char *s = rd->src.text + st->start;
	size_t n = st->end - st->start, chars = 0;
	bool space = false;
	char last = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = true;
			continue;
		}
		/* "( id" and "x )" of a statement laid out on several lines: no space */
		if (space && chars && last != '(' && c != ')')
			add(b, " ");
		space = false;
		last = c;
		if (((unsigned char)c & 0xC0) != 0x80 && ++chars > 100) {
			add(b, "\xE2\x80\xA6");
			return;
		}
		add(b, "%c", c);
	}
}

static const char *rv_name(const PgQuery__RangeVar *rv, char *buf, size_t n)
{
	if (!rv || !rv->relname)
		return "?";
	if (rv->schemaname && *rv->schemaname)
		snprintf(buf, n, "%s.%s", rv->schemaname, rv->relname);
	else
		snprintf(buf, n, "%s", rv->relname);
	return buf;
}

/* What the up section of this migration created: tables and columns, so that a down dropping
 * them loses only what was written since. */
struct made {
	char names[64][256]; /* "table" or "table.column" */
	size_t n;
	/* the types its ALTER COLUMN … TYPE gave: "table.column" and "varchar(50)" */
	char typed[16][256], types[16][96];
	size_t n_typed;
};

static void type_text(const PgQuery__TypeName *t, char *buf, size_t n)
{
	struct dg_type_desc d;

	dg_type_describe(t, &d);
	if (d.n_mods == 2)
		snprintf(buf, n, "%s(%d,%d)%s", d.name, d.mods[0], d.mods[1], d.array ? "[]" : "");
	else if (d.n_mods == 1)
		snprintf(buf, n, "%s(%d)%s", d.name, d.mods[0], d.array ? "[]" : "");
	else
		snprintf(buf, n, "%s%s", d.name, d.array ? "[]" : "");
}

static void made_add(struct made *m, const char *name)
{
	if (m->n < 64)
		snprintf(m->names[m->n++], sizeof(m->names[0]), "%s", name);
}

static bool made_has(const struct made *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->names[i], name) == 0)
			return true;
	return false;
}

/* The table of "table.column", for "made by this migration": a column of a table it created. */
static bool made_column(const struct made *m, const char *table, const char *col)
{
	char both[256];

	snprintf(both, sizeof(both), "%s.%s", table, col);
	return made_has(m, table) || made_has(m, both);
}

/* Whether changing `old` ("varchar(50)", "int8", …, from schema memory) to `t` can lose values. */
static bool narrowing(const char *old, const PgQuery__TypeName *t)
{
	static const char *const ints[] = {"int2", "int4", "int8", "numeric"};
	struct dg_type_desc nt;
	char oname[64];
	long omods[2] = {-1, -1};
	int on = 0, oi = -1, ni = -1;
	const char *p = strchr(old, '(');

	dg_type_describe(t, &nt);
	snprintf(oname, sizeof(oname), "%.*s", (int)(p ? (size_t)(p - old) : strlen(old)), old);
	if (p)
		on = sscanf(p, "(%ld,%ld)", &omods[0], &omods[1]);
	if (strchr(old, '[') || nt.array)
		return strcmp(old, "?") != 0 && (strchr(old, '[') != NULL) != nt.array;
	if (strcmp(oname, nt.name) == 0) {
		if (nt.n_mods == 0)
			return false; /* varchar(50) → varchar, numeric(10,2) → numeric */
		if (on == 0)
			return true; /* varchar → varchar(50) */
		if (nt.mods[0] < omods[0])
			return true;
		return on == 2 && nt.n_mods == 2 &&
		       (nt.mods[1] < omods[1] || nt.mods[0] - nt.mods[1] < omods[0] - omods[1]);
	}
	if (strcmp(nt.name, "text") == 0 &&
	    (strcmp(oname, "varchar") == 0 || strcmp(oname, "bpchar") == 0))
		return false;
	if (strcmp(nt.name, "varchar") == 0 && nt.n_mods == 0 && strcmp(oname, "text") == 0)
		return false;
	for (int i = 0; i < 4; i++) {
		if (strcmp(oname, ints[i]) == 0)
			oi = i;
		if (strcmp(nt.name, ints[i]) == 0)
			ni = i;
	}
	if (oi >= 0 && ni >= 0)
		return ni < oi || (ni == 3 && nt.n_mods > 0);
	if (strcmp(oname, "float4") == 0 && strcmp(nt.name, "float8") == 0)
		return false;
	if (strcmp(oname, "timestamp") == 0 && strcmp(nt.name, "timestamptz") == 0)
		return false;
	return true;
}

static void sep(struct buf *b)
{
	if (b->len)
		add(b, "; ");
}

/* The up section: forward text, what it makes, what it destroys for good. */
static const char *eff_name(const char *schema, const char *name, char *buf, size_t n)
{
	if (!name)
		return "?";
	if (schema)
		snprintf(buf, n, "%s.%s", schema, name);
	else
		snprintf(buf, n, "%s", name);
	return buf;
}

static bool table_like(const struct dg_effect *e)
{
	return e->obj == DG_OBJ_TABLE || e->obj == DG_OBJ_MATVIEW;
}

/* The rows a data statement (TRUNCATE, UPDATE, DELETE) changes: its table, or NULL. */
static const PgQuery__RangeVar *data_target(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		return n->update_stmt->relation;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		return n->delete_stmt->relation;
	default:
		return NULL;
	}
}

/* An up section: forward text, what it made (a down dropping it loses only what was written
 * since), and what it destroys. Schema changes come from the statement's effects (effects.c). */
static void read_up(struct plan *pl, const struct dg_read *rd, const struct dg_catalog *cat,
		    struct made *m)
{
	size_t k = 0;

	for (size_t i = 0; i < rd->parsed.n_stmts; i++) {
		const struct dg_stmt *st = &rd->parsed.stmts[i];
		const PgQuery__Node *n = st->node;
		const PgQuery__RangeVar *rv;
		char a[160], col[256], old[96], nt[96];

		for (; k < rd->facts.effs.n && rd->facts.effs.v[k].stmt < i; k++)
			;
		if (st->section->dir == DG_DIR_DOWN || st->holder)
			continue;
		sep(&pl->forward);
		statement_text(&pl->forward, rd, st);
		for (size_t q = k; q < rd->facts.effs.n && rd->facts.effs.v[q].stmt == i; q++) {
			const struct dg_effect *e = &rd->facts.effs.v[q];
			const char *t = eff_name(e->schema, e->name, a, sizeof(a));
			switch (e->kind) {
			case DG_EFF_CREATE:
				if (table_like(e))
					made_add(m, t);
				break;
			case DG_EFF_ADD_COLUMN:
				if (e->with_create || !e->col)
					break;
				snprintf(col, sizeof(col), "%s.%s", t, e->col);
				made_add(m, col);
				break;
			case DG_EFF_DROP_COLUMN:
				if (e->col && !made_column(m, t, e->col)) {
					sep(&pl->destroys);
					add(&pl->destroys, "drops %s.%s", t, e->col);
				}
				break;
			case DG_EFF_SET_TYPE:
				if (!e->col || !e->type)
					break;
				type_text(e->type, nt, sizeof(nt));
				if (!made_column(m, t, e->col) &&
				    dg_catalog_column_type(cat, e->schema, e->name, e->col, old,
							   sizeof(old)) &&
				    narrowing(old, e->type)) {
					sep(&pl->destroys);
					add(&pl->destroys, "narrows %s.%s from %s to %s", t, e->col,
					    old, nt);
				}
				if (m->n_typed < 16) {
					snprintf(m->typed[m->n_typed], sizeof(m->typed[0]), "%s.%s",
						 t, e->col);
					snprintf(m->types[m->n_typed], sizeof(m->types[0]), "%s",
						 nt);
					m->n_typed++;
				}
				break;
			case DG_EFF_DROP:
				if (table_like(e) && !made_has(m, t)) {
					sep(&pl->destroys);
					add(&pl->destroys, "drops table %s", t);
				}
				break;
			default:
				break;
			}
		}
		if (n->node_case == PG_QUERY__NODE__NODE_TRUNCATE_STMT) {
			for (size_t q = 0; q < n->truncate_stmt->n_relations; q++)
				if (n->truncate_stmt->relations[q]->node_case ==
				    PG_QUERY__NODE__NODE_RANGE_VAR) {
					const char *t =
					    rv_name(n->truncate_stmt->relations[q]->range_var, a,
						    sizeof(a));
					if (made_has(m, t))
						continue;
					sep(&pl->destroys);
					add(&pl->destroys, "empties %s", t);
				}
		} else if ((rv = data_target(n))) {
			const char *t = rv_name(rv, a, sizeof(a));
			if (!made_has(m, t)) {
				sep(&pl->destroys);
				if (n->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT)
					add(&pl->destroys, "rewrites rows of %s (UPDATE)", t);
				else
					add(&pl->destroys, "deletes rows of %s", t);
			}
		}
	}
}

/* A down section: rollback text and what running it loses. */
static void read_down(struct plan *pl, const struct dg_read *rd, const struct made *m)
{
	size_t k = 0;

	for (size_t i = 0; i < rd->parsed.n_stmts; i++) {
		const struct dg_stmt *st = &rd->parsed.stmts[i];
		const PgQuery__Node *n = st->node;
		const PgQuery__RangeVar *rv = NULL;
		char a[160];

		for (; k < rd->facts.effs.n && rd->facts.effs.v[k].stmt < i; k++)
			;
		if (st->section->dir != DG_DIR_DOWN || st->holder)
			continue;
		pl->has_down = true;
		sep(&pl->rollback);
		statement_text(&pl->rollback, rd, st);
		for (size_t q = k; q < rd->facts.effs.n && rd->facts.effs.v[q].stmt == i; q++) {
			const struct dg_effect *e = &rd->facts.effs.v[q];
			const char *t = eff_name(e->schema, e->name, a, sizeof(a));
			if (e->kind == DG_EFF_DROP && table_like(e)) {
				sep(&pl->loss);
				if (made_has(m, t))
					add(&pl->loss,
					    "the rows written to %s since the migration ran", t);
				else
					add(&pl->loss,
					    "every row of %s, which existed before the migration",
					    t);
			} else if (e->kind == DG_EFF_DROP_COLUMN && e->col) {
				sep(&pl->loss);
				if (made_column(m, t, e->col))
					add(&pl->loss,
					    "the values written to %s.%s since the migration ran",
					    t, e->col);
				else
					add(&pl->loss,
					    "every value of %s.%s, which existed before the migration",
					    t, e->col);
			} else if (e->kind == DG_EFF_SET_TYPE && e->col && e->type) {
				/* back from the type the up gave it: a loss only if narrower */
				const char *from = NULL;
				char key[256], to[96];
				snprintf(key, sizeof(key), "%s.%s", t, e->col);
				for (size_t r = 0; r < m->n_typed; r++)
					if (strcmp(m->typed[r], key) == 0)
						from = m->types[r];
				type_text(e->type, to, sizeof(to));
				if (from && !narrowing(from, e->type))
					continue;
				sep(&pl->loss);
				if (from)
					add(&pl->loss, "values of %s that do not fit %s (from %s)",
					    key, to, from);
				else
					add(&pl->loss,
					    "values of %s that may not survive the change to %s",
					    key, to);
			}
		}
		if (n->node_case == PG_QUERY__NODE__NODE_TRUNCATE_STMT)
			rv = n->truncate_stmt->n_relations &&
				     n->truncate_stmt->relations[0]->node_case ==
					 PG_QUERY__NODE__NODE_RANGE_VAR
				 ? n->truncate_stmt->relations[0]->range_var
				 : NULL;
		else
			rv = data_target(n);
		if (n->node_case == PG_QUERY__NODE__NODE_TRUNCATE_STMT || rv) {
			sep(&pl->loss);
			add(&pl->loss, "the rows it %s in %s",
			    n->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT ? "rewrites"
									     : "deletes",
			    rv_name(rv, a, sizeof(a)));
		}
	}
	for (size_t i = 0; i < rd->mig.n_sections; i++)
		if (rd->mig.sections[i].dir == DG_DIR_DOWN)
			pl->down_exists = true;
}

static bool read_file(const struct dg_config *cfg, struct dg_arena *a, const char *path, char **buf,
		      size_t *plen, struct dg_read *rd)
{
	size_t len = 0;
	int e;

	*buf = dg_read_path(path, DG_DEFAULT_MAX_FILE_SIZE, &len, &e);
	*plen = len;
	if (!*buf) {
		fprintf(stderr, "ddlguard: %s: %s\n", path, e ? strerror(e) : "out of memory");
		return false;
	}
	if (dg_read_migration(cfg, a, path, *buf, len, rd) != (size_t)-1) {
		fprintf(stderr, "ddlguard: %s: the file is not valid UTF-8\n", path);
		return false;
	}
	return !rd->mig.skipped;
}

static bool has_up(const struct dg_read *rd)
{
	for (size_t i = 0; i < rd->mig.n_sections; i++)
		if (rd->mig.sections[i].dir != DG_DIR_DOWN)
			return true;
	return false;
}

static const char *verified_words(enum dg_verify_down d)
{
	switch (d) {
	case DG_VERIFY_DOWN_RESTORES:
		return "yes: on a real server the down restored the schema the up started from";
	case DG_VERIFY_DOWN_INCOMPLETE:
		return "no: on a real server the down left another schema (see "
		       "verify-down-incomplete)";
	case DG_VERIFY_DOWN_FAILED:
		return "no: on a real server the down failed (see verify-down-failed)";
	default:
		return "not run (no down, or an earlier step of the directory failed)";
	}
}

int dg_rollback_plan(const struct dg_config *cfg, const char *title, char **paths, size_t n,
		     const struct dg_verify_root *verified, FILE *out, size_t *n_errors)
{
	struct plan *plans = dg_xcalloc(n ? n : 1, sizeof(*plans));
	struct dg_catalog *cat = dg_catalog_new();
	size_t np = 0, ponr = (size_t)-1;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		struct dg_arena a, da;
		struct dg_read rd, drd;
		struct dg_lock_report lr;
		char *buf = NULL, *dbuf = NULL;
		size_t len = 0, dlen = 0;
		struct plan *pl;
		struct made m = {.n = 0};

		dg_arena_init(&a);
		if (!read_file(cfg, &a, paths[i], &buf, &len, &rd)) {
			if (!buf || rd.mig.skipped == NULL) {
				(*n_errors)++;
				rc = -1;
			}
			dg_arena_destroy(&a);
			free(buf);
			continue;
		}
		/* a down file of a pair is part of its up file's plan */
		if (!has_up(&rd)) {
			dg_arena_destroy(&a);
			free(buf);
			continue;
		}
		pl = &plans[np++];
		pl->name = migration_name(paths[i]);
		if (verified && i < verified->n_files) {
			pl->is_verified = true;
			pl->verified = verified->files[i].down;
		}
		read_up(pl, &rd, cat, &m);
		read_down(pl, &rd, &m);
		/* a missing down file: no way back */
		if (rd.mig.down_path && !pl->down_exists && access(rd.mig.down_path, F_OK) == 0) {
			dg_arena_init(&da);
			if (read_file(cfg, &da, rd.mig.down_path, &dbuf, &dlen, &drd))
				read_down(pl, &drd, &m);
			else if (dbuf)
				pl->down_exists = true;
			dg_arena_destroy(&da);
			free(dbuf);
		}
		if (pl->destroys.len && ponr == (size_t)-1)
			ponr = np - 1;
		/* schema memory: what this migration's up made, for the next ones */
		dg_locks_buffer_with(cfg, cat, paths[i], buf, len, &lr);
		dg_lock_report_clear(&lr);
		dg_arena_destroy(&a);
		free(buf);
	}
	dg_catalog_free(cat);

	fprintf(out, "# Rollback plan: %s\n", title);
	if (ponr != (size_t)-1)
		fprintf(out, "\nPoint of no return: %s (its up %s; no down brings that back).\n",
			plans[ponr].name, plans[ponr].destroys.s);
	else
		fprintf(out, "\nNo migration destroys data that a down could not bring back.\n");
	for (size_t i = 0; i < np; i++) {
		struct plan *pl = &plans[i];
		size_t next = (size_t)-1;

		for (size_t k = i + 1; k < np && next == (size_t)-1; k++)
			if (plans[k].destroys.len)
				next = k;
		fprintf(out, "\n## Migration: %s\n", pl->name);
		if (i == ponr)
			fprintf(out, "**Point of no return**: its up %s\n", pl->destroys.s);
		fprintf(out, "**Forward**: %s\n", str(&pl->forward, "(no statements)"));
		if (pl->has_down) {
			fprintf(out, "**Rollback**: %s\n", pl->rollback.s);
			fprintf(out, "**Data loss on rollback**: %s\n", str(&pl->loss, "none"));
			if (next != (size_t)-1)
				fprintf(out, "**Rollback window**: until %s, which %s\n",
					plans[next].name, plans[next].destroys.s);
			else
				fprintf(out,
					"**Rollback window**: open (no later migration destroys "
					"data)\n");
		} else {
			fprintf(out, "**Rollback**: none (%s)\n",
				pl->down_exists ? "the down section is empty" : "no down section");
		}
		if (pl->is_verified)
			fprintf(out, "**Down verified**: %s\n", verified_words(pl->verified));
		free(pl->name);
		free(pl->forward.s);
		free(pl->rollback.s);
		free(pl->loss.s);
		free(pl->destroys.s);
	}
	free(plans);
	return rc;
}
