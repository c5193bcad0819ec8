/* jsonw.c — a JSON writer for the lists a report has most of (report.h, struct dg_jw): each
 * element is written into one reused buffer and out in one call, byte for byte what
 * cJSON_PrintUnformatted gives for the same tree after dg_json_repair, without building the tree,
 * copying its strings to repair and print them, and freeing it again (for the JSON report that
 * was 40% of a run). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* Whether all 8 bytes of x are printed as they are (from ' ' to DEL, but '"' and '\\'): exact
 * as a whole, though not byte by byte (a borrow may mark a byte after one that is not plain). */
static bool plain8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return !((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x) & highs);
}

/* Copies the bytes of [p, end) printed as they are to o, up to the first that is not: their
 * count. o has room for 16 bytes more than it is given, wherever it is cut. */
static size_t plain_run(const unsigned char *p, const unsigned char *end, unsigned char *o)
{
	const unsigned char *from = p;

#ifdef __SSE2__
	/* sixteen at a time: below ' ' (as signed bytes, that is 0x80 and up too), '"', '\\' */
	for (; end - p >= 16; p += 16, o += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
				 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
					      _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')))));
		_mm_storeu_si128((__m128i *)(void *)o, x);
		if (m)
			return (size_t)(p - from) + (unsigned)__builtin_ctz(m);
	}
#endif
	for (; end - p >= 8; p += 8, o += 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		if (!plain8(x))
			break;
		memcpy(o, p, 8);
	}
	for (; p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\'; p++)
		*o++ = *p;
	return (size_t)(p - from);
}

static void put_string(struct dg_jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	unsigned char *o;

	/* the most a byte becomes is 6 ("\u00XX"), the quotes, and plain_run's 16 */
	room(w, 6 * (size_t)(end - p) + 2 + 16);
	o = (unsigned char *)w->buf + w->len;
	*o++ = '"';
	while (p < end) {
		size_t run = plain_run(p, end, o);
		unsigned char c;

		p += run;
		o += run;
		if (p >= end)
			break;
		c = *p;
		if (c >= 0x80) {
			size_t n = dg_utf8_seq_len((const char *)p);
			if (n) {
				memcpy(o, p, n);
				o += n;
				p += n;
			} else {
				memcpy(o, "\xEF\xBF\xBD", 3); /* dg_utf8_repair's U+FFFD */
				o += 3;
				p++;
			}
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*o++ = c;
			break;
		case '\b':
			*o++ = 'b';
			break;
		case '\f':
			*o++ = 'f';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		default: /* cJSON's "u%04x" */
			memcpy(o, "u00", 3);
			o[3] = (unsigned char)hex[c >> 4];
			o[4] = (unsigned char)hex[c & 15];
			o += 5;
		}
		p++;
	}
	*o++ = '"';
	w->len = (size_t)((char *)o - w->buf);
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
