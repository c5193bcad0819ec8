/* verify-down-incomplete.c — reported by `ddlguard verify` (src/verify/), never by the static
 * linter: the rule is registered for its name, severity and doc (--list-rules, --explain, the
 * reporters). */
#include "rule.h"

const struct dg_rule dg_rule_verify_down_incomplete = {
    .name = "verify-down-incomplete",
    .summary =
	"With `ddlguard verify`: after up and down the schema differs from the one before the up",
    .help =
	"Add to the down section whatever undoes the object named (drop what the up section created, re-create what it dropped).",
    .severity = DG_ERROR,
};
