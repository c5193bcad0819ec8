/* verify-not-verified.c — reported by `ddlguard verify` (src/verify/), never by the static linter:
 * the rule is registered for its name, severity and doc (--list-rules, --explain, the reporters).
 */
#include "rule.h"

const struct dg_rule dg_rule_verify_not_verified = {
    .name = "verify-not-verified",
    .summary =
	"With `ddlguard verify`: the migration was not run because an earlier step of its directory failed",
    .help = "Fix the failure it names; the migrations after it are verified on the next run.",
    .severity = DG_INFO,
};
