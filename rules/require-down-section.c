/* require-down-section.c — a migration whose tool supports a way back, without one; in a
 * directory where no migration has one (a forward-only project), one finding for the
 * directory, at its first migration. */
#include <string.h>

#include "rule.h"

static void check_file(struct dg_ctx *ctx)
{
	size_t start, end, n;
	const char *down = dg_migration_down_path(ctx), *root;
	bool first;

	if (!dg_migration_format_has_down(ctx) || dg_migration_has_down(ctx))
		return;
	dg_migration_anchor(ctx, &start, &end);
	if (dg_migration_forward_only(ctx, &first, &n, &root)) {
		/* a project that never writes downs: one finding for the directory */
		if (first)
			dg_report_range(
			    ctx, start, end, NULL,
			    "none of the %zu %s migration%s in \"%s\" has a way back (a "
			    "forward-only directory, reported once at its first "
			    "migration): no change can be rolled back by the tool",
			    n, dg_migration_format(ctx), n == 1 ? "" : "s", *root ? root : ".");
	} else if (down) {
		dg_report_range(
		    ctx, start, end, NULL,
		    "%s migration without a way back: \"%s\" does not exist, so this change "
		    "cannot be rolled back by the tool",
		    dg_migration_format(ctx), down);
	} else {
		dg_report_range(
		    ctx, start, end, NULL,
		    "%s migration without a down section: this change cannot be rolled back "
		    "by the tool",
		    dg_migration_format(ctx));
	}
}

const struct dg_rule dg_rule_require_down_section = {
    .name = "require-down-section",
    .summary = "A migration without a down (rollback) section",
    .help = "Write the statements that undo this migration in its down section (or down file), "
	    "so that a bad deployment can be rolled back by the migration tool.",
    .severity = DG_WARNING,
    .check_file = check_file,
};
