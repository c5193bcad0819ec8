/* lex.c — trivia and token boundaries with PostgreSQL's quoting rules (nested block comments,
 * '' and E'' strings, "identifiers", $tag$ bodies). Anything more goes through libpg_query. */
#include "lex.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

size_t dg_skip_trivia(const char *s, size_t i, size_t n)
{
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			i++;
		} else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
			while (i < n && s[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			int depth = 1;
			i += 2;
			while (i < n && depth > 0) {
				if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
					depth++;
					i += 2;
				} else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
					depth--;
					i += 2;
				} else {
					i++;
				}
			}
		} else {
			break;
		}
	}
	return i;
}

static bool ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* From just after an opening quote `q`: the offset past the closing one, or n. A doubled `q` is
 * one inside; with `backslash` (E'' strings), a backslash escapes the next byte. */
static size_t skip_quoted(const char *s, size_t i, size_t n, char q, bool backslash)
{
	while (i < n) {
		if (backslash && s[i] == '\\' && i + 1 < n) {
			i += 2;
		} else if (s[i] == q) {
			if (i + 1 < n && s[i + 1] == q)
				i += 2;
			else
				return i + 1;
		} else {
			i++;
		}
	}
	return n;
}

size_t dg_token_end(const char *s, size_t i, size_t n)
{
	unsigned char c = (unsigned char)s[i];

	if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && s[i + 1] == '\'')) {
		bool backslash = c != '\'';
		return skip_quoted(s, i + (backslash ? 2 : 1), n, '\'', backslash);
	}
	if (c == '"')
		return skip_quoted(s, i + 1, n, '"', false);
	if (c == '$' && i + 1 < n && !isdigit((unsigned char)s[i + 1])) {
		size_t t = i + 1;
		while (t < n && ident_char((unsigned char)s[t]) && s[t] != '$')
			t++;
		if (t < n && s[t] == '$') {
			size_t taglen = t + 1 - i;
			for (size_t k = t + 1; k + taglen <= n; k++)
				if (s[k] == '$' && memcmp(s + k, s + i, taglen) == 0)
					return k + taglen;
			return n;
		}
	}
	if (ident_char(c)) {
		while (i < n && (ident_char((unsigned char)s[i]) || s[i] == '$'))
			i++;
		return i;
	}
	return i + 1;
}

size_t dg_last_token_end(const char *s, size_t i, size_t n)
{
	size_t last = i;

	for (;;) {
		i = dg_skip_trivia(s, i, n);
		if (i >= n)
			return last;
		i = dg_token_end(s, i, n);
		last = i;
	}
}

size_t dg_clause_end(const char *s, size_t i, size_t n)
{
	size_t last = i;
	int depth = 0;

	for (;;) {
		i = dg_skip_trivia(s, i, n);
		if (i >= n)
			return last;
		char c = s[i];
		if (c == ';' || (depth == 0 && (c == ',' || c == ')' || c == ']')))
			return last;
		if (c == '(' || c == '[')
			depth++;
		else if (c == ')' || c == ']')
			depth--;
		i = dg_token_end(s, i, n);
		last = i;
	}
}
