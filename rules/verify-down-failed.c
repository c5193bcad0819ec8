/* verify-down-failed.c — reported by `ddlguard verify` (src/verify/), never by the static linter:
 * the rule is registered for its name, severity and doc (--list-rules, --explain, the reporters).
 */
#include "rule.h"

const struct dg_rule dg_rule_verify_down_failed = {
    .name = "verify-down-failed",
    .summary =
	"With `ddlguard verify`: a statement of the down section fails right after the up section ran",
    .help =
	"Make the down section undo exactly what the up section did, in reverse order (drop what was created before what it depends on).",
    .severity = DG_ERROR,
};
