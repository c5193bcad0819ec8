/* unused-ignore.c — a ddlguard-ignore comment that silences nothing. Reported by the engine's
 * suppression pass (src/suppress.c): comments are not in the AST, so there is nothing to check
 * here. */
#include "rule.h"

const struct dg_rule dg_rule_unused_ignore = {
    .name = "unused-ignore",
    .summary = "A ddlguard-ignore comment that silences nothing (or names no rule)",
    .help = "Delete the comment, or fix the rule name (see --list-rules): a stale suppression "
	    "would silently hide the next real problem in that statement.",
    .severity = DG_INFO,
};
