/* syntax-error.c — the parse stage reports these; the rule exists so it can be documented,
 * listed and turned off like any other. */
#include "rule.h"

const struct dg_rule dg_rule_syntax_error = {
    .name = "syntax-error",
    .summary = "A statement PostgreSQL cannot parse: the migration fails when it reaches it",
    .help = "Fix the statement; the position is where PostgreSQL's parser gave up.",
    .severity = DG_ERROR,
};
