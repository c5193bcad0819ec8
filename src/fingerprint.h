/* fingerprint.h — stable identities for findings: a hash of the path, the rule and the
 * statement's text with whitespace and comments normalized away, so that a finding keeps its
 * fingerprint when lines above it are added or removed (GitLab Code Quality, baselines). */
#ifndef DG_FINGERPRINT_H
#define DG_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#define DG_FNV_INIT UINT64_C(0xcbf29ce484222325)

uint64_t dg_fnv1a(uint64_t h, const void *data, size_t n);
/* Hashes the tokens of s[start, end) one space apart: whitespace and comments do not count. */
uint64_t dg_hash_normalized(uint64_t h, const char *s, size_t start, size_t end);

#endif
