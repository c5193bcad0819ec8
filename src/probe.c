/* probe.c — what the file system says of a path, asked once per thread and run.
 *
 * Format detection asks, for every file, whether markers exist beside it and above it
 * (sqitch.plan, meta/_journal.json, ../../config.yaml, metadata.toml, …): over the corpus that
 * was 16 stat(2)s a file, most asking again what the file before it in the same directory had
 * asked. The answers are kept per thread, keyed by the path as written (no path is resolved, so
 * a link is followed exactly as stat follows it), until dg_probe_forget: a run does not expect
 * the files it reads to change under it; the language server forgets before each message. */
#include "probe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fingerprint.h"
#include "source.h"

/* Paths remembered at most (a few hundred bytes each), per thread. */
#define PROBE_MAX 4096

struct entry {
	char *path; /* NULL: a free slot */
	uint64_t hash;
	bool ok; /* stat succeeded */
	struct stat st;
	bool read; /* its first bytes were asked for: small holds them, NULL when unreadable */
	char *small;
	size_t small_len;
};

static _Thread_local struct table {
	struct entry *slots;
	size_t cap, n; /* cap: a power of two, or 0 */
} table;

void dg_probe_forget(void)
{
	for (size_t i = 0; i < table.cap; i++) {
		free(table.slots[i].path);
		free(table.slots[i].small);
	}
	free(table.slots);
	memset(&table, 0, sizeof(table));
}

static void grow(void)
{
	struct table old = table;

	table.cap = old.cap ? old.cap * 2 : 256;
	table.slots = dg_xcalloc(table.cap, sizeof(*table.slots));
	for (size_t i = 0; i < old.cap; i++) {
		struct entry *e = &old.slots[i];
		size_t k;
		if (!e->path)
			continue;
		for (k = e->hash & (table.cap - 1); table.slots[k].path;
		     k = (k + 1) & (table.cap - 1))
			;
		table.slots[k] = *e;
	}
	free(old.slots);
}

/* The entry of path, made (and stat(2) asked) when this thread has not asked yet. */
static struct entry *entry_of(const char *path)
{
	size_t len = strlen(path), k;
	uint64_t h = dg_fnv1a(DG_FNV_INIT, path, len);
	struct entry *e;

	if (table.n >= PROBE_MAX)
		dg_probe_forget(); /* a run's probes are of the directories at hand: start again */
	if (table.n + 1 > table.cap / 2)
		grow();
	for (k = h & (table.cap - 1); (e = &table.slots[k])->path; k = (k + 1) & (table.cap - 1))
		if (e->hash == h && strcmp(e->path, path) == 0)
			return e;
	memset(e, 0, sizeof(*e));
	e->path = dg_xstrdup(path);
	e->hash = h;
	e->ok = stat(path, &e->st) == 0;
	table.n++;
	return e;
}

bool dg_probe_stat(const char *path, struct stat *st)
{
	const struct entry *e = entry_of(path);

	if (e->ok && st)
		*st = e->st;
	return e->ok;
}

bool dg_probe_file(const char *path)
{
	const struct entry *e = entry_of(path);
	return e->ok && S_ISREG(e->st.st_mode);
}

bool dg_probe_dir(const char *path)
{
	const struct entry *e = entry_of(path);
	return e->ok && S_ISDIR(e->st.st_mode);
}

bool dg_probe_read_small(const char *path, char *buf, size_t cap)
{
	struct entry *e = entry_of(path);
	size_t n;

	if (!e->read) {
		char tmp[DG_PROBE_SMALL];
		size_t have;
		e->read = true;
		if (e->ok && S_ISREG(e->st.st_mode) &&
		    dg_read_head(path, tmp, sizeof(tmp), &have)) {
			e->small = dg_xmalloc(have + 1);
			memcpy(e->small, tmp, have + 1);
			e->small_len = have;
		}
	}
	if (!e->small || !cap)
		return false;
	n = e->small_len < cap - 1 ? e->small_len : cap - 1;
	memcpy(buf, e->small, n);
	buf[n] = '\0';
	return true;
}
