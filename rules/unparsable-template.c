/* unparsable-template.c — a statement that is a template or a psql script, not SQL yet. The parse
 * stage finds these (a statement that fails to parse and holds `{{`, `${` or a psql variable,
 * and still fails once src/template.c rendered it with stand-ins); the rule exists so it can be
 * documented, listed and turned off like any other. */
#include "rule.h"

const struct dg_rule dg_rule_unparsable_template = {
    .name = "unparsable-template",
    .summary =
	"A templated or psql-variable statement that does not parse even with stand-ins for its "
	"markers",
    .help = "Lint the rendered SQL (run the template engine or substitute the placeholders and "
	    "psql variables first), or turn this rule off for templated migrations.",
    .severity = DG_INFO,
};
