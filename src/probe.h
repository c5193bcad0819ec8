/* probe.h — what the file system says of a path, asked once per thread and run (see probe.c). */
#ifndef DG_PROBE_H
#define DG_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* stat(path), remembered: true and *st as stat(2) filled it, or false (no such file, or it
 * cannot be asked). */
bool dg_probe_stat(const char *path, struct stat *st);
/* Whether path is a regular file (following links), or a directory. */
bool dg_probe_file(const char *path);
bool dg_probe_dir(const char *path);
/* The first `cap - 1` bytes of the regular file at path (at most DG_PROBE_SMALL - 1 are kept),
 * NUL-terminated; false when it cannot be read. A FIFO is not opened. */
#define DG_PROBE_SMALL 4096
bool dg_probe_read_small(const char *path, char *buf, size_t cap);
/* Forgets this thread's answers: the files may have changed since (the language server asks
 * before each message; a thread's end frees them through dg_migration_caches_free). */
void dg_probe_forget(void);

#endif
