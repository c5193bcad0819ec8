/* rpc.c — JSON-RPC framing of the language server protocol: "Content-Length: N" headers, an
 * empty line, N bytes of JSON. A broken header is skipped, never fatal. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "lsp/lsp.h"

/* One header line without its line ending into buf (cut at size - 1); false at the end of the
 * input before any byte of it. */
static bool read_line(FILE *in, char *buf, size_t size, bool *cut)
{
	size_t n = 0;
	int c;
	bool any = false;

	*cut = false;
	while ((c = getc(in)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = (char)c;
		else
			*cut = true;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return any;
}

enum dg_lsp_read_status dg_lsp_read(FILE *in, size_t limit, char **body, size_t *len)
{
	char line[1024];
	bool have_length = false, cut, started = false;
	unsigned long long length = 0;
	char *b;

	*body = NULL;
	*len = 0;
	for (;;) {
		if (!read_line(in, line, sizeof(line), &cut))
			return started ? DG_LSP_BAD : DG_LSP_EOF;
		if (!line[0]) {
			if (!started)
				continue; /* blank lines between messages */
			break;
		}
		started = true;
		if (strncasecmp(line, "Content-Length:", 15) == 0 && !cut) {
			char *p = line + 15, *end;
			while (*p == ' ' || *p == '\t')
				p++;
			length = strtoull(p, &end, 10);
			while (*end == ' ' || *end == '\t')
				end++;
			have_length = end != p && !*end && *p != '-';
		}
		/* Content-Type, other headers, junk: nothing to act on; without a valid
		 * Content-Length the message is refused below */
	}
	if (!have_length)
		return DG_LSP_BAD;
	if (length > limit) {
		/* drop the body so that the next message is read from its start */
		for (unsigned long long i = 0; i < length; i++)
			if (getc(in) == EOF)
				break;
		return DG_LSP_BAD;
	}
	b = dg_xmalloc((size_t)length + 1);
	if (fread(b, 1, (size_t)length, in) != (size_t)length) {
		free(b);
		return DG_LSP_EOF;
	}
	b[length] = '\0';
	*body = b;
	*len = (size_t)length;
	return DG_LSP_MESSAGE;
}

int dg_lsp_write(FILE *out, const char *json, size_t len)
{
	if (fprintf(out, "Content-Length: %zu\r\n\r\n", len) < 0 ||
	    fwrite(json, 1, len, out) != len || fflush(out) != 0)
		return -1;
	return 0;
}
