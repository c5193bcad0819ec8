/* lex.c — trivia and token boundaries with PostgreSQL's quoting rules (nested block comments,
 * '' and E'' strings, "identifiers", $tag$ bodies). Anything more goes through libpg_query. */
#include "lex.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Byte classes in the C locale (the tool never sets another): isspace, and identifier bytes
 * (isalnum, '_'; and every byte of a multibyte character, >= 0x80). A table: these run over every
 * byte of every statement. */
enum { SPACE = 1, IDENT = 2 };
static const unsigned char byte_class[256] = {
    ['\t'] = SPACE, ['\n'] = SPACE, ['\v'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE, [' '] = SPACE,
    ['0'] = IDENT,  ['1'] = IDENT,  ['2'] = IDENT,  ['3'] = IDENT,  ['4'] = IDENT,  ['5'] = IDENT,
    ['6'] = IDENT,  ['7'] = IDENT,  ['8'] = IDENT,  ['9'] = IDENT,  ['_'] = IDENT,  ['a'] = IDENT,
    ['b'] = IDENT,  ['c'] = IDENT,  ['d'] = IDENT,  ['e'] = IDENT,  ['f'] = IDENT,  ['g'] = IDENT,
    ['h'] = IDENT,  ['i'] = IDENT,  ['j'] = IDENT,  ['k'] = IDENT,  ['l'] = IDENT,  ['m'] = IDENT,
    ['n'] = IDENT,  ['o'] = IDENT,  ['p'] = IDENT,  ['q'] = IDENT,  ['r'] = IDENT,  ['s'] = IDENT,
    ['t'] = IDENT,  ['u'] = IDENT,  ['v'] = IDENT,  ['w'] = IDENT,  ['x'] = IDENT,  ['y'] = IDENT,
    ['z'] = IDENT,  ['A'] = IDENT,  ['B'] = IDENT,  ['C'] = IDENT,  ['D'] = IDENT,  ['E'] = IDENT,
    ['F'] = IDENT,  ['G'] = IDENT,  ['H'] = IDENT,  ['I'] = IDENT,  ['J'] = IDENT,  ['K'] = IDENT,
    ['L'] = IDENT,  ['M'] = IDENT,  ['N'] = IDENT,  ['O'] = IDENT,  ['P'] = IDENT,  ['Q'] = IDENT,
    ['R'] = IDENT,  ['S'] = IDENT,  ['T'] = IDENT,  ['U'] = IDENT,  ['V'] = IDENT,  ['W'] = IDENT,
    ['X'] = IDENT,  ['Y'] = IDENT,  ['Z'] = IDENT,
};

static bool space_byte(unsigned char c)
{
	return byte_class[c] & SPACE;
}

static bool ident_char(unsigned char c)
{
	return c >= 0x80 || (byte_class[c] & IDENT);
}

size_t dg_skip_trivia(const char *s, size_t i, size_t n)
{
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (space_byte(c)) {
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
	size_t last = i, e = n, line = n;

	/* Trailing trivia is whitespace, "--" comments and block comments. When the line of the
	 * last non-blank byte holds no "--" and that byte does not end a "*\/", it ends the last
	 * token: no need to read the statement from its start. */
	while (e > i && space_byte((unsigned char)s[e - 1]))
		e--;
	for (line = e; line > i && s[line - 1] != '\n';)
		line--;
	if (e > i && s[e - 1] != '/') {
		bool dashes = false;
		for (size_t k = line; k + 1 < e && !dashes; k++)
			dashes = s[k] == '-' && s[k + 1] == '-';
		if (!dashes)
			return e;
	}
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

bool dg_holds_ci(const char *buf, size_t len, const char *word)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones << 7, fold = ones * 0x20;
	/* compared as the text is, with 0x20 set: a candidate, which strncasecmp then decides */
	const unsigned char c1 = (unsigned char)(word[0] | 0x20),
			    c2 = (unsigned char)(word[0] ? word[1] | 0x20 : 0);
	const uint64_t first = ones * c1, second = ones * c2;
	size_t n = strlen(word), k = 0;

#ifdef __SSE2__
	/* sixteen starts at a time where SSE2 is: the candidates where both letters are */
	if (n >= 2) {
		const __m128i f1 = _mm_set1_epi8((char)c1), f2 = _mm_set1_epi8((char)c2),
			      lower = _mm_set1_epi8(0x20);
		for (; k + 17 <= len; k += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(buf + k)),
				y = _mm_loadu_si128((const __m128i *)(const void *)(buf + k + 1));
			unsigned m = (unsigned)_mm_movemask_epi8(
			    _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(x, lower), f1),
					  _mm_cmpeq_epi8(_mm_or_si128(y, lower), f2)));
			for (; m; m &= m - 1) {
				size_t at = k + (unsigned)__builtin_ctz(m);
				if (at + n <= len && strncasecmp(buf + at, word, n) == 0)
					return true;
			}
		}
	}
#endif
	while (k + n <= len) {
		if (n >= 2 && k + 9 <= len) {
			/* eight starts at a time: none where the first two letters are (a letter
			 * alone, 's' of "stdin", is in most eight bytes of SQL). A flag may be
			 * false, above a true one, but no true one is missed. */
			uint64_t x, y;
			memcpy(&x, buf + k, 8);
			memcpy(&y, buf + k + 1, 8);
			x = (x | fold) ^ first;
			y = (y | fold) ^ second;
			if (!((x - ones) & ~x & (y - ones) & ~y & high)) {
				k += 8;
				continue;
			}
		}
		if ((unsigned char)(buf[k] | 0x20) == c1 && strncasecmp(buf + k, word, n) == 0)
			return true;
		k++;
	}
	return false;
}
