/* verify-reup-mismatch.c — reported by `ddlguard verify` (src/verify/), never by the static linter:
 * the rule is registered for its name, severity and doc (--list-rules, --explain, the reporters).
 */
#include "rule.h"

const struct dg_rule dg_rule_verify_reup_mismatch = {
    .name = "verify-reup-mismatch",
    .summary = "With `ddlguard verify`: up after down gives another schema than the first up",
    .help =
	"Make the down section restore the schema the up section started from, so that running up again gives the same result.",
    .severity = DG_WARNING,
};
