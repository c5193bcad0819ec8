/* fingerprint.h — stable identities for findings: a hash of the path, the rule and the
 * statement's text with whitespace and comments normalized away, so that a finding keeps its
 * fingerprint when lines above it are added or removed (GitLab Code Quality, baselines). */
#ifndef DG_FINGERPRINT_H
#define DG_FINGERPRINT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define DG_FNV_INIT UINT64_C(0xcbf29ce484222325)

uint64_t dg_fnv1a(uint64_t h, const void *data, size_t n);
/* Hashes the tokens of s[start, end) one space apart: whitespace and comments do not count. */
uint64_t dg_hash_normalized(uint64_t h, const char *s, size_t start, size_t end);
/* The bytes dg_hash_normalized hashes over s[start, end), kept with where each token came
 * from, so that any span made of whole tokens is hashed without lexing it again. */
struct dg_norm_token {
	size_t src_start, src_end; /* in s */
	size_t off;		   /* in text */
};
struct dg_normalized {
	const char *src; /* the text it was built from */
	char *text;	 /* the tokens one space apart (not NUL-terminated) */
	size_t len, cap;
	struct dg_norm_token *tokens;
	size_t n, ncap;
};
void dg_normalized_build(struct dg_normalized *n, const char *s, size_t start, size_t end);
/* Where in n->text the bytes dg_hash_normalized(s, start, end) hashes lie, when the span starts
 * at a token and cuts none (false otherwise, or when it holds no token). */
bool dg_normalized_span(const struct dg_normalized *n, size_t start, size_t end, size_t *off,
			size_t *len);
void dg_normalized_free(struct dg_normalized *n);

#endif
