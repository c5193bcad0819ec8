/* suppress.h — inline suppressions: `-- ddlguard-ignore RULE…` comments (and squawk's
 * `-- squawk-ignore`) silence findings of one statement or of the whole file. */
#ifndef DG_SUPPRESS_H
#define DG_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

struct dg_ctx;

/* Drops the findings in ctx->out that a suppression comment covers, and adds the findings about
 * the comments themselves (unused, expired, without a reason, naming no rule). Runs once per
 * file, after every rule. */
void dg_suppress_apply(struct dg_ctx *ctx);

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
void dg_suppress_apply_comments(struct dg_ctx *ctx, const struct dg_comment *c, size_t n,
				const char *unit);

#endif
