/* migration.h — migration tools' conventions: which format a file is in, where its up and down
 * sections are, and whether the tool runs each inside a transaction. */
#ifndef DG_MIGRATION_H
#define DG_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>

#include "ddlguard/ddlguard.h"
#include "arena.h"
#include "source.h"

enum dg_tx_mode {
	DG_TX_AUTOCOMMIT = 0, /* each statement commits on its own unless BEGIN says otherwise */
	DG_TX_WRAPPED,        /* the tool wraps the whole section in one transaction */
	/* the tool sends the section as one multi-statement query: PostgreSQL runs it as one
	 * implicit transaction when it holds more than one statement */
	DG_TX_IMPLICIT,
};

struct dg_section {
	size_t start, end; /* byte range in the source text */
	enum dg_direction dir;
	enum dg_tx_mode tx;
};

struct dg_migration {
	const char *format; /* "plain", "dbmate", "golang-migrate" */
	struct dg_section *sections;
	size_t n_sections;
	/* Whether the format has a way back, and whether this migration provides it. */
	bool format_has_down;
	bool has_down;
	/* Where to point a finding about the migration as a whole (the up marker, or 0). */
	size_t anchor_start, anchor_end;
	/* For file-pair formats: the file that would hold the way back. */
	const char *down_path;
	/* For the down file of a file-pair format: the up file it undoes (it may not exist). */
	const char *up_path;
};

void dg_migration_detect(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m);
/* The format forced by the configuration: the file is split as `format` says, or as plain SQL
 * when it does not look like that format at all. */
void dg_migration_detect_as(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m,
			    const char *format);
/* The static name of a known format, or NULL. */
const char *dg_migration_format_name(const char *name);

#endif
