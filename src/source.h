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
 * errno, EIO if none), memory runs out (*err = 0) or the stream holds more than `limit` bytes
 * (*err = DG_READ_TOO_BIG; reading stops there). dg_read_stream has no limit (trusted pipes). */
#define DG_READ_TOO_BIG (-1)
#define DG_READ_NOT_REGULAR (-2) /* a FIFO, device or socket: dg_read_path refuses it */
char *dg_read_stream_max(FILE *fp, size_t limit, size_t *len, int *err);
char *dg_read_stream(FILE *fp, size_t *len, int *err);
/* The same for the regular file at `path`, without blocking on a FIFO: opening may fail too
 * (*err = errno), a directory is EISDIR, anything else that is not a regular file
 * DG_READ_NOT_REGULAR. */
char *dg_read_path(const char *path, size_t limit, size_t *len, int *err);
/* The first `cap - 1` bytes (or fewer: *len, when len is not NULL) of the regular file at
 * `path`, NUL-terminated; false when it is no regular file or cannot be read. Never blocks on a
 * FIFO. */
bool dg_read_head(const char *path, char *buf, size_t cap, size_t *len);
/* The open regular file at `path` ("rb"), when it is one and holds at most `limit` bytes; else
 * NULL with *err (when err is not NULL) as dg_read_path sets it. Never blocks on a FIFO. */
FILE *dg_open_regular(const char *path, size_t limit, int *err);
/* The reason for a dg_read_* *err, for messages ("larger than the size limit of 16 MiB …"). */
const char *dg_read_strerror(int err, size_t limit, char *buf, size_t size);

void dg_source_init(struct dg_source *src, struct dg_arena *a, const char *path, const char *buf,
		    size_t len);
/* Offsets are into src->text. Columns count code points; an offset inside a multi-byte
 * sequence belongs to that character. */
struct dg_pos dg_source_pos(const struct dg_source *src, size_t offset);
/* Makes [*start, *end) a range of the text: both within it, end not before start. */
void dg_source_clamp(const struct dg_source *src, size_t *start, size_t *end);
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
