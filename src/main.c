/* main.c — the ddlguard command line: options, files, one reporter, the exit code. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ddlguard/ddlguard.h"
#include "report/report.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

static const char usage[] =
	"Usage: ddlguard [OPTIONS] PATH...\n"
	"Audit PostgreSQL schema migrations for locks, rewrites, breaking changes and failures.\n"
	"PATH is a file, a directory (searched recursively for *.sql) or - for standard input.\n"
	"\n"
	"  --format FORMAT         text (default) or json\n"
	"  --color WHEN            auto (default: only on a terminal, never with NO_COLOR), always, never\n"
	"  --fail-on LEVEL         error, warning (default) or never: lowest severity that exits 1\n"
	"  --enable RULE           turn a rule on (repeatable)\n"
	"  --disable RULE          turn a rule off (repeatable)\n"
	"  --stdin-filename NAME   the name to report standard input under\n"
	"  --pg-version N          the PostgreSQL major version migrations run on (11-18, default 15)\n"
	"  --assume-in-transaction treat every migration as run inside a transaction block\n"
	"  --locks                 instead of findings, print per statement the relations it locks,\n"
	"                          the lock mode, what it blocks, rewrite and scan (text or json)\n"
	"  --list-rules            list the rules with their severity and summary\n"
	"  --explain RULE          print a rule's documentation\n"
	"  --version               print the version\n"
	"  --help                  print this help\n"
	"\n"
	"Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage, I/O or internal error.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ddlguard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ddlguard --help' for more information.\n", stderr);
	return EXIT_TROUBLE;
}

static int list_rules(void)
{
	for (size_t i = 0; i < dg_rule_count(); i++) {
		const struct dg_rule_info *r = dg_rule_info_at(i);
		printf("%-45s %-8s %s\n", r->name, dg_severity_name(r->severity), r->summary);
	}
	return EXIT_CLEAN;
}

static const char *closest_rule(const char *name)
{
	/* a prefix or substring match is the usual typo: suggest it */
	for (size_t i = 0; i < dg_rule_count(); i++) {
		const char *r = dg_rule_info_at(i)->name;
		if (strstr(r, name) || strstr(name, r))
			return r;
	}
	return NULL;
}

static int unknown_rule(const char *name)
{
	const char *near = closest_rule(name);

	if (near)
		fprintf(stderr, "ddlguard: unknown rule '%s' (did you mean '%s'?)\n", name, near);
	else
		fprintf(stderr, "ddlguard: unknown rule '%s' (see --list-rules)\n", name);
	return EXIT_TROUBLE;
}

static char *read_stdin(size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int cli(int argc, char **argv, struct dg_config *cfg)
{
	enum { OPT_FORMAT = 256, OPT_COLOR, OPT_FAIL_ON, OPT_ENABLE, OPT_DISABLE, OPT_STDIN_NAME,
	       OPT_LIST, OPT_EXPLAIN, OPT_VERSION, OPT_HELP, OPT_PG_VERSION, OPT_ASSUME_TX, OPT_LOCKS };
	static const struct option longopts[] = {
		{"format", required_argument, NULL, OPT_FORMAT},
		{"color", required_argument, NULL, OPT_COLOR},
		{"colour", required_argument, NULL, OPT_COLOR},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"enable", required_argument, NULL, OPT_ENABLE},
		{"disable", required_argument, NULL, OPT_DISABLE},
		{"stdin-filename", required_argument, NULL, OPT_STDIN_NAME},
		{"pg-version", required_argument, NULL, OPT_PG_VERSION},
		{"assume-in-transaction", no_argument, NULL, OPT_ASSUME_TX},
		{"locks", no_argument, NULL, OPT_LOCKS},
		{"list-rules", no_argument, NULL, OPT_LIST},
		{"explain", required_argument, NULL, OPT_EXPLAIN},
		{"version", no_argument, NULL, OPT_VERSION},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	const struct dg_reporter *reporter = &dg_reporter_text;
	const char *color = "auto", *stdin_name = "<stdin>", *format = "text";
	bool locks = false;
	int fail_on = DG_WARNING; /* 3 = never */
	struct dg_report_options ropts = {0};
	struct dg_report_summary sum = {0};
	struct dg_path_list files = {0}, errors = {0};
	int opt, rc = EXIT_CLEAN;
	bool trouble = false;
	void *state;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			reporter = dg_reporter_find(optarg);
			format = optarg;
			if (!reporter)
				return usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return usage_error("--color takes auto, always or never, not '%s'", optarg);
			color = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "error") == 0)
				fail_on = DG_ERROR;
			else if (strcmp(optarg, "warning") == 0)
				fail_on = DG_WARNING;
			else if (strcmp(optarg, "info") == 0)
				fail_on = DG_INFO;
			else if (strcmp(optarg, "never") == 0)
				fail_on = 3;
			else
				return usage_error("--fail-on takes error, warning, info or never, not '%s'",
						   optarg);
			break;
		case OPT_ENABLE:
		case OPT_DISABLE:
			if (dg_config_set_rule_enabled(cfg, optarg, opt == OPT_ENABLE) != DG_OK)
				return unknown_rule(optarg);
			break;
		case OPT_PG_VERSION: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || dg_config_set_pg_version(cfg, (int)v) != DG_OK)
				return usage_error("--pg-version takes a major version from 11 to 18, not '%s'",
						   optarg);
			break;
		}
		case OPT_LOCKS:
			locks = true;
			break;
		case OPT_ASSUME_TX:
			dg_config_set_assume_in_transaction(cfg, true);
			break;
		case OPT_STDIN_NAME:
			stdin_name = optarg;
			break;
		case OPT_LIST:
			return list_rules();
		case OPT_EXPLAIN: {
			const struct dg_rule_info *r = dg_rule_info_find(optarg);
			if (!r)
				return unknown_rule(optarg);
			fputs(r->doc, stdout);
			return EXIT_CLEAN;
		}
		case OPT_VERSION:
			printf("ddlguard %s\n", DG_VERSION);
			return EXIT_CLEAN;
		case 'h':
		case OPT_HELP:
			fputs(usage, stdout);
			return EXIT_CLEAN;
		default:
			if (optopt)
				return usage_error("option '-%c' is not known or lacks its value",
						   optopt);
			return usage_error("option '%s' is not known or lacks its value",
					   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no PATH given (a file, a directory or - for standard input)");

	if (strcmp(color, "always") == 0)
		ropts.color = true;
	else if (strcmp(color, "auto") == 0) {
		const char *nc = getenv("NO_COLOR");
		ropts.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	}

	for (int i = optind; i < argc; i++)
		dg_collect_paths(argv[i], &files, &errors);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "ddlguard: %s\n", errors.items[i]);
	if (errors.n)
		trouble = true;

	if (locks) {
		const struct dg_lock_reporter *lr = dg_lock_reporter_find(format);
		if (!lr) {
			dg_path_list_free(&files);
			dg_path_list_free(&errors);
			return usage_error("--locks has no format '%s' (text or json)", format);
		}
		rc = dg_report_locks(cfg, lr, &files, stdin_name, &ropts, stdout);
		dg_path_list_free(&files);
		dg_path_list_free(&errors);
		return trouble ? EXIT_TROUBLE : rc;
	}
	state = reporter->begin(stdout, &ropts);
	if (!state) {
		fputs("ddlguard: out of memory\n", stderr);
		return EXIT_TROUBLE;
	}
	for (size_t i = 0; i < files.n; i++) {
		struct dg_result res;
		enum dg_status st;

		if (strcmp(files.items[i], "-") == 0) {
			size_t len = 0;
			char *buf = read_stdin(&len);
			if (!buf) {
				fprintf(stderr, "ddlguard: %s: cannot read standard input\n", stdin_name);
				trouble = true;
				continue;
			}
			st = dg_lint_buffer(cfg, stdin_name, buf, len, &res);
			free(buf);
		} else {
			st = dg_lint_file(cfg, files.items[i], &res);
		}
		if (st == DG_ERR_INTERNAL) {
			fprintf(stderr, "ddlguard: %s: internal error\n", files.items[i]);
			trouble = true;
			continue;
		}
		if (res.status != DG_OK) {
			fprintf(stderr, "ddlguard: %s: %s\n", res.path, res.error ? res.error : "cannot read");
			sum.unreadable++;
			trouble = true;
		} else {
			sum.files_checked++;
		}
		if (res.n_findings)
			sum.files_with_findings++;
		for (size_t k = 0; k < res.n_findings; k++) {
			sum.findings++;
			sum.by_severity[res.findings[k].severity]++;
			if ((int)res.findings[k].severity >= fail_on)
				rc = EXIT_FINDINGS;
		}
		reporter->file(state, &res);
		dg_result_clear(&res);
	}
	if (reporter->end(state, &sum) != 0) {
		fprintf(stderr, "ddlguard: cannot write the report: %s\n", strerror(errno));
		trouble = true;
	}
	dg_path_list_free(&files);
	dg_path_list_free(&errors);
	return trouble ? EXIT_TROUBLE : rc;
}

int main(int argc, char **argv)
{
	struct dg_config *cfg = dg_config_new();
	int rc;

	if (!cfg) {
		fputs("ddlguard: out of memory\n", stderr);
		return EXIT_TROUBLE;
	}
	rc = cli(argc, argv, cfg);
	dg_config_free(cfg);
	return rc;
}
