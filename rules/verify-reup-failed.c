/* verify-reup-failed.c — reported by `ddlguard verify` (src/verify/), never by the static linter:
 * the rule is registered for its name, severity and doc (--list-rules, --explain, the reporters).
 */
#include "rule.h"

const struct dg_rule dg_rule_verify_reup_failed = {
    .name = "verify-reup-failed",
    .summary = "With `ddlguard verify`: the up section fails when run again after the down section",
    .help =
	"Make the down section remove everything the up section creates, so that the migration can be applied again after a rollback.",
    .severity = DG_ERROR,
};
