/* lsp.h — the language server (ddlguard lsp): JSON-RPC over stdio, documents kept in memory and
 * linted as the files they will be saved as, findings published as LSP diagnostics. */
#ifndef DG_LSP_H
#define DG_LSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- framing (rpc.c) ---------------------------------------------------------------------- */

enum dg_lsp_read_status {
	DG_LSP_EOF = 0,	    /* the input ended (or broke) between messages */
	DG_LSP_MESSAGE = 1, /* *body holds a message (malloc'd, NUL-terminated, *len bytes) */
	DG_LSP_BAD = -1,    /* a header without a usable Content-Length, or a body past the limit:
			     * skipped; the caller answers with an error and reads on */
};
/* Reads one message: header lines ("Name: value", CRLF or LF) up to an empty line, then
 * Content-Length bytes. A body larger than `limit` is read and dropped (DG_LSP_BAD). */
enum dg_lsp_read_status dg_lsp_read(FILE *in, size_t limit, char **body, size_t *len);
/* Writes `json` (len bytes) as one framed message and flushes; -1 when writing fails. */
int dg_lsp_write(FILE *out, const char *json, size_t len);

/* ---- positions and text (text.c) ---------------------------------------------------------- */

/* The start of each line of a text, lines ending at "\n", "\r\n" or "\r" as LSP counts them. */
struct dg_lsp_lines {
	size_t *starts;
	size_t n;
};
void dg_lsp_lines_init(struct dg_lsp_lines *l, const char *s, size_t len);
void dg_lsp_lines_free(struct dg_lsp_lines *l);
/* A byte offset of s → 0-based line and character in UTF-16 code units. An offset inside a
 * character counts as its start; past the end, the end. */
void dg_lsp_position(const struct dg_lsp_lines *l, const char *s, size_t len, size_t offset,
		     unsigned *line, unsigned *character);
/* A 0-based line and UTF-16 character → byte offset of s. A character past the line's end is
 * the line's end (before its line break); a line past the last, the end of the text; one inside
 * a surrogate pair, the start of that character. */
size_t dg_lsp_offset(const struct dg_lsp_lines *l, const char *s, size_t len, unsigned line,
		     unsigned character);
/* Replaces [start, end) of the malloc'd *s (*len bytes, NUL-terminated) with text. */
void dg_lsp_splice(char **s, size_t *len, size_t start, size_t end, const char *text, size_t tlen);

/* file:///a%20b.sql → "/a b.sql" (malloc'd); NULL when the URI is not a local file. */
char *dg_lsp_uri_to_path(const char *uri);
/* "/a b.sql" → "file:///a%20b.sql" (malloc'd). */
char *dg_lsp_path_to_uri(const char *path);

/* ---- moving a statement into a new migration (split.c) ------------------------------------ */

struct dg_result;
struct dg_finding;
struct dg_config;
struct dg_catalog;
/* A new migration file and what leaves this one: `text` is to be created at `path`, and
 * [del_start, del_end) of the document removed. */
struct dg_lsp_split {
	char *path, *text, *title;
	size_t del_start, del_end;
};
/* For a CONCURRENTLY finding whose statement shares its runner's transaction with others (so
 * no fix of this file alone can take it out): the statement moved into a migration right after
 * this one (`last_in_dir`: nothing runs between them), rewritten there as the runner needs.
 * Both files verified (dg_fix_verify); false when that cannot be done. */
bool dg_lsp_split(const struct dg_config *cfg, struct dg_catalog *cat, const char *path,
		  const char *buf, size_t len, const struct dg_result *res,
		  const struct dg_finding *f, bool last_in_dir, struct dg_lsp_split *out);
void dg_lsp_split_free(struct dg_lsp_split *s);

/* ---- the server (server.c) ---------------------------------------------------------------- */

/* Serves one client on in/out until "exit" or the end of the input: 0 after a shutdown request,
 * 1 otherwise (what the protocol asks of the exit code). Messages it cannot read or answer get
 * an error response (or are dropped, for notifications); it keeps serving. */
int dg_lsp_serve(FILE *in, FILE *out);
/* ddlguard lsp [--stdio]: argv[0] is "lsp". */
int dg_lsp_main(int argc, char **argv);

#endif
