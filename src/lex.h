/* lex.h — the little lexing ddlguard needs outside the parser: skipping whitespace and comments,
 * finding where a statement's last token ends, and splitting clauses at top-level commas. */
#ifndef DG_LEX_H
#define DG_LEX_H

#include <stdbool.h>
#include <stddef.h>

/* Offset of the first byte at or after `i` that is not whitespace or a comment. */
size_t dg_skip_trivia(const char *s, size_t i, size_t n);
/* End (exclusive) of the last token in [i, n), ignoring trailing whitespace and comments;
 * `i` when there is none. */
size_t dg_last_token_end(const char *s, size_t i, size_t n);
/* Offset just past the token (string, identifier, dollar-quoted body, …) starting at `i`. */
size_t dg_token_end(const char *s, size_t i, size_t n);
/* End of the comma-separated clause that starts at `i`: tokens up to (not including) a ',' or
 * closing bracket at the same depth, or a ';'. */
size_t dg_clause_end(const char *s, size_t i, size_t n);

/* Whether buf[0, len) holds `word` anywhere, in any case (its first two bytes are looked for
 * sixteen or eight places at a time). */
bool dg_holds_ci(const char *buf, size_t len, const char *word);

#endif
