/* test_consistency.c — findings and --locks say the same thing about a statement.
 *
 * For every statement of every fixture (read directory by directory with schema memory, as the
 * command line reads them) and of every tests/pg case (its setup as an earlier migration of the
 * same directory), the file is linted with every rule on and its --locks report computed the same
 * way. For each finding, over the statement it points into:
 *   - every lock-mode phrase of its message must be a mode --locks gives for some relation of that
 *     statement. Phrases are the upper-case mode names, matched longest first at word boundaries
 *     ("SHARE UPDATE EXCLUSIVE" is one phrase, not also "SHARE" and "EXCLUSIVE");
 *   - every word asserting a rewrite ("rewrite", "rewrites", "rewriting", "rewritten") needs a
 *     relation --locks says is rewritten, and every word asserting a scan ("scan", "scans",
 *     "scanning", "scanned") one it says is scanned or rewritten (a rewrite reads every row);
 *     "scans or rewrites" (either word order) is one claim, satisfied by either;
 *   - a negated word ("no rewrite", "does not rewrite", "without a rewrite", "never scans",
 *     "avoids the scan", "skips the scan", "instead of a rewrite", "rather than scanning", "no
 *     longer rewrites", "n't rewrite") claims the opposite: no relation of the statement may be
 *     rewritten (scanned). A negation counts when one of those words stands among the four
 *     words before, in the same clause (a clause ends at . , ; : ( ) or "but");
 *   - a hedged word ("may", "might", "can", "could", "would", "if", "unless", "whether",
 *     "when" among the same four words) claims nothing and is not checked.
 * A disagreement prints the file, position, rule, the message and what --locks gives; the test
 * fails if there is any. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "ddlguard/ddlguard.h"
#include "pg/cases.h"

static int mismatches;
static const struct dg_finding *reported_for; /* the finding being checked (see mismatch) */
static size_t findings_checked, statements_seen;

static const char *const mode_phrases[] = {
    /* longest first */
    "SHARE UPDATE EXCLUSIVE", "SHARE ROW EXCLUSIVE", "ACCESS EXCLUSIVE", "ROW EXCLUSIVE",
    "ACCESS SHARE",	      "ROW SHARE",	     "EXCLUSIVE",	 "SHARE",
};

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* The innermost statement of `rep` that contains byte `off` (a DO block's statement rather than
 * the DO), or NULL. */
static const struct dg_stmt_locks *stmt_at(const struct dg_lock_report *rep, size_t off)
{
	const struct dg_stmt_locks *best = NULL;

	for (size_t i = 0; i < rep->n_stmts; i++)
		if (off >= rep->stmts[i].byte_offset &&
		    off < rep->stmts[i].byte_offset +
			      (rep->stmts[i].byte_length ? rep->stmts[i].byte_length : 1) &&
		    (!best || rep->stmts[i].byte_length < best->byte_length))
			best = &rep->stmts[i];
	return best;
}

static void describe_locks(const struct dg_stmt_locks *sl, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!sl->n_rows)
		snprintf(buf, size, "no relation");
	for (size_t k = 0; k < sl->n_rows && n < size; k++)
		n += (size_t)snprintf(
		    buf + n, size - n, "%s%s %s%s%s", k ? ", " : "", sl->rows[k].relation,
		    sl->rows[k].mode ? sl->rows[k].mode : "no lock",
		    sl->rows[k].rewrite ? " rewrite" : "", sl->rows[k].scan ? " scan" : "");
}

static void mismatch(const char *path, const struct dg_finding *f, const struct dg_stmt_locks *sl,
		     const char *fmt, ...)
{
	static char last_why[256];
	char why[256], locks[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* the same claim twice in one message ("rewrites … are rewritten") is one mismatch */
	if (f == reported_for && strcmp(why, last_why) == 0)
		return;
	reported_for = f;
	snprintf(last_why, sizeof(last_why), "%s", why);
	describe_locks(sl, locks, sizeof(locks));
	print_message("MISMATCH %s:%u:%u %s: %s\n    message: %s\n    --locks: %s\n", path, f->line,
		      f->column, f->rule, why, f->message, locks);
	mismatches++;
}

/* The words before position `at` of `msg`, back to the start of the clause (at most four). */
enum claim { ASSERTS, NEGATES, HEDGED };
static enum claim claim_before(const char *msg, size_t at)
{
	static const char *const negations[] = {"no",	   "not",    "without", "never",
						"avoids",  "avoid",  "skips",	"skip",
						"instead", "rather", "longer",	"nor"};
	static const char *const hedges[] = {"may",   "might",	  "can",    "could",
					     "would", "if",	  "unless", "whether",
					     "when",  "possibly", "perhaps"};
	size_t i = at;

	for (int words = 0; words < 4 && i > 0;) {
		size_t end;
		char w[32];
		size_t len = 0;

		while (i > 0 && !word_char(msg[i - 1]) && !strchr(".,;:()", msg[i - 1]))
			i--;
		if (i == 0 || strchr(".,;:()", msg[i - 1]))
			break;
		end = i;
		while (i > 0 && (word_char(msg[i - 1]) || msg[i - 1] == '\''))
			i--;
		len = end - i < sizeof(w) - 1 ? end - i : sizeof(w) - 1;
		for (size_t k = 0; k < len; k++)
			w[k] = (char)tolower((unsigned char)msg[i + k]);
		w[len] = '\0';
		words++;
		/* English words are lower case (or capitalised at a sentence start); an upper-case
		 * word is SQL ("SET NOT NULL", "IF NOT EXISTS") and negates nothing */
		if (len > 1 && isupper((unsigned char)msg[i + 1]))
			continue;
		if (strcmp(w, "but") == 0)
			break;
		if (len > 3 && strcmp(w + len - 3, "n't") == 0)
			return NEGATES;
		for (size_t k = 0; k < sizeof(negations) / sizeof(*negations); k++)
			if (strcmp(w, negations[k]) == 0)
				return NEGATES;
		for (size_t k = 0; k < sizeof(hedges) / sizeof(*hedges); k++)
			if (strcmp(w, hedges[k]) == 0)
				return HEDGED;
	}
	return ASSERTS;
}

/* Whether msg[at...] starts one of the words (case-insensitive, at a word start and end). */
static size_t word_at(const char *msg, size_t at, const char *const *words, size_t n)
{
	if (at > 0 && word_char(msg[at - 1]))
		return 0;
	for (size_t k = 0; k < n; k++) {
		size_t len = strlen(words[k]);
		if (strncasecmp(msg + at, words[k], len) == 0 && !word_char(msg[at + len]))
			return len;
	}
	return 0;
}

/* Whether `word` (lower case) stands in the sentence of msg[at] before it (a sentence starts
 * after '.' or ':'). */
static bool sentence_has_before(const char *msg, size_t at, const char *word)
{
	size_t start = at, n = strlen(word);

	while (start > 0 && msg[start - 1] != '.' && msg[start - 1] != ':')
		start--;
	for (size_t i = start; i + n <= at; i++)
		if ((i == 0 || !word_char(msg[i - 1])) && strncmp(msg + i, word, n) == 0 &&
		    !word_char(msg[i + n]))
			return true;
	return false;
}

/* Whether `word` (lower case) stands anywhere in the sentence of msg[at]. */
static bool sentence_has(const char *msg, size_t at, const char *word)
{
	size_t end = at;

	while (msg[end] && msg[end] != '.' && msg[end] != ':')
		end++;
	return sentence_has_before(msg, end, word);
}

static const char *const rewrite_words[] = {"rewrites", "rewriting", "rewritten", "rewrite"};
static const char *const scan_words[] = {"scans", "scanning", "scanned", "scan"};

static size_t about_later; /* claims skipped: about a later statement */

/* `earlier`: the statements of the file before this one (n_earlier of them). */
static void check_finding(const char *path, const struct dg_finding *f,
			  const struct dg_stmt_locks *sl, const struct dg_stmt_locks *earlier,
			  size_t n_earlier)
{
	const char *msg = f->message;
	bool any_rewrite = false, any_scan = false;

	for (size_t k = 0; k < sl->n_rows; k++) {
		any_rewrite |= sl->rows[k].rewrite;
		any_scan |= sl->rows[k].scan || sl->rows[k].rewrite;
	}
	findings_checked++;
	reported_for = NULL;
	for (size_t i = 0; msg[i];) {
		size_t len = 0;
		bool is_rewrite = false;

		/* a lock mode, upper case as the messages write them */
		if (i == 0 || !word_char(msg[i - 1])) {
			for (size_t k = 0; k < sizeof(mode_phrases) / sizeof(*mode_phrases); k++) {
				size_t n = strlen(mode_phrases[k]);
				if (strncmp(msg + i, mode_phrases[k], n) == 0 &&
				    !word_char(msg[i + n])) {
					bool found = false;
					/* "took": the lock of an earlier statement */
					bool past = sentence_has(msg, i, "took");
					size_t first = past ? 0 : n_earlier;
					for (size_t e = first; e <= n_earlier && !found; e++) {
						const struct dg_stmt_locks *s =
						    e < n_earlier ? &earlier[e] : sl;
						for (size_t r = 0; r < s->n_rows; r++)
							if (s->rows[r].mode &&
							    strcmp(s->rows[r].mode,
								   mode_phrases[k]) == 0)
								found = true;
					}
					if (sentence_has_before(msg, i, "later")) {
						about_later++;
						found = true;
					}
					if (!found)
						mismatch(
						    path, f, sl,
						    "the message names %s, --locks gives it to "
						    "no relation",
						    mode_phrases[k]);
					len = n;
					break;
				}
			}
		}
		if (len) {
			i += len;
			continue;
		}
		if ((len = word_at(msg, i, rewrite_words, 4)))
			is_rewrite = true;
		else if (!(len = word_at(msg, i, scan_words, 4))) {
			i++;
			continue;
		}
		if (sentence_has_before(msg, i, "later")) {
			about_later++;
			i += len;
			continue;
		}
		{
			enum claim c = claim_before(msg, i);
			/* "scans or rewrites" / "rewrite or scan": one claim, either satisfies */
			size_t j = i + len, other = 0;
			bool pair = false;
			if (strncasecmp(msg + j, " or ", 4) == 0)
				other = is_rewrite ? word_at(msg, j + 4, scan_words, 4)
						   : word_at(msg, j + 4, rewrite_words, 4);
			if (other) {
				pair = true;
				len = j + 4 + other - i;
			}
			if (c == ASSERTS) {
				bool ok = pair ? any_scan : is_rewrite ? any_rewrite : any_scan;
				if (!ok)
					mismatch(path, f, sl,
						 "the message says it %s, --locks says %s",
						 pair	      ? "scans or rewrites"
						 : is_rewrite ? "rewrites"
							      : "scans",
						 pair || !is_rewrite ? "no scan and no rewrite"
								     : "no rewrite");
			} else if (c == NEGATES) {
				bool bad = pair ? any_scan : is_rewrite ? any_rewrite : any_scan;
				if (bad)
					mismatch(
					    path, f, sl,
					    "the message denies a %s, --locks says there is one",
					    pair	 ? "scan or rewrite"
					    : is_rewrite ? "rewrite"
							 : "scan");
			}
		}
		i += len;
	}
}

/* Lints `buf` and computes its --locks the same way (both with or without schema memory), then
 * checks every finding of the statements from byte `from` on. */
static void check_file(const struct dg_config *cfg, struct dg_catalog *lint_cat,
		       struct dg_catalog *lock_cat, const char *path, const char *buf, size_t len,
		       size_t from)
{
	struct dg_result res;
	struct dg_lock_report rep;

	assert_int_equal(dg_lint_buffer_with(cfg, lint_cat, path, buf, len, &res), DG_OK);
	assert_int_equal(dg_locks_buffer_with(cfg, lock_cat, path, buf, len, &rep), DG_OK);
	for (size_t i = 0; i < rep.n_stmts; i++)
		if (rep.stmts[i].byte_offset >= from)
			statements_seen++;
	for (size_t i = 0; i < res.n_findings; i++) {
		const struct dg_finding *f = &res.findings[i];
		const struct dg_stmt_locks *sl;
		if (f->byte_offset < from || !(sl = stmt_at(&rep, f->byte_offset)))
			continue;
		check_finding(path, f, sl, rep.stmts, (size_t)(sl - rep.stmts));
	}
	dg_result_clear(&res);
	dg_lock_report_clear(&rep);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

/* The matcher itself, on messages written for it. */
static void test_matcher(void **state)
{
	struct dg_lock_row rows[1] = {
	    {(char *)"t", "table", "SHARE", 5, false, true, false, true, NULL}};
	struct dg_stmt_locks sl = {0};
	struct dg_finding f = {0};
	static const struct {
		const char *message;
		int mismatches;
	} cases_m[] = {
	    {"takes SHARE on t and scans it", 0},
	    {"takes SHARE UPDATE EXCLUSIVE", 1}, /* one phrase, not also SHARE */
	    {"takes ACCESS EXCLUSIVE and SHARE", 1},
	    {"rewrites the table", 1},
	    {"does not rewrite the table", 0},
	    {"without a table rewrite, but scans it", 0},
	    {"no scan", 1},
	    {"may rewrite the table", 0},
	    {"(this statement scans or rewrites the table)", 0},
	    {"the rewrite of t", 1},
	    {"SHAREHOLDER", 0},
	    {"the scan, but a rewrite", 1},
	    {"SET NOT NULL on \"c\" scans t", 0}, /* NOT is SQL, not a negation */
	    {"No rewrite, no scan", 1},
	    {"widening it later rewrites the table under ACCESS EXCLUSIVE", 0},
	    {"the ACCESS EXCLUSIVE lock an earlier statement took", 1}, /* none earlier */
	};
	(void)state;
	sl.rows = rows;
	sl.n_rows = 1;
	f.rule = "test";
	for (size_t i = 0; i < sizeof(cases_m) / sizeof(*cases_m); i++) {
		int before = mismatches;
		f.message = (char *)cases_m[i].message;
		check_finding("matcher", &f, &sl, NULL, 0);
		if (mismatches - before != cases_m[i].mismatches)
			fail_msg("\"%s\": %d mismatch(es), expected %d", cases_m[i].message,
				 mismatches - before, cases_m[i].mismatches);
		mismatches = before;
	}
}

static void test_fixtures(void **state)
{
	struct dg_path_list files = {0}, errors = {0};
	struct dg_config *cfg = dg_config_new();
	struct dg_catalog *lint_cat = dg_catalog_new(), *lock_cat = dg_catalog_new();

	(void)state;
	mismatches = 0;
	findings_checked = statements_seen = about_later = 0;
	dg_collect_paths(DG_FIXTURES, &files, &errors);
	assert_true(files.n > 100);
	for (size_t i = 0; i < files.n; i++) {
		size_t len = 0;
		char *buf = slurp(files.items[i], &len);
		assert_non_null(buf);
		check_file(cfg, lint_cat, lock_cat, files.items[i], buf, len, 0);
		free(buf);
	}
	print_message(
	    "fixtures: %zu files, %zu statements, %zu findings checked, %zu claim(s) about "
	    "a later statement skipped, %d mismatch(es)\n",
	    files.n, statements_seen, findings_checked, about_later, mismatches);
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
	dg_catalog_free(lint_cat);
	dg_catalog_free(lock_cat);
	dg_config_free(cfg);
	assert_true(findings_checked > 100);
	assert_int_equal(mismatches, 0);
}

/* Each tests/pg case as the pg test's "memory" reading: the setup as an earlier migration. */
static void test_pg_cases(void **state)
{
	(void)state;
	mismatches = 0;
	findings_checked = statements_seen = about_later = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct tcase *tc = &cases[i];
		struct dg_config *cfg = dg_config_new();
		struct dg_catalog *lint_cat = dg_catalog_new(), *lock_cat = dg_catalog_new();
		const char *setup = tc->setup ? tc->setup : "";
		bool here = (tc->flags & SETUP_HERE) != 0;
		char path[64], *file;
		size_t from;

		dg_config_set_assume_in_transaction(cfg, !(tc->flags & (NO_TX | AUTOCOMMIT)));
		file = malloc(strlen(base_setup) + strlen(setup) + strlen(tc->sql) + 8);
		sprintf(file, "%s%s\n", base_setup, here ? "" : setup);
		snprintf(path, sizeof(path), "case%zu/001_setup.sql", i);
		check_file(cfg, lint_cat, lock_cat, path, file, strlen(file), strlen(file));
		sprintf(file, "%s\n", here ? setup : "");
		from = strlen(file);
		strcat(file, tc->sql);
		strcat(file, ";\n");
		snprintf(path, sizeof(path), "case%zu/002_case.sql", i);
		check_file(cfg, lint_cat, lock_cat, path, file, strlen(file), from);
		free(file);
		dg_catalog_free(lint_cat);
		dg_catalog_free(lock_cat);
		dg_config_free(cfg);
	}
	print_message("tests/pg cases: %zu statements, %zu findings checked, %zu claim(s) about a "
		      "later statement skipped, %d mismatch(es)\n",
		      statements_seen, findings_checked, about_later, mismatches);
	assert_true(findings_checked > 50);
	assert_int_equal(mismatches, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matcher),
	    cmocka_unit_test(test_fixtures),
	    cmocka_unit_test(test_pg_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
