/* testkit.c — the helpers of testkit.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "testkit.h"

char tk_tmpdir[256];

void tk_quiet_noise(struct dg_config *cfg)
{
	static const char *const noise[] = {
	    "prefer-robust-stmts",	 "combined-expand-contract",
	    "prefer-bigint-over-int",	 "require-lock-timeout",
	    "require-statement-timeout", "statements-after-access-exclusive",
	};

	for (size_t i = 0; i < sizeof(noise) / sizeof(noise[0]); i++)
		dg_config_set_rule_enabled(cfg, noise[i], false);
}

static struct tk_run run_line(const char *cmd)
{
	struct tk_run r = {0};
	size_t cap = 1 << 16, n = 0;
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	r.out = malloc(cap);
	assert_non_null(r.out);
	for (;;) {
		if (cap - n < 4096) {
			r.out = realloc(r.out, cap *= 2);
			assert_non_null(r.out);
		}
		size_t got = fread(r.out + n, 1, cap - n - 1, p);
		if (got == 0)
			break;
		n += got;
	}
	r.out[n] = '\0';
	r.status = WEXITSTATUS(pclose(p));
	return r;
}

struct tk_run tk_run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return run_line(cmd);
}

void tk_sh(struct tk_run *r, const char *fmt, ...)
{
	char line[8192], cmd[8704];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s", tk_tmpdir, line);
	free(r->out);
	*r = run_line(cmd);
}

char *tk_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int tk_tmpdir_create(const char *name)
{
	snprintf(tk_tmpdir, sizeof(tk_tmpdir), "/tmp/ddlguard-%s-XXXXXX", name);
	return mkdtemp(tk_tmpdir) ? 0 : -1;
}

int tk_tmpdir_remove(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tk_tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int tk_mkdir(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tk_tmpdir, name);
	return mkdir(path, 0755);
}

void tk_write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tk_tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

void tk_parse(struct tk_parsed *f, const char *text)
{
	memset(f, 0, sizeof(*f));
	dg_arena_init(&f->a);
	dg_source_init(&f->s, &f->a, "t.sql", text, strlen(text));
	f->sec = (struct dg_section){
	    .start = 0, .end = f->s.len, .dir = DG_DIR_NONE, .tx = DG_TX_AUTOCOMMIT};
	dg_parse_section(&f->s, &f->sec, &f->a, &f->p);
}
