/* git.c — --diff-base REF through git's porcelain-stable plumbing (popen, -z output):
 *   git rev-parse --show-toplevel             the paths below are relative to it
 *   git merge-base REF HEAD                   where this branch left REF (REF itself if none)
 *   git diff --name-status -z --no-renames B  added (A) and modified (M, T) since B, worktree
 *   git ls-files --others --exclude-standard  untracked files: new migrations not added yet
 *   git ls-tree --name-only -z B -- DIR/      the migrations a directory held at B
 *   git cat-file blob B:PATH                  a template as it was at B, to compare with
 *   git diff --name-status -z -M B            which deleted files were only moved (renamed) */
#include "git.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "migration.h"
#include "source.h"

enum change { CH_ADDED = 1, CH_MODIFIED, CH_DELETED, CH_MOVED };

struct change_entry {
	char *path; /* relative to the top level */
	enum change change;
};

struct dir_entry {
	char *dir;    /* relative to the top level, "" for the top */
	char *newest; /* newest *.sql name at the base, or NULL */
};

struct dg_git_diff {
	char *ref, *base, *top;
	struct change_entry *changes;
	size_t n_changes;
	struct dir_entry *dirs;
	size_t n_dirs;
	bool renames_known; /* deleted files that git sees renamed are CH_MOVED */
};

/* 'it''s' quoting for sh */
static char *shell_quote(const char *s)
{
	size_t n = strlen(s);
	char *q = malloc(4 * n + 3), *o = q;

	if (!q)
		abort();
	*o++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *s;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/* Runs `cmd` (stderr discarded); returns its output (NUL-terminated, length in *len) or NULL
 * when it fails. */
static char *capture(const char *cmd, size_t *len)
{
	char *full = malloc(strlen(cmd) + 32), *buf;
	size_t n = 0;
	FILE *p;
	int status, err;

	if (!full)
		abort();
	sprintf(full, "%s 2>/dev/null", cmd);
	p = popen(full, "r");
	free(full);
	if (!p)
		return NULL;
	buf = dg_read_stream(p, &n, &err);
	status = pclose(p);
	if (!buf && !err)
		abort(); /* out of memory */
	if (!buf || status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(buf);
		return NULL;
	}
	if (len)
		*len = n;
	return buf;
}

static char *capture_line(const char *cmd)
{
	char *s = capture(cmd, NULL);
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	if (!n) {
		free(s);
		return NULL;
	}
	return s;
}

static char *error_msg(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s", a, b);
	return s;
}

static void add_change(struct dg_git_diff *d, const char *path, enum change c)
{
	struct change_entry *n = realloc(d->changes, (d->n_changes + 1) * sizeof(*n));

	if (!n)
		abort();
	d->changes = n;
	d->changes[d->n_changes].path = strdup(path);
	if (!d->changes[d->n_changes].path)
		abort();
	d->changes[d->n_changes++].change = c;
}

char *dg_git_toplevel(void)
{
	return capture_line("git rev-parse --show-toplevel");
}

struct dg_git_diff *dg_git_diff_open(const char *ref, char **error)
{
	struct dg_git_diff *d;
	char *qref, *cmd, *out, *qtop, *qbase;
	size_t len;

	*error = NULL;
	if (!ref[0] || ref[0] == '-') {
		*error = error_msg("--diff-base takes a git revision, not ", ref[0] ? ref : "''");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->ref = strdup(ref);
	d->top = capture_line("git rev-parse --show-toplevel");
	if (!d->top) {
		*error = error_msg(
		    "--diff-base: not inside a git work tree (or git is not installed)", "");
		dg_git_diff_free(d);
		return NULL;
	}
	qref = shell_quote(ref);
	qtop = shell_quote(d->top);
	cmd = malloc(2 * strlen(qref) + 2 * strlen(qtop) + 128);
	if (!cmd)
		abort();
	sprintf(cmd, "git -C %s rev-parse --verify --quiet %s^{commit}", qtop, qref);
	out = capture_line(cmd);
	if (!out) {
		*error = error_msg("--diff-base: unknown git revision ", ref);
		goto fail;
	}
	free(out);
	sprintf(cmd, "git -C %s merge-base %s HEAD", qtop, qref);
	d->base = capture_line(cmd);
	if (!d->base) {
		sprintf(cmd, "git -C %s rev-parse --verify --quiet %s^{commit}", qtop, qref);
		d->base = capture_line(cmd);
	}
	if (!d->base) {
		*error = error_msg("--diff-base: cannot resolve ", ref);
		goto fail;
	}
	qbase = shell_quote(d->base);
	free(cmd);
	cmd = malloc(strlen(qbase) + strlen(qtop) + 128);
	if (!cmd)
		abort();
	sprintf(cmd, "git -C %s diff --name-status -z --no-renames %s --", qtop, qbase);
	free(qbase);
	out = capture(cmd, &len);
	if (!out) {
		*error = error_msg("--diff-base: git diff failed against ", ref);
		goto fail;
	}
	for (size_t i = 0; i < len;) {
		const char *status = out + i, *path;
		i += strlen(status) + 1;
		if (i >= len)
			break;
		path = out + i;
		i += strlen(path) + 1;
		if (status[0] == 'A')
			add_change(d, path, CH_ADDED);
		else if (status[0] == 'M' || status[0] == 'T')
			add_change(d, path, CH_MODIFIED);
		else if (status[0] == 'D')
			add_change(d, path, CH_DELETED);
	}
	free(out);
	sprintf(cmd, "git -C %s ls-files --others --exclude-standard -z", qtop);
	out = capture(cmd, &len);
	if (out) {
		for (size_t i = 0; i < len; i += strlen(out + i) + 1)
			add_change(d, out + i, CH_ADDED);
		free(out);
	}
	free(cmd);
	free(qref);
	free(qtop);
	return d;
fail:
	free(cmd);
	free(qref);
	free(qtop);
	dg_git_diff_free(d);
	return NULL;
}

void dg_git_diff_free(struct dg_git_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_changes; i++)
		free(d->changes[i].path);
	for (size_t i = 0; i < d->n_dirs; i++) {
		free(d->dirs[i].dir);
		free(d->dirs[i].newest);
	}
	free(d->changes);
	free(d->dirs);
	free(d->ref);
	free(d->base);
	free(d->top);
	free(d);
}

/* The path relative to the top level, or NULL when it is outside (malloc'd). */
static char *relative(const struct dg_git_diff *d, const char *path)
{
	char *abs = realpath(path, NULL), *rel = NULL;
	size_t n = strlen(d->top);

	if (!abs)
		return NULL;
	if (strncmp(abs, d->top, n) == 0 && abs[n] == '/')
		rel = strdup(abs + n + 1);
	free(abs);
	return rel;
}

static const struct change_entry *find_change(const struct dg_git_diff *d, const char *path)
{
	char *rel = relative(d, path);
	const struct change_entry *hit = NULL;

	if (!rel)
		return NULL;
	for (size_t i = 0; i < d->n_changes && !hit; i++)
		if (d->changes[i].change != CH_DELETED && d->changes[i].change != CH_MOVED &&
		    strcmp(d->changes[i].path, rel) == 0)
			hit = &d->changes[i];
	free(rel);
	return hit;
}

bool dg_git_diff_changed(struct dg_git_diff *d, const char *path)
{
	return find_change(d, path) != NULL;
}

static bool is_sql(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".sql") == 0;
}

static const char *newest_at_base(struct dg_git_diff *d, const char *dir)
{
	struct dir_entry *e;
	char *qtop, *qbase, *qdir, *cmd, *out, *spec;
	size_t len;

	for (size_t i = 0; i < d->n_dirs; i++)
		if (strcmp(d->dirs[i].dir, dir) == 0)
			return d->dirs[i].newest;
	e = realloc(d->dirs, (d->n_dirs + 1) * sizeof(*e));
	if (!e)
		abort();
	d->dirs = e;
	e = &d->dirs[d->n_dirs++];
	e->dir = strdup(dir);
	e->newest = NULL;
	spec = malloc(strlen(dir) + 3);
	if (!spec || !e->dir)
		abort();
	sprintf(spec, "%s/", *dir ? dir : ".");
	qtop = shell_quote(d->top);
	qbase = shell_quote(d->base);
	qdir = shell_quote(spec);
	cmd = malloc(strlen(qtop) + strlen(qbase) + strlen(qdir) + 64);
	if (!cmd)
		abort();
	sprintf(cmd, "git -C %s ls-tree --name-only -z %s -- %s", qtop, qbase, qdir);
	out = capture(cmd, &len);
	if (out) {
		for (size_t i = 0; i < len; i += strlen(out + i) + 1) {
			const char *name = strrchr(out + i, '/');
			name = name ? name + 1 : out + i;
			if (is_sql(name) && (!e->newest || dg_natural_cmp(name, e->newest) > 0)) {
				free(e->newest);
				e->newest = strdup(name);
			}
		}
		free(out);
	}
	free(cmd);
	free(qdir);
	free(qbase);
	free(qtop);
	free(spec);
	return e->newest;
}

void dg_git_history(void *user, const char *path, struct dg_history *out)
{
	struct dg_git_diff *d = user;
	const struct change_entry *c = find_change(d, path);

	memset(out, 0, sizeof(*out));
	out->base = d->ref;
	if (!c) {
		char *rel = relative(d, path);
		out->state = rel ? DG_HISTORY_UNCHANGED : DG_HISTORY_UNKNOWN;
		free(rel);
		return;
	}
	out->state = c->change == CH_ADDED ? DG_HISTORY_ADDED : DG_HISTORY_MODIFIED;
	if (c->change == CH_ADDED) {
		const char *slash = strrchr(c->path, '/');
		char *dir = strndup(c->path, slash ? (size_t)(slash - c->path) : 0);
		const char *name = slash ? slash + 1 : c->path;
		const char *newest;

		if (!dir)
			abort();
		newest = newest_at_base(d, dir);
		if (newest && dg_natural_cmp(name, newest) < 0)
			out->newest_at_base = newest;
		free(dir);
	}
}

static char *content_at_base(const struct dg_git_diff *d, const char *rel, size_t *len);

char *dg_git_base_content(void *user, const char *path, size_t *len)
{
	struct dg_git_diff *d = user;
	char *rel = relative(d, path), *out;

	if (!rel)
		return NULL;
	/* fails (NULL) when the file did not exist at the base */
	out = content_at_base(d, rel, len);
	free(rel);
	return out;
}

/* The content of a path relative to the top level at the base (NULL if none there). */
static char *content_at_base(const struct dg_git_diff *d, const char *rel, size_t *len)
{
	char *spec, *qtop, *qspec, *cmd, *out;

	spec = malloc(strlen(d->base) + strlen(rel) + 2);
	if (!spec)
		abort();
	sprintf(spec, "%s:%s", d->base, rel);
	qtop = shell_quote(d->top);
	qspec = shell_quote(spec);
	cmd = malloc(strlen(qtop) + strlen(qspec) + 32);
	if (!cmd)
		abort();
	sprintf(cmd, "git -C %s cat-file blob %s", qtop, qspec);
	out = capture(cmd, len);
	free(cmd);
	free(qspec);
	free(qtop);
	free(spec);
	return out;
}

/* A file moved or renamed (git's rename detection pairs it with a new one) took its content
 * along: it is not a deletion. */
static void load_renames(struct dg_git_diff *d)
{
	char *qtop, *qbase, *cmd, *out;
	size_t len;

	d->renames_known = true;
	qtop = shell_quote(d->top);
	qbase = shell_quote(d->base);
	cmd = malloc(strlen(qtop) + strlen(qbase) + 64);
	if (!cmd)
		abort();
	sprintf(cmd, "git -C %s diff --name-status -z -M %s --", qtop, qbase);
	out = capture(cmd, &len);
	for (size_t i = 0; out && i < len;) {
		const char *status = out + i, *from;
		i += strlen(status) + 1;
		if (i >= len)
			break;
		from = out + i;
		i += strlen(from) + 1;
		if (status[0] != 'R' && status[0] != 'C')
			continue;
		i += strlen(out + i) + 1; /* the new name */
		for (size_t k = 0; status[0] == 'R' && k < d->n_changes; k++)
			if (d->changes[k].change == CH_DELETED &&
			    strcmp(d->changes[k].path, from) == 0)
				d->changes[k].change = CH_MOVED;
	}
	free(out);
	free(cmd);
	free(qbase);
	free(qtop);
}

char *dg_git_deleted_at(struct dg_git_diff *d, size_t i, char **content, size_t *len)
{
	char cwd[4096], *path;
	size_t n = 0, cl;

	if (!d->renames_known)
		load_renames(d);
	for (size_t k = 0; k < d->n_changes; k++) {
		const char *rel = d->changes[k].path;
		if (d->changes[k].change != CH_DELETED || n++ != i)
			continue;
		/* named as the user would name it: relative to the current directory when below
		 * it, else absolute */
		if (!getcwd(cwd, sizeof(cwd)))
			cwd[0] = '\0';
		path = malloc(strlen(d->top) + strlen(rel) + 2);
		if (!path)
			abort();
		sprintf(path, "%s/%s", d->top, rel);
		cl = strlen(cwd);
		if (cl && strncmp(path, cwd, cl) == 0 && path[cl] == '/')
			memmove(path, path + cl + 1, strlen(path + cl + 1) + 1);
		*content = content_at_base(d, rel, len);
		return path;
	}
	return NULL;
}
