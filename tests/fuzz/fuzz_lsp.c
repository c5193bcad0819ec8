/* fuzz_lsp.c — the language server (ddlguard lsp) on any bytes, twice: as the stream a client
 * writes after initialize (framing, JSON, methods, params), and as a document's text opened,
 * hovered, edited incrementally and asked for code actions. Every message it writes back must be
 * a Content-Length frame of valid UTF-8 JSON; never a crash, a leak or a hang. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzzkit.h"
#include "lsp/lsp.h"

static void frame(FILE *f, const char *json)
{
	fprintf(f, "Content-Length: %zu\r\n\r\n%s", strlen(json), json);
}

static void frame_json(FILE *f, cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);

	if (!s)
		abort();
	frame(f, s);
	free(s);
	cJSON_Delete(j);
}

/* A request {id, method, params: {textDocument: {uri}, …}} at line:character. */
static void at(FILE *f, int id, const char *method, unsigned line, unsigned character,
	       bool as_range)
{
	char buf[512];

	if (as_range)
		snprintf(
		    buf, sizeof(buf),
		    "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"%s\",\"params\":{\"textDocument\":"
		    "{\"uri\":\"untitled:fuzz.sql\"},\"range\":{\"start\":{\"line\":0,"
		    "\"character\":0},\"end\":{\"line\":%u,\"character\":%u}},\"context\":"
		    "{\"diagnostics\":[]}}}",
		    id, method, line, character);
	else
		snprintf(
		    buf, sizeof(buf),
		    "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"%s\",\"params\":{\"textDocument\":"
		    "{\"uri\":\"untitled:fuzz.sql\"},\"position\":{\"line\":%u,\"character\":%u}}}",
		    id, method, line, character);
	frame(f, buf);
}

/* Every frame the server wrote: a Content-Length header, then that much valid UTF-8 JSON. */
static void check_output(const char *out, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned long n;
		char *end;
		const char *body;

		if (strncmp(out + i, "Content-Length: ", 16) != 0)
			abort();
		n = strtoul(out + i + 16, &end, 10);
		if (strncmp(end, "\r\n\r\n", 4) != 0)
			abort();
		body = end + 4;
		if ((size_t)(body - out) + n > len)
			abort();
		fk_check_utf8("lsp message", body, n);
		fk_check_json("lsp message", body, n);
		i = (size_t)(body - out) + n;
	}
}

static void serve(const char *in, size_t len)
{
	FILE *fi = fmemopen((void *)in, len ? len : 1, "rb"), *fo;
	char *out = NULL;
	size_t olen = 0;

	if (!fi)
		abort();
	if (!len) {
		fclose(fi);
		return;
	}
	fo = open_memstream(&out, &olen);
	if (!fo)
		abort();
	dg_lsp_serve(fi, fo);
	fclose(fi);
	fclose(fo);
	check_output(out, olen);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char init[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
	    "{\"capabilities\":{\"workspace\":{\"workspaceEdit\":{"
	    "\"documentChanges\":true,\"resourceOperations\":[\"create\"]}}}}}";
	static const char bye[] = "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"shutdown\"}";
	static const char leave[] = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}";
	char *s = NULL, *text;
	size_t n = 0;
	FILE *f;
	cJSON *msg, *p, *td, *changes, *ch, *r, *a, *b;
	unsigned h = 0;

	/* the bytes as what the client sends after initialize */
	f = open_memstream(&s, &n);
	if (!f)
		abort();
	frame(f, init);
	fwrite(data, 1, size, f);
	frame(f, bye);
	frame(f, leave);
	fclose(f);
	serve(s, n);
	free(s);

	/* the bytes as a document (up to a NUL), then requests and an edit at places they choose */
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < size; i++)
		h = h * 31 + data[i];
	f = open_memstream(&s, &n);
	if (!f)
		abort();
	frame(f, init);
	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
	cJSON_AddStringToObject(msg, "method", "textDocument/didOpen");
	p = cJSON_AddObjectToObject(msg, "params");
	td = cJSON_AddObjectToObject(p, "textDocument");
	cJSON_AddStringToObject(td, "uri", "untitled:fuzz.sql");
	cJSON_AddStringToObject(td, "languageId", "sql");
	cJSON_AddNumberToObject(td, "version", 1);
	cJSON_AddStringToObject(td, "text", text);
	frame_json(f, msg);
	at(f, 1, "textDocument/hover", h % 7, (h >> 3) % 40, false);
	at(f, 2, "textDocument/codeAction", h % 9, (h >> 5) % 80, true);
	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
	cJSON_AddStringToObject(msg, "method", "textDocument/didChange");
	p = cJSON_AddObjectToObject(msg, "params");
	td = cJSON_AddObjectToObject(p, "textDocument");
	cJSON_AddStringToObject(td, "uri", "untitled:fuzz.sql");
	cJSON_AddNumberToObject(td, "version", 2);
	changes = cJSON_AddArrayToObject(p, "contentChanges");
	ch = cJSON_CreateObject();
	r = cJSON_AddObjectToObject(ch, "range");
	a = cJSON_AddObjectToObject(r, "start");
	cJSON_AddNumberToObject(a, "line", h % 3);
	cJSON_AddNumberToObject(a, "character", (h >> 7) % 30);
	b = cJSON_AddObjectToObject(r, "end");
	cJSON_AddNumberToObject(b, "line", (h >> 2) % 5);
	cJSON_AddNumberToObject(b, "character", (h >> 11) % 30);
	cJSON_AddStringToObject(ch, "text", size > 8 ? text + size / 2 : "\xF0\x9D\x84\x9E;");
	cJSON_AddItemToArray(changes, ch);
	frame_json(f, msg);
	at(f, 3, "textDocument/codeAction", 99, 0, true);
	at(f, 4, "textDocument/hover", (h >> 4) % 5, (h >> 9) % 60, false);
	frame(f, bye);
	frame(f, leave);
	fclose(f);
	serve(s, n);
	free(s);
	free(text);
	return 0;
}
