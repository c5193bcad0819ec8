/* pgq_floor.c — what libpg_query alone costs over a set of files, preloaded in memory, on one
 * thread: the floor under ddlguard's own throughput. For each stage, MB/s over every file:
 *   split     pg_query_split_with_parser (statement boundaries)
 *   json      pg_query_parse (the tree as JSON)
 *   protobuf  pg_query_parse_protobuf (the tree as protobuf, ddlguard's input)
 *   unpack    pg_query_parse_protobuf + pg_query__parse_result__unpack into a bump arena
 *             (reset per file), as ddlguard read a tree
 *   messages  dg_pgtree_parse (src/pgtree.c): libpg_query's messages copied into an arena,
 *             nothing packed or unpacked, as ddlguard reads a tree now
 * Usage: pgq_floor FILE_LIST [ROUNDS]   (FILE_LIST: one path a line). Figures, not a test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "pgtree.h"

struct file {
	char *text; /* NUL-terminated */
	size_t len;
};

/* ---- a bump arena for protobuf-c ---- */
struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};
struct arena {
	struct block *head;
};

static void *arena_alloc(void *data, size_t n)
{
	struct arena *a = data;
	struct block *b = a->head;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > (1u << 20) ? n : (1u << 20);
		b = malloc(sizeof(*b) + cap);
		if (!b) {
			fputs("pgq_floor: out of memory\n", stderr);
			exit(2);
		}
		b->next = a->head;
		b->used = 0;
		b->cap = cap;
		a->head = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static void arena_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

static void arena_reset(struct arena *a)
{
	while (a->head) {
		struct block *next = a->head->next;
		free(a->head);
		a->head = next;
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void run_split(const struct file *f)
{
	PgQuerySplitResult r = pg_query_split_with_parser(f->text);
	pg_query_free_split_result(r);
}

static void run_json(const struct file *f)
{
	PgQueryParseResult r = pg_query_parse(f->text);
	pg_query_free_parse_result(r);
}

static void run_protobuf(const struct file *f)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(f->text);
	pg_query_free_protobuf_parse_result(r);
}

static void run_unpack(const struct file *f)
{
	static struct arena a;
	ProtobufCAllocator alloc = {arena_alloc, arena_free, &a};
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(f->text);

	if (!r.error) {
		PgQuery__ParseResult *pr = pg_query__parse_result__unpack(
		    &alloc, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
		(void)pr;
	}
	pg_query_free_protobuf_parse_result(r);
	arena_reset(&a);
}

static void run_messages(const struct file *f)
{
	struct dg_arena a;
	struct dg_pgtree t;

	dg_arena_init(&a);
	dg_pgtree_parse(&a, f->text, &t);
	dg_pgtree_release(&t);
	dg_arena_destroy(&a);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(const struct file *);
	} stages[] = {{"split", run_split},
		      {"json", run_json},
		      {"protobuf", run_protobuf},
		      {"unpack", run_unpack},
		      {"messages", run_messages}};
	struct file *files = NULL;
	size_t n = 0, cap = 0, bytes = 0;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	char line[4096];
	FILE *list;

	if (argc < 2 || !(list = fopen(argv[1], "r"))) {
		fputs("usage: pgq_floor FILE_LIST [ROUNDS]\n", stderr);
		return 2;
	}
	if (rounds < 1)
		rounds = 1;
	while (fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (n == cap &&
		    !(files = realloc(files, (cap = cap ? 2 * cap : 1024) * sizeof(*files))))
			return 2;
		if ((files[n].text = slurp(line, &files[n].len))) {
			bytes += files[n].len;
			n++;
		}
	}
	fclose(list);
	printf("libpg_query floor, one thread, %zu files (%.1f MB) preloaded, median of %d:\n", n,
	       (double)bytes / 1e6, rounds);
	for (size_t s = 0; s < sizeof(stages) / sizeof(stages[0]); s++) {
		double *t = calloc((size_t)rounds, sizeof(*t));
		for (int r = 0; r < rounds; r++) {
			double t0 = now();
			for (size_t i = 0; i < n; i++)
				stages[s].fn(&files[i]);
			t[r] = now() - t0;
		}
		qsort(t, (size_t)rounds, sizeof(*t), cmp_double);
		printf("  %-9s %7.3f s  %7.1f MB/s\n", stages[s].name, t[rounds / 2],
		       (double)bytes / 1e6 / t[rounds / 2]);
		free(t);
	}
	for (size_t i = 0; i < n; i++)
		free(files[i].text);
	free(files);
	return 0;
}
