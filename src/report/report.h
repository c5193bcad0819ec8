/* report.h — output formats as small vtables: they see plain findings, never the AST. */
#ifndef DG_REPORT_H
#define DG_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "ddlguard/ddlguard.h"

/* What a column number counts (--column-unit); DG_COLUMN_DEFAULT: the format's own choice. */
enum dg_column_unit {
	DG_COLUMN_DEFAULT = 0,
	DG_COLUMN_CHAR,	   /* Unicode code points: JSON, SARIF, text, GitHub, Markdown */
	DG_COLUMN_BYTE,	   /* bytes from the line's start: Vim's %c */
	DG_COLUMN_DISPLAY, /* GNU display columns: gcc format (GCC's default, Emacs) */
};

struct dg_report_options {
	bool color;
	bool quiet; /* text: only one line per finding, no source, help or summary */
	/* --summary: text prints the run's summary even for one file (it always does for more) */
	bool summary;
	/* The column unit, resolved (never DG_COLUMN_DEFAULT when a reporter runs). */
	enum dg_column_unit column_unit;
	/* The repository root (absolute, no trailing '/'), or NULL: the formats CI systems map onto
	 * a repository (SARIF, GitLab, JUnit, GitHub, Markdown) give paths relative to it. */
	const char *root;
	/* --fail-on for the file being reported (the lowest severity that fails, 3: never; the CLI
	 * updates it before each file, reporters that need it keep a pointer to the options). */
	int fail_on;
};

struct dg_report_summary {
	size_t files_checked;
	size_t files_with_findings;
	size_t findings;
	size_t by_severity[3]; /* indexed by enum dg_severity */
	size_t unreadable;
};

struct dg_reporter {
	const char *name;
	void *(*begin)(FILE *out, const struct dg_report_options *opts);
	void (*file)(void *state, const struct dg_result *res);
	/* returns 0, or -1 when the output could not be written */
	int (*end)(void *state, const struct dg_report_summary *sum);
	enum dg_column_unit column_unit; /* its default; DG_COLUMN_DEFAULT means characters */
	/* true: its columns cannot be expressed in another unit (SARIF's columnKind) */
	bool fixed_columns;
	/* true: it reports paths relative to dg_report_options.root (the CLI finds the root) */
	bool repo_paths;
};

extern const struct dg_reporter dg_reporter_text;
extern const struct dg_reporter dg_reporter_json;
extern const struct dg_reporter dg_reporter_gcc;
extern const struct dg_reporter dg_reporter_sarif;
extern const struct dg_reporter dg_reporter_github;
extern const struct dg_reporter dg_reporter_gitlab;
extern const struct dg_reporter dg_reporter_junit;
extern const struct dg_reporter dg_reporter_markdown;

const struct dg_reporter *dg_reporter_find(const char *name);

/* ---- shared by the reporters (common.c) ---- */
struct cJSON;
/* Flushes `out`: 0, or -1 when anything written to it could not be. */
int dg_report_flush(FILE *out);
/* Prints `doc` (indented when `pretty`) and a newline to `out`, flushes, and deletes `doc`:
 * 0, or -1 when the output could not be made or written. */
int dg_report_json_end(FILE *out, struct cJSON *doc, bool pretty);
/* Every string (and key) of the tree made valid UTF-8, as dg_report_json_end does. */
void dg_json_repair(struct cJSON *item);
/* ---- spools (spool.c): what a report holds until its end, on disk rather than in memory, so
 * that a run's memory is bounded by its largest file, not by the whole report ---- */
struct dg_spool {
	FILE *f;    /* a temporary file, or a memory stream when none can be made */
	char *vbuf; /* the temporary file's stdio buffer */
	char *buf;
	size_t len;
	bool mem;
};
/* 0, or -1 when neither a temporary file nor a memory stream could be opened. */
int dg_spool_open(struct dg_spool *s);
/* Copies everything written to s->f to `out` and closes the spool: 0, or -1 on a write error
 * (of either). */
int dg_spool_copy(struct dg_spool *s, FILE *out);
void dg_spool_close(struct dg_spool *s);
/* A JSON array whose elements are spooled as they come, printed byte for byte as cJSON would
 * print them in the whole document: `depth` is the number of arrays and objects around the
 * elements (the document itself is one), `pretty` as dg_report_json_end's. */
struct dg_json_spool {
	struct dg_spool s;
	size_t n;
	int depth;
	bool pretty;
	char marker[32];
};
int dg_json_spool_open(struct dg_json_spool *js, int depth, bool pretty);
/* Appends `item` (repaired as dg_json_repair does) and deletes it. */
void dg_json_spool_add(struct dg_json_spool *js, struct cJSON *item);
/* The array to put in the document where the spooled elements go. */
struct cJSON *dg_json_spool_hole(struct dg_json_spool *js);
/* dg_report_json_end for a document holding the holes of `spools`: each is replaced by its
 * elements; the spools are closed. */
int dg_report_json_end_spooled(FILE *out, struct cJSON *doc, bool pretty,
			       struct dg_json_spool *const *spools, size_t n);
/* "ignore", "ignore-file" or "rewrite" */
const char *dg_fix_kind_name(enum dg_fix_kind k);
/* A JSON writer for the elements of the lists (jsonw.c): what cJSON_PrintUnformatted writes
 * for the same values after dg_json_repair, byte for byte, into a buffer the next element reuses.
 * Keys are NULL inside arrays. Strings are repaired (a byte that starts no UTF-8 sequence becomes
 * U+FFFD) and escaped as cJSON escapes them. */
#define DG_JW_DEPTH 16
struct dg_jw {
	char *buf;
	size_t len, cap;
	unsigned depth;
	bool more[DG_JW_DEPTH]; /* a value was written at this depth: the next takes a comma */
};
void dg_jw_open(struct dg_jw *w, const char *key, bool array);
void dg_jw_close(struct dg_jw *w, bool array);
/* v NULL: null */
void dg_jw_string(struct dg_jw *w, const char *key, const char *v);
void dg_jw_count(struct dg_jw *w, const char *key, unsigned long long v);
/* Writes what the buffer holds to `out` (NULL: nowhere) and empties it for the next element. */
void dg_jw_flush(struct dg_jw *w, FILE *out);
void dg_jw_free(struct dg_jw *w);
/* The stream the next element of js goes to, its comma written; NULL when the spool has none.
 * Write exactly one element there (dg_jw_flush). */
FILE *dg_json_spool_next(struct dg_json_spool *js);
/* o[key] = v, a whole number printed as the digits cJSON would print (without its
 * printf("%1.15g") and sscanf round trip per number). */
void dg_json_add_count(struct cJSON *o, const char *key, unsigned long long v);
/* o[key] = v, or null when v is NULL. */
void dg_json_add_string_or_null(struct cJSON *o, const char *key, const char *v);
/* The entry of "errors" for a file that could not be read: {"path", "message"}. */
struct cJSON *dg_json_error(const char *path, const char *error);
/* "error", "warning", or the format's word for the lowest severity (`lowest`). */
const char *dg_report_level(enum dg_severity s, const char *lowest);
/* A finding's column or end column in `unit`. */
unsigned dg_report_column(const struct dg_finding *f, enum dg_column_unit unit, bool end);
/* "char", "byte", "display". */
const char *dg_column_unit_name(enum dg_column_unit unit);
/* `path` relative to `root` (lexically, from the working directory for relative paths) when it
 * lies under it, else the path as given; "./" prefixes dropped. malloc'd. *inside (if not NULL)
 * says which. */
char *dg_report_repo_path(const char *root, const char *path, bool *inside);
/* begin and end of reporters whose whole state is the stream they write to and the options. */
struct dg_stream {
	FILE *out;
	struct dg_report_options opts;
};
void *dg_report_stream_begin(FILE *out, const struct dg_report_options *opts);
int dg_report_stream_end(void *state, const struct dg_report_summary *s);
/* Untrusted text for a terminal or a line-based log (text, gcc, github, stderr): every control
 * character but the tab, DEL, the C1 controls, U+2028/9 and the bidirectional overrides are
 * written visibly (\n, \r, \x1b, \u009b, \u202e), a byte that is not UTF-8 as \xff; the rest is
 * copied. So one finding is one line, a terminal runs no escape sequence, and the output is
 * valid UTF-8. */
void dg_put_text(FILE *out, const char *s);
/* The same for one character: its written form into buf, the bytes of `s` it takes (0 at the
 * end of `s`). */
#define DG_TEXT_CHAR_MAX 16
size_t dg_text_char(const char *s, char buf[DG_TEXT_CHAR_MAX]);
/* Columns dg_put_text(s) takes (characters, not bytes). */
size_t dg_text_width(const char *s);
/* `s` as dg_put_text writes it, for printf's %s: s itself when nothing needs escaping, else a
 * malloc'd copy also left in *tmp (free it; NULL when none was made). */
const char *dg_text(const char *s, char **tmp);
/* XML 1.0 text and attribute values: the five entities, tab, newline and carriage return as
 * character references, other controls made visible as dg_put_text does, U+FFFE, U+FFFF and
 * bytes that are not UTF-8 as U+FFFD. */
void dg_put_xml(FILE *out, const char *s);
/* Whether `s` is well-formed UTF-8; a malloc'd copy with each offending byte replaced by
 * U+FFFD (NULL when out of memory). dg_report_json_end applies it to every string. */
bool dg_utf8_valid(const char *s);
/* The length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when none starts there. */
size_t dg_utf8_seq_len(const char *s);
char *dg_utf8_repair(const char *s);
/* "text, json, …": the names --format accepts, for messages. */
const char *dg_reporter_names(void);
/* The format name nearest to a mistyped one, or NULL. */
const char *dg_reporter_closest(const char *name);

/* ddlguard --locks: the lock model's table per statement instead of findings. */
struct dg_lock_reporter {
	const char *name;
	void *(*begin)(FILE *out, const struct dg_report_options *opts);
	void (*file)(void *state, const struct dg_lock_report *rep);
	int (*end)(void *state); /* 0, or -1 when the output could not be written */
};

extern const struct dg_lock_reporter dg_lock_reporter_text;
extern const struct dg_lock_reporter dg_lock_reporter_json;

const struct dg_lock_reporter *dg_lock_reporter_find(const char *name);
/* Runs the lock report over `files` ("-" is standard input, reported as `stdin_name`).
 * Returns 0, or 2 when a file could not be read or the output not written. */
int dg_report_locks(const struct dg_config *cfg, const struct dg_lock_reporter *rep,
		    const struct dg_path_list *files, const char *stdin_name,
		    const struct dg_report_options *opts, FILE *out);

#endif
