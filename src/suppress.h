/* suppress.h — inline suppressions: `-- ddlguard-ignore RULE…` comments (and squawk's
 * `-- squawk-ignore`) silence findings of one statement or of the whole file. */
#ifndef DG_SUPPRESS_H
#define DG_SUPPRESS_H

struct dg_ctx;

/* Drops the findings in ctx->out that a suppression comment covers, and adds the findings about
 * the comments themselves (unused, expired, without a reason, naming no rule). Runs once per
 * file, after every rule. */
void dg_suppress_apply(struct dg_ctx *ctx);

#endif
