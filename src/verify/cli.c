/* cli.c — `ddlguard verify [OPTIONS] PATH...`: where it runs (a throwaway cluster or
 * --database-url), each PATH a migration root, the findings through the ordinary reporters. */
#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ddlguard/ddlguard.h"
#include "baseline.h"
#include "report/report.h"
#include "cluster.h"
#include "rollback.h"
#include "verify.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

static const char usage[] =
    "Usage: ddlguard verify [OPTIONS] PATH...   (PATH: a directory of migrations, or files)\n"
    "Apply each migration directory on a real PostgreSQL as its tool would: up, down, up again,\n"
    "comparing the schema after each step and each statement's locks with the lock model.\n"
    "\n"
    "Where:\n"
    "  (default)               a throwaway cluster: initdb in a temporary directory, unix\n"
    "                          socket only, removed at the end\n"
    "  --pg-bin DIR            the PostgreSQL server binaries (default: pg_config --bindir,\n"
    "                          then /usr/lib/postgresql/*/bin)\n"
    "  --database-url URL      an existing server instead: a temporary database is created\n"
    "                          there (the role needs CREATEDB) and dropped at the end\n"
    "Output:\n"
    "  --format FORMAT         text (default), json, gcc, sarif, github, gitlab, junit, or\n"
    "                          rollback-plan (Markdown, with whether each down was verified)\n"
    "  -q, --quiet, --summary, --color WHEN, --fail-on LEVEL   as for ddlguard\n"
    "  --migration-format NAME read every file as written for this tool (default: detect)\n"
    "  --config FILE, --no-config   severities from this file instead of the nearest\n"
    "                          .ddlguard.yaml, or none\n"
    "  --baseline FILE, --write-baseline FILE   as for ddlguard: hide accepted findings, or\n"
    "                          record them all and exit 0\n"
    "\n"
    "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage error, no server,\n"
    "or a server that cannot be reached.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ddlguard verify: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ddlguard verify --help' for more information.\n", stderr);
	return EXIT_TROUBLE;
}

struct opts {
	const char *pg_bin, *url, *format, *color, *config, *baseline, *write_baseline;
	bool no_config;
	int fail_on;
	bool fail_on_set;
	struct dg_report_options ropts;
};

static int parse(int argc, char **argv, struct opts *o, struct dg_config *cfg)
{
	enum {
		OPT_PG_BIN = 256,
		OPT_URL,
		OPT_FORMAT,
		OPT_COLOR,
		OPT_FAIL_ON,
		OPT_SUMMARY,
		OPT_MIGRATION_FORMAT,
		OPT_CONFIG,
		OPT_NO_CONFIG,
		OPT_BASELINE,
		OPT_WRITE_BASELINE,
		OPT_HELP
	};
	static const struct option longopts[] = {
	    {"pg-bin", required_argument, NULL, OPT_PG_BIN},
	    {"database-url", required_argument, NULL, OPT_URL},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"quiet", no_argument, NULL, 'q'},
	    {"color", required_argument, NULL, OPT_COLOR},
	    {"colour", required_argument, NULL, OPT_COLOR},
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
	    {"summary", no_argument, NULL, OPT_SUMMARY},
	    {"migration-format", required_argument, NULL, OPT_MIGRATION_FORMAT},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+hq", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_PG_BIN:
			o->pg_bin = optarg;
			break;
		case OPT_URL:
			o->url = optarg;
			break;
		case OPT_FORMAT:
			if (!dg_reporter_find(optarg) && strcmp(optarg, "rollback-plan") != 0)
				return usage_error("unknown format '%s' (%s)", optarg,
						   dg_reporter_names());
			o->format = optarg;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never"))
				return usage_error("--color takes auto, always or never, not '%s'",
						   optarg);
			o->color = optarg;
			break;
		case OPT_FAIL_ON: {
			static const char *const levels[] = {"info", "warning", "error", "never"};
			o->fail_on = -1;
			for (int i = 0; i < 4; i++)
				if (strcmp(optarg, levels[i]) == 0)
					o->fail_on = i;
			if (o->fail_on < 0)
				return usage_error(
				    "--fail-on takes error, warning, info or never, not '%s'",
				    optarg);
			o->fail_on_set = true;
			break;
		}
		case OPT_SUMMARY:
			o->ropts.summary = true;
			break;
		case OPT_MIGRATION_FORMAT:
			if (dg_config_set_migration_format(cfg, optarg) != DG_OK)
				return usage_error("unknown migration format '%s'", optarg);
			break;
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case OPT_NO_CONFIG:
			o->no_config = true;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_WRITE_BASELINE:
			o->write_baseline = optarg;
			break;
		case 'q':
			o->ropts.quiet = true;
			break;
		case 'h':
		case OPT_HELP:
			fputs(usage, stdout);
			return -1;
		default:
			if (optopt)
				return usage_error("option '-%c' is not known or lacks its value",
						   optopt);
			return usage_error("option '%s' is not known or lacks its value",
					   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no PATH given (a directory of migrations, or files)");
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			return usage_error("%s", "verify reads files, not standard input");
	return 0;
}

/* The configuration file: --config, else the nearest to the first PATH. */
static int load_config(const struct opts *o, const char *first, struct dg_config *cfg, int *fail_on)
{
	struct dg_config_file *f = NULL;
	char *path, *error = NULL;

	if (o->no_config)
		return 0;
	path = o->config ? strdup(o->config) : dg_config_file_find(first);
	if (!path)
		return 0;
	if (dg_config_file_load(path, &f, &error) != DG_OK) {
		fprintf(stderr, "ddlguard verify: %s\n", error ? error : path);
		free(error);
		free(path);
		return -1;
	}
	dg_config_file_apply(f, cfg);
	if (!o->fail_on_set && dg_config_file_fail_on(f) >= 0)
		*fail_on = dg_config_file_fail_on(f);
	dg_config_file_free(f);
	free(path);
	return 0;
}

int dg_verify_main(int argc, char **argv)
{
	struct opts o = {.format = "text", .color = "auto", .fail_on = DG_WARNING};
	struct dg_config *cfg = dg_config_new();
	struct dg_cluster cluster = {0};
	struct dg_verify_session *s = NULL;
	struct dg_report_summary sum = {0};
	const struct dg_reporter *reporter;
	int rc = EXIT_CLEAN, prc, fail_on;
	bool trouble = false, plan;
	char *err = NULL;
	void *state = NULL;
	FILE *report_out = stdout;
	struct dg_baseline *baseline = NULL, *new_baseline = NULL;

	if (!cfg)
		return EXIT_TROUBLE;
	prc = parse(argc, argv, &o, cfg);
	if (prc != 0) {
		dg_config_free(cfg);
		return prc < 0 ? EXIT_CLEAN : prc;
	}
	fail_on = o.fail_on;
	if (load_config(&o, argv[optind], cfg, &fail_on) != 0) {
		dg_config_free(cfg);
		return EXIT_TROUBLE;
	}
	/* rollback-plan: the plan with what verify learned, instead of the findings (which still
	 * decide the exit status) */
	plan = strcmp(o.format, "rollback-plan") == 0;
	reporter = plan ? &dg_reporter_text : dg_reporter_find(o.format);
	if (o.baseline && !(baseline = dg_baseline_load(o.baseline, &err))) {
		fprintf(stderr, "ddlguard verify: %s\n", err ? err : o.baseline);
		free(err);
		dg_config_free(cfg);
		return EXIT_TROUBLE;
	}
	if (o.write_baseline && !(new_baseline = dg_baseline_new()))
		abort(); /* out of memory, like every allocation failure here */
	if (strcmp(o.color, "always") == 0)
		o.ropts.color = true;
	else if (strcmp(o.color, "auto") == 0) {
		const char *nc = getenv("NO_COLOR");
		o.ropts.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	}

	if (o.url) {
		s = dg_verify_connect(o.url, &err);
		if (!s) {
			fprintf(stderr, "ddlguard verify: cannot connect to --database-url: %s\n",
				err);
			free(err);
			dg_config_free(cfg);
			return EXIT_TROUBLE;
		}
	} else {
		char bindir[4096], why[1024];
		if (!dg_cluster_find_bindir(o.pg_bin, bindir, sizeof(bindir), why, sizeof(why))) {
			fprintf(stderr, "ddlguard verify: %s\n", why);
			dg_config_free(cfg);
			return EXIT_TROUBLE;
		}
		dg_cluster_guard_signals(&cluster);
		if (!dg_cluster_start(&cluster, bindir, &err)) {
			fprintf(stderr, "ddlguard verify: %s\n", err);
			free(err);
			dg_config_free(cfg);
			return EXIT_TROUBLE;
		}
		s = dg_verify_connect(cluster.conninfo, &err);
		if (!s) {
			fprintf(stderr,
				"ddlguard verify: the throwaway server does not answer: %s\n", err);
			free(err);
			dg_cluster_stop(&cluster);
			dg_config_free(cfg);
			return EXIT_TROUBLE;
		}
	}
	/* the lock model answers for the server's version */
	if (dg_config_set_pg_version(cfg, dg_verify_server_major(s)) != DG_OK)
		fprintf(stderr,
			"ddlguard verify: the lock model does not know PostgreSQL %d; it answers "
			"for 15\n",
			dg_verify_server_major(s));

	if (plan && !(report_out = fopen("/dev/null", "w"))) {
		trouble = true;
		report_out = stdout;
	}
	state = reporter->begin(report_out, &o.ropts);
	for (int a = optind; a < argc && state && !dg_cluster_signal_received(); a++) {
		struct dg_path_list files = {0}, errors = {0};
		struct dg_verify_root root;

		dg_collect_paths(argv[a], &files, &errors);
		dg_verify_keep_migrations(&files);
		for (size_t i = 0; i < errors.n; i++) {
			fprintf(stderr, "ddlguard verify: %s\n", errors.items[i]);
			sum.unreadable++;
			trouble = true;
		}
		if (!dg_verify_root(s, cfg, files.items, files.n, &root, &err)) {
			fprintf(stderr, "ddlguard verify: %s: %s\n", argv[a], err ? err : "failed");
			free(err);
			err = NULL;
			trouble = true;
		}
		for (size_t i = 0; i < root.n_files; i++) {
			struct dg_result *res = &root.files[i].result;
			if (new_baseline)
				dg_baseline_record(new_baseline, res);
			if (baseline)
				dg_baseline_filter(baseline, res);
			if (res->status != DG_OK) {
				fprintf(stderr, "ddlguard verify: %s: %s\n", res->path,
					res->error ? res->error : "cannot read");
				sum.unreadable++;
				trouble = true;
			} else {
				sum.files_checked++;
			}
			if (res->n_findings)
				sum.files_with_findings++;
			for (size_t k = 0; k < res->n_findings; k++) {
				sum.findings++;
				sum.by_severity[res->findings[k].severity]++;
				if ((int)res->findings[k].severity >= fail_on)
					rc = EXIT_FINDINGS;
			}
			reporter->file(state, res);
		}
		if (plan) {
			size_t n_errors = 0;
			if (a > optind)
				putchar('\n');
			if (dg_rollback_plan(cfg, argv[a], files.items, files.n, &root, stdout,
					     &n_errors) != 0)
				trouble = true;
		}
		dg_verify_root_clear(&root);
		dg_path_list_free(&files);
		dg_path_list_free(&errors);
	}
	if (!state || reporter->end(state, &sum) != 0 || fflush(stdout) != 0) {
		fputs("ddlguard verify: cannot write the report\n", stderr);
		trouble = true;
	}
	if (report_out != stdout)
		fclose(report_out);
	if (new_baseline) {
		if (dg_baseline_write(new_baseline, o.write_baseline) != 0) {
			fprintf(stderr, "ddlguard verify: %s: cannot write\n", o.write_baseline);
			trouble = true;
		}
		rc = EXIT_CLEAN; /* the findings are accepted now */
	}
	dg_baseline_free(new_baseline);
	dg_baseline_free(baseline);
	dg_verify_disconnect(s);
	dg_cluster_stop(&cluster);
	dg_config_free(cfg);
	if (dg_cluster_signal_received()) {
		int sig = dg_cluster_signal_received();
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return trouble ? EXIT_TROUBLE : rc;
}
