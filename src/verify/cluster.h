/* cluster.h — a throwaway PostgreSQL cluster for `ddlguard verify`: initdb into a temporary
 * directory, a server on a unix socket only (no TCP, fsync off), run as an unprivileged user
 * when we are root, stopped and removed at the end, on error and on SIGINT/SIGTERM. */
#ifndef DG_VERIFY_CLUSTER_H
#define DG_VERIFY_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct dg_cluster {
	char bindir[4096];
	char dir[4096];	     /* the temporary directory: data/, the socket, the logs */
	char conninfo[4300]; /* libpq connection string of its postgres database */
	bool as_nobody;	     /* the server runs as nobody (we are root) */
	bool started;
};

/* The directory of the PostgreSQL server binaries: `explicit_dir` (--pg-bin) when given, else
 * `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin; each must hold initdb, pg_ctl
 * and postgres. Returns false with a message in `err` (what to install, which flags avoid it). */
bool dg_cluster_find_bindir(const char *explicit_dir, char *out, size_t size, char *err,
			    size_t err_size);
/* initdb + pg_ctl start. False with the reason (and the tail of the server's log) in *err
 * (malloc'd); everything made so far is removed again. */
bool dg_cluster_start(struct dg_cluster *c, const char *bindir, char **err);
/* Stops the server (immediate) and removes the directory; safe to call twice. */
void dg_cluster_stop(struct dg_cluster *c);
/* SIGINT/SIGTERM/SIGHUP: stop the server at once (the run then ends through its normal error
 * path and removes the directory), and remember the signal for dg_cluster_signal_received. */
void dg_cluster_guard_signals(struct dg_cluster *c);
int dg_cluster_signal_received(void);

/* Runs argv[0] (a full path) with posix_spawn, stdout and stderr to `log` (NULL: /dev/null),
 * waits for it; its exit status, or -1 when it could not be started (errno). */
int dg_spawn_wait(char *const argv[], const char *log);

#endif
