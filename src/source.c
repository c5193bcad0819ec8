/* source.c — the line table and position arithmetic every output format shares. */
#include "source.h"

#include <locale.h>
#include <pthread.h>
#include <wchar.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *dg_read_stream_max(FILE *fp, size_t limit, size_t *len, int *err)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		if (cap - n < 65536) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				*err = 0;
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (n > limit) {
			/* stop here: /dev/zero or a runaway pipe must not fill the memory */
			free(buf);
			*err = DG_READ_TOO_BIG;
			return NULL;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		*err = errno ? errno : EIO;
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *dg_read_stream(FILE *fp, size_t *len, int *err)
{
	return dg_read_stream_max(fp, SIZE_MAX - 1, len, err);
}

/* open(2)s path for reading when it is a regular file of at most `limit` bytes: the descriptor,
 * its size in *size; -1 with *err otherwise. */
static int open_regular(const char *path, size_t limit, int *err, size_t *size)
{
	/* O_NONBLOCK: opening a FIFO for reading must not wait for a writer; it is refused below */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*err = errno;
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = S_ISDIR(st.st_mode) ? EISDIR : DG_READ_NOT_REGULAR;
		close(fd);
		return -1;
	}
	if ((uintmax_t)st.st_size > limit) {
		close(fd);
		*err = DG_READ_TOO_BIG;
		return -1;
	}
	*size = (size_t)st.st_size;
	return fd;
}

FILE *dg_open_regular(const char *path, size_t limit, int *err)
{
	int dummy, fd;
	size_t size;
	FILE *fp;

	if (!err)
		err = &dummy;
	if ((fd = open_regular(path, limit, err, &size)) < 0)
		return NULL;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 || !(fp = fdopen(fd, "rb"))) {
		*err = errno;
		close(fd);
		return NULL;
	}
	return fp;
}

/* Up to `want` bytes of the regular file fd into buf, fewer only at the end of the file: the
 * count, or -1 (errno set). Linux returns fewer bytes than asked from a regular file only at
 * its end, so a short read ends it: no further read to see 0 (one system call fewer a file). */
static ssize_t read_upto(int fd, char *buf, size_t want)
{
	size_t n = 0;

	while (n < want) {
		ssize_t got = read(fd, buf + n, want - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if ((size_t)got < want - n) {
			n += (size_t)got;
			break;
		}
		n += (size_t)got;
	}
	return (ssize_t)n;
}

/* With read(2) into a buffer of the size fstat gave (a file may still grow or shrink while it
 * is read): no stdio buffer, and four system calls fewer per file than a FILE. O_NONBLOCK does
 * nothing to a regular file's reads. */
char *dg_read_path(const char *path, size_t limit, size_t *len, int *err)
{
	int dummy, fd;
	size_t size, cap, n = 0;
	char *buf;

	if (!err)
		err = &dummy;
	if ((fd = open_regular(path, limit, err, &size)) < 0)
		return NULL;
	/* a byte more than fstat said, and the NUL: the whole file is a short read */
	cap = size + 2 > 4096 ? size + 2 : 4096;
	if (!(buf = malloc(cap))) {
		close(fd);
		*err = 0;
		return NULL;
	}
	for (;;) {
		ssize_t got = read_upto(fd, buf + n, cap - 1 - n);
		char *nb;
		if (got < 0) {
			*err = errno;
			free(buf);
			close(fd);
			return NULL;
		}
		n += (size_t)got;
		if (n > limit) {
			/* it grew past the limit while it was read */
			free(buf);
			close(fd);
			*err = DG_READ_TOO_BIG;
			return NULL;
		}
		if (n < cap - 1)
			break; /* the end of the file */
		nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			close(fd);
			*err = 0;
			return NULL;
		}
		buf = nb;
		cap *= 2;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

bool dg_read_head(const char *path, char *buf, size_t cap, size_t *len)
{
	int err, fd;
	size_t size;
	ssize_t n;

	if (!cap || (fd = open_regular(path, SIZE_MAX, &err, &size)) < 0)
		return false;
	n = read_upto(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	return true;
}

const char *dg_read_strerror(int err, size_t limit, char *buf, size_t size)
{
	switch (err) {
	case 0:
		return "out of memory";
	case DG_READ_TOO_BIG:
		if (limit % (1024 * 1024) == 0)
			snprintf(buf, size,
				 "larger than the size limit of %zu MiB (see --max-file-size)",
				 limit / (1024 * 1024));
		else if (limit % 1024 == 0)
			snprintf(buf, size,
				 "larger than the size limit of %zu KiB (see --max-file-size)",
				 limit / 1024);
		else
			snprintf(buf, size,
				 "larger than the size limit of %zu bytes (see --max-file-size)",
				 limit);
		return buf;
	case DG_READ_NOT_REGULAR:
		return "not a regular file (a FIFO, device or socket): pass its contents on standard "
		       "input with -";
	default:
		return strerror_r(err, buf, size); /* GNU's: thread-safe (--jobs) */
	}
}

void dg_source_init(struct dg_source *src, struct dg_arena *a, const char *path, const char *buf,
		    size_t len)
{
	size_t n = 1;

	src->path = path;
	src->bom = (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	buf += src->bom;
	len -= src->bom;
	src->text = dg_arena_strndup(a, buf, len);
	src->len = len;
	for (const char *p = buf, *end = buf + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	src->line_starts = dg_arena_alloc(a, n * sizeof(size_t));
	src->n_lines = n;
	src->line_starts[0] = 0;
	n = 1;
	for (const char *p = buf, *end = buf + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		src->line_starts[n++] = (size_t)(p - buf) + 1;
}

static bool is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

void dg_source_clamp(const struct dg_source *src, size_t *start, size_t *end)
{
	if (*start > src->len)
		*start = src->len;
	if (*end < *start)
		*end = *start;
	if (*end > src->len)
		*end = src->len;
}

struct dg_pos dg_source_pos(const struct dg_source *src, size_t offset)
{
	size_t lo = 0, hi = src->n_lines;
	struct dg_pos p;

	if (offset > src->len)
		offset = src->len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	p.line = (unsigned)lo + 1;
	p.column = 1;
	for (size_t i = src->line_starts[lo]; i < offset; i++)
		if (!is_continuation((unsigned char)src->text[i]))
			p.column++;
	return p;
}

static locale_t utf8;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void open_utf8(void)
{
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* wcwidth() answers in the thread's locale: ask it in C.UTF-8 (always present with glibc), not
 * in whatever locale the process runs, and without touching the process-wide setting. */
static int char_width(unsigned cp)
{
	locale_t old;
	int w;

	if (cp < 0x80)
		return 1; /* control characters too: one cell, as GCC counts them */
	pthread_once(&utf8_once, open_utf8); /* any thread may ask first (--jobs) */
	if (!utf8)
		return 1;
	old = uselocale(utf8);
	w = wcwidth((wchar_t)cp);
	uselocale(old);
	return w < 0 ? 1 : w;
}

unsigned dg_display_width(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned col = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp = s[i];
		size_t need = 0;

		if (cp == '\t') {
			col = (col / 8 + 1) * 8;
			i++;
			continue;
		}
		if (cp >= 0xF0)
			need = 3, cp &= 0x07;
		else if (cp >= 0xE0)
			need = 2, cp &= 0x0F;
		else if (cp >= 0xC0)
			need = 1, cp &= 0x1F;
		i++;
		for (; need && i < len && is_continuation(s[i]); need--, i++)
			cp = (cp << 6) | (s[i] & 0x3F);
		col += (unsigned)char_width(cp);
	}
	return col;
}

void dg_source_columns(const struct dg_source *src, size_t offset, unsigned *byte_column,
		       unsigned *display_column)
{
	struct dg_pos p = dg_source_pos(src, offset);
	size_t start = src->line_starts[p.line - 1];

	if (offset > src->len)
		offset = src->len;
	/* an offset inside a multi-byte character belongs to that character (as in dg_source_pos)
	 */
	while (offset > start && is_continuation((unsigned char)src->text[offset]))
		offset--;
	*byte_column = (unsigned)(offset - start) + 1;
	*display_column = dg_display_width(src->text + start, offset - start) + 1;
}

const char *dg_source_line(const struct dg_source *src, unsigned line, size_t *len)
{
	size_t start, end;

	if (line < 1 || line > src->n_lines) {
		*len = 0;
		return "";
	}
	start = src->line_starts[line - 1];
	end = line < src->n_lines ? src->line_starts[line] - 1 : src->len;
	if (end > start && src->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return src->text + start;
}

#define ASCII_ONES 0x0101010101010101ULL

size_t dg_source_find_invalid_utf8(const struct dg_source *src)
{
	const unsigned char *s = (const unsigned char *)src->text;
	size_t i = 0, n = src->len;

	while (i < n) {
		unsigned char c = s[i];
		size_t need;
		unsigned cp;

		if (c < 0x80) {
			uint64_t x;
			/* eight ASCII bytes at a time, none of them NUL */
			for (; n - i >= 8; i += 8) {
				memcpy(&x, s + i, 8);
				if ((x | ((x - ASCII_ONES) & ~x)) & (ASCII_ONES << 7))
					break;
			}
			if (i >= n)
				break;
			c = s[i];
			if (c >= 0x80)
				continue;
			if (c == 0)
				return i; /* a NUL byte: this is not a text file */
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (n - i <= need)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if (!is_continuation(s[i + k]))
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* overlong forms, surrogates and values past U+10FFFF */
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return (size_t)-1;
}

size_t dg_char_to_byte(const char *s, size_t len, size_t charpos)
{
	size_t chars = 0;

	if (charpos <= 1)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_continuation((unsigned char)s[i])) {
			if (chars == charpos - 1)
				return i;
			chars++;
		}
	}
	return len;
}
