/* fix.c — the fix model: rewrite fixes that rules attach to their findings, the ignore comments
 * every finding gets, applying fixes to a file, verifying them by linting the result again, and
 * the unified diff `--fix --diff` prints. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "lex.h"

static const char ignore_reason[] = "reason: TODO say why this is safe here";

static struct dg_finding *last(struct dg_ctx *ctx)
{
	if (ctx->last_finding >= ctx->out->n_findings)
		return NULL;
	return &ctx->out->findings[ctx->last_finding];
}

static void fix_free(struct dg_fix *x)
{
	for (size_t i = 0; i < x->n_edits; i++)
		free(x->edits[i].text);
	free(x->edits);
	free(x->description);
	memset(x, 0, sizeof(*x));
}

void dg_finding_clear(struct dg_finding *f)
{
	free(f->message);
	free(f->help);
	free(f->source_line);
	for (size_t i = 0; i < f->n_fixes; i++)
		fix_free(&f->fixes[i]);
	free(f->fixes);
	f->fixes = NULL;
	f->n_fixes = 0;
}

const struct dg_fix *dg_finding_rewrite(const struct dg_finding *f)
{
	for (size_t i = 0; i < f->n_fixes; i++)
		if (f->fixes[i].kind == DG_FIX_REWRITE)
			return &f->fixes[i];
	return NULL;
}

/* Adds an empty fix at position `at` of f's fixes. */
static struct dg_fix *add_fix(struct dg_finding *f, size_t at, enum dg_fix_kind kind,
			      const char *description)
{
	struct dg_fix *n = dg_xmalloc((f->n_fixes + 1) * sizeof(*n));

	if (at > f->n_fixes)
		at = f->n_fixes;
	if (at)
		memcpy(n, f->fixes, at * sizeof(*n));
	if (f->n_fixes > at)
		memcpy(n + at + 1, f->fixes + at, (f->n_fixes - at) * sizeof(*n));
	free(f->fixes);
	f->fixes = n;
	f->n_fixes++;
	memset(&n[at], 0, sizeof(n[at]));
	n[at].kind = kind;
	n[at].rule = f->rule;
	n[at].description = dg_xstrdup(description);
	return &n[at];
}

static void remove_fix(struct dg_finding *f, size_t at)
{
	fix_free(&f->fixes[at]);
	if (f->n_fixes > at + 1)
		memmove(f->fixes + at, f->fixes + at + 1,
			(f->n_fixes - at - 1) * sizeof(*f->fixes));
	f->n_fixes--;
}

/* Appends an edit of [start, end) of the source text, keeping the edits sorted by offset. */
static void add_edit(const struct dg_source *src, struct dg_fix *x, size_t start, size_t end,
		     const char *text)
{
	struct dg_edit *n = dg_xmalloc((x->n_edits + 1) * sizeof(*n)), e;
	struct dg_pos a, b;
	size_t at = x->n_edits;

	dg_source_clamp(src, &start, &end);
	a = dg_source_pos(src, start);
	b = dg_source_pos(src, end);
	e = (struct dg_edit){start + src->bom, end - start, a.line,	     a.column,
			     b.line,	       b.column,    dg_xstrdup(text)};
	while (at > 0 && x->edits[at - 1].byte_offset > e.byte_offset)
		at--;
	if (at)
		memcpy(n, x->edits, at * sizeof(*n));
	if (x->n_edits > at)
		memcpy(n + at + 1, x->edits + at, (x->n_edits - at) * sizeof(*n));
	n[at] = e;
	free(x->edits);
	x->edits = n;
	x->n_edits++;
}

bool dg_fix_begin(struct dg_ctx *ctx, const char *description)
{
	struct dg_finding *f = last(ctx);

	if (!f || strcmp(f->rule, ctx->rule->name) != 0)
		return false;
	if (ctx->fix_open)
		remove_fix(f, 0);
	add_fix(f, 0, DG_FIX_REWRITE, description);
	ctx->fix_open = true;
	return true;
}

void dg_fix_edit(struct dg_ctx *ctx, size_t start, size_t end, const char *text)
{
	struct dg_finding *f = last(ctx);

	if (f && ctx->fix_open)
		add_edit(ctx->src, &f->fixes[0], start, end, text);
}

void dg_fix_abandon(struct dg_ctx *ctx)
{
	struct dg_finding *f = last(ctx);

	if (f && ctx->fix_open)
		remove_fix(f, 0);
	ctx->fix_open = false;
}

static bool edits_overlap(const struct dg_edit *a, const struct dg_edit *b)
{
	size_t ae = a->byte_offset + a->byte_length, be = b->byte_offset + b->byte_length;

	/* two insertions at one point do not overlap: they apply in order */
	if (!a->byte_length && !b->byte_length)
		return false;
	if (!a->byte_length)
		return a->byte_offset > b->byte_offset && a->byte_offset < be;
	if (!b->byte_length)
		return b->byte_offset > a->byte_offset && b->byte_offset < ae;
	return a->byte_offset < be && b->byte_offset < ae;
}

void dg_fix_close(struct dg_ctx *ctx)
{
	struct dg_finding *f = last(ctx);
	bool bad;

	if (!f || !ctx->fix_open)
		return;
	ctx->fix_open = false;
	bad = f->fixes[0].n_edits == 0;
	for (size_t i = 1; !bad && i < f->fixes[0].n_edits; i++)
		bad = edits_overlap(&f->fixes[0].edits[i - 1], &f->fixes[0].edits[i]);
	if (bad)
		remove_fix(f, 0);
}

/* ---- the ignore comments ---------------------------------------------------------------- */

static bool is_suppression_rule(const char *rule)
{
	return strcmp(rule, "unused-ignore") == 0 || strcmp(rule, "expired-ignore") == 0 ||
	       strcmp(rule, "missing-ignore-reason") == 0;
}

/* The statement whose text holds `at`, or NULL. */
static const struct dg_stmt *stmt_at(const struct dg_ctx *ctx, size_t at)
{
	if (ctx->stmt && at >= ctx->stmt->start && at < ctx->stmt->end)
		return ctx->stmt;
	for (size_t i = 0; ctx->parsed && i < ctx->parsed->n_stmts; i++)
		if (at >= ctx->parsed->stmts[i].start && at < ctx->parsed->stmts[i].end)
			return &ctx->parsed->stmts[i];
	return NULL;
}

static bool comment_line(const char *s, size_t ls, size_t le, const char **text)
{
	while (ls < le && (s[ls] == ' ' || s[ls] == '\t'))
		ls++;
	if (le - ls < 2 || s[ls] != '-' || s[ls + 1] != '-')
		return false;
	ls += 2;
	while (ls < le && (s[ls] == ' ' || s[ls] == '\t'))
		ls++;
	*text = s + ls;
	return true;
}

size_t dg_fix_insert_point(const struct dg_ctx *ctx, size_t stmt_start, bool above_ignores,
			   bool *own_line)
{
	const char *s = ctx->src->text, *c;
	size_t ls = stmt_start, at, l;

	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	*own_line = true;
	if (comment_line(s, ls, stmt_start, &c))
		return (size_t)-1; /* the statement sits in a comment (a Liquibase rollback) */
	if (dg_skip_trivia(s, ls, stmt_start) < stmt_start) {
		*own_line = false; /* another statement before it on its line */
		return stmt_start;
	}
	at = ls;
	/* a suppression comment above the statement must stay right above it */
	for (l = ls; above_ignores && l > 0;) {
		size_t ps = l - 1, pe = l - 1;
		while (ps > 0 && s[ps - 1] != '\n')
			ps--;
		if (!comment_line(s, ps, pe, &c))
			break;
		if (strncmp(c, "ddlguard-ignore", 15) == 0 ||
		    strncmp(c, "squawk-ignore", 13) == 0) {
			if (strncmp(c, "ddlguard-ignore-file", 20) != 0 &&
			    strncmp(c, "squawk-ignore-file", 18) != 0)
				at = ps;
		}
		l = ps;
	}
	return at;
}

/* buf = the pieces one after the other, cut at size - 1 bytes as snprintf cuts: four of these
 * for every finding, without parsing a format each time. A piece's n SIZE_MAX: up to its NUL. */
struct piece {
	const char *s;
	size_t n;
};

static void join(char *buf, size_t size, const struct piece *p, size_t n_pieces)
{
	size_t len = 0;

	for (size_t k = 0; k < n_pieces; k++) {
		size_t n = p[k].n == SIZE_MAX ? strlen(p[k].s) : p[k].n;
		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(buf + len, p[k].s, n);
		len += n;
	}
	buf[len] = '\0';
}

#define PIECES(...)                                                                                \
	(const struct piece[]){__VA_ARGS__},                                                       \
	    sizeof((const struct piece[]){__VA_ARGS__}) / sizeof(struct piece)
#define WHOLE(str)                                                                                 \
	{                                                                                          \
		(str), SIZE_MAX                                                                    \
	}

void dg_fix_add_ignores(struct dg_ctx *ctx, size_t i, size_t start, size_t end)
{
	struct dg_finding *f = &ctx->out->findings[i];
	const char *s = ctx->src->text;
	const struct dg_stmt *st;
	char text[512], desc[256];
	size_t at = 0;
	struct dg_fix *x;

	(void)end;
	/* SQL comments only fit SQL: another front half (DynamoDB templates) has no migration */
	if (is_suppression_rule(f->rule) || !ctx->mig || !ctx->parsed)
		return;
	/* findings about the whole file (check_file) are not the statement's */
	st = strcmp(f->rule, "syntax-error") == 0 || !ctx->stmt ? NULL : stmt_at(ctx, start);
	if (st) {
		bool own;
		size_t ins = dg_fix_insert_point(ctx, st->start, false, &own), ls = ins;
		if (ins != (size_t)-1) {
			while (own && ls > 0 && s[ls - 1] != '\n')
				ls--;
			join(desc, sizeof(desc),
			     PIECES(WHOLE("Ignore "), WHOLE(f->rule),
				    WHOLE(" for this statement (fill in the reason)")));
			x = add_fix(f, f->n_fixes, DG_FIX_IGNORE, desc);
			if (own) {
				size_t k = ins;
				while (s[k] == ' ' || s[k] == '\t')
					k++;
				join(text, sizeof(text),
				     PIECES({s + ins, k - ins}, WHOLE("-- ddlguard-ignore "),
					    WHOLE(f->rule), WHOLE(" "), WHOLE(ignore_reason),
					    WHOLE("\n")));
			} else {
				join(text, sizeof(text),
				     PIECES(WHOLE("\n-- ddlguard-ignore "), WHOLE(f->rule),
					    WHOLE(" "), WHOLE(ignore_reason), WHOLE("\n")));
			}
			add_edit(ctx->src, x, ins, ins, text);
		}
	}
	/* headers a runner reads only at the very top stay there: Liquibase's "--liquibase
	 * formatted sql", sqlx's "-- no-transaction" first line, Graphile Migrate's "--!" lines */
	for (;;) {
		bool header = (ctx->mig && ctx->mig->format &&
			       strcmp(ctx->mig->format, "liquibase") == 0 && at == 0) ||
			      strncmp(s + at, "-- no-transaction", 17) == 0 ||
			      strncmp(s + at, "--!", 3) == 0;
		/* a blank line inside Graphile's header block */
		if (!header && at > 0 && s[at] == '\n') {
			size_t n = at;
			while (n < ctx->src->len && s[n] == '\n')
				n++;
			header = strncmp(s + n, "--!", 3) == 0;
		}
		if (!header || at >= ctx->src->len)
			break;
		while (at < ctx->src->len && s[at] != '\n')
			at++;
		at = at < ctx->src->len ? at + 1 : at;
	}
	join(desc, sizeof(desc),
	     PIECES(WHOLE("Ignore "), WHOLE(f->rule),
		    WHOLE(" in this whole file (fill in the reason)")));
	x = add_fix(f, f->n_fixes, DG_FIX_IGNORE_FILE, desc);
	join(text, sizeof(text),
	     PIECES(WHOLE(at > 0 && s[at - 1] != '\n' ? "\n" : ""),
		    WHOLE("-- ddlguard-ignore-file "), WHOLE(f->rule), WHOLE(" "),
		    WHOLE(ignore_reason), WHOLE("\n")));
	add_edit(ctx->src, x, at, at, text);
}

/* ---- applying and verifying ------------------------------------------------------------- */

struct picked {
	const struct dg_edit *e;
	size_t order;
};

static int cmp_picked(const void *pa, const void *pb)
{
	const struct picked *a = pa, *b = pb;

	if (a->e->byte_offset != b->e->byte_offset)
		return a->e->byte_offset < b->e->byte_offset ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

char *dg_fix_apply(const char *buf, size_t len, const struct dg_fix *const *fixes, size_t n,
		   bool *used, size_t *out_len)
{
	struct picked *p;
	size_t np = 0, cap = 0, out = 0, pos = 0, total = len + 1;
	char *res;

	for (size_t i = 0; i < n; i++)
		cap += fixes[i]->n_edits;
	p = malloc((cap ? cap : 1) * sizeof(*p));
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct dg_fix *x = fixes[i];
		bool ok = true;

		for (size_t k = 0; ok && k < x->n_edits; k++) {
			const struct dg_edit *e = &x->edits[k];
			ok = e->byte_offset + e->byte_length <= len;
			for (size_t j = 0; ok && j < np; j++)
				ok = !edits_overlap(e, p[j].e);
		}
		if (used)
			used[i] = ok;
		if (!ok)
			continue;
		for (size_t k = 0; k < x->n_edits; k++) {
			p[np] = (struct picked){&x->edits[k], np};
			total += strlen(x->edits[k].text);
			np++;
		}
	}
	qsort(p, np, sizeof(*p), cmp_picked);
	res = malloc(total);
	if (!res) {
		free(p);
		return NULL;
	}
	for (size_t j = 0; j < np; j++) {
		const struct dg_edit *e = p[j].e;
		size_t tl = strlen(e->text);

		memcpy(res + out, buf + pos, e->byte_offset - pos);
		out += e->byte_offset - pos;
		memcpy(res + out, e->text, tl);
		out += tl;
		pos = e->byte_offset + e->byte_length;
	}
	memcpy(res + out, buf + pos, len - pos);
	out += len - pos;
	res[out] = '\0';
	*out_len = out;
	free(p);
	return res;
}

/* Per rule (by registry index), how many findings. */
static void count_rules(const struct dg_result *r, size_t *counts)
{
	memset(counts, 0, DG_N_RULES * sizeof(*counts));
	for (size_t i = 0; i < r->n_findings; i++)
		for (size_t k = 0; k < DG_N_RULES; k++)
			if (r->findings[i].rule == dg_rules[k]->name ||
			    strcmp(r->findings[i].rule, dg_rules[k]->name) == 0) {
				counts[k]++;
				break;
			}
}

/* The configuration verification lints with: the user's rules, syntax errors always, no
 * verification of its own. NULL when out of memory. */
static struct dg_config *verify_config(const struct dg_config *cfg)
{
	struct dg_config *c = dg_config_clone(cfg);

	if (c) {
		dg_config_set_rule_enabled(c, "syntax-error", true);
		c->verify_fixes = false;
	}
	return c;
}

/* The check itself, against the rule counts `cb` of the original. */
static bool verify_with(const struct dg_config *c, struct dg_catalog *cat, const char *path,
			const char *buf, size_t len, const size_t *cb,
			const struct dg_fix *const *fixes, size_t n, char *why, size_t why_size)
{
	struct dg_result after;
	size_t ca[DG_N_RULES], flen;
	bool fixed[DG_N_RULES] = {false}, *used = calloc(n ? n : 1, sizeof(*used)), ok = true;
	char *text;

	if (!used) {
		snprintf(why, why_size, "out of memory");
		return false;
	}
	text = dg_fix_apply(buf, len, fixes, n, used, &flen);
	for (size_t i = 0; text && i < n; i++)
		if (!used[i]) {
			snprintf(why, why_size, "the fixes overlap");
			ok = false;
		}
	free(used);
	if (!text || !ok) {
		if (!text)
			snprintf(why, why_size, "out of memory");
		free(text);
		return false;
	}
	dg_lint_buffer_ex(c, cat, false, path, text, flen, &after);
	count_rules(&after, ca);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < DG_N_RULES; k++)
			if (strcmp(fixes[i]->rule, dg_rules[k]->name) == 0)
				fixed[k] = true;
	for (size_t k = 0; ok && k < DG_N_RULES; k++) {
		if (k == DG_RULE_ID_syntax_error && ca[k] > cb[k]) {
			snprintf(why, why_size, "the fixed file does not parse");
			ok = false;
		} else if (ca[k] > cb[k]) {
			snprintf(why, why_size, "the fixed file has a new %s finding",
				 dg_rules[k]->name);
			ok = false;
		} else if (fixed[k] && ca[k] >= cb[k]) {
			snprintf(why, why_size, "the fixed file still has the %s finding",
				 dg_rules[k]->name);
			ok = false;
		}
	}
	dg_result_clear(&after);
	free(text);
	return ok;
}

bool dg_fix_verify(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
		   const char *buf, size_t len, const struct dg_fix *const *fixes, size_t n,
		   char *why, size_t why_size)
{
	struct dg_config *c = verify_config(cfg);
	struct dg_result before;
	size_t cb[DG_N_RULES];
	bool ok;

	if (!c) {
		snprintf(why, why_size, "out of memory");
		return false;
	}
	dg_lint_buffer_ex(c, cat, false, path, buf, len, &before);
	count_rules(&before, cb);
	dg_result_clear(&before);
	ok = verify_with(c, cat, path, buf, len, cb, fixes, n, why, why_size);
	dg_config_free(c);
	return ok;
}

void dg_fix_verify_all(struct dg_ctx *ctx, struct dg_catalog *cat, const char *buf, size_t len)
{
	struct dg_config *c = NULL;
	struct dg_result before;
	size_t cb[DG_N_RULES];
	char why[256];

	for (size_t i = 0; i < ctx->out->n_findings; i++) {
		struct dg_finding *f = &ctx->out->findings[i];
		for (size_t k = 0; k < f->n_fixes;) {
			const struct dg_fix *x = &f->fixes[k];
			if (!c) {
				c = verify_config(ctx->cfg);
				if (!c)
					return;
				dg_lint_buffer_ex(c, cat, false, ctx->out->path, buf, len, &before);
				count_rules(&before, cb);
				dg_result_clear(&before);
			}
			if (verify_with(c, cat, ctx->out->path, buf, len, cb, &x, 1, why,
					sizeof(why)))
				k++;
			else
				remove_fix(f, k);
		}
	}
	dg_config_free(c);
}

static bool parses(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
		   const char *buf, size_t len)
{
	struct dg_config *c = dg_config_clone(cfg);
	struct dg_result r;
	bool ok = true;

	if (!c)
		return false;
	dg_config_set_all_rules_enabled(c, false);
	dg_config_set_rule_enabled(c, "syntax-error", true);
	dg_lint_buffer_ex(c, cat, false, path, buf, len, &r);
	ok = r.n_findings == 0;
	dg_result_clear(&r);
	dg_config_free(c);
	return ok;
}

enum dg_status dg_fix_text(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
			   const char *buf, size_t len, char **out, size_t *out_len,
			   size_t *applied, const char **why)
{
	char *text = malloc(len + 1), reason[256];
	size_t tlen = len;

	*applied = 0;
	*why = NULL;
	if (!text)
		return DG_ERR_INTERNAL;
	memcpy(text, buf, len);
	text[len] = '\0';
	if (!parses(cfg, cat, path, buf, len)) {
		*why = "it does not parse";
		goto done;
	}
	/* each applied fix lowers one rule's count and raises none: this ends */
	for (bool again = true; again;) {
		struct dg_result r;

		again = false;
		dg_lint_buffer_ex(cfg, cat, false, path, text, tlen, &r);
		for (size_t i = 0; i < r.n_findings && !again; i++) {
			const struct dg_fix *rw = dg_finding_rewrite(&r.findings[i]);
			char *next;
			size_t nlen;

			if (!rw || !dg_fix_verify(cfg, cat, path, text, tlen, &rw, 1, reason,
						  sizeof(reason)))
				continue;
			next = dg_fix_apply(text, tlen, &rw, 1, NULL, &nlen);
			if (!next) {
				dg_result_clear(&r);
				free(text);
				return DG_ERR_INTERNAL;
			}
			free(text);
			text = next;
			tlen = nlen;
			(*applied)++;
			again = true;
		}
		dg_result_clear(&r);
	}
done:
	*out = text;
	*out_len = tlen;
	return DG_OK;
}

/* ---- unified diff ----------------------------------------------------------------------- */

struct lines {
	const char **p;
	size_t *len, n;
};

static void split_lines(const char *s, size_t n, struct lines *l)
{
	size_t cap = 16;

	l->p = dg_xmalloc(cap * sizeof(*l->p));
	l->len = dg_xmalloc(cap * sizeof(*l->len));
	l->n = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j] != '\n')
			j++;
		if (j < n)
			j++;
		if (l->n == cap) {
			const char **np = dg_xmalloc(2 * cap * sizeof(*np));
			size_t *nl = dg_xmalloc(2 * cap * sizeof(*nl));
			memcpy(np, l->p, cap * sizeof(*np));
			memcpy(nl, l->len, cap * sizeof(*nl));
			free(l->p);
			free(l->len);
			l->p = np;
			l->len = nl;
			cap *= 2;
		}
		l->p[l->n] = s + i;
		l->len[l->n++] = j - i;
		i = j;
	}
}

static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

/* ops: 0 keep, 1 delete from a, 2 insert from b */
struct op {
	char kind;
	size_t a, b; /* line indexes */
};

/* Myers' O((N+M)D) shortest edit script over the lines, with the trace kept per step. */
static struct op *edit_script(const struct lines *a, const struct lines *b, size_t *n_ops)
{
	long N = (long)a->n, M = (long)b->n, max = N + M, off = max + 1, d, k, x, y, D;
	long *v = dg_xmalloc((size_t)(2 * max + 3) * sizeof(*v)), **trace;
	struct op *ops;
	size_t nops = 0, cap = (size_t)(N + M + 1);

	trace = dg_xmalloc((size_t)(max + 1) * sizeof(*trace));
	memset(v, 0, (size_t)(2 * max + 3) * sizeof(*v));
	for (d = 0; d <= max; d++) {
		for (k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x < N && y < M && same_line(a, (size_t)x, b, (size_t)y))
				x++, y++;
			v[off + k] = x;
			if (x >= N && y >= M)
				goto done;
		}
		trace[d] = dg_xmalloc((size_t)(2 * max + 3) * sizeof(*v));
		memcpy(trace[d], v, (size_t)(2 * max + 3) * sizeof(*v));
	}
done:
	D = d;
	ops = dg_xmalloc(cap * sizeof(*ops));
	x = N;
	y = M;
	for (; d > 0; d--) {
		long *pv = trace[d - 1], pk, px, py;
		k = x - y;
		if (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1]))
			pk = k + 1;
		else
			pk = k - 1;
		px = pv[off + pk];
		py = px - pk;
		while (x > px && y > py)
			ops[nops++] = (struct op){0, (size_t)--x, (size_t)--y};
		if (x == px)
			ops[nops++] = (struct op){2, (size_t)x, (size_t)--y};
		else
			ops[nops++] = (struct op){1, (size_t)--x, (size_t)y};
	}
	while (x > 0 && y > 0)
		ops[nops++] = (struct op){0, (size_t)--x, (size_t)--y};
	for (long i = 0; i < D; i++)
		free(trace[i]);
	free(trace);
	free(v);
	for (size_t i = 0; i < nops / 2; i++) {
		struct op t = ops[i];
		ops[i] = ops[nops - 1 - i];
		ops[nops - 1 - i] = t;
	}
	*n_ops = nops;
	return ops;
}

static void put_line(FILE *out, char sign, const char *p, size_t len)
{
	fputc(sign, out);
	fwrite(p, 1, len, out);
	if (!len || p[len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

bool dg_diff_write(FILE *out, const char *path, const char *a, size_t alen, const char *b,
		   size_t blen)
{
	struct lines la, lb;
	struct op *ops;
	size_t n, i = 0;
	const size_t ctx = 3;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return false;
	split_lines(a, alen, &la);
	split_lines(b, blen, &lb);
	ops = edit_script(&la, &lb, &n);
	/* git's a/ and b/ prefixes: an absolute path keeps one slash */
	const char *rel = path[0] == '/' ? path + 1 : path;
	fprintf(out, "--- a/%s\n+++ b/%s\n", rel, rel);
	while (i < n) {
		size_t first, end, a0, b0, ac = 0, bc = 0;

		while (i < n && ops[i].kind == 0)
			i++;
		if (i == n)
			break;
		first = i > ctx ? i - ctx : 0;
		/* one hunk while the changes are at most 2*ctx kept lines apart */
		end = i;
		for (;;) {
			size_t run = 0;
			while (end < n && ops[end].kind != 0)
				end++;
			while (end + run < n && ops[end + run].kind == 0)
				run++;
			if (end + run == n || run > 2 * ctx) {
				end += run < ctx ? run : ctx;
				break;
			}
			end += run;
		}
		a0 = ops[first].a;
		b0 = ops[first].b;
		for (size_t j = first; j < end; j++) {
			ac += ops[j].kind != 2;
			bc += ops[j].kind != 1;
		}
		fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ac ? a0 + 1 : a0, ac, bc ? b0 + 1 : b0,
			bc);
		for (size_t j = first; j < end; j++) {
			if (ops[j].kind == 0)
				put_line(out, ' ', la.p[ops[j].a], la.len[ops[j].a]);
			else if (ops[j].kind == 1)
				put_line(out, '-', la.p[ops[j].a], la.len[ops[j].a]);
			else
				put_line(out, '+', lb.p[ops[j].b], lb.len[ops[j].b]);
		}
		i = end;
	}
	free(ops);
	free(la.p);
	free(la.len);
	free(lb.p);
	free(lb.len);
	return true;
}
