/* fingerprint.c — FNV-1a over normalized SQL text (see fingerprint.h). */
#include "fingerprint.h"

#include <stdbool.h>

#include "lex.h"

uint64_t dg_fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

uint64_t dg_hash_normalized(uint64_t h, const char *s, size_t start, size_t end)
{
	size_t i = start;
	bool first = true;

	for (;;) {
		size_t t;
		i = dg_skip_trivia(s, i, end);
		if (i >= end)
			break;
		t = dg_token_end(s, i, end);
		if (t > end)
			t = end;
		if (t <= i)
			t = i + 1;
		if (!first)
			h = dg_fnv1a(h, " ", 1);
		h = dg_fnv1a(h, s + i, t - i);
		first = false;
		i = t;
	}
	return h;
}
