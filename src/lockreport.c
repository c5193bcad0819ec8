/* lockreport.c — the pipeline for `ddlguard --locks`: source → migration → parse → facts → the
 * lock model per statement, turned into plain rows a reporter can print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "memory.h"
#include "engine.h"
#include "locks.h"

/* The first line of the statement, at most 72 characters, "…" when cut. */
static char *abbreviate(const char *s, size_t len)
{
	size_t n = 0, chars = 0, cut;
	bool more;
	char *out;

	while (n < len && s[n] != '\n' && s[n] != '\r') {
		if (((unsigned char)s[n] & 0xC0) != 0x80 && ++chars > 72)
			break;
		n++;
	}
	cut = n;
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == '\t'))
		cut--;
	more = n < len;
	out = dg_xcalloc(1, cut + 4);
	memcpy(out, s, cut);
	if (more)
		memcpy(out + cut, "\xE2\x80\xA6", 4);
	return out;
}

static char *relation_label(const struct dg_lock_rel *r)
{
	char buf[512];

	if (r->role == DG_ROLE_INDEX_TABLE && !r->name)
		snprintf(buf, sizeof(buf), "(table of index %s%s%s)", r->schema ? r->schema : "",
			 r->schema ? "." : "", r->index);
	else
		snprintf(buf, sizeof(buf), "%s%s%s", r->schema ? r->schema : "",
			 r->schema ? "." : "", r->name);
	return dg_xstrdup(buf);
}

static enum dg_status lock_report_unreadable(struct dg_lock_report *out, const char *path, int err,
					     size_t limit)
{
	char why[160];

	memset(out, 0, sizeof(*out));
	out->path = dg_xstrdup(path);
	out->format = "plain";
	out->status = err ? DG_ERR_IO : DG_ERR_INTERNAL;
	out->error = dg_xstrdup(dg_read_strerror(err, limit, why, sizeof(why)));
	return out->status;
}

enum dg_status dg_locks_buffer(const struct dg_config *cfg, const char *path, const char *buf,
			       size_t len, struct dg_lock_report *out)
{
	return dg_locks_buffer_with(cfg, NULL, path, buf, len, out);
}

enum dg_status dg_locks_buffer_with(const struct dg_config *cfg, struct dg_catalog *cat,
				    const char *path, const char *buf, size_t len,
				    struct dg_lock_report *out)
{
	struct dg_arena arena;
	struct dg_read rd;
	struct dg_lock_file lf;
	size_t bad;

	if (len > cfg->max_file_size)
		return lock_report_unreadable(out, path, DG_READ_TOO_BIG, cfg->max_file_size);
	memset(out, 0, sizeof(*out));
	out->path = dg_xstrdup(path);
	out->pg_version = cfg->pg_version;
	dg_arena_init(&arena);
	/* the same reading of the file as dg_lint_buffer: format, sections, transactions */
	dg_set_current_input(out->path);
	bad = dg_read_migration(cfg, &arena, out->path, buf, len, &rd);
	dg_set_current_input(NULL);
	if (bad != (size_t)-1) {
		/* as linting says (a syntax-error finding, not an unreadable file): the file was
		 * read, it holds no statement PostgreSQL would accept */
		struct dg_pos p = dg_source_pos(&rd.src, bad);
		char msg[200];
		snprintf(msg, sizeof(msg),
			 "%u:%u: the file is not valid UTF-8 (byte 0x%02X): it was not parsed; "
			 "PostgreSQL would reject it in a UTF8 database",
			 p.line, p.column, (unsigned char)rd.src.text[bad]);
		out->format = "plain";
		out->note = dg_xstrdup(msg);
		dg_arena_destroy(&arena);
		return DG_OK;
	}
	out->format = rd.mig.format;
	dg_lock_file_init(&lf, &rd.parsed, &rd.facts);
	if (cat && !rd.mig.skipped) {
		dg_memory_enter(cfg, cat, out->path, rd.mig.format);
		lf.catalog = cat;
	}

	out->stmts = dg_xcalloc(rd.parsed.n_stmts, sizeof(*out->stmts));
	out->n_stmts = rd.parsed.n_stmts;
	for (size_t i = 0; i < rd.parsed.n_stmts; i++) {
		const struct dg_stmt *st = &rd.parsed.stmts[i];
		struct dg_stmt_locks *sl = &out->stmts[i];
		struct dg_lock_info info;
		struct dg_pos pos = dg_source_pos(&rd.src, st->start);

		dg_locks_of_stmt(&lf, i, cfg->pg_version, &info);
		sl->line = pos.line;
		sl->column = pos.column;
		sl->byte_offset = st->start + rd.src.bom;
		sl->byte_length = st->end - st->start;
		sl->text = abbreviate(rd.src.text + st->start, st->end - st->start);
		sl->known = info.known;
		sl->no_transaction = info.no_transaction;
		sl->in_transaction = rd.facts.tx[i].in_tx;
		sl->unsupported = info.unsupported;
		sl->fails = info.fails[0] ? dg_xstrdup(info.fails) : NULL;
		sl->rows = dg_xcalloc(info.n_rels, sizeof(*sl->rows));
		sl->n_rows = info.n_rels;
		for (size_t k = 0; k < info.n_rels; k++) {
			const struct dg_lock_rel *r = &info.rels[k];
			sl->rows[k] = (struct dg_lock_row){
			    relation_label(r),
			    dg_rel_role_name(r->role),
			    dg_lock_mode_name(r->mode),
			    (int)r->mode,
			    r->blocks_reads,
			    r->blocks_writes,
			    r->rewrite,
			    r->scan,
			    r->note,
			};
		}
	}
	if (lf.catalog) {
		dg_catalog_absorb(cat, &rd.parsed, &rd.facts);
		dg_memory_absorbed(cat, out->path);
	}
	dg_arena_destroy(&arena);
	return DG_OK;
}

enum dg_status dg_locks_file(const struct dg_config *cfg, const char *path,
			     struct dg_lock_report *out)
{
	return dg_locks_file_with(cfg, NULL, path, out);
}

enum dg_status dg_locks_file_with(const struct dg_config *cfg, struct dg_catalog *cat,
				  const char *path, struct dg_lock_report *out)
{
	size_t len = 0;
	int err;
	char *buf = dg_read_path(path, cfg->max_file_size, &len, &err);
	enum dg_status st;

	if (!buf)
		return lock_report_unreadable(out, path, err, cfg->max_file_size);
	st = dg_locks_buffer_with(cfg, cat, path, buf, len, out);
	free(buf);
	return st;
}

void dg_lock_report_clear(struct dg_lock_report *r)
{
	for (size_t i = 0; i < r->n_stmts; i++) {
		for (size_t k = 0; k < r->stmts[i].n_rows; k++)
			free(r->stmts[i].rows[k].relation);
		free(r->stmts[i].rows);
		free(r->stmts[i].text);
		free((char *)r->stmts[i].fails);
	}
	free(r->stmts);
	free(r->path);
	free(r->error);
	free(r->note);
	memset(r, 0, sizeof(*r));
}
