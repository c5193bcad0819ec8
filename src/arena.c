/* arena.c — bump allocator; with DDLGUARD_ARENA_DEBUG every allocation is its own block so that
 * AddressSanitizer sees each object's bounds. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct dg_arena_block {
	struct dg_arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

#define DG_ARENA_CHUNK (64 * 1024)

static void *pb_alloc(void *data, size_t size)
{
	return dg_arena_alloc(data, size);
}

static void pb_free(void *data, void *p)
{
	(void)data;
	(void)p; /* released with the arena */
}

void dg_arena_init(struct dg_arena *a)
{
	a->head = NULL;
	a->pb.alloc = pb_alloc;
	a->pb.free = pb_free;
	a->pb.allocator_data = a;
	a->on_destroy = NULL;
	a->on_destroy_arg = NULL;
}

bool dg_arena_on_destroy(struct dg_arena *a, void (*fn)(void *), void *arg)
{
	if (a->on_destroy)
		return false;
	a->on_destroy = fn;
	a->on_destroy_arg = arg;
	return true;
}

void dg_arena_adopt(struct dg_arena *a, struct dg_arena *from)
{
	struct dg_arena_block *tail = from->head;

	if (!tail)
		return;
	while (tail->next)
		tail = tail->next;
	/* behind a's head, which keeps its free room for the next allocations */
	if (a->head) {
		tail->next = a->head->next;
		a->head->next = from->head;
	} else {
		a->head = from->head;
	}
	from->head = NULL;
}

void dg_arena_destroy(struct dg_arena *a)
{
	struct dg_arena_block *b = a->head;

	if (a->on_destroy) {
		void (*fn)(void *) = a->on_destroy;
		a->on_destroy = NULL;
		fn(a->on_destroy_arg);
	}

	while (b) {
		struct dg_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* per thread: each lints its own file (--jobs) */
static _Thread_local const char *current_input;

void dg_set_current_input(const char *path)
{
	current_input = path;
}

const char *dg_current_input(void)
{
	return current_input;
}

void dg_out_of_memory(void)
{
	/* no recovery and no stdio buffers flushed (half a JSON document is worse than none):
	 * the reason on stderr, exit status 2 like every other tool error */
	static const char msg[] = "ddlguard: out of memory";
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	if (current_input && write(STDERR_FILENO, " while reading ", 15) >= 0 &&
	    write(STDERR_FILENO, current_input, strlen(current_input)) < 0)
		_exit(2);
	if (write(STDERR_FILENO, " (see --max-file-size)\n", 23) < 0)
		_exit(2);
	_exit(2);
}

static void *must(void *p)
{
	if (!p)
		dg_out_of_memory();
	return p;
}

void *dg_xmalloc(size_t n)
{
	return must(malloc(n ? n : 1));
}

void *dg_xcalloc(size_t n, size_t size)
{
	return must(calloc(n ? n : 1, size ? size : 1));
}

void *dg_xrealloc(void *p, size_t n)
{
	return must(realloc(p, n ? n : 1));
}

char *dg_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(dg_xmalloc(n), s, n);
}

static struct dg_arena_block *new_block(size_t cap)
{
	struct dg_arena_block *b = dg_xmalloc(sizeof(*b) + cap);

	b->used = 0;
	b->cap = cap;
	return b;
}

void *dg_arena_alloc(struct dg_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	size_t need = (n + align - 1) / align * align;
	struct dg_arena_block *b = a->head;

	if (need == 0)
		need = align;
#ifdef DDLGUARD_ARENA_DEBUG
	b = new_block(need);
	b->next = a->head;
	a->head = b;
	b->used = need;
	return b->data;
#else
	if (!b || b->cap - b->used < need) {
		if (need > DG_ARENA_CHUNK / 4) {
			/* big objects get their own block behind the head, keeping the head's free
			 * room */
			struct dg_arena_block *big = new_block(need);
			big->used = need;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				big->next = NULL;
				a->head = big;
			}
			return big->data;
		}
		b = new_block(DG_ARENA_CHUNK);
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	return p;
#endif
}

char *dg_arena_strndup(struct dg_arena *a, const char *s, size_t n)
{
	char *p = dg_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *dg_arena_grow(struct dg_arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
	void *p;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	p = dg_arena_alloc(a, *cap * elem);
	if (n)
		memcpy(p, arr, n * elem);
	return p;
}
