/* spool.c — report parts kept on disk until the report's end (see report.h).
 *
 * A JSON report's counts come before its lists, so the lists wait: each element is printed
 * as soon as its file is done, inside as many one-element arrays as there are containers
 * around it in the document (cJSON indents by depth), and the wrapping brackets are cut off;
 * elements are joined as cJSON joins them (", " pretty, "," compact). At the end the document
 * is printed with a marker string in each list, and each marker is replaced by the spooled
 * elements: the same bytes as printing the whole tree, without ever holding it. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "report.h"

#define DG_SPOOL_BUFFER 65536

int dg_spool_open(struct dg_spool *s)
{
	memset(s, 0, sizeof(*s));
	s->f = tmpfile();
	if (s->f && fileno(s->f) <= STDERR_FILENO) {
		/* a closed standard stream's number: keep it closed (reading - must fail) */
		int fd = fcntl(fileno(s->f), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		fclose(s->f);
		s->f = fd >= 0 ? fdopen(fd, "w+") : NULL;
		if (!s->f && fd >= 0)
			close(fd);
	}
	if (!s->f) {
		s->mem = true;
		s->f = open_memstream(&s->buf, &s->len);
	} else if ((s->vbuf = malloc(DG_SPOOL_BUFFER))) {
		/* a report of 10 MB went out in 4 kB writes (glibc sizes a buffer it makes itself
		 * by the file system's block) */
		(void)setvbuf(s->f, s->vbuf, _IOFBF, DG_SPOOL_BUFFER);
	}
	return s->f ? 0 : -1;
}

void dg_spool_close(struct dg_spool *s)
{
	if (s->f)
		fclose(s->f);
	free(s->vbuf);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

int dg_spool_copy(struct dg_spool *s, FILE *out)
{
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!s->f)
		return -1;
	if (fflush(s->f) != 0 || ferror(s->f))
		rc = -1;
	if (s->mem) {
		if (s->len && fwrite(s->buf, 1, s->len, out) != s->len)
			rc = -1;
	} else {
		rewind(s->f);
		while ((n = fread(chunk, 1, sizeof(chunk), s->f)) > 0)
			if (fwrite(chunk, 1, n, out) != n)
				rc = -1;
		if (ferror(s->f))
			rc = -1;
	}
	dg_spool_close(s);
	return rc;
}

int dg_json_spool_open(struct dg_json_spool *js, int depth, bool pretty)
{
	static unsigned serial;

	js->n = 0;
	js->depth = depth;
	js->pretty = pretty;
	/* a string no report holds: a control character starts it */
	snprintf(js->marker, sizeof(js->marker), "\x01spool %u", serial++);
	return dg_spool_open(&js->s);
}

void dg_json_spool_add(struct dg_json_spool *js, cJSON *item)
{
	cJSON *wrap = item;
	char *text;
	size_t len;

	for (int d = 0; d < js->depth; d++) {
		cJSON *a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, wrap);
		wrap = a;
	}
	dg_json_repair(wrap);
	text = js->pretty ? cJSON_Print(wrap) : cJSON_PrintUnformatted(wrap);
	cJSON_Delete(wrap);
	if (!text) {
		dg_out_of_memory();
		return;
	}
	len = strlen(text);
	if (js->s.f && len >= 2 * (size_t)js->depth) {
		if (js->n++)
			fputs(js->pretty ? ", " : ",", js->s.f);
		fwrite(text + js->depth, 1, len - 2 * (size_t)js->depth, js->s.f);
	}
	free(text);
}

FILE *dg_json_spool_next(struct dg_json_spool *js)
{
	if (!js->s.f)
		return NULL;
	if (js->n++)
		fputs(js->pretty ? ", " : ",", js->s.f);
	return js->s.f;
}

cJSON *dg_json_spool_hole(struct dg_json_spool *js)
{
	cJSON *a = cJSON_CreateArray();

	cJSON_AddItemToArray(a, cJSON_CreateString(js->marker));
	return a;
}

struct hole {
	const char *at;
	size_t len;
	struct dg_json_spool *js;
};

static int cmp_hole(const void *a, const void *b)
{
	const struct hole *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

int dg_report_json_end_spooled(FILE *out, cJSON *doc, bool pretty,
			       struct dg_json_spool *const *spools, size_t n)
{
	char *text;
	struct hole *holes;
	const char *p;
	size_t k = 0;
	int rc = 0;

	dg_json_repair(doc);
	text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	holes = calloc(n ? n : 1, sizeof(*holes));
	if (!text || !holes) {
		free(text);
		free(holes);
		for (size_t i = 0; i < n; i++)
			dg_spool_close(&spools[i]->s);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char quoted[48];
		/* cJSON writes the control character as \u0001 */
		snprintf(quoted, sizeof(quoted), "\"\\u0001%s\"", spools[i]->marker + 1);
		p = strstr(text, quoted);
		if (p)
			holes[k++] = (struct hole){p, strlen(quoted), spools[i]};
		else
			dg_spool_close(&spools[i]->s); /* not in the document: no place to go */
	}
	qsort(holes, k, sizeof(*holes), cmp_hole);
	p = text;
	for (size_t i = 0; i < k; i++) {
		fwrite(p, 1, (size_t)(holes[i].at - p), out);
		if (dg_spool_copy(&holes[i].js->s, out) != 0)
			rc = -1;
		p = holes[i].at + holes[i].len;
	}
	fputs(p, out);
	fputc('\n', out);
	free(text);
	free(holes);
	if (dg_report_flush(out) != 0)
		rc = -1;
	return rc;
}
