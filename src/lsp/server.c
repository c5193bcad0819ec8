/* server.c — the language server: the protocol's lifecycle, open documents linted as the files
 * they are (their .ddlguard.yaml, their runner, the schema the earlier migrations of their
 * directory left), findings as diagnostics, rule docs on hover, fixes as code actions. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "engine.h"
#include "lsp/lsp.h"
#include "probe.h"
#include "report/report.h"

/* JSON-RPC and LSP error codes */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	LSP_SERVER_NOT_INITIALIZED = -32002,
};

/* A message is at most this large: a document well over the default --max-file-size (8 MiB),
 * escaped. A larger body is dropped with an error; a larger document would not be linted. */
#define MAX_MESSAGE ((size_t)256 << 20)

struct doc {
	char *uri;
	char *path; /* the file it is linted as */
	bool local; /* a file: URI, so a real path: configuration and schema memory apply */
	char *text; /* what the editor holds, NUL-terminated */
	size_t len;
	cJSON *version; /* as the client numbered it, or NULL */
	/* the last lint of `text` */
	struct dg_result res;
	bool linted;
	struct dg_lsp_lines lines;
	/* its configuration */
	struct dg_config_file *file;
	struct dg_config *file_cfg;
	const struct dg_config *cfg;
	bool excluded;
	char *config_error;
	/* the schema memory of the migrations before it in its directory, and what they were
	 * (paths, sizes, times) when it was built */
	struct dg_catalog *cat;
	char *cat_sig;
	bool last_in_dir; /* no migration of its directory runs after it */
	/* per fix of the last lint, in finding order: 0 not verified yet, 1 verifies, -1 not
	 * (clients ask for code actions at every cursor move; each check costs a lint) */
	signed char *verified;
};

struct server {
	FILE *in, *out;
	bool initialized, shut_down, exited, write_failed;
	bool document_changes; /* the client takes WorkspaceEdit.documentChanges */
	bool create_files;     /* … and CreateFile operations in them */
	struct doc **docs;
	size_t n_docs;
	struct dg_config *base;
};

/* ---- sending ------------------------------------------------------------------------------ */

/* Every string and key of a message as valid UTF-8 (the protocol's encoding): a byte that is
 * not becomes U+FFFD, as in the JSON report. Text from a client may hold any bytes. */
static void repair(cJSON *j)
{
	for (cJSON *c = j ? j->child : NULL; c; c = c->next) {
		if (c->string && !dg_utf8_valid(c->string)) {
			char *r = dg_utf8_repair(c->string);
			if (!r)
				dg_out_of_memory();
			cJSON_free(c->string);
			c->string = r;
		}
		if (cJSON_IsString(c) && c->valuestring && !dg_utf8_valid(c->valuestring)) {
			char *r = dg_utf8_repair(c->valuestring);
			if (!r || !cJSON_SetValuestring(c, r))
				dg_out_of_memory();
			free(r);
		}
		repair(c);
	}
}

static void send_msg(struct server *srv, cJSON *msg)
{
	char *s;

	repair(msg);
	cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
	s = cJSON_PrintUnformatted(msg);
	if (!s)
		dg_out_of_memory();
	if (!srv->write_failed && dg_lsp_write(srv->out, s, strlen(s)) != 0)
		srv->write_failed = true;
	free(s);
	cJSON_Delete(msg);
}

static cJSON *id_copy(const cJSON *id)
{
	return id ? cJSON_Duplicate(id, true) : cJSON_CreateNull();
}

static void respond(struct server *srv, const cJSON *id, cJSON *result)
{
	cJSON *msg = cJSON_CreateObject();

	cJSON_AddItemToObject(msg, "id", id_copy(id));
	cJSON_AddItemToObject(msg, "result", result ? result : cJSON_CreateNull());
	send_msg(srv, msg);
}

__attribute__((format(printf, 4, 5))) static void respond_error(struct server *srv, const cJSON *id,
								int code, const char *fmt, ...)
{
	cJSON *msg = cJSON_CreateObject(), *err = cJSON_CreateObject();
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cJSON_AddItemToObject(msg, "id", id_copy(id));
	cJSON_AddNumberToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", text);
	cJSON_AddItemToObject(msg, "error", err);
	send_msg(srv, msg);
}

static void notify(struct server *srv, const char *method, cJSON *params)
{
	cJSON *msg = cJSON_CreateObject();

	cJSON_AddStringToObject(msg, "method", method);
	cJSON_AddItemToObject(msg, "params", params);
	send_msg(srv, msg);
}

/* window/logMessage, for what a notification got wrong (it has no response to carry it). */
__attribute__((format(printf, 2, 3))) static void log_warning(struct server *srv, const char *fmt,
							      ...)
{
	cJSON *p = cJSON_CreateObject();
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cJSON_AddNumberToObject(p, "type", 2);
	cJSON_AddStringToObject(p, "message", text);
	notify(srv, "window/logMessage", p);
}

/* ---- documents ---------------------------------------------------------------------------- */

static struct doc *find_doc(struct server *srv, const char *uri)
{
	for (size_t i = 0; i < srv->n_docs; i++)
		if (strcmp(srv->docs[i]->uri, uri) == 0)
			return srv->docs[i];
	return NULL;
}

static void forget_lint(struct doc *d)
{
	if (d->linted)
		dg_result_clear(&d->res);
	d->linted = false;
	dg_lsp_lines_free(&d->lines);
	dg_config_file_free(d->file);
	dg_config_free(d->file_cfg);
	d->file = NULL;
	d->file_cfg = NULL;
	d->cfg = NULL;
	d->excluded = false;
	free(d->config_error);
	d->config_error = NULL;
	free(d->verified);
	d->verified = NULL;
}

static void doc_free(struct doc *d)
{
	forget_lint(d);
	dg_catalog_free(d->cat);
	free(d->cat_sig);
	free(d->uri);
	free(d->path);
	free(d->text);
	cJSON_Delete(d->version);
	free(d);
}

static void close_doc(struct server *srv, struct doc *d)
{
	for (size_t i = 0; i < srv->n_docs; i++)
		if (srv->docs[i] == d) {
			memmove(srv->docs + i, srv->docs + i + 1,
				(srv->n_docs - i - 1) * sizeof(*srv->docs));
			srv->n_docs--;
			break;
		}
	doc_free(d);
}

/* The name a document that is no local file is linted as: its URI's last segment (the runner
 * is told from names), "untitled.sql" when there is none. */
static char *pseudo_path(const char *uri)
{
	const char *slash = strrchr(uri, '/'), *colon = strrchr(uri, ':');
	const char *base = slash ? slash + 1 : colon ? colon + 1 : uri;

	return dg_xstrdup(*base ? base : "untitled.sql");
}

/* ---- schema memory ------------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sig_add(char **sig, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *ns = dg_xmalloc(ncap);
		if (*sig)
			memcpy(ns, *sig, *len);
		free(*sig);
		*sig = ns;
		*cap = ncap;
	}
	memcpy(*sig + *len, s, n);
	*len += n;
	(*sig)[*len] = '\0';
}

/* The migrations of the document's directory that its runner applies before it, linted in
 * that order into d->cat (as `ddlguard DIR` does), rebuilt only when one of them changed on
 * disk. The document's own lint reads the catalog without adding to it. */
static void schema_memory(struct doc *d)
{
	const char *slash = strrchr(d->path, '/');
	size_t dlen = slash ? (size_t)(slash - d->path) : 0, n = 0, cap = 0, at = (size_t)-1;
	size_t slen = 0, scap = 0;
	char *dir = slash ? (dlen ? strndup(d->path, dlen) : strdup("/")) : strdup(".");
	char **items = NULL, *sig = NULL;
	DIR *dh;
	struct dirent *e;

	if (!dir)
		dg_out_of_memory();
	dh = opendir(dir);
	while (dh && (e = readdir(dh))) {
		size_t nl = strlen(e->d_name);
		struct stat st;
		char *p;

		if (e->d_name[0] == '.' || nl <= 4 || strcasecmp(e->d_name + nl - 4, ".sql") != 0)
			continue;
		p = dg_xmalloc(dlen + nl + 2);
		snprintf(p, dlen + nl + 2, "%.*s/%s", (int)dlen, d->path, e->d_name);
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (n + 2 > cap) {
			cap = cap ? 2 * cap : 64;
			char **ni = dg_xmalloc(cap * sizeof(*ni));
			if (n)
				memcpy(ni, items, n * sizeof(*ni));
			free(items);
			items = ni;
		}
		items[n++] = p;
	}
	if (dh)
		closedir(dh);
	for (size_t i = 0; i < n && at == (size_t)-1; i++)
		if (strcmp(items[i], d->path) == 0)
			at = i;
	if (at == (size_t)-1) { /* not saved yet: where its name puts it */
		if (n + 1 > cap) {
			char **ni = dg_xmalloc((n + 1) * sizeof(*ni));
			if (n)
				memcpy(ni, items, n * sizeof(*ni));
			free(items);
			items = ni;
		}
		items[n++] = dg_xstrdup(d->path);
	}
	if (n > 1)
		qsort(items, n, sizeof(*items), cmp_str);
	dg_migration_order_files(dir, items, n);
	for (at = 0; at < n && strcmp(items[at], d->path) != 0; at++)
		;
	d->last_in_dir = at + 1 == n;
	sig_add(&sig, &slen, &scap, "");
	for (size_t i = 0; i < at; i++) {
		struct stat st;
		char buf[96];
		if (stat(items[i], &st) != 0)
			continue;
		snprintf(buf, sizeof(buf), "\n%lld.%09ld %lld ", (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec, (long long)st.st_size);
		sig_add(&sig, &slen, &scap, buf);
		sig_add(&sig, &slen, &scap, items[i]);
	}
	if (!d->cat || !d->cat_sig || strcmp(sig, d->cat_sig) != 0) {
		dg_catalog_free(d->cat);
		d->cat = dg_catalog_new();
		if (!d->cat)
			dg_out_of_memory();
		for (size_t i = 0; i < at; i++) {
			const struct dg_config *c =
			    d->file ? dg_config_file_for_path(d->file, d->file_cfg, items[i])
				    : d->cfg;
			dg_absorb_file(c, d->cat, items[i]); /* effects only */
		}
		free(d->cat_sig);
		d->cat_sig = sig;
		sig = NULL;
	}
	free(sig);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(dir);
}

/* ---- linting and diagnostics -------------------------------------------------------------- */

static cJSON *position(const struct doc *d, size_t offset)
{
	cJSON *p = cJSON_CreateObject();
	unsigned line, character;

	dg_lsp_position(&d->lines, d->text, d->len, offset, &line, &character);
	cJSON_AddNumberToObject(p, "line", line);
	cJSON_AddNumberToObject(p, "character", character);
	return p;
}

static cJSON *range(const struct doc *d, size_t start, size_t end)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddItemToObject(r, "start", position(d, start));
	cJSON_AddItemToObject(r, "end", position(d, end));
	return r;
}

/* The rule's doc as the SARIF report links it, when the build says where docs are served. */
static bool doc_url(const char *rule, char *buf, size_t size)
{
	size_t n = strlen(DG_DOCS_URL);

	if (!n || !dg_rule_info_find(rule))
		return false;
	snprintf(buf, size, "%s%s%s.md", DG_DOCS_URL, DG_DOCS_URL[n - 1] == '/' ? "" : "/", rule);
	return true;
}

static cJSON *diagnostic(const struct doc *d, const struct dg_finding *f)
{
	static const int severity[] = {[DG_INFO] = 3, [DG_WARNING] = 2, [DG_ERROR] = 1};
	cJSON *g = cJSON_CreateObject();
	char url[1024];

	cJSON_AddItemToObject(g, "range",
			      range(d, f->byte_offset, f->byte_offset + f->byte_length));
	cJSON_AddNumberToObject(g, "severity", severity[f->severity]);
	cJSON_AddStringToObject(g, "code", f->rule);
	if (doc_url(f->rule, url, sizeof(url))) {
		cJSON *cd = cJSON_AddObjectToObject(g, "codeDescription");
		cJSON_AddStringToObject(cd, "href", url);
	}
	cJSON_AddStringToObject(g, "source", "ddlguard");
	cJSON_AddStringToObject(g, "message", f->message);
	return g;
}

/* A diagnostic of the whole document's first position, for what is not a finding. */
static cJSON *note(const struct doc *d, int severity, const char *code, const char *message)
{
	cJSON *g = cJSON_CreateObject();

	cJSON_AddItemToObject(g, "range", range(d, 0, 0));
	cJSON_AddNumberToObject(g, "severity", severity);
	cJSON_AddStringToObject(g, "code", code);
	cJSON_AddStringToObject(g, "source", "ddlguard");
	cJSON_AddStringToObject(g, "message", message);
	return g;
}

static void publish(struct server *srv, const struct doc *d)
{
	cJSON *p = cJSON_CreateObject(), *list;

	cJSON_AddStringToObject(p, "uri", d->uri);
	if (d->version && cJSON_IsNumber(d->version))
		cJSON_AddItemToObject(p, "version", cJSON_Duplicate(d->version, true));
	list = cJSON_AddArrayToObject(p, "diagnostics");
	if (d->config_error)
		cJSON_AddItemToArray(list, note(d, 1, "configuration", d->config_error));
	if (d->linted && d->res.status != DG_OK)
		cJSON_AddItemToArray(
		    list, note(d, 1, "unreadable", d->res.error ? d->res.error : "error"));
	for (size_t i = 0; d->linted && i < d->res.n_findings; i++)
		cJSON_AddItemToArray(list, diagnostic(d, &d->res.findings[i]));
	notify(srv, "textDocument/publishDiagnostics", p);
}

/* Lints the document as its file, then publishes what it found. */
static void lint(struct server *srv, struct doc *d)
{
	forget_lint(d);
	d->cfg = srv->base;
	dg_lsp_lines_init(&d->lines, d->text, d->len);
	if (d->local) {
		char *ignored = NULL, *error = NULL, *cpath;

		dg_config_file_forget(); /* a .ddlguard.yaml may have been created since */
		cpath = dg_config_file_find(d->path, &ignored);
		free(ignored);
		if (cpath && dg_config_file_load(cpath, &d->file, &error) == DG_OK) {
			d->file_cfg = dg_config_clone(srv->base);
			if (!d->file_cfg)
				dg_out_of_memory();
			dg_config_file_apply(d->file, d->file_cfg);
			d->cfg = dg_config_file_for_path(d->file, d->file_cfg, d->path);
			d->excluded = dg_config_file_excludes(d->file, d->path);
		} else if (cpath) {
			d->file = NULL;
			d->config_error = error ? error : dg_xstrdup(cpath);
		}
		free(cpath);
		if (!d->excluded)
			schema_memory(d);
	}
	if (!d->excluded) {
		size_t n = 0;
		dg_lint_buffer_ex(d->cfg, d->local ? d->cat : NULL, false, d->path, d->text, d->len,
				  &d->res);
		d->linted = true;
		for (size_t i = 0; i < d->res.n_findings; i++)
			n += d->res.findings[i].n_fixes;
		d->verified = dg_xmalloc(n ? n : 1);
		memset(d->verified, 0, n ? n : 1);
	}
	publish(srv, d);
}

/* ---- parameters --------------------------------------------------------------------------- */

static const char *str_at(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A non-negative integer member, as unsigned; false when missing or not one. */
static bool uint_at(const cJSON *o, const char *key, unsigned *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 4294967295.0 ||
	    v->valuedouble != (double)(long long)v->valuedouble)
		return false;
	*out = (unsigned)v->valuedouble;
	return true;
}

static bool pos_at(const cJSON *o, const char *key, unsigned *line, unsigned *character)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsObject(p) && uint_at(p, "line", line) && uint_at(p, "character", character);
}

/* params.textDocument.uri */
static const char *doc_uri(const cJSON *params)
{
	return str_at(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

static void initialize(struct server *srv, const cJSON *id, const cJSON *params)
{
	const cJSON *caps = cJSON_GetObjectItemCaseSensitive(params, "capabilities");
	const cJSON *ws = cJSON_GetObjectItemCaseSensitive(caps, "workspace");
	const cJSON *we = cJSON_GetObjectItemCaseSensitive(ws, "workspaceEdit");
	cJSON *res = cJSON_CreateObject(), *c, *sync, *save, *ca, *kinds, *info, *op;

	if (srv->initialized) {
		respond_error(srv, id, RPC_INVALID_REQUEST, "initialize was already received");
		cJSON_Delete(res);
		return;
	}
	srv->initialized = true;
	srv->document_changes =
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(we, "documentChanges"));
	cJSON_ArrayForEach(op, cJSON_GetObjectItemCaseSensitive(we, "resourceOperations"))
	{
		if (cJSON_IsString(op) && strcmp(op->valuestring, "create") == 0)
			srv->create_files = srv->document_changes;
	}
	c = cJSON_AddObjectToObject(res, "capabilities");
	cJSON_AddStringToObject(c, "positionEncoding", "utf-16");
	sync = cJSON_AddObjectToObject(c, "textDocumentSync");
	cJSON_AddBoolToObject(sync, "openClose", true);
	cJSON_AddNumberToObject(sync, "change", 2); /* incremental */
	save = cJSON_AddObjectToObject(sync, "save");
	cJSON_AddBoolToObject(save, "includeText", false);
	cJSON_AddBoolToObject(c, "hoverProvider", true);
	ca = cJSON_AddObjectToObject(c, "codeActionProvider");
	kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
	cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
	info = cJSON_AddObjectToObject(res, "serverInfo");
	cJSON_AddStringToObject(info, "name", "ddlguard");
	cJSON_AddStringToObject(info, "version", DG_VERSION);
	respond(srv, id, res);
}

/* ---- text synchronisation ----------------------------------------------------------------- */

static void did_open(struct server *srv, const cJSON *params)
{
	const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
	const char *uri = str_at(td, "uri"), *text = str_at(td, "text");
	struct doc *d, **nd;

	if (!uri || !text) {
		log_warning(srv,
			    "ddlguard: textDocument/didOpen without textDocument.uri and .text");
		return;
	}
	if ((d = find_doc(srv, uri)))
		close_doc(srv, d);
	d = dg_xmalloc(sizeof(*d));
	memset(d, 0, sizeof(*d));
	d->uri = dg_xstrdup(uri);
	d->path = dg_lsp_uri_to_path(uri);
	d->local = d->path != NULL;
	if (!d->path)
		d->path = pseudo_path(uri);
	d->len = strlen(text);
	d->text = dg_xmalloc(d->len + 1);
	memcpy(d->text, text, d->len + 1);
	d->version = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(td, "version"), true);
	nd = dg_xmalloc((srv->n_docs + 1) * sizeof(*nd));
	if (srv->n_docs)
		memcpy(nd, srv->docs, srv->n_docs * sizeof(*nd));
	free(srv->docs);
	srv->docs = nd;
	srv->docs[srv->n_docs++] = d;
	lint(srv, d);
}

static void did_change(struct server *srv, const cJSON *params)
{
	const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
	const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges"), *ch;
	const char *uri = str_at(td, "uri");
	struct doc *d = uri ? find_doc(srv, uri) : NULL;

	if (!d || !cJSON_IsArray(changes)) {
		log_warning(srv, "ddlguard: textDocument/didChange for %s",
			    d ? "no contentChanges" : "a document that is not open");
		return;
	}
	cJSON_ArrayForEach(ch, changes)
	{
		const char *text = str_at(ch, "text");
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(ch, "range");
		unsigned sl, sc, el, ec;

		if (!text) {
			log_warning(srv, "ddlguard: a content change without text: ignored");
			continue;
		}
		if (!r) {
			free(d->text);
			d->len = strlen(text);
			d->text = dg_xstrdup(text);
		} else if (pos_at(r, "start", &sl, &sc) && pos_at(r, "end", &el, &ec)) {
			struct dg_lsp_lines l;
			size_t a, b;
			dg_lsp_lines_init(&l, d->text, d->len);
			a = dg_lsp_offset(&l, d->text, d->len, sl, sc);
			b = dg_lsp_offset(&l, d->text, d->len, el, ec);
			dg_lsp_lines_free(&l);
			if (b < a) {
				size_t t = a;
				a = b;
				b = t;
			}
			dg_lsp_splice(&d->text, &d->len, a, b, text, strlen(text));
		} else {
			log_warning(srv, "ddlguard: a content change with a bad range: ignored");
		}
	}
	cJSON_Delete(d->version);
	d->version = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(td, "version"), true);
	lint(srv, d);
}

static void did_save(struct server *srv, const cJSON *params)
{
	const char *uri = doc_uri(params);
	struct doc *d = uri ? find_doc(srv, uri) : NULL;

	if (!d) {
		log_warning(srv, "ddlguard: textDocument/didSave for a document that is not open");
		return;
	}
	/* an earlier migration of another open document may be the one saved */
	for (size_t i = 0; i < srv->n_docs; i++)
		if (srv->docs[i] != d && srv->docs[i]->local)
			lint(srv, srv->docs[i]);
	lint(srv, d);
}

static void did_close(struct server *srv, const cJSON *params)
{
	const char *uri = doc_uri(params);
	struct doc *d = uri ? find_doc(srv, uri) : NULL;
	cJSON *p;

	if (!d)
		return;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "uri", d->uri);
	cJSON_AddArrayToObject(p, "diagnostics");
	close_doc(srv, d);
	notify(srv, "textDocument/publishDiagnostics", p);
}

/* ---- hover and code actions --------------------------------------------------------------- */

/* The open document a request names, or NULL after an error response. */
static struct doc *request_doc(struct server *srv, const cJSON *id, const cJSON *params,
			       const char *what)
{
	const char *uri = doc_uri(params);
	struct doc *d;

	if (!uri) {
		respond_error(srv, id, RPC_INVALID_PARAMS, "%s: params.textDocument.uri is missing",
			      what);
		return NULL;
	}
	d = find_doc(srv, uri);
	if (!d)
		respond_error(srv, id, RPC_INVALID_PARAMS, "%s: %s is not open", what, uri);
	return d;
}

static void hover(struct server *srv, const cJSON *id, const cJSON *params)
{
	struct doc *d = request_doc(srv, id, params, "textDocument/hover");
	unsigned line, character;
	size_t at, first = 0, last = 0;
	bool any = false;
	char *md = NULL;
	size_t mlen = 0, mcap = 0;
	cJSON *res, *contents;

	if (!d)
		return;
	if (!pos_at(params, "position", &line, &character)) {
		respond_error(srv, id, RPC_INVALID_PARAMS, "textDocument/hover: bad position");
		return;
	}
	at = dg_lsp_offset(&d->lines, d->text, d->len, line, character);
	for (size_t i = 0; d->linted && i < d->res.n_findings; i++) {
		const struct dg_finding *f = &d->res.findings[i];
		const struct dg_rule_info *r = dg_rule_info_find(f->rule);
		char head[512];

		if (at < f->byte_offset || at > f->byte_offset + f->byte_length)
			continue;
		if (!any || f->byte_offset < first)
			first = f->byte_offset;
		if (!any || f->byte_offset + f->byte_length > last)
			last = f->byte_offset + f->byte_length;
		if (any)
			sig_add(&md, &mlen, &mcap, "\n\n---\n\n");
		any = true;
		snprintf(head, sizeof(head), "**%s** (%s): ", f->rule,
			 dg_severity_name(f->severity));
		sig_add(&md, &mlen, &mcap, head);
		sig_add(&md, &mlen, &mcap, f->message);
		if (f->help && *f->help) {
			sig_add(&md, &mlen, &mcap, "\n\n");
			sig_add(&md, &mlen, &mcap, f->help);
		}
		if (r && r->doc) {
			sig_add(&md, &mlen, &mcap, "\n\n");
			sig_add(&md, &mlen, &mcap, r->doc);
		}
	}
	if (!any) {
		respond(srv, id, NULL);
		return;
	}
	res = cJSON_CreateObject();
	contents = cJSON_AddObjectToObject(res, "contents");
	cJSON_AddStringToObject(contents, "kind", "markdown");
	cJSON_AddStringToObject(contents, "value", md);
	cJSON_AddItemToObject(res, "range", range(d, first, last));
	free(md);
	respond(srv, id, res);
}

static cJSON *text_edits(const struct doc *d, const struct dg_fix *x)
{
	cJSON *edits = cJSON_CreateArray();

	for (size_t i = 0; i < x->n_edits; i++) {
		const struct dg_edit *e = &x->edits[i];
		cJSON *te = cJSON_CreateObject();
		cJSON_AddItemToObject(te, "range",
				      range(d, e->byte_offset, e->byte_offset + e->byte_length));
		cJSON_AddStringToObject(te, "newText", e->text);
		cJSON_AddItemToArray(edits, te);
	}
	return edits;
}

static cJSON *workspace_edit(const struct server *srv, const struct doc *d, cJSON *edits)
{
	cJSON *we = cJSON_CreateObject();

	if (srv->document_changes) {
		cJSON *dc = cJSON_AddArrayToObject(we, "documentChanges"),
		      *tde = cJSON_CreateObject();
		cJSON *ident = cJSON_AddObjectToObject(tde, "textDocument");
		cJSON_AddStringToObject(ident, "uri", d->uri);
		if (d->version && cJSON_IsNumber(d->version))
			cJSON_AddItemToObject(ident, "version", cJSON_Duplicate(d->version, true));
		else
			cJSON_AddNullToObject(ident, "version");
		cJSON_AddItemToObject(tde, "edits", edits);
		cJSON_AddItemToArray(dc, tde);
	} else {
		cJSON *changes = cJSON_AddObjectToObject(we, "changes");
		cJSON_AddItemToObject(changes, d->uri, edits);
	}
	return we;
}

/* The statement moved into a new migration: CreateFile, its text, and the deletion here. */
static void split_action(const struct doc *d, const struct dg_finding *f, cJSON *actions)
{
	struct dg_lsp_split sp;
	cJSON *act, *we, *dc, *op, *tde, *ident, *edits, *te, *diags;
	char *uri;

	if (!dg_lsp_split(d->cfg, d->cat, d->path, d->text, d->len, &d->res, f, d->last_in_dir,
			  &sp))
		return;
	uri = dg_lsp_path_to_uri(sp.path);
	act = cJSON_CreateObject();
	cJSON_AddStringToObject(act, "title", sp.title);
	cJSON_AddStringToObject(act, "kind", "quickfix");
	diags = cJSON_AddArrayToObject(act, "diagnostics");
	cJSON_AddItemToArray(diags, diagnostic(d, f));
	cJSON_AddBoolToObject(act, "isPreferred", true);
	we = cJSON_AddObjectToObject(act, "edit");
	dc = cJSON_AddArrayToObject(we, "documentChanges");
	op = cJSON_CreateObject();
	cJSON_AddStringToObject(op, "kind", "create");
	cJSON_AddStringToObject(op, "uri", uri);
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(op, "options"), "ignoreIfExists", false);
	cJSON_AddItemToArray(dc, op);
	/* the new file's text, at its start */
	tde = cJSON_CreateObject();
	ident = cJSON_AddObjectToObject(tde, "textDocument");
	cJSON_AddStringToObject(ident, "uri", uri);
	cJSON_AddNullToObject(ident, "version");
	edits = cJSON_AddArrayToObject(tde, "edits");
	te = cJSON_CreateObject();
	{
		cJSON *r = cJSON_AddObjectToObject(te, "range");
		cJSON *a = cJSON_AddObjectToObject(r, "start"),
		      *b = cJSON_AddObjectToObject(r, "end");
		cJSON_AddNumberToObject(a, "line", 0);
		cJSON_AddNumberToObject(a, "character", 0);
		cJSON_AddNumberToObject(b, "line", 0);
		cJSON_AddNumberToObject(b, "character", 0);
	}
	cJSON_AddStringToObject(te, "newText", sp.text);
	cJSON_AddItemToArray(edits, te);
	cJSON_AddItemToArray(dc, tde);
	/* and its lines gone from this one */
	tde = cJSON_CreateObject();
	ident = cJSON_AddObjectToObject(tde, "textDocument");
	cJSON_AddStringToObject(ident, "uri", d->uri);
	if (d->version && cJSON_IsNumber(d->version))
		cJSON_AddItemToObject(ident, "version", cJSON_Duplicate(d->version, true));
	else
		cJSON_AddNullToObject(ident, "version");
	edits = cJSON_AddArrayToObject(tde, "edits");
	te = cJSON_CreateObject();
	cJSON_AddItemToObject(te, "range", range(d, sp.del_start, sp.del_end));
	cJSON_AddStringToObject(te, "newText", "");
	cJSON_AddItemToArray(edits, te);
	cJSON_AddItemToArray(dc, tde);
	cJSON_AddItemToArray(actions, act);
	free(uri);
	dg_lsp_split_free(&sp);
}

/* Whether context.only (when given) asks for quick fixes. */
static bool wants_quickfix(const cJSON *params)
{
	const cJSON *only = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(params, "context"), "only");
	const cJSON *k;

	if (!cJSON_IsArray(only))
		return true;
	cJSON_ArrayForEach(k, only)
	{
		if (cJSON_IsString(k) &&
		    (strcmp(k->valuestring, "quickfix") == 0 || strcmp(k->valuestring, "") == 0))
			return true;
	}
	return false;
}

static void code_action(struct server *srv, const cJSON *id, const cJSON *params)
{
	struct doc *d = request_doc(srv, id, params, "textDocument/codeAction");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(params, "range");
	unsigned sl, sc, el, ec;
	size_t a, b;
	cJSON *actions;

	if (!d)
		return;
	if (!r || !pos_at(r, "start", &sl, &sc) || !pos_at(r, "end", &el, &ec)) {
		respond_error(srv, id, RPC_INVALID_PARAMS, "textDocument/codeAction: bad range");
		return;
	}
	a = dg_lsp_offset(&d->lines, d->text, d->len, sl, sc);
	b = dg_lsp_offset(&d->lines, d->text, d->len, el, ec);
	if (b < a) {
		size_t t = a;
		a = b;
		b = t;
	}
	actions = cJSON_CreateArray();
	for (size_t i = 0, nth = 0; d->linted && wants_quickfix(params) && i < d->res.n_findings;
	     nth += d->res.findings[i].n_fixes, i++) {
		const struct dg_finding *f = &d->res.findings[i];

		if (f->byte_offset > b || f->byte_offset + f->byte_length < a)
			continue;
		for (size_t k = 0; k < f->n_fixes; k++) {
			const struct dg_fix *x = &f->fixes[k];
			cJSON *act, *diags;
			char why[256];

			/* offered only when the fixed text parses, loses that finding and gains
			 * no other (what --fix checks) */
			signed char *v = &d->verified[nth + k];
			if (!*v)
				*v = dg_fix_verify(d->cfg, d->cat, d->path, d->text, d->len, &x, 1,
						   why, sizeof(why))
					 ? 1
					 : -1;
			if (*v < 0)
				continue;
			act = cJSON_CreateObject();
			cJSON_AddStringToObject(act, "title", x->description);
			cJSON_AddStringToObject(act, "kind", "quickfix");
			diags = cJSON_AddArrayToObject(act, "diagnostics");
			cJSON_AddItemToArray(diags, diagnostic(d, f));
			if (x->kind == DG_FIX_REWRITE)
				cJSON_AddBoolToObject(act, "isPreferred", true);
			cJSON_AddItemToObject(act, "edit",
					      workspace_edit(srv, d, text_edits(d, x)));
			cJSON_AddItemToArray(actions, act);
		}
		if (srv->create_files && d->local)
			split_action(d, f, actions);
	}
	respond(srv, id, actions);
}

/* ---- dispatch ----------------------------------------------------------------------------- */

static void handle(struct server *srv, const char *body, size_t len)
{
	cJSON *msg = cJSON_ParseWithLength(body, len);
	const cJSON *id, *params;
	const char *method;
	bool request;

	if (!msg) {
		respond_error(srv, NULL, RPC_PARSE_ERROR, "Parse error: the message is not JSON");
		return;
	}
	if (!cJSON_IsObject(msg)) {
		respond_error(srv, NULL, RPC_INVALID_REQUEST,
			      "Invalid request: a message is a JSON object");
		cJSON_Delete(msg);
		return;
	}
	id = cJSON_GetObjectItemCaseSensitive(msg, "id");
	if (id && !cJSON_IsNumber(id) && !cJSON_IsString(id))
		id = NULL;
	request = id != NULL;
	method = str_at(msg, "method");
	params = cJSON_GetObjectItemCaseSensitive(msg, "params");
	if (!method) {
		/* a response to a request of ours (we send none) is dropped */
		if (!cJSON_GetObjectItemCaseSensitive(msg, "result") &&
		    !cJSON_GetObjectItemCaseSensitive(msg, "error"))
			respond_error(srv, id, RPC_INVALID_REQUEST, "Invalid request: no method");
		cJSON_Delete(msg);
		return;
	}
	if (strcmp(method, "exit") == 0) {
		srv->exited = true;
	} else if (!srv->initialized && strcmp(method, "initialize") != 0) {
		if (request)
			respond_error(srv, id, LSP_SERVER_NOT_INITIALIZED, "%s before initialize",
				      method);
	} else if (srv->shut_down) {
		if (request)
			respond_error(srv, id, RPC_INVALID_REQUEST, "%s after shutdown", method);
	} else if (strcmp(method, "initialize") == 0) {
		if (request)
			initialize(srv, id, params);
	} else if (strcmp(method, "shutdown") == 0) {
		srv->shut_down = true;
		if (request)
			respond(srv, id, NULL);
	} else if (request && (!params || !cJSON_IsObject(params)) &&
		   strncmp(method, "textDocument/", 13) == 0) {
		respond_error(srv, id, RPC_INVALID_PARAMS, "%s: params are missing", method);
	} else if (strcmp(method, "textDocument/hover") == 0 && request) {
		hover(srv, id, params);
	} else if (strcmp(method, "textDocument/codeAction") == 0 && request) {
		code_action(srv, id, params);
	} else if (request) {
		respond_error(srv, id, RPC_METHOD_NOT_FOUND, "unknown method %s", method);
	} else if (!cJSON_IsObject(params)) {
		/* a notification without params: nothing to act on */
		if (strncmp(method, "textDocument/", 13) == 0)
			log_warning(srv, "ddlguard: %s without params: ignored", method);
	} else if (strcmp(method, "textDocument/didOpen") == 0) {
		did_open(srv, params);
	} else if (strcmp(method, "textDocument/didChange") == 0) {
		did_change(srv, params);
	} else if (strcmp(method, "textDocument/didSave") == 0) {
		did_save(srv, params);
	} else if (strcmp(method, "textDocument/didClose") == 0) {
		did_close(srv, params);
	}
	/* other notifications ($/cancelRequest, initialized, …): nothing to do */
	cJSON_Delete(msg);
}

int dg_lsp_serve(FILE *in, FILE *out)
{
	struct server srv = {0};
	int rc;

	srv.in = in;
	srv.out = out;
	srv.base = dg_config_new();
	if (!srv.base)
		return 1;
	while (!srv.exited && !srv.write_failed) {
		char *body = NULL;
		size_t len = 0;
		enum dg_lsp_read_status st = dg_lsp_read(in, MAX_MESSAGE, &body, &len);

		if (st == DG_LSP_EOF)
			break;
		if (st == DG_LSP_BAD) {
			respond_error(&srv, NULL, RPC_PARSE_ERROR,
				      "Parse error: a message header without a valid "
				      "Content-Length, or a body over the size limit");
			continue;
		}
		dg_probe_forget(); /* the files around the documents may have changed */
		handle(&srv, body, len);
		free(body);
	}
	rc = srv.exited && srv.shut_down ? 0 : 1;
	for (size_t i = 0; i < srv.n_docs; i++)
		doc_free(srv.docs[i]);
	free(srv.docs);
	dg_config_free(srv.base);
	dg_lint_caches_free(); /* per thread: the server may run on its own thread */
	return rc;
}

/* ---- ddlguard lsp ------------------------------------------------------------------------- */

static const char lsp_usage[] =
    "Usage: ddlguard lsp [--stdio]\n"
    "A language server over standard input and output: editors show ddlguard's\n"
    "findings as diagnostics, the rule's doc on hover, and its fixes as quick fixes.\n"
    "Each document is linted as its file: its .ddlguard.yaml, its migration tool, and\n"
    "the schema the earlier migrations of its directory leave.\n";

struct serve_call {
	int rc;
};

static void *serve_thread(void *arg)
{
	struct serve_call *c = arg;

	c->rc = dg_lsp_serve(stdin, stdout);
	return NULL;
}

int dg_lsp_main(int argc, char **argv)
{
	struct serve_call c = {1};
	pthread_attr_t attr;
	pthread_t t;
	bool started = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stdio") == 0)
			continue;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(lsp_usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("ddlguard %s\n", DG_VERSION);
			return 0;
		}
		fprintf(stderr, "ddlguard lsp: unknown argument '%s'\n%s", argv[i], lsp_usage);
		return 2;
	}
	/* a client gone away is a write error, not a signal */
	signal(SIGPIPE, SIG_IGN);
	/* the parser recurses as deep as a statement nests: the stack ddlguard's CLI runs on */
	if (pthread_attr_init(&attr) == 0) {
		started = pthread_attr_setstacksize(&attr, (size_t)1 << 30) == 0 &&
			  pthread_create(&t, &attr, serve_thread, &c) == 0;
		pthread_attr_destroy(&attr);
	}
	if (!started)
		return dg_lsp_serve(stdin, stdout);
	if (pthread_join(t, NULL) != 0)
		return 1;
	return c.rc;
}
