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
	DG_TX_WRAPPED,	      /* the tool wraps the whole section in one transaction */
	/* The tool sends the section to the server as one query string (simple protocol): a
	 * single statement runs alone, several form one implicit transaction block, in which
	 * CREATE INDEX CONCURRENTLY & co. fail like inside BEGIN … COMMIT. */
	DG_TX_IMPLICIT,
};

struct dg_section {
	size_t start, end; /* byte range in the source text */
	enum dg_direction dir;
	enum dg_tx_mode tx;
	/* Consecutive WRAPPED sections with the same nonzero unit run in one transaction (goose,
	 * sql-migrate: a StatementBegin block is its own section but shares the direction's). */
	unsigned unit;
};

struct dg_migration {
	const char *format; /* static: one of dg_migration_format_name(i) */
	struct dg_section *sections;
	size_t n_sections;
	/* Whether the format has a way back, and whether this migration provides it. */
	bool format_has_down;
	bool has_down;
	/* Where to point a finding about the migration as a whole (the up marker, or 0). */
	size_t anchor_start, anchor_end;
	/* For file-pair formats: the file that would hold the way back. */
	const char *down_path;
	/* static: why the tool never runs this file on PostgreSQL (another dialect's variant);
	 * such a file has no sections. NULL otherwise. */
	const char *skipped;
	/* For the down file of a file-pair format: the up file it undoes (it may not exist). */
	const char *up_path;
	/* pg_dump output (or another schema snapshot): not a migration, so nothing in it is
	 * reported, but what it creates is read into schema memory. Its one section is UP. */
	bool snapshot;
	/* The tool's transaction mode is not known (plain SQL nobody claimed): the run's summary
	 * says so per directory, with the configuration line that fixes it. */
	bool tx_unknown;
};

void dg_migration_detect(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m);
/* As dg_migration_detect, with `format` (a format's name) instead of auto-detection when not
 * NULL; `pg_version` matters where a tool's choice depends on the server (Flyway). */
void dg_migration_detect_as(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m,
			    const char *format, int pg_version);
/* Reorders the files of directory `dir` (full paths) into the order their migration tool
 * applies them: numeric versions compared as numbers (2 before 10, Flyway's 1.1 before 1.10),
 * Flyway's repeatable R__ after the versioned, sqitch changes in sqitch.plan's order. */
void dg_migration_order_files(const char *dir, char **paths, size_t n);
/* Whether any migration of a migration root has a way back. The root is the directory of
 * `path`, or the folder above it for formats with one folder per migration (diesel, hasura).
 * Its files are detected as `format` would read them (NULL: auto-detection); the answer is kept
 * for the next file of the same root. False when the root cannot be read. */
struct dg_down_census {
	size_t n_migrations; /* forward migrations of a format that has a way back */
	bool any_down;	     /* some of them has one */
	const char *first;   /* the first in the tool's order, relative to the root */
	const char *root;    /* the root, as `path` names it ("" for the current directory) */
};
bool dg_migration_down_census(const char *path, const char *format, int pg_version,
			      struct dg_down_census *out);
/* The migration root of `path` read as `format` (NULL: unknown): the directory whose files one
 * runner applies in order, so they share one schema memory. It is the file's directory, or the
 * folder above for formats with one folder per migration (prisma's <ts>_name/migration.sql,
 * diesel's and hasura's <ts>_name/up.sql), and above a version folder (v1.2/, 1.3.0/) holding a
 * release's migrations. "." for a bare name; no trailing '/'. A pure function of its arguments
 * (no file is read); the caller frees the result. */
char *dg_migration_root_key(const char *path, const char *format);
/* The order in which a runner takes the folders of a migration root: runs of digits compared
 * as numbers (v1.9 before v1.10), the rest byte by byte. */
int dg_migration_cmp_names(const char *a, const char *b);
/* Digit runs compare as numbers (9_x before 10_x, V2 before V10), the rest bytewise; 0 for
 * names that differ only in leading zeros. */
int dg_natural_cmp(const char *a, const char *b);
/* The known formats' names, for --migration-format: NULL past the last. */
const char *dg_migration_format_name(size_t i);
/* The static name of the known format called `name`, or NULL. */
const char *dg_migration_format_find(const char *name);

/* The entries of directory `dir` but "." and "..", with their dirent types (DT_REG, DT_DIR,
 * DT_UNKNOWN…), in readdir's order; NULL when it cannot be listed. Kept per thread while the
 * directory's mtime holds (a stat instead of an open, a listing and a close: the schema memory
 * walks each directory of a root twice, for the lint order and for the history). Valid until
 * the next call on this thread. */
struct dg_dirent {
	char *name;
	unsigned char type;
};
const struct dg_dirent *dg_dir_list(const char *dir, size_t *n);

/* Frees the calling thread's caches of directory listings, marker and census answers (each
 * thread keeps its own: a --jobs worker calls it before it ends). */
void dg_migration_caches_free(void);

#endif
