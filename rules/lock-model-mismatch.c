/* lock-model-mismatch.c — reported by `ddlguard verify` (src/verify/), never by the static linter:
 * the rule is registered for its name, severity and doc (--list-rules, --explain, the reporters).
 */
#include "rule.h"

const struct dg_rule dg_rule_lock_model_mismatch = {
    .name = "lock-model-mismatch",
    .summary =
	"With `ddlguard verify`: the locks PostgreSQL took for a statement differ from ddlguard's lock model",
    .help =
	"Trust the server's locks for this statement and report the statement to ddlguard (the lock model is wrong for it).",
    .severity = DG_WARNING,
};
