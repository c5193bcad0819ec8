/* closest.c — "did you mean": the candidate name nearest to a mistyped one (edit distance), for
 * the configuration file and the command line alike. */
#include "closest.h"

#include <stdlib.h>
#include <string.h>

static size_t levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), *row = malloc((lb + 1) * sizeof(size_t)), d;

	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *dg_closest_name(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(name);

	for (size_t i = 0; i < n; i++) {
		size_t d = levenshtein(name, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best && best_d <= (len > 6 ? len / 2 : 3) ? best : NULL;
}
