/* closest.h — the nearest valid name to a mistyped one, for "did you mean" messages. */
#ifndef DG_CLOSEST_H
#define DG_CLOSEST_H

#include <stddef.h>

/* The candidate with the smallest Levenshtein distance to `name`, when it is near enough to be
 * a plausible typo (at most 3 edits, or half the length of a longer name); else NULL. */
const char *dg_closest_name(const char *name, const char *const *cands, size_t n);

#endif
