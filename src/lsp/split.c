/* split.c — the fix a single file cannot hold: a CONCURRENTLY index statement that shares its
 * runner's transaction with other statements moves into a new migration of its own, right after
 * this one, written the runner's way out of the transaction. Both halves are verified before
 * the language server offers the move (as a WorkspaceEdit that creates the file). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "engine.h"
#include "lex.h"
#include "lsp/lsp.h"

/* The runners that read a migration per file, in file-name order, and that a lone statement can
 * leave the transaction in (see fixkit.c): what a new file of theirs starts with. */
static const struct {
	const char *format, *header;
} runners[] = {
    {"dbmate", "-- migrate:up\n"},
    {"goose", "-- +goose Up\n"},
    {"sql-migrate", "-- +migrate Up\n"},
    {"flyway", ""},
    {"postgres-migrations", ""},
    {"sqlx", ""},
    {"refinery", ""},
    {"tern", ""},
    {"yoyo", ""},
    {"supabase", ""}, /* a statement alone in its file is sent on its own */
};

static const char *header_of(const char *format)
{
	for (size_t i = 0; format && i < sizeof(runners) / sizeof(*runners); i++)
		if (strcmp(runners[i].format, format) == 0)
			return runners[i].header;
	return NULL;
}

static bool splittable_rule(const char *rule)
{
	return strcmp(rule, "require-concurrent-index-creation") == 0 ||
	       strcmp(rule, "require-concurrent-index-deletion") == 0 ||
	       strcmp(rule, "ban-concurrent-index-creation-in-transaction") == 0;
}

/* The name of the migration right after `path`: its version plus one (same width), "_concurrently"
 * before the suffix: 20240102000000_add.sql → 20240102000001_add_concurrently.sql, V2__a.sql →
 * V3__a_concurrently.sql. NULL when the name has no leading version. */
static char *next_name(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t dlen = (size_t)(base - path), blen = strlen(base), v = 0, d, suffix;
	char *out, *o;
	bool carry = true;

	if (base[0] == 'V' || base[0] == 'U')
		v = 1;
	for (d = v; isdigit((unsigned char)base[d]); d++)
		;
	if (d == v || blen < d + 4)
		return NULL;
	suffix = blen - 4; /* ".sql", or ".up.sql" */
	if (blen >= d + 7 && strcasecmp(base + blen - 7, ".up.sql") == 0)
		suffix = blen - 7;
	if (suffix < d)
		return NULL;
	out = dg_xmalloc(dlen + blen + 32);
	memcpy(out, path, dlen + d);
	for (size_t i = dlen + d; carry && i > dlen + v; i--) {
		if (out[i - 1] == '9') {
			out[i - 1] = '0';
		} else {
			out[i - 1]++;
			carry = false;
		}
	}
	if (carry) { /* 999 → 1000 */
		memmove(out + dlen + v + 1, out + dlen + v, d - v);
		out[dlen + v] = '1';
		o = out + dlen + d + 1;
	} else {
		o = out + dlen + d;
	}
	memcpy(o, base + d, suffix - d);
	o += suffix - d;
	memcpy(o, "_concurrently", 13);
	o += 13;
	strcpy(o, base + suffix);
	return out;
}

void dg_lsp_split_free(struct dg_lsp_split *s)
{
	free(s->path);
	free(s->text);
	free(s->title);
	memset(s, 0, sizeof(*s));
}

bool dg_lsp_split(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
		  const char *buf, size_t len, const struct dg_result *res,
		  const struct dg_finding *f, bool last_in_dir, struct dg_lsp_split *out)
{
	const char *header = header_of(res->format);
	size_t s = f->byte_offset, e = f->byte_offset + f->byte_length, ls = s, le, hl;
	char *cand = NULL, *moved = NULL, why[256], *name;
	struct dg_result nr;
	const struct dg_fix *rw = NULL;
	struct dg_edit del;
	struct dg_fix delfix;
	const struct dg_fix *dp = &delfix;
	struct stat st;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	/* only for the newest migration: the statement must run right after the rest of it */
	if (!header || !last_in_dir || !splittable_rule(f->rule) || dg_finding_rewrite(f) ||
	    e > len || s >= e)
		return false;
	/* the statement on lines of its own, with its ';' */
	while (ls > 0 && (buf[ls - 1] == ' ' || buf[ls - 1] == '\t'))
		ls--;
	if (ls > 0 && buf[ls - 1] != '\n')
		return false;
	le = e;
	while (le < len && (buf[le] == ' ' || buf[le] == '\t'))
		le++;
	if (le < len && buf[le] == ';')
		le++;
	else
		return false;
	while (le < len && (buf[le] == ' ' || buf[le] == '\t' || buf[le] == '\r'))
		le++;
	if (le < len && buf[le] != '\n')
		return false;
	if (le < len)
		le++;
	name = next_name(path);
	if (!name)
		return false;
	if (stat(name, &st) == 0) {
		free(name);
		return false;
	}
	/* the new migration: the statement alone, then its own rewrite fix (CONCURRENTLY and the
	 * runner's directive to leave the transaction), checked as every fix is */
	hl = strlen(header);
	cand = dg_xmalloc(hl + (e - s) + 3);
	memcpy(cand, header, hl);
	memcpy(cand + hl, buf + s, e - s);
	memcpy(cand + hl + (e - s), ";\n", 3);
	dg_lint_buffer(cfg, name, cand, strlen(cand), &nr);
	for (size_t i = 0; nr.status == DG_OK && i < nr.n_findings && !rw; i++)
		if (strcmp(nr.findings[i].rule, f->rule) == 0)
			rw = dg_finding_rewrite(&nr.findings[i]);
	if (rw && nr.format && strcmp(nr.format, res->format) == 0 &&
	    dg_fix_verify(cfg, NULL, name, cand, strlen(cand), &rw, 1, why, sizeof(why))) {
		size_t mlen;
		moved = dg_fix_apply(cand, strlen(cand), &rw, 1, NULL, &mlen);
	}
	dg_result_clear(&nr);
	free(cand);
	if (!moved) {
		free(name);
		return false;
	}
	/* this migration without it: parses, loses that finding, gains none */
	del = (struct dg_edit){ls, le - ls, 0, 0, 0, 0, ""};
	delfix = (struct dg_fix){DG_FIX_REWRITE, f->rule, NULL, &del, 1};
	ok = dg_fix_verify(cfg, cat, path, buf, len, &dp, 1, why, sizeof(why));
	if (!ok) {
		free(moved);
		free(name);
		return false;
	}
	out->path = name;
	out->text = moved;
	out->del_start = ls;
	out->del_end = le;
	{
		const char *b = strrchr(name, '/');
		size_t tl = strlen(name) + 128;
		out->title = dg_xmalloc(tl);
		snprintf(out->title, tl,
			 "Move it into a new migration, %s, that runs outside a transaction",
			 b ? b + 1 : name);
	}
	return true;
}
