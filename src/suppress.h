/* suppress.h — inline suppressions: `-- ddlguard-ignore RULE…` comments (and squawk's
 * `-- squawk-ignore`) silence findings of one statement or of the whole file. */
#ifndef DG_SUPPRESS_H
#define DG_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

struct dg_result;

/* What suppression works on: plain findings of one file, after every rule ran. It sits after the
 * engine in the pipeline and knows nothing of it: findings about the comments themselves go
 * back through `emit`. */
struct dg_suppressor {
	const struct dg_source *src;
	struct dg_result *out; /* the file's findings: those a comment covers are dropped */
	const bool *enabled;   /* per rule id (registry.h) */
	/* reports a finding of rule `rule` at [start, end) of the source */
	void (*emit)(void *arg, size_t rule, size_t start, size_t end, const char *message);
	void *arg;
};

/* A statement's byte range [start, end) in the source. */
struct dg_span {
	size_t start, end;
};

/* Drops the findings that a suppression comment covers (a statement-level one covers the
 * statement after it, among `stmts`), and adds the findings about the comments themselves
 * (unused, expired, without a reason, naming no rule). */
void dg_suppress_apply(const struct dg_suppressor *s, const struct dg_span *stmts, size_t n_stmts);

/* A comment another front half found (a YAML '#' comment): [start, end) is the comment, `body`
 * where the text after its marker starts; a statement-level directive in it covers the findings
 * starting in [target_start, target_end] (none when !has_target). */
struct dg_comment {
	size_t start, end, body;
	size_t target_start, target_end;
	bool has_target;
};

/* dg_suppress_apply for comments found by the caller; `unit` names what a directive covers in
 * messages ("key"). */
void dg_suppress_apply_comments(const struct dg_suppressor *s, const struct dg_comment *c, size_t n,
				const char *unit);

#endif
