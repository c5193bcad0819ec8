/* fuzzkit.h — what the libFuzzer targets share: cutting one input into parts, a private
 * temporary directory, and the checks every output must pass (valid UTF-8, JSON that parses,
 * no raw control character in line formats). A failed check aborts, which libFuzzer (and the
 * replay main in the ordinary build) reports as a crash. */
#ifndef DG_FUZZKIT_H
#define DG_FUZZKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input cut at NUL bytes into at most `max` NUL-terminated parts (malloc'd copies in
 * parts[], freed with fk_free_parts); returns how many. */
size_t fk_split(const uint8_t *data, size_t size, char **parts, size_t *lens, size_t max);
void fk_free_parts(char **parts, size_t n);

/* A directory of its own under $TMPDIR (or /tmp), made once per process. */
const char *fk_tmpdir(void);
/* Writes len bytes to dir/name (creating the directories on the way); the full path, malloc'd. */
char *fk_write(const char *dir, const char *name, const char *data, size_t len);
/* rm -r of everything under fk_tmpdir(), keeping the directory itself. */
void fk_clean_tmpdir(void);

/* Checks that abort with a message on failure. */
void fk_check_utf8(const char *what, const char *s, size_t len);
/* No byte below 0x20 but newline and tab, no DEL: what a terminal or a log would act on. */
void fk_check_no_controls(const char *what, const char *s, size_t len);
void fk_check_json(const char *what, const char *s, size_t len);
/* The number of '\n' in s. */
size_t fk_lines(const char *s, size_t len);

#endif
