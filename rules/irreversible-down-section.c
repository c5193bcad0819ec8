/* irreversible-down-section.c — a down section (or down file) that is empty or only comments:
 * the tool "rolls back" by running nothing. */
#include "rule.h"

static void check_file(struct dg_ctx *ctx)
{
	for (size_t i = 0; i < dg_section_count(ctx); i++) {
		struct dg_section_info s = dg_section_at(ctx, i);

		if (s.dir != DG_DIR_DOWN || s.n_statements || s.has_errors)
			continue;
		dg_report_section(
		    ctx, &s,
		    "the down %s is empty or holds only comments: rolling this migration "
		    "back with %s runs nothing, yet the tool records it as undone while its "
		    "changes stay in the database",
		    s.start == 0 ? "file" : "section", dg_migration_format(ctx));
	}
}

const struct dg_rule dg_rule_irreversible_down_section = {
    .name = "irreversible-down-section",
    .summary = "An empty or comment-only down section: the migration cannot really be rolled "
	       "back",
    .help = "Write the statements that undo the up section, or — if the team ships "
	    "forward-only on purpose — say so in a comment and disable this rule "
	    "(--disable irreversible-down-section).",
    .severity = DG_INFO,
    .check_file = check_file,
};
