/* cluster.c — a throwaway PostgreSQL cluster: the binaries, initdb, pg_ctl, cleanup (the same
 * recipe as tests/pg/run.sh, with posix_spawn instead of a shell). */
#include "cluster.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "source.h"

extern char **environ;

#define PORT "5432"

static volatile sig_atomic_t got_signal;
static volatile pid_t postmaster_pid;

static bool executable(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, X_OK) == 0;
}

static bool has_server(const char *dir)
{
	return executable(dir, "initdb") && executable(dir, "pg_ctl") &&
	       executable(dir, "postgres");
}

int dg_spawn_wait(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log ? log : "/dev/null",
					 O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* `pg_config --bindir`, read through a pipe. */
static bool pg_config_bindir(char *out, size_t size)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = {"pg_config", "--bindir", NULL};
	int fds[2], st;
	pid_t pid;
	ssize_t n;
	size_t len = 0;

	if (pipe(fds) != 0)
		return false;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	if (posix_spawnp(&pid, "pg_config", &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (len + 1 < size && (n = read(fds[0], out + len, size - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
	}
	close(fds[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	out[len] = '\0';
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return len > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

bool dg_cluster_find_bindir(const char *explicit_dir, char *out, size_t size, char *err,
			    size_t err_size)
{
	glob_t g;
	int best = -1;

	if (explicit_dir) {
		if (has_server(explicit_dir)) {
			snprintf(out, size, "%s", explicit_dir);
			return true;
		}
		snprintf(err, err_size,
			 "--pg-bin %s: no PostgreSQL server binaries there (initdb, pg_ctl and "
			 "postgres): install the Debian package postgresql-15 and name its bin "
			 "directory, or verify on a server you have with --database-url URL",
			 explicit_dir);
		return false;
	}
	if (pg_config_bindir(out, size) && has_server(out))
		return true;
	if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			int v = atoi(g.gl_pathv[i] + strlen("/usr/lib/postgresql/"));
			if (v > best && has_server(g.gl_pathv[i])) {
				best = v;
				snprintf(out, size, "%s", g.gl_pathv[i]);
			}
		}
		globfree(&g);
	}
	if (best >= 0)
		return true;
	snprintf(
	    err, err_size,
	    "no PostgreSQL server binaries found (pg_config --bindir, /usr/lib/postgresql/*/bin): "
	    "install the Debian package postgresql-15, or name them with --pg-bin DIR, or verify "
	    "on a server you have with --database-url URL");
	return false;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* The last `max` bytes of a file, from the start of a line. */
static char *tail_of(const char *path, size_t max)
{
	size_t len = 0;
	int e;
	char *buf = dg_read_path(path, &len, &e), *start, *out;

	if (!buf)
		return dg_xstrdup("(no log)");
	start = buf;
	if (len > max) {
		start = buf + len - max;
		char *nl = strchr(start, '\n');
		if (nl)
			start = nl + 1;
	}
	out = dg_xstrdup(start);
	free(buf);
	return out;
}

static char *fail(struct dg_cluster *c, const char *what, const char *log)
{
	char *tail = log ? tail_of(log, 2000) : NULL;
	size_t n = strlen(what) + (tail ? strlen(tail) : 0) + 64;
	char *msg = dg_xmalloc(n);

	if (tail)
		snprintf(msg, n, "%s; the end of its log:\n%s", what, tail);
	else
		snprintf(msg, n, "%s", what);
	free(tail);
	dg_cluster_stop(c);
	return msg;
}

/* argv for running `prog` as the server's user: nobody when we are root. */
static void user_argv(const struct dg_cluster *c, char **argv, size_t *n)
{
	*n = 0;
	if (c->as_nobody) {
		argv[(*n)++] = "runuser";
		argv[(*n)++] = "-u";
		argv[(*n)++] = "nobody";
		argv[(*n)++] = "--";
	}
}

static int run_pg(const struct dg_cluster *c, const char *prog, char *const *args, const char *log)
{
	char *argv[32], path[4200];
	size_t n;

	user_argv(c, argv, &n);
	snprintf(path, sizeof(path), "%s/%s", c->bindir, prog);
	argv[n++] = path;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return dg_spawn_wait(argv, log);
}

static bool plain_path(const char *s)
{
	for (; *s; s++)
		if (!(s[0] == '/' || s[0] == '_' || s[0] == '-' || s[0] == '.' ||
		      (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
		      (s[0] >= '0' && s[0] <= '9')))
			return false;
	return true;
}

bool dg_cluster_start(struct dg_cluster *c, const char *bindir, char **err)
{
	const char *tmp = getenv("TMPDIR");
	char data[4200], log[4200], initlog[4200], opts[9000], pidfile[4400];
	struct passwd *pw = NULL;
	FILE *fp;

	memset(c, 0, sizeof(*c));
	snprintf(c->bindir, sizeof(c->bindir), "%s", bindir);
	c->as_nobody = geteuid() == 0;
	if (c->as_nobody) {
		pw = getpwnam("nobody");
		if (!pw) {
			*err = dg_xstrdup("running as root, and there is no user 'nobody' to run "
					  "the PostgreSQL server as (initdb refuses root)");
			return false;
		}
		tmp = "/tmp"; /* nobody must reach it whatever TMPDIR says */
	}
	/* the socket path has ~100 bytes; pg_ctl hands the options to a shell */
	if (!tmp || !*tmp || strlen(tmp) > 60 || !plain_path(tmp))
		tmp = "/tmp";
	snprintf(c->dir, sizeof(c->dir), "%s/ddlguard-verify.XXXXXX", tmp);
	if (!mkdtemp(c->dir)) {
		char msg[4400];
		snprintf(msg, sizeof(msg), "cannot make a temporary directory in %s: %s", tmp,
			 strerror(errno));
		c->dir[0] = '\0';
		*err = dg_xstrdup(msg);
		return false;
	}
	if (c->as_nobody &&
	    (chmod(c->dir, 0700) != 0 || chown(c->dir, pw->pw_uid, pw->pw_gid) != 0))
		return (*err = fail(c, "cannot hand the temporary directory to nobody", NULL)),
		       false;
	snprintf(data, sizeof(data), "%s/data", c->dir);
	snprintf(log, sizeof(log), "%s/server.log", c->dir);
	snprintf(initlog, sizeof(initlog), "%s/initdb.log", c->dir);
	{
		char *args[] = {
		    "-D",   data,	   "-U",	"postgres",	     "-A", "trust", "-E",
		    "UTF8", "--no-locale", "--no-sync", "--no-instructions", NULL};
		int rc = run_pg(c, "initdb", args, initlog);
		if (rc != 0) {
			char what[256];
			snprintf(what, sizeof(what), "initdb failed (%s %d)",
				 rc < 0 ? "could not run it, errno" : "exit status",
				 rc < 0 ? errno : rc);
			*err = fail(c, what, rc < 0 ? NULL : initlog);
			return false;
		}
	}
	snprintf(opts, sizeof(opts),
		 "-c listen_addresses='' -c unix_socket_directories='%s' -c port=" PORT
		 " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
		 " -c autovacuum=off -c max_connections=20",
		 c->dir);
	{
		char *args[] = {"-D", data, "-l", log, "-w", "-t", "60", "-o", opts, "start", NULL};
		if (run_pg(c, "pg_ctl", args, NULL) != 0) {
			c->started = true; /* a half-started server is stopped by fail() */
			*err = fail(c, "the PostgreSQL server did not start", log);
			return false;
		}
	}
	c->started = true;
	snprintf(pidfile, sizeof(pidfile), "%s/postmaster.pid", data);
	fp = fopen(pidfile, "r");
	if (fp) {
		long pid = 0;
		if (fscanf(fp, "%ld", &pid) == 1 && pid > 0)
			postmaster_pid = (pid_t)pid;
		fclose(fp);
	}
	snprintf(c->conninfo, sizeof(c->conninfo),
		 "host=%s port=" PORT " user=postgres dbname=postgres", c->dir);
	return true;
}

void dg_cluster_stop(struct dg_cluster *c)
{
	if (!c->dir[0])
		return;
	if (c->started) {
		char data[4200];
		char *args[] = {"-D", data, "-m", "immediate", "-w", "-t", "30", "stop", NULL};

		snprintf(data, sizeof(data), "%s/data", c->dir);
		run_pg(c, "pg_ctl", args, NULL);
		if (postmaster_pid > 0 && kill(postmaster_pid, 0) == 0) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			kill(postmaster_pid, SIGKILL);
			for (int i = 0; i < 100 && kill(postmaster_pid, 0) == 0; i++)
				nanosleep(&ts, NULL);
		}
		postmaster_pid = 0;
		c->started = false;
	}
	nftw(c->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	c->dir[0] = '\0';
}

static void on_signal(int sig)
{
	got_signal = sig;
	/* immediate shutdown: the connections fail, the run unwinds and removes everything */
	if (postmaster_pid > 0)
		kill(postmaster_pid, SIGQUIT);
}

void dg_cluster_guard_signals(struct dg_cluster *c)
{
	struct sigaction sa;

	(void)c;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int dg_cluster_signal_received(void)
{
	return got_signal;
}
