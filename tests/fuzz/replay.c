/* replay.c — main() for the fuzz targets in an ordinary build (no libFuzzer): runs the target
 * once on every file named, and on every file of every directory named (its seed corpus and
 * the inputs that once crashed it), so ctest replays them on every CI run. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzzkit.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f) {
		perror(path);
		exit(1);
	}
	do {
		if (cap - len < 4096 && !(buf = realloc(buf, cap = cap * 2 + 4096)))
			abort();
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 1;
}

static size_t run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, runs = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		exit(1);
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	if (!(d = opendir(path))) {
		perror(path);
		exit(1);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!(names = realloc(names, (n + 1) * sizeof(*names))))
			abort();
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		if (!(names[n] = malloc(len)))
			abort();
		snprintf(names[n++], len, "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp);
	for (size_t i = 0; i < n; i++) {
		runs += run_path(names[i]);
		free(names[i]);
	}
	free(names);
	return runs;
}

int main(int argc, char **argv)
{
	size_t runs = 0;

	for (int i = 1; i < argc; i++)
		runs += run_path(argv[i]);
	printf("%zu inputs replayed, no crash\n", runs);
	return runs ? 0 : 1;
}
