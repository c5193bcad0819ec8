/* git.h — --diff-base: which migrations changed since a git revision, asked of git itself. */
#ifndef DG_GIT_H
#define DG_GIT_H

#include <stdbool.h>

#include "ddlguard/ddlguard.h"

struct dg_git_diff;

/* Runs git in the current directory. NULL with *error set (malloc'd) outside a repository, for
 * an unknown revision, or when git is missing. */
struct dg_git_diff *dg_git_diff_open(const char *ref, char **error);
void dg_git_diff_free(struct dg_git_diff *d);
/* Whether the file was added or modified since the base (untracked files count as added). */
bool dg_git_diff_changed(struct dg_git_diff *d, const char *path);
/* A dg_history_fn: `user` is the struct dg_git_diff. */
void dg_git_history(void *user, const char *path, struct dg_history *out);

/* A dg_base_fn: the file's content at the base revision, or NULL when it did not exist there. */
char *dg_git_base_content(void *user, const char *path, size_t *len);

/* The i-th file deleted since the base (NULL past the last; a file git sees renamed is no
 * deletion): its path (malloc'd; relative to the
 * current directory when below it) and, in *content, what it held at the base (malloc'd, *len
 * bytes; NULL if unreadable). */
char *dg_git_deleted_at(struct dg_git_diff *d, size_t i, char **content, size_t *len);

#endif
