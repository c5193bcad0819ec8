/* migration.c — splits a file into sections the way its migration tool would run them.
 * Each format is a detector plus a splitter; they are tried in order and the first that claims
 * the file wins, so a new format slots in as one more entry of `formats`. */
#include "migration.h"

#include <ctype.h>
#include <string.h>
#include <sys/stat.h>

struct dg_format {
	const char *name;
	bool (*claim)(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m);
};

static void add_section(struct dg_arena *a, struct dg_migration *m, size_t start, size_t end,
			enum dg_direction dir, enum dg_tx_mode tx)
{
	struct dg_section *s = dg_arena_alloc(a, (m->n_sections + 1) * sizeof(*s));

	if (m->n_sections)
		memcpy(s, m->sections, m->n_sections * sizeof(*s));
	s[m->n_sections] = (struct dg_section){start, end, dir, tx};
	m->sections = s;
	m->n_sections++;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Case-insensitive search for `word` in [p, end). */
static bool contains_ci(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	for (; p + n <= end; p++)
		if (strncasecmp(p, word, n) == 0)
			return true;
	return false;
}

/* dbmate: "-- migrate:up" and "-- migrate:down" comment lines; "transaction:false" on the
 * marker line turns off the transaction dbmate otherwise wraps each section in. */
static bool claim_dbmate(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m)
{
	size_t cur_start = 0;
	enum dg_direction cur_dir = DG_DIR_NONE;
	enum dg_tx_mode cur_tx = DG_TX_WRAPPED;
	bool seen = false;

	for (size_t l = 0; l < src->n_lines; l++) {
		size_t ls = src->line_starts[l];
		size_t le = l + 1 < src->n_lines ? src->line_starts[l + 1] : src->len;
		const char *p = src->text + ls, *end = src->text + le;
		enum dg_direction dir;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '-' || p[1] != '-')
			continue;
		p += 2;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 10 && strncmp(p, "migrate:up", 10) == 0)
			dir = DG_DIR_UP;
		else if (end - p >= 12 && strncmp(p, "migrate:down", 12) == 0)
			dir = DG_DIR_DOWN;
		else
			continue;
		if (seen)
			add_section(a, m, cur_start, ls, cur_dir, cur_tx);
		else if (dir == DG_DIR_UP) {
			m->anchor_start = (size_t)(p - src->text);
			m->anchor_end = m->anchor_start + 10;
		}
		seen = true;
		if (dir == DG_DIR_DOWN)
			m->has_down = true;
		cur_dir = dir;
		/* without its transaction, dbmate sends the section as one query (implicit block) */
		cur_tx = contains_ci(p, end, "transaction:false") ? DG_TX_IMPLICIT : DG_TX_WRAPPED;
		cur_start = le;
	}
	if (!seen)
		return false;
	add_section(a, m, cur_start, src->len, cur_dir, cur_tx);
	m->format = "dbmate";
	m->format_has_down = true;
	return true;
}

/* golang-migrate: NNN_name.up.sql and NNN_name.down.sql side by side. */
static bool claim_golang_migrate(const struct dg_source *src, struct dg_arena *a,
				 struct dg_migration *m)
{
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
	m->format = "golang-migrate";
	m->format_has_down = true;
	/* a multi-statement file goes to the server as one query: one implicit transaction */
	add_section(a, m, 0, src->len, up ? DG_DIR_UP : DG_DIR_DOWN, DG_TX_IMPLICIT);
	m->anchor_end = src->n_lines > 1 ? src->line_starts[1] - 1 : src->len;
	if (up) {
		size_t plen = strlen(src->path);
		char *down = dg_arena_alloc(a, plen + 3);
		struct stat st;

		memcpy(down, src->path, plen - 7);
		strcpy(down + plen - 7, ".down.sql");
		m->down_path = down;
		m->has_down = stat(down, &st) == 0;
	} else {
		size_t plen = strlen(src->path);
		char *upp = dg_arena_alloc(a, plen + 1);

		memcpy(upp, src->path, plen - 9);
		strcpy(upp + plen - 9, ".up.sql");
		m->up_path = upp;
		m->has_down = true;
	}
	return true;
}

static bool claim_plain(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m)
{
	m->format = "plain";
	add_section(a, m, 0, src->len, DG_DIR_NONE, DG_TX_AUTOCOMMIT);
	return true;
}

static const struct dg_format formats[] = {
	{"golang-migrate", claim_golang_migrate},
	{"dbmate", claim_dbmate},
	{"plain", claim_plain},
};

void dg_migration_detect(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i].claim(src, a, m))
			return;
		memset(m, 0, sizeof(*m));
	}
}

const char *dg_migration_format_name(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return formats[i].name;
	return NULL;
}

void dg_migration_detect_as(const struct dg_source *src, struct dg_arena *a, struct dg_migration *m,
			    const char *format)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(formats[i].name, format) != 0)
			continue;
		if (formats[i].claim(src, a, m))
			return;
		memset(m, 0, sizeof(*m));
	}
	claim_plain(src, a, m);
}
