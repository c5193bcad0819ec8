/* suppress.c — inline suppressions. Comments are not in the AST, so the source text is scanned
 * for them with PostgreSQL's quoting rules (a "-- ddlguard-ignore" inside a string, a quoted
 * identifier or a dollar-quoted body is not a comment). Syntax:
 *
 *   -- ddlguard-ignore RULE[, RULE…] [reason: …] [until: YYYY-MM-DD]
 *   -- ddlguard-ignore-file RULE[, RULE…] [reason: …] [until: YYYY-MM-DD]
 *   -- squawk-ignore RULE[, RULE…]      -- squawk-ignore-file [RULE…]
 *
 * A statement-level comment covers the statement that follows it (only whitespace and comments
 * in between), the statement it trails on the same line, or the statement it sits inside. No
 * RULE means every rule. */
#include "suppress.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ddlguard/ddlguard.h"
#include "registry.h"
#include "lex.h"

#define MAX_RULES 32

struct directive {
	size_t start, end; /* the comment, from "--" to the end of its line */
	bool file;	   /* -file: the whole file */
	bool squawk;	   /* squawk's spelling: names that are not ours are squawk's business */
	size_t rules[MAX_RULES];
	size_t n_rules;
	bool all;		     /* no rule named */
	char unknown[MAX_RULES][64]; /* names that are no rule of ours */
	size_t n_unknown;
	bool has_reason;
	char until[16];
	bool has_until, until_bad, expired;
	size_t target_start, target_end; /* findings starting in [target_start, target_end] */
	bool has_target;
	size_t used;
	bool rule_used[MAX_RULES]; /* per entry of rules[] */
};

static void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static bool valid_date(const char *s)
{
	int y, m, d;
	char tail;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static bool word_at(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) >= n && strncmp(p, word, n) == 0 &&
	       (p + n == end || isspace((unsigned char)p[n]) || p[n] == ',');
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

static long rule_by_name(const char *name, size_t n)
{
	for (size_t i = 0; i < DG_N_RULES; i++)
		if (strlen(dg_rules[i]->name) == n && strncmp(dg_rules[i]->name, name, n) == 0)
			return (long)i;
	return -1;
}

/* Parses the text after "--" in [p, end); false when it is no directive. */
static bool parse_directive(const char *p, const char *end, struct directive *d)
{
	static const struct {
		const char *word;
		bool file, squawk;
	} kinds[] = {
	    {"ddlguard-ignore-file", true, false},
	    {"ddlguard-ignore", false, false},
	    {"squawk-ignore-file", true, true},
	    {"squawk-ignore", false, true},
	};
	size_t k;

	while (p < end && isspace((unsigned char)*p))
		p++;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (word_at(p, end, kinds[k].word))
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return false;
	d->file = kinds[k].file;
	d->squawk = kinds[k].squawk;
	p += strlen(kinds[k].word);

	/* RULE[, RULE…] up to the first "word:" */
	for (;;) {
		const char *s;
		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
		s = p;
		while (p < end && name_char(*p))
			p++;
		if (p == s || (p < end && *p == ':')) {
			p = s;
			break;
		}
		long r = rule_by_name(s, (size_t)(p - s));
		if (r >= 0 && d->n_rules < MAX_RULES)
			d->rules[d->n_rules++] = (size_t)r;
		else if (r < 0 && d->n_unknown < MAX_RULES)
			snprintf(d->unknown[d->n_unknown++], sizeof(d->unknown[0]), "%.*s",
				 (int)(p - s < 63 ? p - s : 63), s);
	}
	d->all = d->n_rules == 0 && d->n_unknown == 0;

	/* reason: … and until: …, in either order */
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if ((size_t)(end - p) >= 7 && strncmp(p, "reason:", 7) == 0) {
			const char *r = p + 7, *stop = r;
			while (stop < end &&
			       !((size_t)(end - stop) >= 6 && strncmp(stop, "until:", 6) == 0 &&
				 isspace((unsigned char)stop[-1])))
				stop++;
			for (const char *q = r; q < stop; q++)
				if (!isspace((unsigned char)*q))
					d->has_reason = true;
			p = stop;
		} else if ((size_t)(end - p) >= 6 && strncmp(p, "until:", 6) == 0) {
			const char *s;
			size_t n;
			p += 6;
			while (p < end && isspace((unsigned char)*p))
				p++;
			s = p;
			while (p < end && !isspace((unsigned char)*p))
				p++;
			n = (size_t)(p - s);
			d->has_until = true;
			snprintf(d->until, sizeof(d->until), "%.*s", (int)(n < 15 ? n : 15), s);
			d->until_bad = n >= 15 || !valid_date(d->until);
		} else {
			/* anything else is free text: keep looking for reason:/until: after it */
			while (p < end && !isspace((unsigned char)*p))
				p++;
		}
	}
	return true;
}

struct range {
	size_t start, end;
};

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* What a statement-level comment at [cs, ce) covers. */
static void find_target(const struct dg_source *src, const struct range *stmts, size_t n,
			struct directive *d)
{
	const char *s = src->text;

	for (size_t i = 0; i < n; i++) {
		/* inside the statement */
		if (stmts[i].start < d->start && d->start < stmts[i].end) {
			d->target_start = stmts[i].start;
			d->target_end = stmts[i].end;
			d->has_target = true;
			return;
		}
		/* trailing it on its last line: only ';' and blanks in between */
		if (stmts[i].end <= d->start) {
			bool same_line = true;
			for (size_t k = stmts[i].end; k < d->start && same_line; k++)
				same_line = s[k] == ' ' || s[k] == '\t' || s[k] == ';';
			if (same_line) {
				d->target_start = stmts[i].start;
				d->target_end = stmts[i].end;
				d->has_target = true;
				return;
			}
		}
	}
	/* before the next statement (or whatever comes next, e.g. a statement that failed to
	 * parse): the first token after the comment and its trivia */
	{
		size_t t = dg_skip_trivia(s, d->end, src->len);
		if (t >= src->len)
			return;
		d->target_start = t;
		d->target_end = t;
		for (size_t i = 0; i < n; i++)
			if (stmts[i].start == t)
				d->target_end = stmts[i].end;
		if (d->target_end == t) {
			/* no parsed statement there: up to the next ';' */
			size_t e = t;
			while (e < src->len && s[e] != ';')
				e = dg_token_end(s, dg_skip_trivia(s, e, src->len), src->len);
			d->target_end = e;
		}
		d->has_target = true;
	}
}

static bool names_rule(const struct directive *d, size_t rule)
{
	if (d->all)
		return true;
	for (size_t i = 0; i < d->n_rules; i++)
		if (d->rules[i] == rule)
			return true;
	return false;
}

static bool meta_rule(size_t r)
{
	return r == DG_RULE_ID_unused_ignore || r == DG_RULE_ID_expired_ignore ||
	       r == DG_RULE_ID_missing_ignore_reason;
}

/* Scans [0, len) for "--" comments outside strings, identifiers and dollar quotes. */
static size_t collect(const struct dg_source *src, struct directive **out)
{
	const char *s = src->text;
	size_t n = src->len, i = 0, count = 0, cap = 0;
	struct directive *ds = NULL;

	/* every directive's word ends in "-ignore" (parse_directive): most files hold none */
	if (!memmem(s, n, "-ignore", 7))
		n = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '-' && i + 1 < n && s[i + 1] == '-') {
			size_t e = i;
			struct directive d = {0};
			while (e < n && s[e] != '\n')
				e++;
			if (parse_directive(s + i + 2, s + e, &d)) {
				d.start = i;
				d.end = e > i && s[e - 1] == '\r' ? e - 1 : e;
				if (count == cap) {
					cap = cap ? cap * 2 : 8;
					ds = realloc(ds, cap * sizeof(*ds));
					if (!ds)
						abort();
				}
				ds[count++] = d;
			}
			i = e;
		} else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			/* only the comment (nested ones count): a directive may follow it */
			int depth = 0;
			do {
				if (s[i] == '/' && i + 1 < n && s[i + 1] == '*')
					depth++, i += 2;
				else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/')
					depth--, i += 2;
				else
					i++;
			} while (depth > 0 && i < n);
		} else if (c == '\'' || c == '"' || c == '$' || isalnum(c) || c == '_' ||
			   c >= 0x80) {
			size_t e = dg_token_end(s, i, n);
			i = e > i ? e : i + 1;
		} else {
			i++;
		}
	}
	*out = ds;
	return count;
}

static void emit(const struct dg_suppressor *ctx, size_t rule, const struct directive *d,
		 const char *msg)
{
	if (!ctx->enabled[rule])
		return;
	ctx->emit(ctx->arg, rule, d->start, d->end, msg);
}

static void apply(const struct dg_suppressor *ctx, struct directive *ds, size_t nd,
		  const char *unit);

void dg_suppress_apply(const struct dg_suppressor *ctx, const struct dg_span *spans, size_t n_stmts)
{
	const struct dg_source *src = ctx->src;
	struct directive *ds;
	size_t nd = collect(src, &ds);
	struct range *stmts;
	char now[11];

	if (!nd)
		return;
	today(now);
	stmts = malloc((n_stmts ? n_stmts : 1) * sizeof(*stmts));
	if (!stmts)
		abort();
	for (size_t i = 0; i < n_stmts; i++)
		stmts[i] = (struct range){spans[i].start, spans[i].end};
	qsort(stmts, n_stmts, sizeof(*stmts), cmp_range);
	for (size_t k = 0; k < nd; k++) {
		struct directive *d = &ds[k];
		if (d->has_until && !d->until_bad && strcmp(d->until, now) < 0)
			d->expired = true;
		if (!d->file)
			find_target(src, stmts, n_stmts, d);
	}
	free(stmts);
	apply(ctx, ds, nd, "statement");
	free(ds);
}

/* Drops what the directives cover and reports on the directives themselves. */
static void apply(const struct dg_suppressor *ctx, struct directive *ds, size_t nd,
		  const char *unit)
{
	const struct dg_source *src = ctx->src;
	struct dg_result *out = ctx->out;
	size_t kept = 0, n_findings;

	/* drop what is covered; meta findings cannot be silenced by the comment they are about */
	n_findings = out->n_findings;
	for (size_t i = 0; i < n_findings; i++) {
		struct dg_finding *f = &out->findings[i];
		size_t at = f->byte_offset - src->bom, rule = 0;
		bool drop = false;

		for (size_t r = 0; r < DG_N_RULES; r++)
			if (strcmp(dg_rules[r]->name, f->rule) == 0)
				rule = r;
		for (size_t k = 0; k < nd; k++) {
			struct directive *d = &ds[k];
			if (d->expired || d->until_bad || !names_rule(d, rule))
				continue;
			if (!d->file &&
			    (!d->has_target || at < d->target_start || at > d->target_end))
				continue;
			d->used++;
			for (size_t j = 0; j < d->n_rules; j++)
				if (d->rules[j] == rule)
					d->rule_used[j] = true;
			drop = true;
		}
		if (drop) {
			dg_finding_clear(f);
		} else {
			out->findings[kept++] = *f;
		}
	}
	out->n_findings = kept;

	for (size_t k = 0; k < nd; k++) {
		struct directive *d = &ds[k];
		const char *kw = d->squawk ? (d->file ? "squawk-ignore-file" : "squawk-ignore")
					   : (d->file ? "ddlguard-ignore-file" : "ddlguard-ignore");
		char msg[512], covers_none[128], none_in[128];
		bool any_enabled = d->all;

		snprintf(covers_none, sizeof(covers_none),
			 "the %s it covers has no finding of the rules it names", unit);
		snprintf(none_in, sizeof(none_in), "has no finding in the %s it covers", unit);

		for (size_t i = 0; i < d->n_rules; i++)
			any_enabled |= ctx->enabled[d->rules[i]] && !meta_rule(d->rules[i]);
		if (!d->squawk) {
			for (size_t i = 0; i < d->n_unknown; i++) {
				snprintf(
				    msg, sizeof(msg),
				    "%s names '%s', which is no ddlguard rule: it silences nothing "
				    "(see --list-rules)",
				    kw, d->unknown[i]);
				emit(ctx, DG_RULE_ID_unused_ignore, d, msg);
			}
		}
		if (d->until_bad) {
			snprintf(msg, sizeof(msg),
				 "%s has until: '%s', which is not a YYYY-MM-DD date: it silences "
				 "nothing",
				 kw, d->until);
			emit(ctx, DG_RULE_ID_expired_ignore, d, msg);
		} else if (d->expired) {
			snprintf(msg, sizeof(msg),
				 "%s expired on %s: the findings it silenced are reported again",
				 kw, d->until);
			emit(ctx, DG_RULE_ID_expired_ignore, d, msg);
		} else if (!d->used && !d->squawk && any_enabled) {
			snprintf(msg, sizeof(msg), "%s silences nothing: %s", kw,
				 d->file ? "no finding of the rules it names is in this file"
					 : covers_none);
			emit(ctx, DG_RULE_ID_unused_ignore, d, msg);
		} else if (d->used && !d->squawk) {
			/* used, but not for every rule it names: the others are stale */
			for (size_t i = 0; i < d->n_rules; i++) {
				size_t r = d->rules[i];
				if (d->rule_used[i] || !ctx->enabled[r] || meta_rule(r))
					continue;
				snprintf(msg, sizeof(msg),
					 "%s names '%s', which %s: drop it from the list", kw,
					 dg_rules[r]->name,
					 d->file ? "has no finding in this file" : none_in);
				emit(ctx, DG_RULE_ID_unused_ignore, d, msg);
			}
		}
		if (!d->has_reason && !d->squawk) {
			snprintf(msg, sizeof(msg),
				 "%s without a reason: say why it is safe with 'reason: …'", kw);
			emit(ctx, DG_RULE_ID_missing_ignore_reason, d, msg);
		}
	}
}

void dg_suppress_apply_comments(const struct dg_suppressor *ctx, const struct dg_comment *cs,
				size_t n, const char *unit)
{
	const char *s = ctx->src->text;
	struct directive *ds = NULL;
	size_t nd = 0;
	char now[11];

	today(now);
	for (size_t i = 0; i < n; i++) {
		struct directive d = {0};
		if (!parse_directive(s + cs[i].body, s + cs[i].end, &d))
			continue;
		d.start = cs[i].start;
		d.end = cs[i].end;
		d.target_start = cs[i].target_start;
		d.target_end = cs[i].target_end;
		d.has_target = cs[i].has_target;
		if (d.has_until && !d.until_bad && strcmp(d.until, now) < 0)
			d.expired = true;
		ds = realloc(ds, (nd + 1) * sizeof(*ds));
		if (!ds)
			abort();
		ds[nd++] = d;
	}
	if (nd)
		apply(ctx, ds, nd, unit);
	free(ds);
}
