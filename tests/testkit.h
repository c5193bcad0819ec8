/* testkit.h — what the cmocka tests share: running a command line, reading a file, one temporary
 * directory per test program, and the rules that are noise on small inputs. Include it after
 * <cmocka.h> (its functions fail the running test through cmocka's assertions). */
#ifndef DG_TESTKIT_H
#define DG_TESTKIT_H

#include "ddlguard/ddlguard.h"
#include "parse.h"

/* The lock-model rules fire on most small inputs (no lock_timeout there). */
#define TK_TIMEOUT_FLAGS                                                                           \
	"--disable require-lock-timeout --disable require-statement-timeout "                      \
	"--disable statements-after-access-exclusive"
/* Every rule that would fire on small inputs besides the ones under test; tk_quiet_noise turns
 * off the same list. */
#define TK_NOISE_FLAGS                                                                             \
	"--disable prefer-robust-stmts --disable combined-expand-contract "                        \
	"--disable prefer-bigint-over-int " TK_TIMEOUT_FLAGS

void tk_quiet_noise(struct dg_config *cfg);

/* A text parsed as the one autocommit section of t.sql, all of it in the arena `a`. */
struct tk_parsed {
	struct dg_arena a;
	struct dg_source s;
	struct dg_section sec;
	struct dg_parsed p;
};
void tk_parse(struct tk_parsed *f, const char *text);

/* A command's exit status and its whole standard output (malloc'd, NUL-terminated). */
struct tk_run {
	int status;
	char *out;
};

/* Runs the command line through the shell; the caller frees .out. */
__attribute__((format(printf, 1, 2))) struct tk_run tk_run(const char *fmt, ...);
/* Runs the command line in tk_tmpdir into *r, freeing the output r held before. */
__attribute__((format(printf, 2, 3))) void tk_sh(struct tk_run *r, const char *fmt, ...);

/* The whole file (malloc'd, NUL-terminated), or NULL when it cannot be read. */
char *tk_slurp(const char *path);

/* The temporary directory: created by tk_tmpdir_create as /tmp/ddlguard-<name>-XXXXXX (0, or -1
 * when it cannot be), removed with everything in it by tk_tmpdir_remove (0 or -1). */
extern char tk_tmpdir[256];
int tk_tmpdir_create(const char *name);
int tk_tmpdir_remove(void);
/* Creates a directory / writes a file at a path relative to tk_tmpdir (mkdir's result / fails the
 * test when the file cannot be opened). */
int tk_mkdir(const char *name);
void tk_write_file(const char *name, const char *text);

#endif
