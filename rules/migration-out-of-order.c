/* migration-out-of-order.c — with --diff-base: a new migration sorts before the newest one that
 * already existed at the base revision in its directory. */
#include "rule.h"

static void check_file(struct dg_ctx *ctx)
{
	struct dg_history h = dg_migration_history(ctx);
	size_t start, end;

	if (h.state != DG_HISTORY_ADDED || !h.newest_at_base)
		return;
	dg_migration_anchor(ctx, &start, &end);
	dg_report_range(
	    ctx, start, end, NULL,
	    "new migration sorts before \"%s\", the newest one at %s: databases already "
	    "past it either refuse it (golang-migrate, Flyway) or run it after newer "
	    "migrations it was not written against",
	    h.newest_at_base, h.base ? h.base : "the base revision");
}

const struct dg_rule dg_rule_migration_out_of_order = {
    .name = "migration-out-of-order",
    .summary = "A new migration sorts before one that was already merged (with --diff-base)",
    .help = "Rename the migration with a version after the newest existing one (regenerate its "
	    "timestamp) so that every database applies migrations in the same order.",
    .severity = DG_WARNING,
    .check_file = check_file,
};
