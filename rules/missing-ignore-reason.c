/* missing-ignore-reason.c — a ddlguard-ignore comment without `reason:`. Opt-in
 * (--require-reason or the config file); reported by the engine's suppression pass
 * (src/suppress.c). */
#include "rule.h"

const struct dg_rule dg_rule_missing_ignore_reason = {
    .name = "missing-ignore-reason",
    .summary = "A ddlguard-ignore comment that does not say why (with --require-reason)",
    .help = "Add 'reason: …' to the comment: why the lock, rewrite or break is acceptable here "
	    "(small table, maintenance window, new table nobody reads yet).",
    .severity = DG_WARNING,
    .off_by_default = true,
};
