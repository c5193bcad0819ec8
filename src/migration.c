/* migration.c — splits a file into sections the way its migration tool would run them.
 * Each format is a claim function: it recognises the file (by its markers, its name or the
 * files next to it), splits it into sections with a direction and the transaction the tool runs
 * them in. They are tried in order and the first that claims the file wins, so a new format
 * slots in as one more entry of `formats`. The table of formats is documented in the README. */
#include "migration.h"

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fingerprint.h"
#include "lex.h"
#include "parse.h"
#include "probe.h"

struct det {
	const struct dg_source *src;
	struct dg_arena *a;
	struct dg_migration *m;
	bool force; /* --migration-format named this format: claim what can be claimed */
	int pg_version;
};

struct dg_format {
	const char *name;
	bool (*claim)(struct det *d);
	/* what a forced format does with a file that does not follow its conventions */
	enum dg_tx_mode default_tx;
};

/* ---- small helpers ------------------------------------------------------------------------ */

static void add_section(struct det *d, size_t start, size_t end, enum dg_direction dir,
			enum dg_tx_mode tx, unsigned unit)
{
	struct dg_migration *m = d->m;
	struct dg_section *s = dg_arena_alloc(d->a, (m->n_sections + 1) * sizeof(*s));

	if (m->n_sections)
		memcpy(s, m->sections, m->n_sections * sizeof(*s));
	s[m->n_sections] = (struct dg_section){start, end, dir, tx, unit};
	m->sections = s;
	m->n_sections++;
}

/* A section only when it holds something besides whitespace and comments: one parse saved. */
static void add_nonempty(struct det *d, size_t start, size_t end, enum dg_direction dir,
			 enum dg_tx_mode tx, unsigned unit)
{
	if (start < end && dg_skip_trivia(d->src->text, start, end) < end)
		add_section(d, start, end, dir, tx, unit);
}

/* Line l: [*start, *end) without its line ending; returns the next line's start. */
static size_t line_at(const struct dg_source *src, size_t l, size_t *start, size_t *end)
{
	size_t ls = src->line_starts[l];
	size_t next = l + 1 < src->n_lines ? src->line_starts[l + 1] : src->len;
	size_t le = next;

	while (le > ls && (src->text[le - 1] == '\n' || src->text[le - 1] == '\r'))
		le--;
	*start = ls;
	*end = le;
	return next;
}

/* The text of a "--" comment line after the dashes and blanks, or NULL. */
static const char *comment_text(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 2 || p[0] != '-' || p[1] != '-')
		return NULL;
	p += 2;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Case-insensitive `word` at *pp, not followed by a letter, digit, '_' or '-'; advances past
 * it and the blanks after it. */
static bool take_word(const char **pp, const char *end, const char *word)
{
	size_t n = strlen(word);
	const char *p = *pp;

	if ((size_t)(end - p) < n || strncasecmp(p, word, n) != 0)
		return false;
	if (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-'))
		return false;
	*pp = skip_blanks(p + n, end);
	return true;
}

/* Case-insensitive search for `word` in [p, end). */
static bool contains_ci(const char *p, const char *end, const char *word)
{
	return dg_holds_ci(p, (size_t)(end - p), word);
}

static void anchor_first_line(struct det *d)
{
	size_t s, e;

	if (d->src->n_lines == 0)
		return;
	line_at(d->src, 0, &s, &e);
	d->m->anchor_start = s;
	d->m->anchor_end = e;
}

/* The first words of the next statement at or after *i, upper-cased ("" for a token that is not
 * a word), and whether it says ADD VALUE; false when no statement is left. */
struct stmt_words {
	char w[5][16];
	bool add_value;
};

static bool next_statement(const char *s, size_t n, size_t *i, struct stmt_words *sw)
{
	size_t nw = 0, k = dg_skip_trivia(s, *i, n);
	bool prev_add = false;

	memset(sw, 0, sizeof(*sw));
	if (k >= n)
		return false;
	while (k < n && s[k] != ';') {
		size_t e = dg_token_end(s, k, n);
		bool word = isalpha((unsigned char)s[k]) || s[k] == '_';
		if (e <= k)
			e = k + 1;
		if (nw < 5) {
			size_t len = e - k < 15 ? e - k : 15;
			for (size_t c = 0; word && c < len; c++)
				sw->w[nw][c] = (char)toupper((unsigned char)s[k + c]);
			nw++;
		}
		sw->add_value |=
		    word && prev_add && e - k == 5 && strncasecmp(s + k, "value", 5) == 0;
		prev_add = word && e - k == 3 && strncasecmp(s + k, "add", 3) == 0;
		k = dg_skip_trivia(s, e, n);
	}
	*i = k + 1;
	return true;
}

/* CREATE [UNIQUE] INDEX CONCURRENTLY, or DROP INDEX CONCURRENTLY */
static bool is_index_concurrently(const struct stmt_words *sw)
{
	bool unique = strcmp(sw->w[1], "UNIQUE") == 0;

	return (!strcmp(sw->w[0], "CREATE") || !strcmp(sw->w[0], "DROP")) &&
	       !strcmp(sw->w[unique ? 2 : 1], "INDEX") &&
	       !strcmp(sw->w[unique ? 3 : 2], "CONCURRENTLY");
}

/* ---- paths and the files next to this one ------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The directory part with its trailing '/', or "" for a bare name. */
static char *dir_part(struct dg_arena *a, const char *path)
{
	const char *base = base_name(path);
	return dg_arena_strndup(a, path, (size_t)(base - path));
}

/* The name of the directory holding the file, or "" */
static char *parent_name(struct dg_arena *a, const char *path)
{
	const char *base = base_name(path), *p;

	if (base == path)
		return dg_arena_strndup(a, "", 0);
	p = base - 1; /* the '/' */
	while (p > path && p[-1] != '/')
		p--;
	return dg_arena_strndup(a, p, (size_t)(base - 1 - p));
}

static char *join(struct dg_arena *a, const char *dir, const char *name)
{
	size_t dn = strlen(dir), nn = strlen(name);
	char *s = dg_arena_alloc(a, dn + nn + 1);

	memcpy(s, dir, dn);
	memcpy(s + dn, name, nn + 1);
	return s;
}

static bool file_exists(const char *path)
{
	return dg_probe_file(path);
}

/* The entries of one directory, kept for the next file: a directory's files are linted one after
 * the other and each asks about its siblings, so reading the directory once per file would cost
 * more than linting it. The directory's mtime says when the copy is stale. */
struct pop_entry;

static _Thread_local struct {
	char *dir;
	struct timespec mtime;
	char **names;
	size_t n;
	/* what dir_any answered for predicates without an argument (each file of a directory
	 * asks the same: once per directory, not once per file) */
	struct {
		bool (*pred)(const char *name, const void *arg);
		bool any;
	} asked[8];
	size_t n_asked;
	struct pop_entry *pops; /* its pop migrations, by version (see pop_find) */
	size_t n_pops;
	bool pops_built;
} dir_cache; /* per thread (--jobs): dg_migration_caches_free */

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void dir_cache_clear(void)
{
	free_names(dir_cache.names, dir_cache.n);
	free(dir_cache.dir);
	free(dir_cache.pops);
	memset(&dir_cache, 0, sizeof(dir_cache));
}

/* Whether a cache made for directory `cached` at mtime `m` still holds for d as stat saw it. */
static bool cache_holds(const char *cached, const struct timespec *m, const char *d,
			const struct stat *st)
{
	return cached && strcmp(cached, d) == 0 && m->tv_sec == st->st_mtim.tv_sec &&
	       m->tv_nsec == st->st_mtim.tv_nsec;
}

/* The names in `dir` (hidden ones left out), or NULL when it cannot be read. */
static char **dir_entries(const char *dir, size_t *n)
{
	const char *d = *dir ? dir : ".";
	struct stat st;
	DIR *dh;
	struct dirent *e;
	size_t cap = 0;

	if (!dg_probe_stat(d, &st))
		return NULL;
	if (cache_holds(dir_cache.dir, &dir_cache.mtime, d, &st)) {
		*n = dir_cache.n;
		return dir_cache.names ? dir_cache.names : (char **)&dir_cache.names;
	}
	dir_cache_clear();
	dh = opendir(d);
	if (!dh)
		return NULL;
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		if (dir_cache.n == cap) {
			char **nn =
			    realloc(dir_cache.names, (cap = cap ? cap * 2 : 32) * sizeof(*nn));
			if (!nn)
				break;
			dir_cache.names = nn;
		}
		dir_cache.names[dir_cache.n] = strdup(e->d_name);
		if (dir_cache.names[dir_cache.n])
			dir_cache.n++;
	}
	closedir(dh);
	dir_cache.dir = strdup(d);
	dir_cache.mtime = st.st_mtim;
	*n = dir_cache.n;
	return dir_cache.names ? dir_cache.names : (char **)&dir_cache.names;
}

/* The listings dg_dir_list keeps (per thread), found by path in an open-addressing table;
 * dropped all at once when full. */
#define LISTINGS 4096
struct listing {
	char *dir;
	struct timespec mtime;
	struct dg_dirent *e;
	size_t n;
};

static _Thread_local struct {
	struct listing *v; /* LISTINGS * 2 slots, or NULL */
	size_t n;
} listings;

static void listings_clear(void)
{
	for (size_t i = 0; listings.v && i < 2 * LISTINGS; i++) {
		struct listing *l = &listings.v[i];
		for (size_t k = 0; k < l->n; k++)
			free(l->e[k].name);
		free(l->e);
		free(l->dir);
	}
	free(listings.v);
	memset(&listings, 0, sizeof(listings));
}

const struct dg_dirent *dg_dir_list(const char *dir, size_t *n)
{
	struct stat st;
	struct listing *l;
	size_t i, cap = 0;
	DIR *dh;
	struct dirent *e;

	*n = 0;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	if (!listings.v || listings.n == LISTINGS) {
		listings_clear();
		listings.v = dg_xcalloc(2 * LISTINGS, sizeof(*listings.v));
	}
	for (i = (size_t)dg_fnv1a(DG_FNV_INIT, dir, strlen(dir)) & (2 * LISTINGS - 1);
	     listings.v[i].dir; i = (i + 1) & (2 * LISTINGS - 1))
		if (strcmp(listings.v[i].dir, dir) == 0)
			break;
	l = &listings.v[i];
	if (l->dir && l->mtime.tv_sec == st.st_mtim.tv_sec &&
	    l->mtime.tv_nsec == st.st_mtim.tv_nsec) {
		*n = l->n;
		return l->e;
	}
	if (!(dh = opendir(dir)))
		return NULL;
	if (!l->dir) {
		l->dir = dg_xstrdup(dir);
		listings.n++;
	}
	for (size_t k = 0; k < l->n; k++)
		free(l->e[k].name);
	l->n = 0;
	cap = 0;
	free(l->e);
	l->e = NULL;
	while ((e = readdir(dh))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (l->n == cap)
			l->e = dg_xrealloc(l->e, (cap = cap ? 2 * cap : 16) * sizeof(*l->e));
		l->e[l->n++] = (struct dg_dirent){dg_xstrdup(e->d_name), e->d_type};
	}
	closedir(dh);
	l->mtime = st.st_mtim;
	*n = l->n;
	return l->e;
}

/* Whether some entry of `dir` ("" for the current directory) satisfies `pred`. */
static bool dir_any(const char *dir, bool (*pred)(const char *name, const void *arg),
		    const void *arg)
{
	size_t n = 0;
	char **names = dir_entries(dir, &n);
	bool any = false;

	if (!names)
		return false;
	for (size_t k = 0; !arg && k < dir_cache.n_asked; k++)
		if (dir_cache.asked[k].pred == pred)
			return dir_cache.asked[k].any;
	for (size_t i = 0; i < n && !any; i++)
		any = pred(names[i], arg);
	if (!arg && dir_cache.n_asked < sizeof(dir_cache.asked) / sizeof(*dir_cache.asked))
		dir_cache.asked[dir_cache.n_asked].pred = pred,
		dir_cache.asked[dir_cache.n_asked++].any = any;
	return any;
}

/* The first entry of `dir` that satisfies `pred`, as a path, or NULL. */
static char *dir_find(struct dg_arena *a, const char *dir,
		      bool (*pred)(const char *name, const void *arg), const void *arg)
{
	size_t n = 0;
	char **names = dir_entries(dir, &n);

	for (size_t i = 0; names && i < n; i++)
		if (pred(names[i], arg))
			return join(a, dir, names[i]);
	return NULL;
}

/* "<digits>_" at the start of a directory name: a versioned migration directory. */
static bool versioned_dir_name(const char *name)
{
	return isdigit((unsigned char)name[0]) && strchr(name, '_') != NULL;
}

/* ---- dbmate ------------------------------------------------------------------------------ */

/* "-- migrate:up" and "-- migrate:down" comment lines; "transaction:false" on the marker line
 * turns off the transaction dbmate otherwise wraps each section in: the section then goes to
 * the server as one query string (an implicit transaction when it holds several statements). */
static bool claim_dbmate(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	size_t cur_start = 0;
	enum dg_direction cur_dir = DG_DIR_NONE;
	enum dg_tx_mode cur_tx = DG_TX_WRAPPED;
	bool seen = false;

	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le, next = line_at(src, l, &ls, &le);
		const char *end = src->text + le, *p = comment_text(src->text + ls, end);
		enum dg_direction dir;

		if (!p)
			continue;
		if (end - p >= 10 && strncmp(p, "migrate:up", 10) == 0)
			dir = DG_DIR_UP;
		else if (end - p >= 12 && strncmp(p, "migrate:down", 12) == 0)
			dir = DG_DIR_DOWN;
		else
			continue;
		if (seen)
			add_section(d, cur_start, ls, cur_dir, cur_tx, 0);
		else if (dir == DG_DIR_UP) {
			m->anchor_start = (size_t)(p - src->text);
			m->anchor_end = m->anchor_start + 10;
		}
		seen = true;
		if (dir == DG_DIR_DOWN)
			m->has_down = true;
		cur_dir = dir;
		cur_tx = contains_ci(p, end, "transaction:false") ? DG_TX_IMPLICIT : DG_TX_WRAPPED;
		cur_start = next;
	}
	if (!seen)
		return false;
	add_section(d, cur_start, src->len, cur_dir, cur_tx, 0);
	m->format_has_down = true;
	return true;
}

/* ---- goose and sql-migrate ---------------------------------------------------------------- */

/* Both tools read "-- +<tool> Up|Down|StatementBegin|StatementEnd" annotations, send each
 * StatementBegin…StatementEnd block to the server as one query (its statements need no final
 * ';'), split the rest at lines ending in ';', and run all statements of a direction in one
 * transaction unless told not to: goose by a file-wide "-- +goose NO TRANSACTION", sql-migrate
 * by "notransaction" on a direction's marker. Without the transaction, each statement commits
 * on its own, but a block of several statements is one query string: an implicit transaction.
 * Every block becomes a section of its own, which gives the parser its statement boundaries;
 * the sections of one direction share a unit, hence one transaction when wrapped. */
struct chunk {
	size_t start, end;
	enum dg_direction dir;
	bool block;
};

static void push_chunk(struct det *d, struct chunk **ch, size_t *n, size_t *cap, struct chunk c)
{
	if (c.dir == DG_DIR_NONE || c.start >= c.end)
		return; /* text before the first Up marker is not run */
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct chunk *nc = dg_arena_alloc(d->a, ncap * sizeof(*nc));
		if (*n)
			memcpy(nc, *ch, *n * sizeof(*nc));
		*ch = nc;
		*cap = ncap;
	}
	(*ch)[(*n)++] = c;
}

static bool claim_annotated(struct det *d, const char *tag, bool goose)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	struct chunk *ch = NULL;
	size_t n = 0, cap = 0, cur = 0;
	enum dg_direction dir = DG_DIR_NONE;
	bool in_block = false, seen = false, seen_up = false, notx[3] = {false, false, false};

	/* no line names the tag ("+goose", "+migrate") when the text does not hold it at all */
	if (!dg_holds_ci(src->text, src->len, tag))
		return false;
	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le, next = line_at(src, l, &ls, &le);
		const char *end = src->text + le, *p = comment_text(src->text + ls, end), *mark = p;
		enum dg_direction nd;

		if (!p || !take_word(&p, end, tag))
			continue;
		if (take_word(&p, end, "up"))
			nd = DG_DIR_UP;
		else if (take_word(&p, end, "down"))
			nd = DG_DIR_DOWN;
		else
			nd = DG_DIR_NONE;
		if (nd != DG_DIR_NONE) {
			push_chunk(d, &ch, &n, &cap, (struct chunk){cur, ls, dir, in_block});
			if (nd == DG_DIR_UP && !seen_up) {
				m->anchor_start = (size_t)(mark - src->text);
				m->anchor_end = le;
				seen_up = true;
			}
			seen = true;
			dir = nd;
			in_block = false;
			cur = next;
			if (nd == DG_DIR_DOWN)
				m->has_down = true;
			if (!goose && contains_ci(p, end, "notransaction"))
				notx[nd] = true;
		} else if (take_word(&p, end, "statementbegin")) {
			push_chunk(d, &ch, &n, &cap, (struct chunk){cur, ls, dir, in_block});
			in_block = true;
			cur = next;
		} else if (take_word(&p, end, "statementend")) {
			push_chunk(d, &ch, &n, &cap, (struct chunk){cur, ls, dir, in_block});
			in_block = false;
			cur = next;
		} else if (goose && take_word(&p, end, "no") && take_word(&p, end, "transaction")) {
			notx[DG_DIR_UP] = notx[DG_DIR_DOWN] = true;
		}
	}
	if (!seen)
		return false;
	push_chunk(d, &ch, &n, &cap, (struct chunk){cur, src->len, dir, in_block});
	for (size_t i = 0; i < n; i++) {
		const struct chunk *c = &ch[i];
		if (notx[c->dir])
			add_nonempty(d, c->start, c->end, c->dir,
				     c->block ? DG_TX_IMPLICIT : DG_TX_AUTOCOMMIT, 0);
		else
			add_nonempty(d, c->start, c->end, c->dir, DG_TX_WRAPPED, (unsigned)c->dir);
	}
	m->format_has_down = true;
	return true;
}

static bool claim_goose(struct det *d)
{
	return claim_annotated(d, "+goose", true);
}

static bool claim_sql_migrate(struct det *d)
{
	return claim_annotated(d, "+migrate", false);
}

/* ---- Liquibase formatted SQL ------------------------------------------------------------- */

/* Whether a "dbms:" attribute value lets the changeset run on PostgreSQL. */
static bool dbms_applies(const char *p, const char *end)
{
	bool positive = false, match = false;

	while (p < end && !isspace((unsigned char)*p)) {
		const char *e = p;
		bool neg = *p == '!';
		while (e < end && *e != ',' && !isspace((unsigned char)*e))
			e++;
		if (neg)
			p++;
		bool pg = (size_t)(e - p) == 10 && strncasecmp(p, "postgresql", 10) == 0;
		bool all = (size_t)(e - p) == 3 && strncasecmp(p, "all", 3) == 0;
		if (neg && pg)
			return false;
		if (!neg) {
			positive = true;
			match |= pg || all;
		}
		p = e < end && *e == ',' ? e + 1 : e;
	}
	return !positive || match;
}

/* "--liquibase formatted sql" on the first line; "--changeset author:id attrs" starts a
 * changeset, run in a transaction unless runInTransaction:false (then statement by statement,
 * or as one query string with splitStatements:false); "--rollback <sql>" lines are that
 * changeset's way back; "dbms:" excludes changesets written for other databases. */
struct lb_state {
	/* changesets so far; the current one's units are 2*idx-1 (up), 2*idx (down) */
	unsigned idx;
	bool applies, has_rb, all_rb;
	enum dg_tx_mode tx;
	size_t cs_start, cs_end; /* the current changeset's line */
};

static void lb_close(struct det *d, struct lb_state *st)
{
	if (!st->idx || !st->applies || st->has_rb || !st->all_rb)
		return;
	st->all_rb = false;
	d->m->anchor_start = st->cs_start;
	d->m->anchor_end = st->cs_end;
}

static bool claim_liquibase(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	size_t ls, le, cur = 0, next;
	const char *p, *end;
	struct lb_state st = {0, false, false, true, DG_TX_WRAPPED, 0, 0};

	if (src->n_lines == 0)
		return false;
	next = line_at(src, 0, &ls, &le);
	end = src->text + le;
	p = comment_text(src->text + ls, end);
	if (!p || !take_word(&p, end, "liquibase") || !take_word(&p, end, "formatted") ||
	    !take_word(&p, end, "sql"))
		return false;
	m->anchor_start = ls;
	m->anchor_end = le;
	for (size_t l = 1; l < src->n_lines; l++) {
		next = line_at(src, l, &ls, &le);
		end = src->text + le;
		p = comment_text(src->text + ls, end);
		if (!p)
			continue;
		if (take_word(&p, end, "changeset")) {
			if (st.idx && st.applies)
				add_nonempty(d, cur, ls, DG_DIR_UP, st.tx, 2 * st.idx - 1);
			lb_close(d, &st);
			st.idx++;
			st.applies = true;
			st.has_rb = false;
			st.tx = DG_TX_WRAPPED;
			st.cs_start = (size_t)(p - src->text);
			st.cs_end = le;
			for (const char *q = p; q < end; q++) {
				if ((q == p || isspace((unsigned char)q[-1])) && end - q > 5 &&
				    strncasecmp(q, "dbms:", 5) == 0)
					st.applies = dbms_applies(q + 5, end);
			}
			if (contains_ci(p, end, "runInTransaction:false"))
				st.tx = contains_ci(p, end, "splitStatements:false")
					    ? DG_TX_IMPLICIT
					    : DG_TX_AUTOCOMMIT;
			cur = next;
		} else if (take_word(&p, end, "rollback")) {
			if (st.idx && st.applies) {
				add_nonempty(d, cur, ls, DG_DIR_UP, st.tx, 2 * st.idx - 1);
				st.has_rb = true;
				/* "--rollback not required" and "--rollback empty" say there is
				 * none */
				if (!take_word(&p, end, "not") && !take_word(&p, end, "empty"))
					add_nonempty(d, (size_t)(p - src->text), le, DG_DIR_DOWN,
						     st.tx, 2 * st.idx);
			}
			cur = next;
		}
	}
	if (st.idx && st.applies)
		add_nonempty(d, cur, src->len, DG_DIR_UP, st.tx, 2 * st.idx - 1);
	lb_close(d, &st);
	m->format_has_down = true;
	m->has_down = st.all_rb;
	return true;
}

/* ---- sqitch ------------------------------------------------------------------------------ */

/* <project>/{deploy,revert,verify}/<change>.sql with sqitch.plan (or sqitch.conf) in
 * <project>. Sqitch runs each script with psql: statements commit one by one unless the script
 * says BEGIN … COMMIT, as sqitch's templates do. */
static bool claim_sqitch(struct det *d)
{
	const char *path = d->src->path, *end = base_name(path);
	struct dg_migration *m = d->m;

	while (end > path) {
		const char *comp_end = end - 1, *comp = comp_end; /* the '/' before `end` */
		while (comp > path && comp[-1] != '/')
			comp--;
		size_t len = (size_t)(comp_end - comp);
		enum dg_direction dir;
		bool verify = false;

		if (len == 6 && strncmp(comp, "deploy", 6) == 0)
			dir = DG_DIR_UP;
		else if (len == 6 && strncmp(comp, "revert", 6) == 0)
			dir = DG_DIR_DOWN;
		else if (len == 6 && strncmp(comp, "verify", 6) == 0)
			dir = DG_DIR_NONE, verify = true;
		else {
			end = comp;
			continue;
		}
		char *root = dg_arena_strndup(d->a, path, (size_t)(comp - path));
		if (!file_exists(join(d->a, root, "sqitch.plan")) &&
		    !file_exists(join(d->a, root, "sqitch.conf"))) {
			end = comp;
			continue;
		}
		add_section(d, 0, d->src->len, dir, DG_TX_AUTOCOMMIT, 0);
		anchor_first_line(d);
		if (dir == DG_DIR_UP) {
			m->format_has_down = true;
			m->down_path = join(d->a, join(d->a, root, "revert/"), comp_end + 1);
			m->has_down = file_exists(m->down_path);
		} else if (!verify) {
			m->format_has_down = m->has_down = true;
			m->up_path = join(d->a, join(d->a, root, "deploy/"), comp_end + 1);
		}
		return true;
	}
	return false;
}

/* ---- diesel and Prisma: one directory per migration ---------------------------------------- */

/* Whether a TOML text sets `key = false`. */
static bool toml_false(const char *text, const char *key)
{
	size_t kn = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, kn) != 0)
			continue;
		p += kn;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "false", 5) == 0)
			return true;
	}
	return false;
}

/* <version>_<name>/up.sql and down.sql. Diesel runs each in a transaction unless
 * metadata.toml next to them says run_in_transaction = false; then it sends the file as one
 * query string (batch_execute): an implicit transaction when it holds several statements. */
static bool claim_diesel(struct det *d)
{
	const char *path = d->src->path, *base = base_name(path);
	struct dg_migration *m = d->m;
	bool up = strcmp(base, "up.sql") == 0;
	char *dir, toml[4096];
	enum dg_tx_mode tx = DG_TX_WRAPPED;

	if (!up && strcmp(base, "down.sql") != 0)
		return false;
	if (!versioned_dir_name(parent_name(d->a, path)))
		return false;
	dir = dir_part(d->a, path);
	if (dg_probe_read_small(join(d->a, dir, "metadata.toml"), toml, sizeof(toml)) &&
	    toml_false(toml, "run_in_transaction"))
		tx = DG_TX_IMPLICIT;
	add_section(d, 0, d->src->len, up ? DG_DIR_UP : DG_DIR_DOWN, tx, 0);
	anchor_first_line(d);
	m->format_has_down = true;
	if (up) {
		m->down_path = join(d->a, dir, "down.sql");
		m->has_down = file_exists(m->down_path);
	} else {
		m->up_path = join(d->a, dir, "up.sql");
		m->has_down = true;
	}
	return true;
}

/* <timestamp>_<name>/migration.sql, forward only. Prisma sends the script as one query string:
 * one implicit transaction when it holds several statements (so CREATE INDEX CONCURRENTLY only
 * works alone in its migration) — except that since Prisma 7.4 (prisma-engines #5767) a script
 * with CREATE INDEX CONCURRENTLY is split and run statement by statement. */
static bool prisma_splits(const struct dg_source *src)
{
	struct stmt_words sw;
	size_t i = 0;

	while (next_statement(src->text, src->len, &i, &sw))
		if (is_index_concurrently(&sw) && !strcmp(sw.w[0], "CREATE"))
			return true;
	return false;
}

static bool claim_prisma(struct det *d)
{
	const char *path = d->src->path;

	if (strcmp(base_name(path), "migration.sql") != 0)
		return false;
	if (!versioned_dir_name(parent_name(d->a, path))) {
		char *dir = dir_part(d->a, path);
		if (!*dir || !file_exists(join(d->a, dir, "../migration_lock.toml")))
			return false;
	}
	add_section(d, 0, d->src->len, DG_DIR_UP,
		    prisma_splits(d->src) ? DG_TX_AUTOCOMMIT : DG_TX_IMPLICIT, 0);
	anchor_first_line(d);
	return true;
}

/* ---- gobuffalo pop / ory popx ------------------------------------------------------------- */

struct pop_name {
	const char *version;
	size_t version_len;
	const char *dialect; /* NULL: every dialect */
	size_t dialect_len;
	bool autocommit, up;
};

/* <version>_<name>[.<dialect>][.autocommit].(up|down).sql */
static bool pop_parse(const char *base, struct pop_name *pn)
{
	const char *p = base, *tok[4];
	size_t tlen[4], nt = 0;

	memset(pn, 0, sizeof(*pn));
	while (isdigit((unsigned char)*p))
		p++;
	if (p == base || *p != '_')
		return false;
	pn->version = base;
	pn->version_len = (size_t)(p - base);
	p = strchr(p, '.');
	while (p && *p == '.') {
		const char *e = p + 1;
		while (*e && *e != '.')
			e++;
		if (nt == 4)
			return false;
		tok[nt] = p + 1;
		tlen[nt++] = (size_t)(e - p - 1);
		p = e;
	}
	if (nt < 2 || tlen[nt - 1] != 3 || strncmp(tok[nt - 1], "sql", 3) != 0)
		return false;
	if (tlen[nt - 2] == 2 && strncmp(tok[nt - 2], "up", 2) == 0)
		pn->up = true;
	else if (!(tlen[nt - 2] == 4 && strncmp(tok[nt - 2], "down", 4) == 0))
		return false;
	for (size_t i = 0; i + 2 < nt; i++) {
		if (tlen[i] == 10 && strncmp(tok[i], "autocommit", 10) == 0) {
			pn->autocommit = true;
		} else if (i == 0 && tlen[i] > 0) {
			for (size_t k = 0; k < tlen[i]; k++)
				if (!islower((unsigned char)tok[i][k]) &&
				    !isdigit((unsigned char)tok[i][k]))
					return false;
			pn->dialect = tok[i];
			pn->dialect_len = tlen[i];
		} else {
			return false;
		}
	}
	return true;
}

static bool pop_is_postgres(const struct pop_name *pn)
{
	static const char *const names[] = {"postgres", "postgresql", "pg"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (pn->dialect_len == strlen(names[i]) &&
		    strncmp(pn->dialect, names[i], pn->dialect_len) == 0)
			return true;
	return false;
}

static bool pop_tagged(const char *name, const void *arg)
{
	struct pop_name pn;

	(void)arg;
	return pop_parse(name, &pn) && (pn.dialect || pn.autocommit);
}

struct pop_query {
	const struct pop_name *self;
	bool up;
	bool postgres_only; /* only a postgres-specific file counts */
};

/* The files of a directory pop names, by version and direction, each with its kind. */
enum pop_kind { POP_GENERIC, POP_POSTGRES, POP_OTHER };

struct pop_entry {
	const char *version;
	size_t version_len, idx; /* idx: its place among the directory's names */
	bool up;
	enum pop_kind kind;
};

static int pop_key_cmp(const char *v, size_t vl, bool up, const struct pop_entry *e)
{
	int c = strncmp(v, e->version, vl < e->version_len ? vl : e->version_len);

	if (!c)
		c = (vl > e->version_len) - (vl < e->version_len);
	return c ? c : (int)up - (int)e->up;
}

static int pop_entry_cmp(const void *a, const void *b)
{
	const struct pop_entry *x = a, *y = b;
	int c = pop_key_cmp(x->version, x->version_len, x->up, y);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The first file of `dir` (in its order) with q's version and direction that PostgreSQL runs
 * as q asks (postgres-specific, or also generic), or NULL. Once per directory, the names are
 * sorted by version: every file of a pop directory asks about its siblings. */
static const char *pop_find(const char *dir, const struct pop_query *q)
{
	size_t n = 0, lo = 0, hi;
	char **names = dir_entries(dir, &n);

	if (!names)
		return NULL;
	if (!dir_cache.pops_built) {
		dir_cache.pops_built = true;
		dir_cache.pops = n ? malloc(n * sizeof(*dir_cache.pops)) : NULL;
		for (size_t i = 0; dir_cache.pops && i < n; i++) {
			struct pop_name pn;
			if (!pop_parse(names[i], &pn))
				continue;
			dir_cache.pops[dir_cache.n_pops++] =
			    (struct pop_entry){pn.version, pn.version_len, i, pn.up,
					       !pn.dialect	      ? POP_GENERIC
					       : pop_is_postgres(&pn) ? POP_POSTGRES
								      : POP_OTHER};
		}
		if (dir_cache.n_pops)
			qsort(dir_cache.pops, dir_cache.n_pops, sizeof(*dir_cache.pops),
			      pop_entry_cmp);
	}
	hi = dir_cache.n_pops;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pop_key_cmp(q->self->version, q->self->version_len, q->up,
				&dir_cache.pops[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < dir_cache.n_pops &&
	       !pop_key_cmp(q->self->version, q->self->version_len, q->up, &dir_cache.pops[lo]);
	     lo++) {
		const struct pop_entry *e = &dir_cache.pops[lo];
		if (e->kind == POP_POSTGRES || (!q->postgres_only && e->kind == POP_GENERIC))
			return names[e->idx];
	}
	return NULL;
}

/* pop runs each migration in a transaction unless its name says .autocommit., then as one
 * query string. A version may come as a generic file and dialect-specific ones: PostgreSQL runs
 * the postgres one (or the generic one if there is none), never another dialect's. Without any
 * dialect or autocommit tag in the directory, <n>_<name>.up.sql is golang-migrate's. */
static bool claim_pop(struct det *d)
{
	const char *path = d->src->path;
	struct dg_migration *m = d->m;
	struct pop_name pn;
	char *dir;

	if (!pop_parse(base_name(path), &pn))
		return false;
	dir = dir_part(d->a, path);
	if (!pn.dialect && !pn.autocommit && !dir_any(dir, pop_tagged, NULL))
		return false;
	anchor_first_line(d);
	if (pn.dialect && !pop_is_postgres(&pn)) {
		m->skipped = "written for another database: pop runs it only on that dialect";
		return true;
	}
	if (!pn.dialect) {
		struct pop_query q = {&pn, pn.up, true};
		if (pop_find(dir, &q)) {
			m->skipped = "a PostgreSQL-specific variant of this migration replaces it";
			return true;
		}
	}
	add_section(d, 0, d->src->len, pn.up ? DG_DIR_UP : DG_DIR_DOWN,
		    pn.autocommit ? DG_TX_IMPLICIT : DG_TX_WRAPPED, 0);
	m->format_has_down = true;
	if (pn.up) {
		struct pop_query q = {&pn, false, false};
		const char *base = base_name(path);
		size_t bl = strlen(base);
		char *down = dg_arena_alloc(d->a, bl + 3);

		memcpy(down, base, bl - 7);
		strcpy(down + bl - 7, ".down.sql");
		m->down_path = join(d->a, dir, down);
		m->has_down = pop_find(dir, &q) != NULL;
	} else {
		/* the up file PostgreSQL runs: the postgres-specific one, else the generic one */
		struct pop_query pg = {&pn, true, true}, any = {&pn, true, false};
		const char *up = pop_find(dir, &pg);
		if (!up)
			up = pop_find(dir, &any);
		m->up_path = up ? join(d->a, dir, up) : NULL;
		m->has_down = true;
	}
	return true;
}

/* ---- golang-migrate ---------------------------------------------------------------------- */

/* NNN_name.up.sql and NNN_name.down.sql side by side. The postgres driver sends the file as
 * one query string: one implicit transaction when it holds several statements. */
static bool claim_golang_migrate(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	const char *base = base_name(src->path);
	size_t n = strlen(base), digits = 0;
	bool up;

	while (isdigit((unsigned char)base[digits]))
		digits++;
	if (digits == 0 || base[digits] != '_')
		return false;
	if (n > 7 && strcmp(base + n - 7, ".up.sql") == 0)
		up = true;
	else if (n > 9 && strcmp(base + n - 9, ".down.sql") == 0)
		up = false;
	else
		return false;
	m->format_has_down = true;
	add_section(d, 0, src->len, up ? DG_DIR_UP : DG_DIR_DOWN, DG_TX_IMPLICIT, 0);
	anchor_first_line(d);
	if (up) {
		size_t plen = strlen(src->path);
		char *down = dg_arena_alloc(d->a, plen + 3);

		memcpy(down, src->path, plen - 7);
		strcpy(down + plen - 7, ".down.sql");
		m->down_path = down;
		m->has_down = file_exists(down);
	} else {
		size_t plen = strlen(src->path);
		char *upp = dg_arena_alloc(d->a, plen + 1);

		memcpy(upp, src->path, plen - 9);
		strcpy(upp + plen - 9, ".up.sql");
		m->up_path = upp;
		m->has_down = true;
	}
	return true;
}

/* ---- Flyway ------------------------------------------------------------------------------ */

struct flyway_name {
	char prefix; /* 'V', 'U', 'B' or 'R' */
	const char *version;
	size_t version_len;
};

/* V<version>__<description>.sql (U undo, B baseline) or R__<description>.sql */
static bool flyway_parse(const char *base, struct flyway_name *fn)
{
	size_t n = strlen(base);
	const char *p = base + 1;

	if (n < 8 || strcmp(base + n - 4, ".sql") != 0)
		return false;
	fn->prefix = base[0];
	if (base[0] == 'R')
		return base[1] == '_' && base[2] == '_' && n > 7;
	if (base[0] != 'V' && base[0] != 'U' && base[0] != 'B')
		return false;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p) || *p == '.' || (*p == '_' && p[1] != '_'))
		p++;
	if (p[0] != '_' || p[1] != '_' || p + 2 >= base + n - 4)
		return false;
	fn->version = base + 1;
	fn->version_len = (size_t)(p - fn->version);
	return true;
}

/* Flyway reads 1_1 as 1.1 */
static bool flyway_same_version(const struct flyway_name *a, const struct flyway_name *b)
{
	if (a->version_len != b->version_len)
		return false;
	for (size_t i = 0; i < a->version_len; i++) {
		char x = a->version[i] == '_' ? '.' : a->version[i];
		char y = b->version[i] == '_' ? '.' : b->version[i];
		if (x != y)
			return false;
	}
	return true;
}

static bool flyway_versioned(const char *name, const void *arg)
{
	const struct flyway_name *self = arg;
	struct flyway_name fn;

	return flyway_parse(name, &fn) && fn.prefix == 'V' && flyway_same_version(self, &fn);
}

static bool flyway_undo(const char *name, const void *arg)
{
	const struct flyway_name *self = arg;
	struct flyway_name fn;

	if (!flyway_parse(name, &fn) || fn.prefix != 'U')
		return false;
	return !self || flyway_same_version(self, &fn);
}

/* Whether some statement of the text is one Flyway's PostgreSQL parser refuses to run inside a
 * transaction (it then runs the whole script outside one): CREATE/DROP DATABASE, TABLESPACE or
 * SUBSCRIPTION, ALTER SYSTEM, CREATE/DROP [UNIQUE] INDEX CONCURRENTLY, REINDEX SCHEMA|DATABASE|
 * SYSTEM, VACUUM, DISCARD ALL, and before PostgreSQL 12 ALTER TYPE … ADD VALUE. REINDEX
 * CONCURRENTLY of a table or index is not among them: it fails in the transaction. */
static bool flyway_non_tx(const char *s, size_t n, int pg_version)
{
	struct stmt_words sw;
	size_t i = 0;

	while (next_statement(s, n, &i, &sw)) {
		const char(*w)[16] = sw.w;
		const char *r1 = strcmp(w[1], "VERBOSE") == 0 ? w[2] : w[1];
		if ((!strcmp(w[0], "CREATE") || !strcmp(w[0], "DROP")) &&
		    (!strcmp(w[1], "DATABASE") || !strcmp(w[1], "TABLESPACE") ||
		     !strcmp(w[1], "SUBSCRIPTION")))
			return true;
		if (is_index_concurrently(&sw))
			return true;
		if (!strcmp(w[0], "ALTER") && !strcmp(w[1], "SYSTEM"))
			return true;
		if (!strcmp(w[0], "REINDEX") &&
		    (!strcmp(r1, "SCHEMA") || !strcmp(r1, "DATABASE") || !strcmp(r1, "SYSTEM")))
			return true;
		if (!strcmp(w[0], "VACUUM") || (!strcmp(w[0], "DISCARD") && !strcmp(w[1], "ALL")))
			return true;
		if (pg_version < 12 && !strcmp(w[0], "ALTER") && !strcmp(w[1], "TYPE") &&
		    sw.add_value)
			return true;
	}
	return false;
}

/* Flyway's explicit say: "-- flyway:executeInTransaction=…" in the script, or
 * executeInTransaction=… in <script>.conf. 1 true, 0 false, -1 unsaid. */
static int flyway_tx_setting(struct det *d)
{
	const struct dg_source *src = d->src;
	char conf[4096];

	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		const char *end = src->text + le, *p = comment_text(src->text + ls, end);
		if (p && take_word(&p, end, "flyway:executeInTransaction")) {
			if (p < end && *p == '=')
				p = skip_blanks(p + 1, end);
			return take_word(&p, end, "false") ? 0 : 1;
		}
	}
	if (dg_probe_read_small(join(d->a, src->path, ".conf"), conf, sizeof(conf))) {
		const char *p = strstr(conf, "executeInTransaction");
		if (p) {
			p += strlen("executeInTransaction");
			while (*p == ' ' || *p == '=' || *p == '\t')
				p++;
			return strncasecmp(p, "false", 5) == 0 ? 0 : 1;
		}
	}
	return -1;
}

/* Flyway runs a migration in a transaction, except a script it finds a non-transactional
 * statement in (see flyway_non_tx; mixing both kinds in one script is refused unless
 * mixed=true) or one configured executeInTransaction=false: then each statement on its own. */
static bool claim_flyway(struct det *d)
{
	const char *path = d->src->path;
	struct dg_migration *m = d->m;
	struct flyway_name fn = {0};
	enum dg_direction dir = DG_DIR_UP;
	enum dg_tx_mode tx;
	int setting;

	if (!flyway_parse(base_name(path), &fn)) {
		if (!d->force)
			return false;
		fn.prefix = 'V';
	}
	setting = flyway_tx_setting(d);
	if (setting >= 0)
		tx = setting ? DG_TX_WRAPPED : DG_TX_AUTOCOMMIT;
	else
		tx = flyway_non_tx(d->src->text, d->src->len, d->pg_version) ? DG_TX_AUTOCOMMIT
									     : DG_TX_WRAPPED;
	if (fn.prefix == 'U')
		dir = DG_DIR_DOWN;
	add_section(d, 0, d->src->len, dir, tx, 0);
	anchor_first_line(d);
	if (fn.prefix == 'U') {
		m->format_has_down = m->has_down = true;
		if (fn.version)
			m->up_path = dir_find(d->a, dir_part(d->a, path), flyway_versioned, &fn);
	} else if (fn.prefix == 'V' && fn.version) {
		/* undo migrations are optional (and a paid feature): only a directory that has some
		 * is expected to have one for every versioned migration */
		char *dir_s = dir_part(d->a, path);
		const char *base = base_name(path);
		if (dir_any(dir_s, flyway_undo, NULL)) {
			m->format_has_down = true;
			m->has_down = dir_any(dir_s, flyway_undo, &fn);
			char *u = join(d->a, dir_s, base);
			u[strlen(dir_s)] = 'U';
			m->down_path = u;
		}
	}
	return true;
}

/* ---- postgres-migrations (node) and Atlas: directives in the file ------------------------ */

/* The first comment line whose text starts with `tag`: the rest of it, or NULL. */
static const char *directive(struct det *d, const char *tag, const char **end_out)
{
	const struct dg_source *src = d->src;

	if (!dg_holds_ci(src->text, src->len, tag))
		return NULL; /* in no comment either */
	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		const char *end = src->text + le, *p = comment_text(src->text + ls, end);
		if (p && (size_t)(end - p) >= strlen(tag) &&
		    strncasecmp(p, tag, strlen(tag)) == 0) {
			*end_out = end;
			return p + strlen(tag);
		}
	}
	return NULL;
}

/* "-- postgres-migrations disable-transaction" anywhere in the file (the library looks for
 * exactly that text): the migration runs as one query string instead of inside the START
 * TRANSACTION … COMMIT the library otherwise wraps it in. Only such a comment tells this format
 * from plain SQL. */
static bool claim_postgres_migrations(struct det *d)
{
	const char *end, *p = directive(d, "postgres-migrations", &end);
	enum dg_tx_mode tx = DG_TX_WRAPPED;

	(void)end;
	if (!p && !d->force)
		return false;
	if (strstr(d->src->text, "-- postgres-migrations disable-transaction"))
		tx = DG_TX_IMPLICIT;
	add_section(d, 0, d->src->len, DG_DIR_UP, tx, 0);
	anchor_first_line(d);
	return true;
}

/* "-- atlas:txmode none|file|all" in the file, or atlas.sum next to it. Atlas runs each file
 * in a transaction by default ("file"); with "none" each statement on its own. */
static bool claim_atlas(struct det *d)
{
	const char *end, *p = directive(d, "atlas:txmode", &end);
	enum dg_tx_mode tx = DG_TX_WRAPPED;

	if (!p && !d->force && !file_exists(join(d->a, dir_part(d->a, d->src->path), "atlas.sum")))
		return false;
	if (p) {
		p = skip_blanks(p, end);
		if (take_word(&p, end, "none"))
			tx = DG_TX_AUTOCOMMIT;
	}
	add_section(d, 0, d->src->len, DG_DIR_UP, tx, 0);
	anchor_first_line(d);
	return true;
}

/* ---- what the files next to this one say ------------------------------------------------- */

/* Whether some file of `dir` whose name satisfies `name_ok` (NULL: any .sql) carries `marker`
 * (one of sibling_markers) in its first 8 KiB. A directory's migrations share their tool: when
 * some carry its marker comment, the others that follow its naming belong to it too. Each .sql
 * file of the directory is read once for all the markers, and what it holds is kept while the
 * directory is unchanged. */
static const char *const sibling_markers[] = {
    "---- create above / drop below ----",
    "---- tern: disable-tx ----",
    "-- depends:",
    "refinery:noTransaction",
    "-- postgres-migrations",
};

/* What the .sql files of a directory hold of the sibling markers, read once for the whole
 * process: every file of a directory asks about its siblings, and the threads that read a
 * root's earlier migrations (dg_absorb_many) each read all 700 of a 700-file directory. A few
 * directories are kept, each while its mtime holds; the mutex covers the table and building. */
struct marker_dir {
	char *dir; /* NULL: a free entry */
	struct timespec mtime;
	char **names;	/* the .sql files */
	unsigned *held; /* per file: bit k set when it holds sibling_markers[k] */
	size_t n;
	unsigned long used; /* when it was last asked, for eviction */
	/* the questions answered (each file of the directory asks the same ones: answering
	 * each from the names again made detection quadratic in the directory's size) */
	struct marker_answer {
		size_t marker;
		bool (*name_ok)(const char *);
		bool any;
	} answers[8];
	size_t n_answers;
};

#define MARKER_DIRS 8
static struct {
	pthread_mutex_t mu;
	struct marker_dir dirs[MARKER_DIRS];
	unsigned long clock;
} marker_cache = {PTHREAD_MUTEX_INITIALIZER, {{0}}, 0};

static void marker_dir_clear(struct marker_dir *md)
{
	free_names(md->names, md->n);
	free(md->held);
	free(md->dir);
	memset(md, 0, sizeof(*md));
}

static bool sql_name(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".sql") == 0;
}

static void marker_dir_build(struct marker_dir *md, const char *dir)
{
	static _Thread_local char buf[8192];
	size_t n = 0;
	char **names = dir_entries(dir, &n);

	md->names = calloc(n ? n : 1, sizeof(*md->names));
	md->held = calloc(n ? n : 1, sizeof(*md->held));
	if (!md->names || !md->held)
		return;
	for (size_t i = 0; names && i < n; i++) {
		char *path, *name;
		unsigned held = 0;
		if (!sql_name(names[i]))
			continue;
		path = malloc(strlen(dir) + strlen(names[i]) + 1);
		name = strdup(names[i]);
		if (!path || !name) {
			free(path);
			free(name);
			break;
		}
		sprintf(path, "%s%s", dir, names[i]);
		if (dg_read_head(path, buf, sizeof(buf), NULL))
			for (size_t k = 0; k < sizeof(sibling_markers) / sizeof(*sibling_markers);
			     k++)
				if (strstr(buf, sibling_markers[k]))
					held |= 1u << k;
		free(path);
		md->names[md->n] = name;
		md->held[md->n++] = held;
	}
}

/* The entry of directory d at mtime st (mu held): kept, or made in the least recently asked. */
static struct marker_dir *marker_dir_of(const char *dir, const char *d, const struct stat *st)
{
	struct marker_dir *md = NULL;

	for (size_t i = 0; i < MARKER_DIRS; i++) {
		struct marker_dir *e = &marker_cache.dirs[i];
		if (e->dir && strcmp(e->dir, d) == 0) {
			md = e;
			break;
		}
		if (!md || (md->dir && (!e->dir || e->used < md->used)))
			md = e; /* a free one, or else the oldest */
	}
	if (!cache_holds(md->dir, &md->mtime, d, st)) {
		marker_dir_clear(md);
		md->dir = strdup(d);
		md->mtime = st->st_mtim;
		if (md->dir)
			marker_dir_build(md, dir);
	}
	md->used = ++marker_cache.clock;
	return md;
}

static bool sibling_has_marker(const char *dir, const char *marker, bool (*name_ok)(const char *))
{
	const char *d = *dir ? dir : ".";
	struct stat st;
	size_t k = 0, n_markers = sizeof(sibling_markers) / sizeof(*sibling_markers);
	struct marker_dir *md;
	bool any = false;

	while (k < n_markers && strcmp(sibling_markers[k], marker) != 0)
		k++;
	if (k == n_markers || !dg_probe_stat(d, &st))
		return false;
	pthread_mutex_lock(&marker_cache.mu);
	md = marker_dir_of(dir, d, &st);
	for (size_t a = 0; a < md->n_answers; a++)
		if (md->answers[a].marker == k && md->answers[a].name_ok == name_ok) {
			any = md->answers[a].any;
			pthread_mutex_unlock(&marker_cache.mu);
			return any;
		}
	for (size_t i = 0; i < md->n && !any; i++)
		any = (md->held[i] & (1u << k)) && (!name_ok || name_ok(md->names[i]));
	if (md->n_answers < sizeof(md->answers) / sizeof(md->answers[0]))
		md->answers[md->n_answers++] =
		    (struct marker_answer){.marker = k, .name_ok = name_ok, .any = any};
	pthread_mutex_unlock(&marker_cache.mu);
	return any;
}

/* What cargo_uses found for the files of one directory (kept while the directory is
 * unchanged: each of its files asks, and the answer is six probes up the tree). */
static _Thread_local struct {
	char *dir;
	struct timespec mtime;
	struct {
		const char *crate;
		bool uses;
	} seen[4];
	size_t n;
} cargo_cache;

static void cargo_cache_clear(void)
{
	free(cargo_cache.dir);
	memset(&cargo_cache, 0, sizeof(cargo_cache));
}

static bool cargo_probe(struct det *d, const char *dir, const char *crate);

/* Whether a Cargo.toml in the directory of the file or up to five levels above names `crate`
 * (sqlx, refinery): a Rust project's migrations are that crate's. */
static bool cargo_uses(struct det *d, const char *crate)
{
	char *dir = dir_part(d->a, d->src->path);
	const char *key = *dir ? dir : ".";
	struct stat st;
	bool uses;

	if (!dg_probe_stat(key, &st))
		return cargo_probe(d, dir, crate);
	if (!cache_holds(cargo_cache.dir, &cargo_cache.mtime, key, &st)) {
		cargo_cache_clear();
		cargo_cache.dir = strdup(key);
		cargo_cache.mtime = st.st_mtim;
	}
	for (size_t i = 0; i < cargo_cache.n; i++)
		if (strcmp(cargo_cache.seen[i].crate, crate) == 0)
			return cargo_cache.seen[i].uses;
	uses = cargo_probe(d, dir, crate);
	if (cargo_cache.dir && cargo_cache.n < sizeof(cargo_cache.seen) / sizeof(*cargo_cache.seen))
		cargo_cache.seen[cargo_cache.n].crate = crate,
		cargo_cache.seen[cargo_cache.n++].uses = uses;
	return uses;
}

static bool cargo_probe(struct det *d, const char *dir, const char *crate)
{
	static _Thread_local char buf[16384];
	char *probe = join(d->a, *dir ? dir : "./", "");

	for (int up = 0; up < 6; up++) {
		if (dg_read_head(join(d->a, probe, "Cargo.toml"), buf, sizeof(buf), NULL)) {
			for (const char *p = buf; (p = strstr(p, crate)); p++) {
				char after = p[strlen(crate)];
				bool start = p == buf || !(isalnum((unsigned char)p[-1]) ||
							   p[-1] == '_' || p[-1] == '-');
				if (start && !(isalnum((unsigned char)after) || after == '_'))
					return true;
			}
		}
		probe = join(d->a, probe, "../");
	}
	return false;
}

/* The byte offset just past line l (where the next one starts). */
static size_t after_line(const struct dg_source *src, size_t l)
{
	return l + 1 < src->n_lines ? src->line_starts[l + 1] : src->len;
}

/* ---- pg_dump output: a schema snapshot, not a migration ---------------------------------- */

/* pg_dump's header ("-- PostgreSQL database dump") or its preamble (SET statement_timeout …;
 * SELECT pg_catalog.set_config('search_path', '', false);) in the first lines, or Rails'
 * db/structure.sql. Read into schema memory, never reported. */
static bool claim_pg_dump(struct det *d)
{
	const struct dg_source *src = d->src;
	size_t scan = src->n_lines <= 40 ? src->len : src->line_starts[40];
	const char *t = src->text;
	bool dump = memmem(t, scan, "-- PostgreSQL database dump", 27) ||
		    memmem(t, scan, "SELECT pg_catalog.set_config('search_path', '', false)", 49);

	if (!dump && strcmp(base_name(src->path), "structure.sql") != 0)
		return false;
	add_section(d, 0, src->len, DG_DIR_UP, DG_TX_AUTOCOMMIT, 0);
	d->m->snapshot = true;
	d->m->skipped = "pg_dump output (a schema snapshot), not a migration: read into schema "
			"memory, not linted";
	return true;
}

/* ---- Graphile Migrate ---------------------------------------------------------------------- */

/* migrations/committed/NNNNNN[-message].sql: a "--! Previous: " line, a "--! Hash: " line (and
 * "--! Message: " lines), a blank line, then the body. Each runs in a transaction unless the
 * body's first line is "--! no-transaction". current.sql, current/ and hooks are the work in
 * progress, never committed migrations. Its placeholders (:DATABASE_OWNER …) are substituted
 * before the server sees the text. */
static bool dir_exists(const char *path)
{
	return dg_probe_dir(path);
}

static bool claim_graphile(struct det *d)
{
	const struct dg_source *src = d->src;
	const char *base = base_name(src->path);
	char *dir = dir_part(d->a, src->path), *parent = parent_name(d->a, src->path);
	size_t digits = 0, body = src->len, l = 0;
	enum dg_tx_mode tx = DG_TX_WRAPPED;

	if (strncmp(src->text, "--! Previous: ", 14) != 0) {
		/* the uncommitted work of a Graphile Migrate project */
		bool current =
		    (!strcmp(base, "current.sql") && dir_exists(join(d->a, dir, "committed"))) ||
		    (!strcmp(parent, "current") && dir_exists(join(d->a, dir, "../committed")));
		if (!current)
			return false;
		d->m->skipped = "Graphile Migrate's current migration (work in progress): only "
				"committed migrations run on deploy";
		return true;
	}
	while (isdigit((unsigned char)base[digits]))
		digits++;
	if (!d->force && (strcmp(parent, "committed") != 0 || digits < 6))
		return false;
	/* header lines ("--! " and a capital: Previous, Hash, Message…), blank lines, the body */
	for (; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		if (le - ls > 4 && strncmp(src->text + ls, "--! ", 4) == 0 &&
		    isupper((unsigned char)src->text[ls + 4]))
			continue;
		break;
	}
	for (; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		if (ls == le)
			continue;
		body = ls;
		if (le - ls >= 3 && strncmp(src->text + ls, "--!", 3) == 0) {
			const char *q = skip_blanks(src->text + ls + 3, src->text + le);
			if (take_word(&q, src->text + le, "no-transaction"))
				tx = DG_TX_IMPLICIT;
		}
		break;
	}
	add_section(d, body, src->len, DG_DIR_UP, tx, 0);
	anchor_first_line(d);
	return true;
}

/* ---- tern ---------------------------------------------------------------------------------- */

static bool tern_name(const char *name)
{
	size_t digits = 0;
	while (isdigit((unsigned char)name[digits]))
		digits++;
	return digits && name[digits] == '_' && sql_name(name);
}

/* NNN_name.sql; "---- create above / drop below ----" ends the up part, the rest is the down;
 * "---- tern: disable-tx ----" runs it outside the transaction tern otherwise wraps it in (as
 * one query string). A file without either marker is tern's when a sibling has one. */
static bool claim_tern(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	size_t split = (size_t)-1, split_end = 0;
	bool disable_tx = false;
	enum dg_tx_mode tx;

	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		if (le - ls == 35 &&
		    strncmp(src->text + ls, "---- create above / drop below ----", 35) == 0 &&
		    split == (size_t)-1) {
			split = ls;
			split_end = after_line(src, l);
		} else if (le - ls == 26 &&
			   strncmp(src->text + ls, "---- tern: disable-tx ----", 26) == 0) {
			disable_tx = true;
		}
	}
	if (split == (size_t)-1 && !disable_tx) {
		const char *dir = dir_part(d->a, src->path);
		if (!d->force &&
		    (!tern_name(base_name(src->path)) ||
		     (!sibling_has_marker(dir, "---- create above / drop below ----", tern_name) &&
		      !sibling_has_marker(dir, "---- tern: disable-tx ----", tern_name))))
			return false;
	}
	tx = disable_tx ? DG_TX_IMPLICIT : DG_TX_WRAPPED;
	anchor_first_line(d);
	m->format_has_down = true;
	if (split == (size_t)-1) {
		add_section(d, 0, src->len, DG_DIR_UP, tx, 0);
		return true;
	}
	add_section(d, 0, split, DG_DIR_UP, tx, 0);
	add_nonempty(d, split_end, src->len, DG_DIR_DOWN, tx, 0);
	m->has_down = dg_skip_trivia(src->text, split_end, src->len) < src->len;
	m->anchor_start = split;
	m->anchor_end = split + 35;
	if (m->has_down)
		anchor_first_line(d);
	return true;
}

/* ---- node-pg-migrate SQL files ----------------------------------------------------------- */

/* "-- Up Migration" and "-- Down Migration" comment lines (node-pg-migrate's SQL migrations:
 * any number of dashes, any case, nothing else on the line); each migration runs in a transaction
 * (by default all pending ones in one). */
static int npm_marker(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (end - q < 2 || q[0] != '-' || q[1] != '-')
		return 0;
	while (q < end && (*q == '-' || *q == ' ' || *q == '\t'))
		q++;
	/* the whole line: "-- Down migration is a no-op" is prose, not the marker */
	if (take_word(&q, end, "up") && take_word(&q, end, "migration") && q == end)
		return 1;
	q = skip_blanks(p, end);
	while (q < end && (*q == '-' || *q == ' ' || *q == '\t'))
		q++;
	if (take_word(&q, end, "down") && take_word(&q, end, "migration") && q == end)
		return 2;
	return 0;
}

static bool claim_node_pg_migrate(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	size_t cur = 0;
	enum dg_direction dir = DG_DIR_NONE;
	bool seen = false;

	/* a marker line says "migration" */
	if (!dg_holds_ci(src->text, src->len, "migration"))
		return false;
	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		int k = npm_marker(src->text + ls, src->text + le);
		if (!k)
			continue;
		if (seen)
			add_nonempty(d, cur, ls, dir, DG_TX_WRAPPED, 0);
		else if (k == 1) {
			m->anchor_start = ls;
			m->anchor_end = le;
		}
		seen = true;
		dir = k == 1 ? DG_DIR_UP : DG_DIR_DOWN;
		if (k == 2)
			m->has_down =
			    dg_skip_trivia(src->text, after_line(src, l), src->len) < src->len;
		cur = after_line(src, l);
	}
	if (!seen)
		return false;
	add_nonempty(d, cur, src->len, dir, DG_TX_WRAPPED, 0);
	m->format_has_down = true;
	return true;
}

/* ---- yoyo -------------------------------------------------------------------------------- */

static bool yoyo_rollback_name(const char *name)
{
	size_t n = strlen(name);
	return n > 13 && strcmp(name + n - 13, ".rollback.sql") == 0;
}

/* X.sql and its way back X.rollback.sql; "-- depends: a b" and "-- transactional: false" in the
 * leading comments. yoyo runs each statement of a migration inside one transaction, or each on
 * its own with transactional: false. */
static bool claim_yoyo(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	const char *path = src->path, *base = base_name(path), *end, *p;
	size_t plen = strlen(path);
	bool rollback = yoyo_rollback_name(base), marker = false, tx = true;
	char *other;

	if (!sql_name(base))
		return false;
	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		end = src->text + le;
		p = comment_text(src->text + ls, end);
		if (!p) {
			if (dg_skip_trivia(src->text, ls, le) < le)
				break; /* the directives are the leading comments */
			continue;
		}
		if (end - p >= 8 && strncmp(p, "depends:", 8) == 0) {
			marker = true;
		} else if (end - p >= 14 && strncmp(p, "transactional:", 14) == 0) {
			marker = true;
			p = skip_blanks(p + 14, end);
			tx = !take_word(&p, end, "false");
		}
	}
	if (rollback) {
		other = dg_arena_alloc(d->a, plen + 1);
		memcpy(other, path, plen - 13);
		strcpy(other + plen - 13, ".sql");
	} else {
		other = dg_arena_alloc(d->a, plen + 10);
		memcpy(other, path, plen - 4);
		strcpy(other + plen - 4, ".rollback.sql");
	}
	if (!d->force && !marker && !file_exists(other) &&
	    (rollback || !sibling_has_marker(dir_part(d->a, path), "-- depends:", NULL)))
		return false;
	add_section(d, 0, src->len, rollback ? DG_DIR_DOWN : DG_DIR_UP,
		    tx ? DG_TX_WRAPPED : DG_TX_AUTOCOMMIT, 0);
	anchor_first_line(d);
	m->format_has_down = true;
	if (rollback) {
		m->up_path = other;
		m->has_down = true;
	} else {
		m->down_path = other;
		m->has_down = file_exists(other);
	}
	return true;
}

/* ---- Drizzle Kit --------------------------------------------------------------------------- */

/* drizzle/NNNN_name.sql with meta/_journal.json beside them: the journal's entries ("tag":
 * "NNNN_name") are the migrations, in order; a .sql file it does not list is not one. Each
 * file splits at "--> statement-breakpoint" lines, every piece sent on its own, and all pending
 * migrations run in one transaction. */
static bool claim_drizzle(struct det *d)
{
	const struct dg_source *src = d->src;
	const char *base = base_name(src->path);
	char *journal_path = join(d->a, dir_part(d->a, src->path), "meta/_journal.json");
	size_t bl = strlen(base), cur = 0, jlen = 0;
	int err;
	char *journal, *tag;
	bool listed = false;

	if (bl < 5 || strcmp(base + bl - 4, ".sql") != 0 || !file_exists(journal_path))
		return false;
	journal = dg_read_path(journal_path, DG_DEFAULT_MAX_FILE_SIZE, &jlen, &err);
	if (!journal)
		return false;
	tag = dg_arena_alloc(d->a, bl + 8);
	snprintf(tag, bl + 8, "\"%.*s\"", (int)(bl - 4), base);
	for (const char *p = journal; (p = strstr(p, "\"tag\"")); p += 5) {
		const char *q = p + 5;
		while (*q == ' ' || *q == '\t' || *q == ':' || *q == '\n' || *q == '\r')
			q++;
		if (strncmp(q, tag, strlen(tag)) == 0) {
			listed = true;
			break;
		}
	}
	free(journal);
	anchor_first_line(d);
	if (!listed) {
		d->m->skipped = "not listed in meta/_journal.json: drizzle does not run it";
		return true;
	}
	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		const char *p = skip_blanks(src->text + ls, src->text + le);
		const char *bp = NULL;
		/* drizzle-kit writes the breakpoint at the end of a statement's line, too */
		for (const char *q = p; q + 24 <= src->text + le; q++)
			if (strncmp(q, "--> statement-breakpoint", 24) == 0) {
				bp = q;
				break;
			}
		if (!bp)
			continue;
		add_nonempty(d, cur, (size_t)(bp - src->text), DG_DIR_UP, DG_TX_WRAPPED, 1);
		cur = (size_t)(bp - src->text) + 24;
	}
	add_nonempty(d, cur, src->len, DG_DIR_UP, DG_TX_WRAPPED, 1);
	if (!d->m->n_sections)
		add_section(d, 0, src->len, DG_DIR_UP, DG_TX_WRAPPED, 1);
	return true;
}

/* ---- Hasura -------------------------------------------------------------------------------- */

/* migrations/<database>/<timestamp>_name/up.sql and down.sql (or migrations/<timestamp>_name/
 * in the config v2 layout), in a Hasura project: config.yaml or metadata/ next to migrations/.
 * Hasura runs each file through run_sql, in a transaction. */
static bool claim_hasura(struct det *d)
{
	const char *path = d->src->path, *base = base_name(path);
	struct dg_migration *m = d->m;
	bool up = strcmp(base, "up.sql") == 0;
	char *dir, *name;
	size_t digits = 0;

	if (!up && strcmp(base, "down.sql") != 0)
		return false;
	name = parent_name(d->a, path);
	while (isdigit((unsigned char)name[digits]))
		digits++;
	/* Hasura's versions are millisecond timestamps: 13 digits, then '_' */
	if (digits < 13 || name[digits] != '_')
		return false;
	dir = dir_part(d->a, path);
	if (!file_exists(join(d->a, dir, "../../config.yaml")) &&
	    !file_exists(join(d->a, dir, "../../../config.yaml")) &&
	    !file_exists(join(d->a, dir, "../../metadata/version.yaml")) &&
	    !file_exists(join(d->a, dir, "../../../metadata/version.yaml")))
		return false;
	add_section(d, 0, d->src->len, up ? DG_DIR_UP : DG_DIR_DOWN, DG_TX_WRAPPED, 0);
	anchor_first_line(d);
	m->format_has_down = true;
	if (up) {
		m->down_path = join(d->a, dir, "down.sql");
		m->has_down = file_exists(m->down_path);
	} else {
		m->up_path = join(d->a, dir, "up.sql");
		m->has_down = true;
	}
	return true;
}

/* ---- Supabase CLI ------------------------------------------------------------------------ */

/* supabase/migrations/<timestamp>_name.sql, forward only. The CLI splits the file into
 * statements and sends them as one pipelined batch: one implicit transaction. */
static bool claim_supabase(struct det *d)
{
	const char *path = d->src->path, *base = base_name(path);
	size_t digits = 0;
	char *dir = dir_part(d->a, path);
	size_t dl = strlen(dir);

	while (isdigit((unsigned char)base[digits]))
		digits++;
	if (!digits || base[digits] != '_' || !sql_name(base))
		return false;
	if (!(dl >= 20 && strcmp(dir + dl - 20, "supabase/migrations/") == 0) &&
	    !file_exists(join(d->a, dir, "../config.toml")))
		return false;
	if (!(dl >= 20 && strcmp(dir + dl - 20, "supabase/migrations/") == 0)) {
		/* a supabase directory under another name: its config.toml says so */
		char toml[4096];
		if (!dg_probe_read_small(join(d->a, dir, "../config.toml"), toml, sizeof(toml)) ||
		    !strstr(toml, "project_id"))
			return false;
	}
	add_section(d, 0, d->src->len, DG_DIR_UP, DG_TX_IMPLICIT, 0);
	anchor_first_line(d);
	return true;
}

/* ---- sqlx (Rust) --------------------------------------------------------------------------- */

/* <version>_<description>.sql (simple) or .up.sql / .down.sql (reversible), in a crate that
 * uses sqlx. Each runs in a transaction unless the file starts with "-- no-transaction"; then
 * it goes to the server as one query string. */
static bool claim_sqlx(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	const char *base = base_name(src->path);
	size_t n = strlen(base), digits = 0;
	enum dg_tx_mode tx = DG_TX_WRAPPED;
	bool up = false, down = false;

	while (isdigit((unsigned char)base[digits]))
		digits++;
	if (!digits || digits > 18 || base[digits] != '_' || !sql_name(base))
		return false;
	if (!d->force && !cargo_uses(d, "sqlx"))
		return false;
	if (n > 7 && strcmp(base + n - 7, ".up.sql") == 0)
		up = true;
	else if (n > 9 && strcmp(base + n - 9, ".down.sql") == 0)
		down = true;
	if (strncmp(src->text, "-- no-transaction", 17) == 0)
		tx = DG_TX_IMPLICIT;
	add_section(d, 0, src->len, down ? DG_DIR_DOWN : DG_DIR_UP, tx, 0);
	anchor_first_line(d);
	if (up || down) {
		size_t plen = strlen(src->path);
		m->format_has_down = true;
		if (up) {
			char *p = dg_arena_alloc(d->a, plen + 3);
			memcpy(p, src->path, plen - 7);
			strcpy(p + plen - 7, ".down.sql");
			m->down_path = p;
			m->has_down = file_exists(p);
		} else {
			char *p = dg_arena_alloc(d->a, plen + 1);
			memcpy(p, src->path, plen - 9);
			strcpy(p + plen - 9, ".up.sql");
			m->up_path = p;
			m->has_down = true;
		}
	}
	return true;
}

/* ---- any X.up.sql / X.down.sql pair ------------------------------------------------------ */

/* X.up.sql with X.down.sql, or X_up.sql with X_down.sql (V0001.Name.up.sql and the like),
 * whatever the tool: the down undoes its up. How the tool runs them is not known: each
 * statement on its own, as plain SQL. */
static bool claim_up_down(struct det *d)
{
	const struct dg_source *src = d->src;
	struct dg_migration *m = d->m;
	const char *path = src->path;
	size_t plen = strlen(path);
	static const char *const ups[] = {".up.sql", "_up.sql"};
	static const char *const downs[] = {".down.sql", "_down.sql"};

	for (size_t k = 0; k < 2; k++) {
		size_t ul = strlen(ups[k]), dl = strlen(downs[k]);
		bool up = plen > ul && strcmp(path + plen - ul, ups[k]) == 0;
		bool down = plen > dl && strcmp(path + plen - dl, downs[k]) == 0;
		char *other;
		if (!up && !down)
			continue;
		if (up) {
			other = dg_arena_alloc(d->a, plen + 3);
			memcpy(other, path, plen - ul);
			strcpy(other + plen - ul, downs[k]);
		} else {
			other = dg_arena_alloc(d->a, plen + 1);
			memcpy(other, path, plen - dl);
			strcpy(other + plen - dl, ups[k]);
		}
		if (!file_exists(other) && !d->force)
			continue;
		add_section(d, 0, src->len, up ? DG_DIR_UP : DG_DIR_DOWN, DG_TX_AUTOCOMMIT, 0);
		anchor_first_line(d);
		m->format_has_down = true;
		m->tx_unknown = true;
		if (up) {
			m->down_path = other;
			m->has_down = true;
		} else {
			m->up_path = other;
			m->has_down = true;
		}
		return true;
	}
	return false;
}

/* ---- refinery (Rust) ------------------------------------------------------------------------ */

/* [U|V]<n>[.<n>]__<name>.sql: V versioned, U unversioned — never an undo: refinery has no way
 * back. Each runs in a transaction unless a comment line says "refinery:noTransaction"; then
 * it is sent as one query string. Told from Flyway by the crate (Cargo.toml), the annotation in
 * it or a sibling, or a U file with its own version (a Flyway undo shares its V's). */
static bool refinery_parse(const char *base, char *prefix, const char **ver, size_t *vlen)
{
	const char *p = base + 1;
	size_t n = strlen(base);

	if ((base[0] != 'U' && base[0] != 'V') || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.' && isdigit((unsigned char)p[1]))
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (p[0] != '_' || p[1] != '_' || n < 4 || strcmp(base + n - 4, ".sql") != 0)
		return false;
	for (const char *q = p + 2; q < base + n - 4; q++)
		if (!isalnum((unsigned char)*q) && *q != '_')
			return false;
	if (p + 2 >= base + n - 4)
		return false;
	*prefix = base[0];
	*ver = base + 1;
	*vlen = (size_t)(p - base - 1);
	return true;
}

struct refinery_q {
	char prefix;
	const char *ver;
	size_t vlen;
};

static bool refinery_same_version(const char *name, const void *arg)
{
	const struct refinery_q *q = arg;
	char prefix;
	const char *ver;
	size_t vlen;

	return refinery_parse(name, &prefix, &ver, &vlen) && prefix == q->prefix &&
	       vlen == q->vlen && strncmp(ver, q->ver, vlen) == 0;
}

/* a U file whose version no V file has */
static bool refinery_own_u(const char *name, const void *arg)
{
	char prefix;
	const char *ver;
	size_t vlen;
	const char *dir = arg;

	if (!refinery_parse(name, &prefix, &ver, &vlen) || prefix != 'U')
		return false;
	struct refinery_q q = {'V', ver, vlen};
	return !dir_any(dir, refinery_same_version, &q);
}

static bool refinery_line(const struct dg_source *src)
{
	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls, le;
		line_at(src, l, &ls, &le);
		const char *p = src->text + ls, *e = src->text + le;
		if (e - p < 2 || p[0] != '-' || p[1] != '-')
			continue;
		while (p < e && *p == '-')
			p++;
		if (p < e && isspace((unsigned char)*p))
			p++;
		if ((size_t)(e - p) == 22 && strncmp(p, "refinery:noTransaction", 22) == 0)
			return true;
	}
	return false;
}

static bool claim_refinery(struct det *d)
{
	const struct dg_source *src = d->src;
	char prefix;
	const char *ver;
	size_t vlen;
	char *dir = dir_part(d->a, src->path);
	bool no_tx = refinery_line(src);

	if (!refinery_parse(base_name(src->path), &prefix, &ver, &vlen)) {
		if (!d->force)
			return false;
		prefix = 'V';
	}
	if (!d->force && !no_tx && !cargo_uses(d, "refinery") &&
	    !sibling_has_marker(dir, "refinery:noTransaction", NULL) &&
	    !dir_any(dir, refinery_own_u, dir))
		return false;
	add_section(d, 0, src->len, DG_DIR_UP, no_tx ? DG_TX_IMPLICIT : DG_TX_WRAPPED, 0);
	anchor_first_line(d);
	return true;
}

/* ---- postgres-migrations: the files of a marked directory -------------------------------- */

static bool pgm_name(const char *name)
{
	size_t digits = 0;
	while (isdigit((unsigned char)name[digits]))
		digits++;
	return digits && (name[digits] == '_' || name[digits] == '-') && sql_name(name);
}

/* NNNN-name.sql (or NNNN_name.sql) without the library's comment, in a directory where other
 * files carry "-- postgres-migrations": the library's too, run in its transaction. */
static bool claim_postgres_migrations_sibling(struct det *d)
{
	if (!pgm_name(base_name(d->src->path)) ||
	    !sibling_has_marker(dir_part(d->a, d->src->path), "-- postgres-migrations", pgm_name))
		return false;
	add_section(d, 0, d->src->len, DG_DIR_UP, DG_TX_WRAPPED, 0);
	anchor_first_line(d);
	return true;
}

/* ---- plain SQL --------------------------------------------------------------------------- */

/* Statements run as written (psql -f): each commits on its own unless BEGIN says otherwise. */
static bool claim_plain(struct det *d)
{
	add_section(d, 0, d->src->len, DG_DIR_NONE, DG_TX_AUTOCOMMIT, 0);
	d->m->tx_unknown = !d->force;
	return true;
}

/* Markers in the text first, as they decide how the file splits; then directory layouts and
 * names (the more specific before golang-migrate's NNN_name.up.sql); atlas.sum last, since
 * Atlas also writes golang-migrate, goose, Flyway and dbmate directories. */
static bool claim_postgres_migrations_any(struct det *d)
{
	return claim_postgres_migrations(d) || (!d->force && claim_postgres_migrations_sibling(d));
}

static const struct dg_format formats[] = {
    {"pg-dump", claim_pg_dump, DG_TX_AUTOCOMMIT},
    {"liquibase", claim_liquibase, DG_TX_WRAPPED},
    {"goose", claim_goose, DG_TX_WRAPPED},
    {"sql-migrate", claim_sql_migrate, DG_TX_WRAPPED},
    {"dbmate", claim_dbmate, DG_TX_WRAPPED},
    {"graphile-migrate", claim_graphile, DG_TX_WRAPPED},
    {"tern", claim_tern, DG_TX_WRAPPED},
    {"node-pg-migrate", claim_node_pg_migrate, DG_TX_WRAPPED},
    {"postgres-migrations", claim_postgres_migrations_any, DG_TX_WRAPPED},
    {"sqitch", claim_sqitch, DG_TX_AUTOCOMMIT},
    {"drizzle", claim_drizzle, DG_TX_WRAPPED},
    {"hasura", claim_hasura, DG_TX_WRAPPED},
    {"diesel", claim_diesel, DG_TX_WRAPPED},
    {"prisma", claim_prisma, DG_TX_IMPLICIT},
    {"pop", claim_pop, DG_TX_WRAPPED},
    {"yoyo", claim_yoyo, DG_TX_WRAPPED},
    {"supabase", claim_supabase, DG_TX_IMPLICIT},
    {"sqlx", claim_sqlx, DG_TX_WRAPPED},
    {"golang-migrate", claim_golang_migrate, DG_TX_IMPLICIT},
    {"up-down", claim_up_down, DG_TX_AUTOCOMMIT},
    {"refinery", claim_refinery, DG_TX_WRAPPED},
    {"flyway", claim_flyway, DG_TX_WRAPPED},
    {"atlas", claim_atlas, DG_TX_WRAPPED},
    {"plain", claim_plain, DG_TX_AUTOCOMMIT},
};
#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

const char *dg_migration_format_name(size_t i)
{
	return i < N_FORMATS ? formats[i].name : NULL;
}

void dg_migration_detect_as(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m,
			    const char *format, int pg_version)
{
	struct det d = {src, a, m, false, pg_version};

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < N_FORMATS; i++) {
		if (format && strcmp(format, formats[i].name) != 0)
			continue;
		d.force = format != NULL;
		if (formats[i].claim(&d)) {
			m->format = formats[i].name;
			return;
		}
		memset(m, 0, sizeof(*m));
		if (format) {
			/* the named tool would run the whole file forward */
			add_section(&d, 0, src->len,
				    strcmp(format, "plain") ? DG_DIR_UP : DG_DIR_NONE,
				    formats[i].default_tx, 0);
			m->format = formats[i].name;
			return;
		}
	}
	if (!m->format) /* an unknown forced name: plain */
		dg_migration_detect_as(src, a, m, NULL, pg_version);
}

void dg_migration_detect(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m)
{
	dg_migration_detect_as(src, a, m, NULL, 15);
}

/* ---- the order a tool applies a directory's files in ------------------------------------- */

struct order_key {
	char *path;
	int cls;	 /* 0 versioned, 1 Flyway repeatable (after all versioned), 2 other */
	const char *ver; /* the version: digit groups separated by '.' or '_' */
	size_t ver_len;
	size_t plan; /* sqitch: position in sqitch.plan */
};

/* Numeric comparison of one digit group each: leading zeros do not count. */
static int cmp_digits(const char *a, size_t an, const char *b, size_t bn)
{
	while (an > 1 && *a == '0')
		a++, an--;
	while (bn > 1 && *b == '0')
		b++, bn--;
	if (an != bn)
		return an < bn ? -1 : 1;
	return memcmp(a, b, an);
}

static int cmp_versions(const struct order_key *x, const struct order_key *y)
{
	size_t i = 0, j = 0;

	while (i < x->ver_len && j < y->ver_len) {
		size_t ie = i, je = j;
		while (ie < x->ver_len && isdigit((unsigned char)x->ver[ie]))
			ie++;
		while (je < y->ver_len && isdigit((unsigned char)y->ver[je]))
			je++;
		int c = cmp_digits(x->ver + i, ie - i, y->ver + j, je - j);
		if (c)
			return c;
		i = ie + 1;
		j = je + 1;
	}
	/* 1 before 1.1 */
	return (i < x->ver_len) - (j < y->ver_len);
}

static int cmp_order(const void *pa, const void *pb)
{
	const struct order_key *x = pa, *y = pb;
	int c;

	if (x->plan != y->plan)
		return x->plan < y->plan ? -1 : 1;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	if (x->cls == 0 && (c = cmp_versions(x, y)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/* The changes of a sqitch plan in order: names separated by NULs in one buffer, or NULL. */
static char *sqitch_plan(const char *dir, size_t *n_changes)
{
	size_t dl = strlen(dir);
	char *plan_path, *buf = NULL, *out;
	FILE *f;
	long len;
	size_t o = 0;

	*n_changes = 0;
	/* dir is <project>/deploy (or revert, verify) */
	while (dl && dir[dl - 1] == '/')
		dl--;
	if (dl < 6)
		return NULL;
	const char *comp = dir + dl - 6;
	if ((comp != dir && comp[-1] != '/') ||
	    (strncmp(comp, "deploy", 6) && strncmp(comp, "revert", 6) &&
	     strncmp(comp, "verify", 6)))
		return NULL;
	plan_path = malloc((size_t)(comp - dir) + 12);
	if (!plan_path)
		return NULL;
	memcpy(plan_path, dir, (size_t)(comp - dir));
	strcpy(plan_path + (comp - dir), "sqitch.plan");
	f = dg_open_regular(plan_path, DG_DEFAULT_MAX_FILE_SIZE, NULL);
	free(plan_path);
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) != NULL) {
		len = (long)fread(buf, 1, (size_t)len, f);
		buf[len] = '\0';
	}
	fclose(f);
	if (!buf)
		return NULL;
	out = buf; /* names are written over the text they come from */
	for (char *p = buf; *p;) {
		char *e = strchr(p, '\n'), *w = p;
		if (!e)
			e = p + strlen(p);
		while (w < e && (*w == ' ' || *w == '\t'))
			w++;
		if (w < e && *w != '%' && *w != '#' && *w != '@' && *w != '\r') {
			size_t k = 0;
			while (w + k < e && !isspace((unsigned char)w[k]))
				k++;
			memmove(out + o, w, k);
			o += k;
			out[o++] = '\0';
			(*n_changes)++;
		}
		p = *e ? e + 1 : e;
	}
	return out;
}

void dg_migration_order_files(const char *dir, char **paths, size_t n)
{
	struct order_key *keys;
	size_t n_changes;
	char *plan;

	if (n < 2 || !(keys = malloc(n * sizeof(*keys))))
		return;
	plan = sqitch_plan(dir, &n_changes);
	for (size_t i = 0; i < n; i++) {
		const char *base = base_name(paths[i]);
		struct flyway_name fn = {0};
		struct order_key *k = &keys[i];
		size_t digits = 0;

		*k = (struct order_key){paths[i], 2, NULL, 0, 0};
		if (plan) {
			const char *c = plan;
			size_t bl = strlen(base);
			k->plan = n_changes;
			for (size_t j = 0; j < n_changes; j++, c += strlen(c) + 1) {
				if (bl == strlen(c) + 4 && strncmp(base, c, bl - 4) == 0 &&
				    strcmp(base + bl - 4, ".sql") == 0) {
					k->plan = j;
					break;
				}
			}
		}
		if (flyway_parse(base, &fn)) {
			k->cls = fn.prefix == 'R' ? 1 : 0;
			k->ver = fn.version;
			k->ver_len = fn.version_len;
			continue;
		}
		while (isdigit((unsigned char)base[digits]))
			digits++;
		if (digits && (base[digits] == '_' || base[digits] == '-' || base[digits] == '.')) {
			k->cls = 0;
			k->ver = base;
			k->ver_len = digits;
		}
	}
	qsort(keys, n, sizeof(*keys), cmp_order);
	for (size_t i = 0; i < n; i++)
		paths[i] = keys[i].path;
	free(keys);
	free(plan);
}

/* ---- whether a migration root has any way back (require-down-section's census) ---------- */

static _Thread_local struct {
	char *root, *format, *first;
	struct timespec mtime;
	struct dg_down_census c;
	bool valid;
} census_cache;

static bool one_folder_per_migration(const char *format)
{
	return format && (!strcmp(format, "diesel") || !strcmp(format, "hasura"));
}

static bool has_sql_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".sql") == 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads one candidate file and says whether it is a forward migration with a way back. */
static void census_file(const char *path, const char *format, int pg_version,
			struct dg_down_census *c, char **first, const char *rel)
{
	size_t len = 0;
	int err;
	char *buf = dg_read_path(path, DG_DEFAULT_MAX_FILE_SIZE, &len, &err);
	struct dg_arena a;
	struct dg_source src;
	struct dg_migration m;
	bool forward = false;

	if (!buf)
		return;
	dg_arena_init(&a);
	dg_source_init(&src, &a, path, buf, len);
	dg_migration_detect_as(&src, &a, &m, format, pg_version);
	for (size_t i = 0; i < m.n_sections; i++)
		forward |= m.sections[i].dir == DG_DIR_UP;
	if (!m.skipped && m.format_has_down && forward) {
		c->n_migrations++;
		c->any_down |= m.has_down;
		if (!*first)
			*first = strdup(rel);
	}
	dg_arena_destroy(&a);
	free(buf);
}

bool dg_migration_down_census(const char *path, const char *format, int pg_version,
			      struct dg_down_census *out)
{
	struct dg_arena a;
	char *root, *first = NULL;
	const char *d;
	struct stat st;
	DIR *dh;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dg_down_census c = {0};

	dg_arena_init(&a);
	root = dir_part(&a, path);
	if (one_folder_per_migration(format))
		root = *root ? dir_part(&a, dg_arena_strndup(&a, root, strlen(root) - 1)) : root;
	d = *root ? root : ".";
	if (stat(d, &st) != 0) {
		dg_arena_destroy(&a);
		return false;
	}
	if (census_cache.valid && !strcmp(census_cache.root, root) &&
	    !strcmp(census_cache.format, format ? format : "") &&
	    census_cache.mtime.tv_sec == st.st_mtim.tv_sec &&
	    census_cache.mtime.tv_nsec == st.st_mtim.tv_nsec) {
		dg_arena_destroy(&a);
		*out = census_cache.c;
		return true;
	}
	if (!(dh = opendir(d))) {
		dg_arena_destroy(&a);
		return false;
	}
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		if (one_folder_per_migration(format) ? !isdigit((unsigned char)e->d_name[0])
						     : !has_sql_suffix(e->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*nn));
			if (!nn)
				break;
			names = nn;
		}
		names[n] = malloc(strlen(root) + strlen(e->d_name) + sizeof("/up.sql"));
		if (!names[n])
			break;
		sprintf(names[n], "%s%s%s", root, e->d_name,
			one_folder_per_migration(format) ? "/up.sql" : "");
		n++;
	}
	closedir(dh);
	if (one_folder_per_migration(format))
		qsort(names, n, sizeof(*names), cmp_path); /* the folders' timestamps */
	else
		dg_migration_order_files(root, names, n);
	for (size_t i = 0; i < n; i++) {
		if (file_exists(names[i]))
			census_file(names[i], format, pg_version, &c, &first,
				    names[i] + strlen(root));
		free(names[i]);
	}
	free(names);
	free(census_cache.root);
	free(census_cache.format);
	free(census_cache.first);
	census_cache.root = strdup(root);
	census_cache.format = strdup(format ? format : "");
	census_cache.first = first;
	census_cache.mtime = st.st_mtim;
	census_cache.valid = census_cache.root && census_cache.format;
	c.first = census_cache.first;
	c.root = census_cache.root;
	census_cache.c = c;
	*out = c;
	dg_arena_destroy(&a);
	return census_cache.valid;
}

const char *dg_migration_format_find(const char *name)
{
	const char *n;

	for (size_t i = 0; name && (n = dg_migration_format_name(i)); i++)
		if (strcmp(n, name) == 0)
			return n;
	return NULL;
}

/* ---- migration roots: the files one runner applies in order ------------------------------- */

/* A folder that holds one release's migrations: v1.2, V2, 1.3.0 (compared as versions). */
static bool version_folder(const char *name, size_t len)
{
	size_t i = 0;

	if (len && (name[0] == 'v' || name[0] == 'V'))
		i++;
	if (i >= len || !isdigit((unsigned char)name[i]))
		return false;
	for (; i < len; i++)
		if (!isdigit((unsigned char)name[i]) &&
		    !(name[i] == '.' && i + 1 < len && isdigit((unsigned char)name[i + 1])))
			return false;
	return true;
}

/* The length of the directory part of path[0, len) without its trailing '/' (0: none). */
static size_t dir_len(const char *path, size_t len)
{
	while (len && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	return len;
}

static bool one_folder_layout(const char *path, const char *format)
{
	const char *base = base_name(path);

	if (format &&
	    (!strcmp(format, "prisma") || !strcmp(format, "diesel") || !strcmp(format, "hasura")))
		return true;
	/* the same layouts read as another format (a folder of its own per migration) */
	if (strcmp(base, "migration.sql") && strcmp(base, "up.sql") && strcmp(base, "down.sql"))
		return false;
	size_t d = dir_len(path, (size_t)(base - path));
	size_t p = d;
	while (p && path[p - 1] != '/')
		p--;
	return d > p && isdigit((unsigned char)path[p]);
}

char *dg_migration_root_key(const char *path, const char *format)
{
	size_t len = dir_len(path, strlen(path)), start;
	char *key;

	if (!len)
		return dg_xstrdup(".");
	if (path[0] == '/' && len == 1)
		return dg_xstrdup("/");
	if (one_folder_layout(path, format))
		len = dir_len(path, len);
	/* migrations/v1.2/…, migrations/v1.3/…: one history in version order */
	for (start = len; start && path[start - 1] != '/';)
		start--;
	if (len && version_folder(path + start, len - start))
		len = dir_len(path, len);
	if (!len)
		return dg_xstrdup(".");
	key = dg_xmalloc(len + 1);
	memcpy(key, path, len);
	key[len] = '\0';
	return key;
}

int dg_natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea, *eb;
			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			if (ea - a != eb - b)
				return ea - a < eb - b ? -1 : 1;
			for (; a < ea; a++, b++)
				if (*a != *b)
					return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

int dg_migration_cmp_names(const char *a, const char *b)
{
	int c = dg_natural_cmp(a, b);

	return c ? c : strcmp(a, b);
}

void dg_migration_caches_free(void)
{
	dg_probe_forget();
	dir_cache_clear();
	listings_clear();
	cargo_cache_clear();
	free(census_cache.root);
	free(census_cache.format);
	free(census_cache.first);
	memset(&census_cache, 0, sizeof(census_cache));
}
