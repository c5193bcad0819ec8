/* modified-applied-migration.c — with --diff-base: a migration that already existed at the base
 * revision (so has already run somewhere) was edited. The fact comes from version control
 * through dg_migration_history(). */
#include "rule.h"

static void check_file(struct dg_ctx *ctx)
{
	struct dg_history h = dg_migration_history(ctx);
	size_t start, end;

	if (h.state != DG_HISTORY_MODIFIED)
		return;
	dg_migration_anchor(ctx, &start, &end);
	dg_report_range(
	    ctx, start, end, NULL,
	    "this migration existed at %s and was edited: databases that already ran it "
	    "never run it again, so the edit does not reach them and environments drift "
	    "apart",
	    h.base ? h.base : "the base revision");
}

const struct dg_rule dg_rule_modified_applied_migration = {
    .name = "modified-applied-migration",
    .summary = "An already-applied migration was edited (with --diff-base)",
    .help = "Revert the edit and write a new migration that makes the change; migration tools "
	    "record applied versions and never re-run them (some refuse to start on a checksum "
	    "mismatch).",
    .severity = DG_ERROR,
    .check_file = check_file,
};
