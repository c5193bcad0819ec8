/* source.h — the bytes of one file and its line table: byte offsets to 1-based line:column. */
#ifndef DG_SOURCE_H
#define DG_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"

struct dg_source {
	const char *path;
	const char *text; /* NUL-terminated, after any UTF-8 BOM */
	size_t len;
	size_t bom; /* bytes of BOM skipped (0 or 3): added back to offsets we report */
	size_t *line_starts;
	size_t n_lines;
};

struct dg_pos {
	unsigned line, column;
};

/* All of `fp` in a malloc'd buffer: *len bytes, then a NUL. NULL when reading fails (*err =
 * errno, EIO if none) or memory runs out (*err = 0). */
char *dg_read_stream(FILE *fp, size_t *len, int *err);
/* The same for the file at `path`; opening it may fail too (*err = errno). */
char *dg_read_path(const char *path, size_t *len, int *err);

void dg_source_init(struct dg_source *src, struct dg_arena *a, const char *path, const char *buf,
		    size_t len);
/* Offsets are into src->text. Columns count code points; an offset inside a multi-byte
 * sequence belongs to that character. */
struct dg_pos dg_source_pos(const struct dg_source *src, size_t offset);
/* The column of `offset` in the other units editors count (1-based, like dg_source_pos):
 * bytes from the line's start, and display columns the GNU way (GCC's
 * -fdiagnostics-column-unit=display, Emacs' compilation mode): a tab advances to the next
 * multiple of 8, East Asian wide characters take 2 columns, combining marks 0. */
void dg_source_columns(const struct dg_source *src, size_t offset, unsigned *byte_column,
		       unsigned *display_column);
/* Display width of the UTF-8 text s[0..len) starting at display column 1 (tabs to multiples
 * of 8); its length in display columns. */
unsigned dg_display_width(const char *s, size_t len);
/* The line's text without its line ending. */
const char *dg_source_line(const struct dg_source *src, unsigned line, size_t *len);
/* Byte offset of the first invalid UTF-8 sequence, or (size_t)-1 when the text is valid. */
size_t dg_source_find_invalid_utf8(const struct dg_source *src);
/* 1-based character position (what PostgreSQL's cursorpos counts) → byte offset into `s`. */
size_t dg_char_to_byte(const char *s, size_t len, size_t charpos);

#endif
