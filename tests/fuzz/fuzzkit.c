/* fuzzkit.c — see fuzzkit.h. */
#include "fuzzkit.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

size_t fk_split(const uint8_t *data, size_t size, char **parts, size_t *lens, size_t max)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= size && n < max; i++) {
		if (i < size && (data[i] != 0 || n == max - 1))
			continue;
		size_t len = i - start;
		parts[n] = malloc(len + 1);
		if (!parts[n])
			abort();
		if (len) /* data is NULL for an empty input */
			memcpy(parts[n], data + start, len);
		parts[n][len] = '\0';
		lens[n++] = len;
		start = i + 1;
	}
	return n;
}

void fk_free_parts(char **parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i]);
}

static char tmpdir[4096];

static void remove_tmpdir(void);

const char *fk_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/ddlguard-fuzz-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmpdir))
			abort();
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

void fk_clean_tmpdir(void)
{
	nftw(fk_tmpdir(), remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_tmpdir(void)
{
	fk_clean_tmpdir();
	rmdir(tmpdir);
}

char *fk_write(const char *dir, const char *name, const char *data, size_t len)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *f;

	if (!path)
		abort();
	snprintf(path, n, "%s/%s", dir, name);
	for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			abort();
		*s = '/';
	}
	f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		abort();
	return path;
}

_Noreturn static void fail(const char *what, const char *why, const char *s, size_t len)
{
	fprintf(stderr, "fuzz check failed: %s: %s\n--- output (%zu bytes) ---\n%.*s\n---\n", what,
		why, len, (int)(len > 4000 ? 4000 : len), s);
	abort();
}

void fk_check_utf8(const char *what, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		unsigned c = u[i], need, cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, cp = c & 0x07;
		else
			fail(what, "not UTF-8 (bad lead byte)", s, len);
		if (len - i <= need)
			fail(what, "not UTF-8 (truncated)", s, len);
		for (unsigned k = 1; k <= need; k++) {
			if ((u[i + k] & 0xC0) != 0x80)
				fail(what, "not UTF-8 (bad continuation)", s, len);
			cp = (cp << 6) | (u[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			fail(what, "not UTF-8 (overlong or surrogate)", s, len);
		i += need + 1;
	}
}

void fk_check_no_controls(const char *what, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			fail(what, "a raw control character", s, len);
		/* C1 controls: U+0080-U+009F are C2 80 - C2 9F */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F)
			fail(what, "a raw C1 control character", s, len);
	}
}

void fk_check_json(const char *what, const char *s, size_t len)
{
	cJSON *doc = cJSON_ParseWithLength(s, len);

	if (!doc)
		fail(what, "not valid JSON", s, len);
	cJSON_Delete(doc);
	fk_check_utf8(what, s, len);
}

size_t fk_lines(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}
