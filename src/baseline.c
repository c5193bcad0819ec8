/* baseline.c — a JSON file of accepted findings keyed by fingerprint (path, rule and the
 * statement's normalized text: robust to lines added above). The other keys are for people
 * reviewing the file:
 *   {"version": 1, "findings": [{"fingerprint", "path", "rule", "line", "message"}, …]} */
#include "baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "source.h"

#define BASELINE_VERSION 1
/* a baseline of a million findings is ~200 MB; anything larger is not one */
#define BASELINE_MAX_SIZE ((size_t)256 << 20)

struct entry {
	char fingerprint[17];
	char *path, *rule, *message;
	unsigned line;
};

struct dg_baseline {
	struct entry *items;
	size_t n, cap;
	bool sorted;
};

static int cmp_fp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->fingerprint,
		      ((const struct entry *)b)->fingerprint);
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	return c ? c : strcmp(a->fingerprint, b->fingerprint);
}

struct dg_baseline *dg_baseline_new(void)
{
	return calloc(1, sizeof(struct dg_baseline));
}

static char *dup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

static void add(struct dg_baseline *b, const char *fp, const char *path, const char *rule,
		unsigned line, const char *message)
{
	struct entry *e;

	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 64;
		struct entry *n = realloc(b->items, ncap * sizeof(*n));
		if (!n)
			abort();
		b->items = n;
		b->cap = ncap;
	}
	e = &b->items[b->n++];
	snprintf(e->fingerprint, sizeof(e->fingerprint), "%s", fp);
	e->path = dup(path);
	e->rule = dup(rule);
	e->message = dup(message);
	e->line = line;
	b->sorted = false;
}

void dg_baseline_free(struct dg_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].path);
		free(b->items[i].rule);
		free(b->items[i].message);
	}
	free(b->items);
	free(b);
}

static char *fmt_error(const char *path, const char *why)
{
	size_t n = strlen(path) + strlen(why) + 4;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s: %s", path, why);
	return s;
}

struct dg_baseline *dg_baseline_load(const char *path, char **error)
{
	struct dg_baseline *b;
	char *text, why[160];
	size_t len = 0;
	int err;
	cJSON *doc, *findings, *it;

	*error = NULL;
	text = dg_read_path(path, BASELINE_MAX_SIZE, &len, &err);
	if (!text) {
		/* a directory, a FIFO, /dev/zero: say so, not "not a baseline" */
		*error =
		    fmt_error(path, dg_read_strerror(err, BASELINE_MAX_SIZE, why, sizeof(why)));
		return NULL;
	}
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	findings = cJSON_GetObjectItemCaseSensitive(doc, "findings");
	it = cJSON_GetObjectItemCaseSensitive(doc, "version");
	if (!doc || !cJSON_IsArray(findings) || !cJSON_IsNumber(it)) {
		cJSON_Delete(doc);
		*error =
		    fmt_error(path, "not a ddlguard baseline (write one with --write-baseline)");
		return NULL;
	}
	if (it->valueint != BASELINE_VERSION) {
		cJSON_Delete(doc);
		*error = fmt_error(path, "a baseline of another version: write it again");
		return NULL;
	}
	b = dg_baseline_new();
	if (!b)
		abort();
	cJSON_ArrayForEach(it, findings)
	{
		const cJSON *fp = cJSON_GetObjectItemCaseSensitive(it, "fingerprint");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "path");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "rule");
		if (!cJSON_IsString(fp) || strlen(fp->valuestring) != 16) {
			cJSON_Delete(doc);
			dg_baseline_free(b);
			*error = fmt_error(path, "a finding without a valid fingerprint");
			return NULL;
		}
		add(b, fp->valuestring, cJSON_IsString(p) ? p->valuestring : "",
		    cJSON_IsString(r) ? r->valuestring : "", 0, "");
	}
	cJSON_Delete(doc);
	if (b->n > 1) /* qsort(NULL, 0, …) is undefined: an empty baseline has no items */
		qsort(b->items, b->n, sizeof(*b->items), cmp_fp);
	b->sorted = true;
	return b;
}

void dg_baseline_record(struct dg_baseline *b, const struct dg_result *res)
{
	for (size_t i = 0; i < res->n_findings; i++) {
		const struct dg_finding *f = &res->findings[i];
		add(b, f->fingerprint, res->path, f->rule, f->line, f->message);
	}
}

size_t dg_baseline_filter(const struct dg_baseline *b, struct dg_result *res)
{
	size_t kept = 0, n = res->n_findings;

	for (size_t i = 0; i < n; i++) {
		struct dg_finding *f = &res->findings[i];
		struct entry key;

		snprintf(key.fingerprint, sizeof(key.fingerprint), "%s", f->fingerprint);
		if (b->sorted && b->n && bsearch(&key, b->items, b->n, sizeof(*b->items), cmp_fp)) {
			dg_finding_clear(f);
			continue;
		}
		res->findings[kept++] = *f;
	}
	res->n_findings = kept;
	return n - kept;
}

int dg_baseline_write(const struct dg_baseline *b, const char *path)
{
	struct entry *sorted = malloc((b->n ? b->n : 1) * sizeof(*sorted));
	cJSON *doc = cJSON_CreateObject(), *arr;
	char *text;
	FILE *f;
	int rc = -1;

	if (!sorted || !doc)
		abort();
	if (b->n)
		memcpy(sorted, b->items, b->n * sizeof(*sorted));
	if (b->n > 1)
		qsort(sorted, b->n, sizeof(*sorted), cmp_entry);
	cJSON_AddNumberToObject(doc, "version", BASELINE_VERSION);
	cJSON_AddStringToObject(doc, "tool", "ddlguard");
	arr = cJSON_AddArrayToObject(doc, "findings");
	for (size_t i = 0; i < b->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "fingerprint", sorted[i].fingerprint);
		cJSON_AddStringToObject(o, "path", sorted[i].path);
		cJSON_AddStringToObject(o, "rule", sorted[i].rule);
		cJSON_AddNumberToObject(o, "line", sorted[i].line);
		cJSON_AddStringToObject(o, "message", sorted[i].message);
		cJSON_AddItemToArray(arr, o);
	}
	free(sorted);
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		abort();
	f = fopen(path, "wb");
	if (f) {
		fputs(text, f);
		fputc('\n', f);
		rc = fclose(f) == 0 ? 0 : -1;
	}
	free(text);
	return rc;
}
