/* arena.h — one arena per linted file: everything parsed from it lives here and dies together. */
#ifndef DG_ARENA_H
#define DG_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

struct dg_arena_block;

struct dg_arena {
	struct dg_arena_block *head;
	ProtobufCAllocator pb;	       /* hands protobuf-c our memory for unpacking the AST */
	void (*on_destroy)(void *arg); /* see dg_arena_on_destroy */
	void *on_destroy_arg;
};

void dg_arena_init(struct dg_arena *a);
void dg_arena_destroy(struct dg_arena *a);
/* fn(arg) runs as `a` is destroyed, before its memory goes; false (nothing set) when the arena
 * has such a call already. */
bool dg_arena_on_destroy(struct dg_arena *a, void (*fn)(void *), void *arg);
/* Moves every block of `from` into `a`: what was allocated in `from` lives as long as `a` now,
 * and `from` is left empty (its own on_destroy, if any, is not carried over). */
void dg_arena_adopt(struct dg_arena *a, struct dg_arena *from);
/* Never returns NULL: aborts on exhaustion like any allocation failure in a CLI would. */
void *dg_arena_alloc(struct dg_arena *a, size_t n);
char *dg_arena_strndup(struct dg_arena *a, const char *s, size_t n);
/* Room for one more element in an arena array of n elements of `elem` bytes and capacity *cap:
 * returns arr while there is room, else a copy with twice the capacity (16 at first). */
void *dg_arena_grow(struct dg_arena *a, void *arr, size_t n, size_t *cap, size_t elem);

/* The heap the same way: never NULL; out of memory ends the process ("ddlguard: out of memory").
 * Zero sizes allocate one byte. */
/* The file being read or parsed now (NULL: none), for the out-of-memory message. */
void dg_set_current_input(const char *path);
const char *dg_current_input(void);
/* "ddlguard: out of memory …" on stderr, then the process ends with status 2 (never 134 from
 * abort(): a tool error, like every other). */
_Noreturn void dg_out_of_memory(void);

void *dg_xmalloc(size_t n);
void *dg_xcalloc(size_t n, size_t size);
void *dg_xrealloc(void *p, size_t n);
char *dg_xstrdup(const char *s);

#endif
