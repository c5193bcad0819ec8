/* common.c — what several reporters share: flushing the output and saying whether it was all
 * written, the JSON documents' last step, severity words, the state of reporters that keep
 * nothing but their stream, and the escaping of untrusted text (identifiers, source excerpts,
 * file names) so that every output stays valid UTF-8 and no terminal or log sees a raw control
 * character. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "report.h"

int dg_report_flush(FILE *out)
{
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ---- UTF-8 and escaping ------------------------------------------------------------------ */

/* The code point of the well-formed UTF-8 sequence at s (its length in *n), or -1 with *n = 1
 * when the byte there starts none (stray continuation, overlong form, surrogate, > U+10FFFF,
 * truncated). */
static long decode(const unsigned char *s, size_t *n)
{
	unsigned char c = s[0];
	size_t need;
	long cp;

	if (c < 0x80) {
		*n = 1;
		return c;
	}
	*n = 1;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
	} else {
		return -1;
	}
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xC0) != 0x80) /* also stops at the NUL */
			return -1;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*n = need + 1;
	return cp;
}

/* Characters a terminal or a log viewer acts on: C0 controls but the tab, DEL, C1 controls
 * (U+009B is a CSI), the line and paragraph separators and the bidirectional overrides and
 * isolates that reorder what is shown ("Trojan Source"). */
static bool acts(long cp)
{
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
	       cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t dg_text_char(const char *s, char buf[DG_TEXT_CHAR_MAX])
{
	size_t n;
	long cp;

	if (!*s) {
		buf[0] = '\0';
		return 0;
	}
	cp = decode((const unsigned char *)s, &n);
	if (cp < 0)
		snprintf(buf, DG_TEXT_CHAR_MAX, "\\x%02x", (unsigned char)*s);
	else if (cp == '\n')
		strcpy(buf, "\\n");
	else if (cp == '\r')
		strcpy(buf, "\\r");
	else if (cp < 0x80 && acts(cp))
		snprintf(buf, DG_TEXT_CHAR_MAX, "\\x%02x", (unsigned)cp);
	else if (acts(cp))
		snprintf(buf, DG_TEXT_CHAR_MAX, "\\u%04x", (unsigned)cp & 0xFFFFu);
	else {
		memcpy(buf, s, n);
		buf[n] = '\0';
	}
	return n;
}

size_t dg_text_width(const char *s)
{
	char c[DG_TEXT_CHAR_MAX];
	size_t w = 0, n;

	while ((n = dg_text_char(s, c))) {
		s += n;
		w += n == 1 || c[0] == '\\' ? strlen(c) : 1; /* an escape's width is its length */
	}
	return w;
}

void dg_put_text(FILE *out, const char *s)
{
	char c[DG_TEXT_CHAR_MAX];
	size_t n;

	while ((n = dg_text_char(s, c))) {
		fputs(c, out);
		s += n;
	}
}

const char *dg_text(const char *s, char **tmp)
{
	char c[DG_TEXT_CHAR_MAX];
	size_t n, len = 0;
	char *o;
	FILE *m;

	*tmp = NULL;
	for (const char *p = s; (n = dg_text_char(p, c)); p += n)
		if (strlen(c) != n || memcmp(c, p, n) != 0)
			break;
		else
			len += n;
	if (!s[len])
		return s; /* nothing to escape: the usual case costs no copy */
	m = open_memstream(&o, &n);
	if (!m)
		return "(out of memory)";
	dg_put_text(m, s);
	if (fclose(m) != 0)
		return "(out of memory)";
	*tmp = o;
	return o;
}

size_t dg_utf8_seq_len(const char *s)
{
	size_t n;

	return decode((const unsigned char *)s, &n) < 0 ? 0 : n;
}

bool dg_utf8_valid(const char *s)
{
	size_t n;

	for (;;) {
		while ((unsigned char)*s - 1u < 0x7fu)
			s++; /* ASCII, most of every report */
		if (!*s)
			return true;
		if (decode((const unsigned char *)s, &n) < 0)
			return false;
		s += n;
	}
}

char *dg_utf8_repair(const char *s)
{
	size_t len = strlen(s), n, o = 0;
	char *out = malloc(3 * len + 1); /* each bad byte becomes 3 bytes of U+FFFD */

	if (!out)
		return NULL;
	for (; *s; s += n) {
		if (decode((const unsigned char *)s, &n) < 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(out + o, s, n);
			o += n;
		}
	}
	out[o] = '\0';
	return out;
}

void dg_put_xml(FILE *out, const char *s)
{
	size_t n;

	for (; *s; s += n) {
		long cp = decode((const unsigned char *)s, &n);
		switch (cp) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		case '\n':
			fputs("&#10;", out);
			break;
		case '\t':
			fputs("&#9;", out);
			break;
		case '\r':
			fputs("&#13;", out);
			break;
		default:
			if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF)
				fputs("\xEF\xBF\xBD", out); /* not an XML 1.0 Char: U+FFFD */
			else if (acts(cp))
				fprintf(out, cp < 0x80 ? "\\x%02lx" : "\\u%04lx", cp);
			else
				fwrite(s, 1, n, out);
		}
	}
}

/* Every string of a cJSON tree made valid UTF-8 (cJSON copies bytes as they are, and escapes
 * only the C0 controls). */
void dg_json_repair(cJSON *item)
{
	for (; item; item = item->next) {
		if (cJSON_IsString(item) && item->valuestring &&
		    !dg_utf8_valid(item->valuestring)) {
			char *fixed = dg_utf8_repair(item->valuestring);
			char *v = fixed ? cJSON_malloc(strlen(fixed) + 1) : NULL;
			if (v) {
				strcpy(v, fixed);
				cJSON_free(item->valuestring);
				item->valuestring = v;
			}
			free(fixed);
		}
		if (item->string && !(item->type & cJSON_StringIsConst) &&
		    !dg_utf8_valid(item->string)) {
			char *fixed = dg_utf8_repair(item->string);
			char *k = fixed ? cJSON_malloc(strlen(fixed) + 1) : NULL;
			if (k) {
				strcpy(k, fixed);
				cJSON_free(item->string);
				item->string = k;
			}
			free(fixed);
		}
		dg_json_repair(item->child);
	}
}

int dg_report_json_end(FILE *out, struct cJSON *doc, bool pretty)
{
	char *text;
	int rc = -1;

	dg_json_repair(doc);
	text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
	if (text) {
		fputs(text, out);
		fputc('\n', out);
		rc = dg_report_flush(out);
		free(text);
	}
	cJSON_Delete(doc);
	return rc;
}

void dg_json_add_count(cJSON *o, const char *key, unsigned long long v)
{
	char digits[24];

	if (v >= 1000000000000000ULL) { /* past 15 digits cJSON prints an exponent */
		cJSON_AddNumberToObject(o, key, (double)v);
		return;
	}
	snprintf(digits, sizeof(digits), "%llu", v);
	cJSON_AddRawToObject(o, key, digits);
}

void dg_json_add_string_or_null(struct cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

struct cJSON *dg_json_error(const char *path, const char *error)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "path", path);
	cJSON_AddStringToObject(e, "message", error ? error : "cannot read");
	return e;
}

const char *dg_report_level(enum dg_severity s, const char *lowest)
{
	return s == DG_ERROR || s == DG_WARNING ? dg_severity_name(s) : lowest;
}

unsigned dg_report_column(const struct dg_finding *f, enum dg_column_unit unit, bool end)
{
	switch (unit) {
	case DG_COLUMN_BYTE:
		return end ? f->end_byte_column : f->byte_column;
	case DG_COLUMN_DISPLAY:
		return end ? f->end_display_column : f->display_column;
	default:
		return end ? f->end_column : f->column;
	}
}

const char *dg_column_unit_name(enum dg_column_unit unit)
{
	return unit == DG_COLUMN_BYTE ? "byte" : unit == DG_COLUMN_DISPLAY ? "display" : "char";
}

/* Drops "." and "name/.." components of an absolute path, in place. */
static void normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		char *seg;
		size_t n;

		while (*in == '/')
			in++;
		seg = in;
		while (*in && *in != '/')
			in++;
		n = (size_t)(in - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

char *dg_report_repo_path(const char *root, const char *path, bool *inside)
{
	char cwd[4096], *abs;
	size_t rlen;

	if (inside)
		*inside = false;
	while (strncmp(path, "./", 2) == 0)
		path += 2;
	if (!root || (path[0] != '/' && !getcwd(cwd, sizeof(cwd))))
		return strdup(path);
	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		abs = malloc(strlen(cwd) + strlen(path) + 2);
		if (abs)
			sprintf(abs, "%s/%s", cwd, path);
	}
	if (!abs)
		return NULL;
	normalize(abs);
	rlen = strlen(root);
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	if (rlen == 1 && root[0] == '/')
		rlen = 0; /* the root directory itself */
	if (strncmp(abs, root, rlen) == 0 && abs[rlen] == '/' && abs[rlen + 1]) {
		memmove(abs, abs + rlen + 1, strlen(abs + rlen + 1) + 1);
		if (inside)
			*inside = true;
		return abs;
	}
	free(abs);
	return strdup(path);
}

void *dg_report_stream_begin(FILE *out, const struct dg_report_options *opts)
{
	struct dg_stream *s = malloc(sizeof(*s));

	if (s) {
		s->out = out;
		s->opts = *opts;
	}
	return s;
}

int dg_report_stream_end(void *state, const struct dg_report_summary *s)
{
	struct dg_stream *st = state;
	int rc = dg_report_flush(st->out);

	(void)s;
	free(st);
	return rc;
}

const char *dg_fix_kind_name(enum dg_fix_kind k)
{
	return k == DG_FIX_IGNORE ? "ignore" : k == DG_FIX_IGNORE_FILE ? "ignore-file" : "rewrite";
}
