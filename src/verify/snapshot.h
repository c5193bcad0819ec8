/* snapshot.h — the schema of a database read from its catalogs, normalised into (kind, name,
 * definition) items, and a structural comparison of two snapshots in plain words. */
#ifndef DG_VERIFY_SNAPSHOT_H
#define DG_VERIFY_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

struct dg_snap_item {
	char *kind; /* "table", "column", "index", … */
	char *name; /* "users", "users.email", "audit.events" (public. is left out) */
	char *def;  /* the normalised definition; two items are equal when kind, name, def are */
};

struct dg_snapshot {
	struct dg_snap_item *items; /* sorted by kind, then name */
	size_t n;
};

/* Reads the snapshot of the database `conn` is connected to; false with the server's message
 * in `err` when a catalog query fails. */
bool dg_snapshot_take(PGconn *conn, struct dg_snapshot *out, char *err, size_t err_size);
void dg_snapshot_free(struct dg_snapshot *s);

/* One difference between an expected snapshot and the one found. */
struct dg_snap_diff {
	const struct dg_snap_item *expected; /* NULL: only in the found snapshot (left over) */
	const struct dg_snap_item *found;    /* NULL: missing from the found snapshot */
};
/* Calls fn for every difference, in kind/name order; returns how many. */
size_t dg_snapshot_compare(const struct dg_snapshot *expected, const struct dg_snapshot *found,
			   void (*fn)(const struct dg_snap_diff *d, void *arg), void *arg);

#endif
