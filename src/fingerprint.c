/* fingerprint.c — FNV-1a over normalized SQL text (see fingerprint.h). */
#include "fingerprint.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lex.h"

uint64_t dg_fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* The next token of s[*i, end) after whitespace and comments: its start in *tok, its end in *i;
 * false at the end. */
static bool next_token(const char *s, size_t *i, size_t end, size_t *tok)
{
	size_t t;

	*i = dg_skip_trivia(s, *i, end);
	if (*i >= end)
		return false;
	t = dg_token_end(s, *i, end);
	if (t > end)
		t = end;
	if (t <= *i)
		t = *i + 1;
	*tok = *i;
	*i = t;
	return true;
}

uint64_t dg_hash_normalized(uint64_t h, const char *s, size_t start, size_t end)
{
	size_t i = start, tok;

	for (bool first = true; next_token(s, &i, end, &tok); first = false) {
		if (!first)
			h = dg_fnv1a(h, " ", 1);
		h = dg_fnv1a(h, s + tok, i - tok);
	}
	return h;
}

void dg_normalized_build(struct dg_normalized *n, const char *s, size_t start, size_t end)
{
	size_t i = start, tok;

	n->src = s;
	n->len = 0;
	n->n = 0;
	for (bool first = true; next_token(s, &i, end, &tok); first = false) {
		size_t need = n->len + (i - tok) + 1;
		if (need > n->cap) {
			n->cap = n->cap ? n->cap : 256;
			while (n->cap < need)
				n->cap *= 2;
			n->text = dg_xrealloc(n->text, n->cap);
		}
		if (n->n == n->ncap) {
			n->ncap = n->ncap ? n->ncap * 2 : 64;
			n->tokens = dg_xrealloc(n->tokens, n->ncap * sizeof(*n->tokens));
		}
		if (!first)
			n->text[n->len++] = ' ';
		n->tokens[n->n++] = (struct dg_norm_token){tok, i, n->len};
		memcpy(n->text + n->len, s + tok, i - tok);
		n->len += i - tok;
	}
}

bool dg_normalized_span(const struct dg_normalized *n, size_t start, size_t end, size_t *off,
			size_t *len)
{
	if (!n->src)
		return false;
	size_t lo = 0, hi = n->n, last;

	/* the first token that starts at or after `start` */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (n->tokens[mid].src_start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* lexing from `start` gives the same tokens only from a token's own start */
	if (lo == n->n || n->tokens[lo].src_start != start)
		return false;
	/* the tokens that end by `end`; one cut by `end` would hash differently */
	for (hi = n->n, last = lo; last < hi;) {
		size_t mid = last + (hi - last) / 2;
		if (n->tokens[mid].src_end <= end)
			last = mid + 1;
		else
			hi = mid;
	}
	if (last < n->n && n->tokens[last].src_start < end)
		return false;
	/* what lies between the last token and `end` must stay trivia when cut there (half a
	 * comment, "-", is a token) */
	if (last > lo && dg_skip_trivia(n->src, n->tokens[last - 1].src_end, end) < end)
		return false;
	*off = n->tokens[lo].off;
	*len = last > lo ? n->tokens[last - 1].off +
			       (n->tokens[last - 1].src_end - n->tokens[last - 1].src_start) - *off
			 : 0;
	return last > lo;
}

void dg_normalized_free(struct dg_normalized *n)
{
	free(n->text);
	free(n->tokens);
	memset(n, 0, sizeof(*n));
}
