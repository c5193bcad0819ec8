/* summary.c — accumulates the run's figures file by file and prints them as text or JSON. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "migration.h"
#include "report.h"
#include "summary.h"

void dg_summary_init(struct dg_summary *s)
{
	memset(s, 0, sizeof(*s));
}

static struct dg_summary_count *count(struct dg_summary_count **arr, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*arr)[i].name, name) == 0)
			return &(*arr)[i];
	*arr = dg_xrealloc(*arr, (*n + 1) * sizeof(**arr));
	memset(&(*arr)[*n], 0, sizeof(**arr));
	(*arr)[*n].name = name;
	return &(*arr)[(*n)++];
}

/* More serious first: more errors, then more warnings, then more info. */
static int cmp_severity(const size_t *a, const size_t *b)
{
	for (int k = DG_ERROR; k >= DG_INFO; k--)
		if (a[k] != b[k])
			return a[k] > b[k] ? -1 : 1;
	return 0;
}

static void keep_top(struct dg_summary *s, const char *path, const size_t *sev)
{
	size_t at = s->n_top;

	while (at > 0 && cmp_severity(sev, s->top[at - 1].by_severity) < 0)
		at--;
	if (at >= DG_SUMMARY_TOP_FILES)
		return;
	if (s->n_top == DG_SUMMARY_TOP_FILES)
		free(s->top[--s->n_top].path);
	memmove(&s->top[at + 1], &s->top[at], (s->n_top - at) * sizeof(s->top[0]));
	s->top[at].path = dg_xstrdup(path);
	memcpy(s->top[at].by_severity, sev, sizeof(s->top[at].by_severity));
	s->n_top++;
}

/* Per migration root (version folders and one folder per migration count as one: one line of
 * configuration covers them all). Files come root by root: the last entry is the one to bump,
 * or a new one. */
static void count_unknown_tx(struct dg_summary *s, const char *path, const char *format)
{
	char *root = dg_migration_root_key(path, format);
	struct dg_summary_dir *d;

	for (size_t i = s->n_unknown_tx; i-- > 0;) {
		d = &s->unknown_tx[i];
		if (strcmp(d->dir, root) == 0) {
			d->n++;
			free(root);
			return;
		}
	}
	d = dg_xrealloc(s->unknown_tx, (s->n_unknown_tx + 1) * sizeof(*d));
	s->unknown_tx = d;
	d = &s->unknown_tx[s->n_unknown_tx++];
	d->dir = root;
	d->n = 1;
}

const char *dg_summary_fix_line(const char *dir, char *buf, size_t size)
{
	/* a flow mapping: one line, whatever the rest of the file holds */
	snprintf(buf, size, "directories: {\"%s\": {transaction: none}}", dir);
	return buf;
}

void dg_summary_add(struct dg_summary *s, const struct dg_result *res)
{
	size_t sev[3] = {0};

	if (res->status != DG_OK) {
		s->unreadable++;
		return;
	}
	s->files_checked++;
	count(&s->formats, &s->n_formats, res->format ? res->format : "plain")->n++;
	if (res->tx_unknown && res->path)
		count_unknown_tx(s, res->path, res->format);
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		struct dg_summary_count *r = count(&s->rules, &s->n_rules, f->rule);
		r->n++;
		r->by_severity[f->severity]++;
		sev[f->severity]++;
		s->by_severity[f->severity]++;
		s->findings++;
	}
	if (res->n_findings) {
		s->files_with_findings++;
		keep_top(s, res->path, sev);
	}
}

static int cmp_count(const void *pa, const void *pb)
{
	const struct dg_summary_count *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_rule(const void *pa, const void *pb)
{
	const struct dg_summary_count *a = pa, *b = pb;
	int c = 0;

	/* the most serious severity a rule reported at, then how often */
	for (int k = DG_ERROR; k >= DG_INFO && !c; k--)
		if ((a->by_severity[k] > 0) != (b->by_severity[k] > 0))
			c = a->by_severity[k] > 0 ? -1 : 1;
	return c ? c : cmp_count(pa, pb);
}

static enum dg_severity worst(const size_t *sev)
{
	return sev[DG_ERROR] ? DG_ERROR : sev[DG_WARNING] ? DG_WARNING : DG_INFO;
}

/* Sorted copies, so that the summary itself stays in arrival order and can be printed twice. */
static struct dg_summary_count *sorted(const struct dg_summary_count *arr, size_t n,
				       int (*cmp)(const void *, const void *))
{
	struct dg_summary_count *c = dg_xrealloc(NULL, (n ? n : 1) * sizeof(*c));

	if (n)
		memcpy(c, arr, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp);
	return c;
}

static void print_counts(FILE *out, const size_t *sev)
{
	const char *sep = "";

	if (sev[DG_ERROR]) {
		fprintf(out, "%zu error%s", sev[DG_ERROR], sev[DG_ERROR] == 1 ? "" : "s");
		sep = ", ";
	}
	if (sev[DG_WARNING]) {
		fprintf(out, "%s%zu warning%s", sep, sev[DG_WARNING],
			sev[DG_WARNING] == 1 ? "" : "s");
		sep = ", ";
	}
	if (sev[DG_INFO])
		fprintf(out, "%s%zu info", sep, sev[DG_INFO]);
}

void dg_summary_print(const struct dg_summary *s, FILE *out, bool color)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	struct dg_summary_count *formats = sorted(s->formats, s->n_formats, cmp_count);
	struct dg_summary_count *rules = sorted(s->rules, s->n_rules, cmp_rule);
	size_t width = 0;

	fprintf(out, "%sSummary%s\n  migrations checked: %zu (%zu with findings", bold, reset,
		s->files_checked, s->files_with_findings);
	if (s->unreadable)
		fprintf(out, ", %zu unreadable", s->unreadable);
	fputs(")\n  formats:", out);
	for (size_t i = 0; i < s->n_formats; i++)
		fprintf(out, "%s %s %zu", i ? "," : "", formats[i].name, formats[i].n);
	fputc('\n', out);
	if (s->n_rules) {
		fputs("  findings by rule:\n", out);
		for (size_t i = 0; i < s->n_rules; i++)
			if (strlen(rules[i].name) > width)
				width = strlen(rules[i].name);
		for (size_t i = 0; i < s->n_rules; i++)
			fprintf(out, "    %-*s %6zu  %s\n", (int)width, rules[i].name, rules[i].n,
				dg_severity_name(worst(rules[i].by_severity)));
	}
	for (size_t i = 0; i < s->n_unknown_tx; i++) {
		char fix[1200];
		fprintf(
		    out,
		    "  %s: %zu file%s read as plain SQL: whether %s in a transaction is unknown "
		    "(linted as statements that each commit on their own); say how the runner "
		    "runs %s in .ddlguard.yaml, e.g.\n      %s\n    (transaction: none, "
		    "wrapped or implicit; or migration_format: NAME)\n",
		    s->unknown_tx[i].dir, s->unknown_tx[i].n, s->unknown_tx[i].n == 1 ? "" : "s",
		    s->unknown_tx[i].n == 1 ? "it runs" : "they run",
		    s->unknown_tx[i].n == 1 ? "it" : "them",
		    dg_summary_fix_line(s->unknown_tx[i].dir, fix, sizeof(fix)));
	}
	if (s->n_top) {
		fprintf(out, "  most serious files:\n");
		for (size_t i = 0; i < s->n_top; i++) {
			fputs("    ", out);
			dg_put_text(out, s->top[i].path);
			fputs(": ", out);
			print_counts(out, s->top[i].by_severity);
			fputc('\n', out);
		}
	}
	free(formats);
	free(rules);
}

static cJSON *severities(const size_t *sev)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "error", (double)sev[DG_ERROR]);
	cJSON_AddNumberToObject(o, "warning", (double)sev[DG_WARNING]);
	cJSON_AddNumberToObject(o, "info", (double)sev[DG_INFO]);
	return o;
}

cJSON *dg_summary_json(const struct dg_summary *s)
{
	struct dg_summary_count *formats = sorted(s->formats, s->n_formats, cmp_count);
	struct dg_summary_count *rules = sorted(s->rules, s->n_rules, cmp_rule);
	cJSON *o = cJSON_CreateObject(), *f = cJSON_CreateObject(), *r = cJSON_CreateArray(),
	      *t = cJSON_CreateArray();

	cJSON_AddNumberToObject(o, "files_checked", (double)s->files_checked);
	cJSON_AddNumberToObject(o, "files_with_findings", (double)s->files_with_findings);
	cJSON_AddNumberToObject(o, "unreadable", (double)s->unreadable);
	cJSON_AddNumberToObject(o, "findings", (double)s->findings);
	cJSON_AddItemToObject(o, "by_severity", severities(s->by_severity));
	for (size_t i = 0; i < s->n_formats; i++)
		cJSON_AddNumberToObject(f, formats[i].name, (double)formats[i].n);
	cJSON_AddItemToObject(o, "formats", f);
	for (size_t i = 0; i < s->n_rules; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "rule", rules[i].name);
		cJSON_AddNumberToObject(e, "count", (double)rules[i].n);
		cJSON_AddItemToObject(e, "by_severity", severities(rules[i].by_severity));
		cJSON_AddItemToArray(r, e);
	}
	cJSON_AddItemToObject(o, "rules", r);
	for (size_t i = 0; i < s->n_top; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "path", s->top[i].path);
		cJSON_AddItemToObject(e, "by_severity", severities(s->top[i].by_severity));
		cJSON_AddItemToArray(t, e);
	}
	cJSON_AddItemToObject(o, "top_files", t);
	t = cJSON_CreateArray();
	for (size_t i = 0; i < s->n_unknown_tx; i++) {
		cJSON *e = cJSON_CreateObject();
		char fix[1200];
		cJSON_AddStringToObject(e, "directory", s->unknown_tx[i].dir);
		cJSON_AddNumberToObject(e, "files", (double)s->unknown_tx[i].n);
		cJSON_AddStringToObject(
		    e, "message",
		    "read as plain SQL: whether they run in a transaction is unknown");
		cJSON_AddStringToObject(
		    e, "config", dg_summary_fix_line(s->unknown_tx[i].dir, fix, sizeof(fix)));
		cJSON_AddItemToArray(t, e);
	}
	cJSON_AddItemToObject(o, "unknown_transaction", t);
	free(formats);
	free(rules);
	return o;
}

void dg_summary_free(struct dg_summary *s)
{
	for (size_t i = 0; i < s->n_top; i++)
		free(s->top[i].path);
	for (size_t i = 0; i < s->n_unknown_tx; i++)
		free(s->unknown_tx[i].dir);
	free(s->unknown_tx);
	free(s->formats);
	free(s->rules);
	memset(s, 0, sizeof(*s));
}
