/* verify-up-failed.c — reported by `ddlguard verify` (src/verify/), never by the static linter: the
 * rule is registered for its name, severity and doc (--list-rules, --explain, the reporters). */
#include "rule.h"

const struct dg_rule dg_rule_verify_up_failed = {
    .name = "verify-up-failed",
    .summary = "With `ddlguard verify`: a statement of the up section fails on a real PostgreSQL",
    .help =
	"Fix the statement so that it applies on a database the earlier migrations made; the server's message and SQLSTATE say why it failed.",
    .severity = DG_ERROR,
};
