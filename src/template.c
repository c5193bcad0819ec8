/* template.c — renders a templated statement with stand-ins of the same byte length, so that the
 * parser can read it and every offset in it is still the file's. */
#include "template.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lex.h"

static bool ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* End of the marker that opens at s[i] ("{{", "{%", "{#", "${"), or 0 when none opens there. */
static size_t marker_end(const char *s, size_t i, size_t to)
{
	const char *close;
	size_t cl;

	if (i + 1 >= to)
		return 0;
	if (s[i] == '{' && s[i + 1] == '{')
		close = "}}";
	else if (s[i] == '{' && s[i + 1] == '%')
		close = "%}";
	else if (s[i] == '{' && s[i + 1] == '#')
		close = "#}";
	else if (s[i] == '$' && s[i + 1] == '{')
		close = "}";
	else
		return 0;
	cl = strlen(close);
	for (size_t e = i + 2; e + cl <= to; e++)
		if (memcmp(s + e, close, cl) == 0)
			return e + cl;
	return 0;
}

/* Go's actions that yield no text: control structure and comments. */
static bool go_control(const char *s, size_t i, size_t e)
{
	static const char *const words[] = {"if",    "else",	 "end",	  "range",
					    "with",  "define",	 "block", "template",
					    "break", "continue", NULL};
	size_t k = i + 2;

	if (k < e && s[k] == '-')
		k++;
	while (k < e && isspace((unsigned char)s[k]))
		k++;
	if (k + 1 < e && s[k] == '/' && s[k + 1] == '*')
		return true;
	for (size_t w = 0; words[w]; w++) {
		size_t n = strlen(words[w]);
		if (k + n <= e && memcmp(s + k, words[w], n) == 0 &&
		    (k + n == e || !ident_char((unsigned char)s[k + n])))
			return true;
	}
	return false;
}

/* "tpl" and letters from the marker's hash: the same marker gets the same name. */
static void stand_in(char *out, const char *marker, size_t mlen, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t k = 0; k < mlen; k++)
		h = (h ^ (unsigned char)marker[k]) * 1099511628211ull;
	for (size_t k = 0; k < len; k++) {
		if (k < 3) {
			out[k] = "tpl"[k];
			continue;
		}
		out[k] = (char)('a' + h % 26);
		h = h / 26 ? h / 26 : (h ^ 0x9e3779b97f4a7c15ull) * 1099511628211ull;
	}
}

static void note(struct dg_rendered *r, const char *buf, size_t at, size_t len, const char *kind)
{
	if (r->count++)
		return;
	r->at = at;
	r->len = len;
	r->kind = kind;
	snprintf(r->first, sizeof(r->first), "%.*s%s", (int)(len > 40 ? 40 : len), buf + at,
		 len > 40 ? "…" : "");
	snprintf(r->stand_in, sizeof(r->stand_in), "%.*s", (int)(len > 40 ? 40 : len),
		 buf + at); /* overwritten by the caller once rendered */
}

/* Renders the {{ }}-style marker [i, e): blanks or an identifier. */
static void render_action(char *buf, size_t i, size_t e, struct dg_rendered *r)
{
	bool blank =
	    buf[i + 1] == '%' || buf[i + 1] == '#' || (buf[i + 1] == '{' && go_control(buf, i, e));
	bool first = r->count == 0;

	note(r, buf, i, e - i, buf[i] == '$' ? "a placeholder" : "a template action");
	if (blank) {
		for (size_t k = i; k < e; k++)
			if (buf[k] != '\n')
				buf[k] = ' ';
	} else {
		char tmp[4096];
		size_t n = e - i;
		if (n > sizeof(tmp))
			n = sizeof(tmp);
		stand_in(tmp, buf + i, n, n);
		for (size_t k = 0; k < n; k++)
			buf[i + k] = tmp[k];
		for (size_t k = i + n; k < e; k++)
			buf[k] = 'x';
	}
	if (first)
		snprintf(r->stand_in, sizeof(r->stand_in), "%.*s",
			 blank ? 0 : (int)(e - i > 40 ? 40 : e - i), buf + i);
}

size_t dg_template_render(char *buf, size_t from, size_t to, struct dg_rendered *r)
{
	size_t i = from;
	int brackets = 0;

	memset(r, 0, sizeof(*r));
	for (;;) {
		size_t e;
		i = dg_skip_trivia(buf, i, to);
		if (i >= to)
			return r->count;
		if ((e = marker_end(buf, i, to))) {
			render_action(buf, i, e, r);
			continue; /* lexed again: now a name or blanks */
		}
		if (buf[i] == '"') {
			/* a template action inside a quoted identifier may hold quotes itself */
			size_t t = dg_token_end(buf, i, to), m;
			for (m = i + 1; m < t; m++)
				if ((e = marker_end(buf, m, to)))
					break;
			if (m < t) {
				render_action(buf, m, e, r);
				continue;
			}
			i = t;
			continue;
		}
		if (buf[i] == ':' && i + 1 < to && buf[i + 1] == ':') {
			i += 2;
			continue;
		}
		if (buf[i] == ':' && brackets == 0 && i + 1 < to &&
		    (buf[i + 1] == '\'' || buf[i + 1] == '"' ||
		     isalpha((unsigned char)buf[i + 1]) || buf[i + 1] == '_')) {
			/* psql's :name, :'name' (a string), :"name" (an identifier); Graphile
			 * Migrate's :NAME placeholders */
			char q = buf[i + 1] == '\'' || buf[i + 1] == '"' ? buf[i + 1] : 0;
			size_t end =
			    q ? dg_token_end(buf, i + 1, to) : dg_token_end(buf, i + 1, to);
			bool upper = !q;
			char tmp[256];
			size_t n = end - i;
			bool first = r->count == 0;
			for (size_t k = i + 1; k < end && upper; k++)
				upper = !islower((unsigned char)buf[k]);
			if (n < 2 || n > sizeof(tmp) || (q && (n < 4 || buf[end - 1] != q))) {
				i = end > i ? end : i + 1;
				continue;
			}
			note(r, buf, i, n, upper ? "a placeholder" : "a psql variable");
			if (q) {
				tmp[0] = q;
				stand_in(tmp + 1, buf + i, n, n - 2);
				tmp[n - 1] = q;
			} else {
				stand_in(tmp, buf + i, n, n);
			}
			memcpy(buf + i, tmp, n);
			if (first)
				snprintf(r->stand_in, sizeof(r->stand_in), "%.*s",
					 (int)(n > 40 ? 40 : n), buf + i);
			i = end;
			continue;
		}
		if (buf[i] == '[')
			brackets++;
		else if (buf[i] == ']' && brackets > 0)
			brackets--;
		i = dg_token_end(buf, i, to);
	}
}
