/* verify-missing-extension.c — reported by `ddlguard verify` (src/verify/), never by the static
 * linter: the rule is registered for its name, severity and doc (--list-rules, --explain, the
 * reporters). */
#include "rule.h"

const struct dg_rule dg_rule_verify_missing_extension = {
    .name = "verify-missing-extension",
    .summary =
	"With `ddlguard verify`: the migration needs a PostgreSQL extension the server does not have",
    .help =
	"Install the extension's package on the servers the migration runs on (and on the one verify uses), or drop the dependency.",
    .severity = DG_ERROR,
};
