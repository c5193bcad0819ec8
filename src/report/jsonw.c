/* jsonw.c — a JSON writer for the lists a report has most of (report.h, struct dg_jw): each
 * element is written into one reused buffer and out in one call, byte for byte what
 * cJSON_PrintUnformatted gives for the same tree after dg_json_repair, without building the tree,
 * copying its strings to repair and print them, and freeing it again (for the JSON report that
 * was 40% of a run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "report.h"

static void room(struct dg_jw *w, size_t n)
{
	if (w->len + n <= w->cap)
		return;
	while (w->len + n > w->cap)
		w->cap = w->cap ? 2 * w->cap : 4096;
	w->buf = dg_xrealloc(w->buf, w->cap);
}

static void put(struct dg_jw *w, const void *s, size_t n)
{
	room(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void put_c(struct dg_jw *w, char c)
{
	room(w, 1);
	w->buf[w->len++] = c;
}

static void put_string(struct dg_jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run;

	put_c(w, '"');
	while (*p) {
		/* the bytes printed as they are: everything from ' ' to DEL but '"' and '\\' */
		for (run = p; *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\'; p++)
			;
		if (p > run)
			put(w, run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p >= 0x80) {
			size_t n = dg_utf8_seq_len((const char *)p);
			if (n)
				put(w, p, n);
			else
				put(w, "\xEF\xBF\xBD", 3); /* dg_utf8_repair's U+FFFD */
			p += n ? n : 1;
			continue;
		}
		put_c(w, '\\');
		switch (*p) {
		case '"':
		case '\\':
			put_c(w, (char)*p);
			break;
		case '\b':
			put_c(w, 'b');
			break;
		case '\f':
			put_c(w, 'f');
			break;
		case '\n':
			put_c(w, 'n');
			break;
		case '\r':
			put_c(w, 'r');
			break;
		case '\t':
			put_c(w, 't');
			break;
		default: /* cJSON's "u%04x" */
			put(w, "u00", 3);
			put_c(w, hex[*p >> 4]);
			put_c(w, hex[*p & 15]);
		}
		p++;
	}
	put_c(w, '"');
}

/* Before a value: the comma after a sibling, and the key inside an object. */
static void value_start(struct dg_jw *w, const char *key)
{
	if (w->depth && w->more[w->depth - 1])
		put_c(w, ',');
	if (w->depth)
		w->more[w->depth - 1] = true;
	if (key) {
		put_string(w, key);
		put_c(w, ':');
	}
}

void dg_jw_open(struct dg_jw *w, const char *key, bool array)
{
	value_start(w, key);
	put_c(w, array ? '[' : '{');
	if (w->depth < DG_JW_DEPTH)
		w->more[w->depth] = false;
	w->depth++;
}

void dg_jw_close(struct dg_jw *w, bool array)
{
	w->depth--;
	put_c(w, array ? ']' : '}');
}

void dg_jw_string(struct dg_jw *w, const char *key, const char *v)
{
	value_start(w, key);
	if (v)
		put_string(w, v);
	else
		put(w, "null", 4);
}

void dg_jw_count(struct dg_jw *w, const char *key, unsigned long long v)
{
	char digits[24], *d = digits + sizeof(digits);

	value_start(w, key);
	if (v >= 1000000000000000ULL) { /* as dg_json_add_count: cJSON's own exponent form */
		cJSON *n = cJSON_CreateNumber((double)v);
		char *text = n ? cJSON_PrintUnformatted(n) : NULL;
		put(w, text ? text : "null", text ? strlen(text) : 4);
		free(text);
		cJSON_Delete(n);
		return;
	}
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	put(w, d, (size_t)(digits + sizeof(digits) - d));
}

void dg_jw_flush(struct dg_jw *w, FILE *out)
{
	if (out && w->len)
		fwrite(w->buf, 1, w->len, out);
	w->len = 0;
	w->depth = 0;
}

void dg_jw_free(struct dg_jw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}
