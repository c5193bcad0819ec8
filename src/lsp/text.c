/* text.c — the language server's view of a document: lines as LSP counts them, positions in
 * UTF-16 code units, incremental edits, and file URIs. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lsp/lsp.h"

void dg_lsp_lines_init(struct dg_lsp_lines *l, const char *s, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
			n++;
	l->starts = dg_xmalloc(n * sizeof(*l->starts));
	l->starts[0] = 0;
	l->n = 1;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
			l->starts[l->n++] = i + 1;
}

void dg_lsp_lines_free(struct dg_lsp_lines *l)
{
	free(l->starts);
	l->starts = NULL;
	l->n = 0;
}

/* UTF-16 code units of the character whose first byte is b: 0 for a continuation byte (it
 * belongs to the character before), 2 for one outside the Basic Multilingual Plane. */
static unsigned units(unsigned char b)
{
	if ((b & 0xC0) == 0x80)
		return 0;
	return b >= 0xF0 ? 2 : 1;
}

/* The end of line `line`'s text, before its line break. */
static size_t line_end(const struct dg_lsp_lines *l, const char *s, size_t len, size_t line)
{
	size_t e = line + 1 < l->n ? l->starts[line + 1] : len;

	if (e > l->starts[line] && line + 1 < l->n && s[e - 1] == '\n')
		e--;
	if (e > l->starts[line] && line + 1 < l->n && s[e - 1] == '\r')
		e--;
	return e;
}

void dg_lsp_position(const struct dg_lsp_lines *l, const char *s, size_t len, size_t offset,
		     unsigned *line, unsigned *character)
{
	size_t lo = 0, hi = l->n - 1, c = 0;

	if (offset > len)
		offset = len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (l->starts[mid] <= offset)
			lo = mid;
		else
			hi = mid - 1;
	}
	for (size_t i = l->starts[lo]; i < offset;) {
		size_t next = i + 1;
		while (next < len && (((unsigned char)s[next]) & 0xC0) == 0x80)
			next++;
		if (next > offset)
			break; /* inside this character: its start */
		c += units((unsigned char)s[i]) ? units((unsigned char)s[i]) : 1;
		i = next;
	}
	*line = (unsigned)lo;
	*character = (unsigned)c;
}

size_t dg_lsp_offset(const struct dg_lsp_lines *l, const char *s, size_t len, unsigned line,
		     unsigned character)
{
	size_t i, e, c = 0;

	if (line >= l->n)
		return len;
	i = l->starts[line];
	e = line_end(l, s, len, line);
	while (i < e) {
		size_t u = units((unsigned char)s[i]), next = i + 1;
		if (u == 0) { /* a stray continuation byte: a character of its own */
			u = 1;
		}
		while (next < e && (((unsigned char)s[next]) & 0xC0) == 0x80)
			next++;
		if (c + u > character)
			break;
		c += u;
		i = next;
	}
	return i;
}

void dg_lsp_splice(char **s, size_t *len, size_t start, size_t end, const char *text, size_t tlen)
{
	size_t n;
	char *r;

	if (end > *len)
		end = *len;
	if (start > end)
		start = end;
	n = *len - (end - start) + tlen;
	r = dg_xmalloc(n + 1);
	memcpy(r, *s, start);
	memcpy(r + start, text, tlen);
	memcpy(r + start + tlen, *s + end, *len - end);
	r[n] = '\0';
	free(*s);
	*s = r;
	*len = n;
}

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *dg_lsp_uri_to_path(const char *uri)
{
	const char *p;
	char *out, *o;

	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	p = uri + 7;
	if (strncmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/')
		return NULL; /* another host's file */
	out = o = dg_xmalloc(strlen(p) + 1);
	for (; *p && *p != '?' && *p != '#'; p++) {
		int a, b;
		if (*p == '%' && (a = hex((unsigned char)p[1])) >= 0 &&
		    (b = hex((unsigned char)p[2])) >= 0) {
			*o++ = (char)(a * 16 + b);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	if (memchr(out, '\0', (size_t)(o - out))) {
		free(out);
		return NULL;
	}
	return out;
}

char *dg_lsp_path_to_uri(const char *path)
{
	static const char digits[] = "0123456789ABCDEF";
	char *out = dg_xmalloc(7 + 3 * strlen(path) + 1), *o = out;

	memcpy(o, "file://", 7);
	o += 7;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("/-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = digits[*p >> 4];
			*o++ = digits[*p & 15];
		}
	}
	*o = '\0';
	return out;
}
