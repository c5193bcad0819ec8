/* test_formats.c — every --format through the binary: the same 1-based positions in each, SARIF
 * 2.1.0 structure checked against the schema's rules, and each format's escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "testkit.h"

/* Runs `ddlguard ARGS`; rules that would fire on these small files besides the ones under test
 * stay off. */
#define run(...) tk_run(DG_BINARY " " TK_NOISE_FLAGS " " __VA_ARGS__)

static int setup(void **state)
{
	(void)state;
	if (tk_tmpdir_create("formats") != 0)
		return -1;
	tk_write_file("clean.sql", "SELECT 1;\n"); /* a file no rule reports */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tk_tmpdir_remove();
}

/* fixtures/misc/report-positions.sql: line 3, column 9 in characters (10 in bytes: "é" is two),
 * ends at column 32; byte offset 111 */
static void test_same_positions_everywhere(void **state)
{
	struct tk_run r;
	cJSON *doc, *o, *region, *lines;
	char want[512];

	(void)state;
	r = run("--format text --color never %s/misc/report-positions.sql", DG_FIXTURES);
	assert_int_equal(r.status, 1);
	snprintf(want, sizeof(want),
		 "%s/misc/report-positions.sql:3:9: warning[require-concurrent-index-creation]",
		 DG_FIXTURES);
	assert_non_null(strstr(r.out, want));
	free(r.out);

	r = run("--format gcc %s/misc/report-positions.sql", DG_FIXTURES);
	assert_int_equal(r.status, 1);
	snprintf(want, sizeof(want), "%s/misc/report-positions.sql:3:9: warning: ", DG_FIXTURES);
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, " [require-concurrent-index-creation]\n"));
	free(r.out);

	r = run("--format json %s/misc/report-positions.sql", DG_FIXTURES);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	o = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	assert_int_equal(cJSON_GetObjectItem(o, "line")->valueint, 3);
	assert_int_equal(cJSON_GetObjectItem(o, "column")->valueint, 9);
	assert_int_equal(cJSON_GetObjectItem(o, "end_line")->valueint, 3);
	assert_int_equal(cJSON_GetObjectItem(o, "end_column")->valueint, 32);
	assert_int_equal(cJSON_GetObjectItem(o, "byte_offset")->valueint, 111);
	assert_int_equal(cJSON_GetObjectItem(o, "byte_length")->valueint, 23);
	cJSON_Delete(doc);
	free(r.out);

	r = run("--format sarif %s/misc/report-positions.sql", DG_FIXTURES);
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	o = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0), "results"),
	    0);
	region = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "locations"), 0),
				"physicalLocation"),
	    "region");
	assert_non_null(region);
	assert_int_equal(cJSON_GetObjectItem(region, "startLine")->valueint, 3);
	assert_int_equal(cJSON_GetObjectItem(region, "startColumn")->valueint, 9);
	assert_int_equal(cJSON_GetObjectItem(region, "endLine")->valueint, 3);
	assert_int_equal(cJSON_GetObjectItem(region, "endColumn")->valueint, 32);
	assert_int_equal(cJSON_GetObjectItem(region, "byteOffset")->valueint, 111);
	assert_int_equal(cJSON_GetObjectItem(region, "byteLength")->valueint, 23);
	cJSON_Delete(doc);
	free(r.out);

	r = run("--format github %s/misc/report-positions.sql", DG_FIXTURES);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "::warning file="));
	assert_non_null(
	    strstr(r.out, "report-positions.sql,line=3,col=9,endLine=3,endColumn=32,title="));
	free(r.out);

	r = run("--format gitlab %s/misc/report-positions.sql", DG_FIXTURES);
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_true(cJSON_IsArray(doc));
	o = cJSON_GetArrayItem(doc, 0);
	lines = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "location"), "lines");
	assert_int_equal(cJSON_GetObjectItem(lines, "begin")->valueint, 3);
	cJSON_Delete(doc);
	free(r.out);

	r = run("--format junit %s/misc/report-positions.sql", DG_FIXTURES);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "name=\"require-concurrent-index-creation "));
	assert_non_null(strstr(r.out, " line=\"3\""));
	assert_non_null(strstr(r.out, "report-positions.sql:3:9: warning: "));
	free(r.out);
}

/* ---- SARIF 2.1.0: the parts of the schema our output uses, checked object by object --------- */

static int sarif_errors;

__attribute__((format(printf, 1, 2))) static void bad(const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("SARIF: %s\n", msg);
	sarif_errors++;
}

/* The schema sets additionalProperties: false on every object: only its keys may appear. */
static void only_keys(const cJSON *o, const char *what, const char *const *allowed)
{
	if (!cJSON_IsObject(o)) {
		bad("%s is not an object", what);
		return;
	}
	for (const cJSON *k = o->child; k; k = k->next) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(k->string, *a) == 0;
		if (!ok)
			bad("%s has a key the schema does not allow: %s", what, k->string);
	}
}

static const cJSON *need(const cJSON *o, const char *key, const char *what)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		bad("%s lacks the required '%s'", what, key);
	return v;
}

static void need_string(const cJSON *o, const char *key, const char *what)
{
	const cJSON *v = need(o, key, what);
	if (v && (!cJSON_IsString(v) || !v->valuestring[0]))
		bad("%s.%s must be a non-empty string", what, key);
}

static void need_int_min(const cJSON *o, const char *key, const char *what, int min)
{
	const cJSON *v = need(o, key, what);
	if (v && (!cJSON_IsNumber(v) || v->valuedouble != (double)v->valueint || v->valueint < min))
		bad("%s.%s must be an integer >= %d", what, key, min);
}

static void check_level(const cJSON *o, const char *what)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "level");
	static const char *const levels[] = {"none", "note", "warning", "error"};
	bool ok = false;

	if (!v)
		return;
	for (size_t i = 0; i < 4; i++)
		ok |= cJSON_IsString(v) && strcmp(v->valuestring, levels[i]) == 0;
	if (!ok)
		bad("%s.level is not none/note/warning/error", what);
}

static void check_message(const cJSON *m, const char *what) /* message / multiformatMessageString */
{
	static const char *const keys[] = {"text",	"markdown",   "id",
					   "arguments", "properties", NULL};
	only_keys(m, what, keys);
	need_string(m, "text", what);
}

static void check_uri_reference(const char *uri)
{
	/* RFC 3986: no spaces or other characters that must be percent-encoded, and a relative
	 * reference's first segment cannot contain ':' */
	const char *slash = strchr(uri, '/');
	const char *colon = strchr(uri, ':');
	for (const unsigned char *p = (const unsigned char *)uri; *p; p++)
		if (*p <= ' ' || *p >= 0x7F || strchr("\"<>\\^`{|}", *p))
			bad("artifactLocation.uri '%s' has an unencoded character", uri);
	if (colon && (!slash || colon < slash) && strncmp(uri, "file:", 5) != 0)
		bad("artifactLocation.uri '%s' would read as a scheme", uri);
}

static void check_location(const cJSON *loc, bool with_region)
{
	static const char *const lk[] = {
	    "id",	   "physicalLocation", "logicalLocations", "message",
	    "annotations", "relationships",    "properties",	   NULL};
	static const char *const pk[] = {"address",	  "artifactLocation", "region",
					 "contextRegion", "properties",	      NULL};
	static const char *const ak[] = {"uri",		"uriBaseId",  "index",
					 "description", "properties", NULL};
	static const char *const rk[] = {
	    "startLine",      "startColumn", "endLine",	   "endColumn", "charOffset",
	    "charLength",     "byteOffset",  "byteLength", "snippet",	"message",
	    "sourceLanguage", "properties",  NULL};
	const cJSON *phys, *art, *region;

	only_keys(loc, "location", lk);
	phys = need(loc, "physicalLocation", "location");
	only_keys(phys, "physicalLocation", pk);
	art = need(phys, "artifactLocation", "physicalLocation");
	only_keys(art, "artifactLocation", ak);
	need_string(art, "uri", "artifactLocation");
	if (cJSON_IsString(cJSON_GetObjectItem(art, "uri")))
		check_uri_reference(cJSON_GetObjectItem(art, "uri")->valuestring);
	if (!with_region)
		return;
	region = need(phys, "region", "physicalLocation");
	only_keys(region, "region", rk);
	need_int_min(region, "startLine", "region", 1);
	need_int_min(region, "startColumn", "region", 1);
	need_int_min(region, "endLine", "region", 1);
	need_int_min(region, "endColumn", "region", 1);
	need_int_min(region, "byteOffset", "region", 0);
	need_int_min(region, "byteLength", "region", 0);
	if (sarif_errors)
		return;
	{
		int sl = cJSON_GetObjectItem(region, "startLine")->valueint;
		int sc = cJSON_GetObjectItem(region, "startColumn")->valueint;
		int el = cJSON_GetObjectItem(region, "endLine")->valueint;
		int ec = cJSON_GetObjectItem(region, "endColumn")->valueint;
		if (el < sl || (el == sl && ec < sc))
			bad("region ends (%d:%d) before it starts (%d:%d)", el, ec, sl, sc);
	}
}

static void check_sarif(const cJSON *doc, size_t want_results, bool want_success)
{
	static const char *const top[] = {
	    "$schema", "version", "runs", "inlineExternalProperties", "properties", NULL};
	static const char *const runk[] = {"tool",
					   "invocations",
					   "conversion",
					   "language",
					   "versionControlProvenance",
					   "originalUriBaseIds",
					   "artifacts",
					   "logicalLocations",
					   "graphs",
					   "results",
					   "automationDetails",
					   "runAggregates",
					   "baselineGuid",
					   "redactionTokens",
					   "defaultEncoding",
					   "defaultSourceLanguage",
					   "newlineSequences",
					   "columnKind",
					   "externalPropertyFileReferences",
					   "threadFlowLocations",
					   "taxonomies",
					   "addresses",
					   "translations",
					   "policies",
					   "webRequests",
					   "webResponses",
					   "specialLocations",
					   "properties",
					   NULL};
	static const char *const toolk[] = {"driver", "extensions", "properties", NULL};
	static const char *const driverk[] = {"guid",
					      "name",
					      "organization",
					      "product",
					      "productSuite",
					      "shortDescription",
					      "fullDescription",
					      "fullName",
					      "version",
					      "semanticVersion",
					      "dottedQuadFileVersion",
					      "releaseDateUtc",
					      "downloadUri",
					      "informationUri",
					      "globalMessageStrings",
					      "notifications",
					      "rules",
					      "taxa",
					      "locations",
					      "language",
					      "contents",
					      "isComprehensive",
					      "localizedDataSemanticVersion",
					      "minimumRequiredLocalizedDataSemanticVersion",
					      "associatedComponent",
					      "translationMetadata",
					      "supportedTaxonomies",
					      "properties",
					      NULL};
	static const char *const rulek[] = {"id",
					    "deprecatedIds",
					    "guid",
					    "deprecatedGuids",
					    "name",
					    "deprecatedNames",
					    "shortDescription",
					    "fullDescription",
					    "messageStrings",
					    "defaultConfiguration",
					    "helpUri",
					    "help",
					    "relationships",
					    "properties",
					    NULL};
	static const char *const cfgk[] = {"enabled",	 "level",      "rank",
					   "parameters", "properties", NULL};
	static const char *const resk[] = {"ruleId",
					   "ruleIndex",
					   "rule",
					   "kind",
					   "level",
					   "message",
					   "analysisTarget",
					   "locations",
					   "guid",
					   "correlationGuid",
					   "occurrenceCount",
					   "partialFingerprints",
					   "fingerprints",
					   "stacks",
					   "codeFlows",
					   "graphs",
					   "graphTraversals",
					   "relatedLocations",
					   "suppressions",
					   "baselineState",
					   "rank",
					   "attachments",
					   "hostedViewerUri",
					   "workItemUris",
					   "provenance",
					   "fixes",
					   "taxa",
					   "webRequest",
					   "webResponse",
					   "properties",
					   NULL};
	static const char *const invk[] = {"commandLine",
					   "arguments",
					   "responseFiles",
					   "startTimeUtc",
					   "endTimeUtc",
					   "exitCode",
					   "ruleConfigurationOverrides",
					   "notificationConfigurationOverrides",
					   "toolExecutionNotifications",
					   "toolConfigurationNotifications",
					   "exitCodeDescription",
					   "exitSignalName",
					   "exitSignalNumber",
					   "processStartFailureMessage",
					   "executionSuccessful",
					   "machine",
					   "account",
					   "processId",
					   "executableLocation",
					   "workingDirectory",
					   "environmentVariables",
					   "stdin",
					   "stdout",
					   "stderr",
					   "stdoutStderr",
					   "properties",
					   NULL};
	static const char *const notk[] = {
	    "locations", "message",    "level",		 "threadId",   "timeUtc",
	    "exception", "descriptor", "associatedRule", "properties", NULL};
	const cJSON *runs, *run0, *tool, *driver, *rules, *results, *invs;
	size_t n_rules;

	sarif_errors = 0;
	only_keys(doc, "sarifLog", top);
	need_string(doc, "$schema", "sarifLog");
	if (!cJSON_IsString(need(doc, "version", "sarifLog")) ||
	    strcmp(cJSON_GetObjectItem(doc, "version")->valuestring, "2.1.0") != 0)
		bad("version must be \"2.1.0\"");
	runs = need(doc, "runs", "sarifLog");
	if (!cJSON_IsArray(runs) || cJSON_GetArraySize(runs) != 1)
		fail_msg("runs must be an array of one run");
	run0 = cJSON_GetArrayItem(runs, 0);
	only_keys(run0, "run", runk);
	if (!cJSON_IsString(cJSON_GetObjectItem(run0, "columnKind")) ||
	    strcmp(cJSON_GetObjectItem(run0, "columnKind")->valuestring, "unicodeCodePoints") != 0)
		bad("run.columnKind must say unicodeCodePoints: our columns count characters");
	tool = need(run0, "tool", "run");
	only_keys(tool, "tool", toolk);
	driver = need(tool, "driver", "tool");
	only_keys(driver, "toolComponent", driverk);
	need_string(driver, "name", "driver");
	need_string(driver, "version", "driver");
	/* only when the build names a home page (DDLGUARD_HOMEPAGE): never a URL nobody serves */
	if (DG_HOMEPAGE[0])
		need_string(driver, "informationUri", "driver");
	else if (cJSON_GetObjectItem(driver, "informationUri"))
		bad("informationUri without DDLGUARD_HOMEPAGE");
	rules = need(driver, "rules", "driver");
	n_rules = (size_t)cJSON_GetArraySize(rules);
	assert_true(n_rules > 0);
	for (const cJSON *r = rules ? rules->child : NULL; r; r = r->next) {
		const cJSON *cfg, *uri;
		char suffix[256];
		only_keys(r, "reportingDescriptor", rulek);
		need_string(r, "id", "reportingDescriptor");
		check_message(need(r, "shortDescription", "reportingDescriptor"),
			      "shortDescription");
		check_message(need(r, "fullDescription", "reportingDescriptor"), "fullDescription");
		check_message(need(r, "help", "reportingDescriptor"), "help");
		cfg = need(r, "defaultConfiguration", "reportingDescriptor");
		only_keys(cfg, "reportingConfiguration", cfgk);
		need_string(cfg, "level", "defaultConfiguration");
		check_level(cfg, "defaultConfiguration");
		{
			/* GitHub code scanning rejects longer ones */
			const cJSON *fd = cJSON_GetObjectItem(r, "fullDescription");
			const char *t = cJSON_IsString(cJSON_GetObjectItem(fd, "text"))
					    ? cJSON_GetObjectItem(fd, "text")->valuestring
					    : "";
			size_t chars = 0;
			for (; *t; t++)
				chars += ((unsigned char)*t & 0xC0) != 0x80;
			if (chars > 1024 || chars == 0)
				bad("fullDescription has %zu characters (1-1024)", chars);
		}
		uri = cJSON_GetObjectItem(r, "helpUri");
		if (!DG_DOCS_URL[0]) {
			/* no docs base URL in this build: no helpUri at all */
			if (uri)
				bad("helpUri without DDLGUARD_DOCS_URL");
			continue;
		}
		snprintf(suffix, sizeof(suffix), "/%s.md",
			 cJSON_IsString(cJSON_GetObjectItem(r, "id"))
			     ? cJSON_GetObjectItem(r, "id")->valuestring
			     : "");
		if (!cJSON_IsString(uri) ||
		    strncmp(uri->valuestring, DG_DOCS_URL, strlen(DG_DOCS_URL)) ||
		    strlen(uri->valuestring) < strlen(suffix) ||
		    strcmp(uri->valuestring + strlen(uri->valuestring) - strlen(suffix), suffix) !=
			0)
			bad("helpUri must point at the rule's doc (…%s)", suffix);
	}
	results = need(run0, "results", "run");
	assert_int_equal(cJSON_GetArraySize(results), want_results);
	for (const cJSON *res = results ? results->child : NULL; res; res = res->next) {
		const cJSON *idx, *locs, *rule;
		only_keys(res, "result", resk);
		need_string(res, "ruleId", "result");
		need_string(res, "level", "result");
		check_level(res, "result");
		check_message(need(res, "message", "result"), "result.message");
		idx = need(res, "ruleIndex", "result");
		if (cJSON_IsNumber(idx)) {
			rule = cJSON_GetArrayItem(rules, idx->valueint);
			if (!rule || strcmp(cJSON_GetObjectItem(rule, "id")->valuestring,
					    cJSON_GetObjectItem(res, "ruleId")->valuestring) != 0)
				bad("result.ruleIndex does not point at its rule");
		}
		locs = need(res, "locations", "result");
		if (!cJSON_IsArray(locs) || cJSON_GetArraySize(locs) != 1)
			bad("result.locations must hold one location");
		else
			check_location(locs->child, true);
		for (const cJSON *p = cJSON_GetObjectItem(res, "partialFingerprints");
		     p && (p = p->child); p = p->next)
			if (!cJSON_IsString(p))
				bad("partialFingerprints values must be strings");
		{
			const cJSON *h =
			    cJSON_GetObjectItem(cJSON_GetObjectItem(res, "partialFingerprints"),
						"primaryLocationLineHash");
			size_t hex = 0;
			if (cJSON_IsString(h))
				hex = strspn(h->valuestring, "0123456789abcdef");
			if (!cJSON_IsString(h) || hex != 16 ||
			    strcmp(h->valuestring + hex, ":1") != 0)
				bad("partialFingerprints.primaryLocationLineHash must be HASH:1");
		}
	}
	invs = need(run0, "invocations", "run");
	if (!cJSON_IsArray(invs) || cJSON_GetArraySize(invs) != 1)
		fail_msg("run.invocations must hold one invocation");
	only_keys(invs->child, "invocation", invk);
	if (!cJSON_IsBool(need(invs->child, "executionSuccessful", "invocation")) ||
	    cJSON_IsTrue(cJSON_GetObjectItem(invs->child, "executionSuccessful")) != want_success)
		bad("invocation.executionSuccessful should be %s", want_success ? "true" : "false");
	for (const cJSON *n = cJSON_GetObjectItem(invs->child, "toolExecutionNotifications");
	     n && (n = n->child); n = n->next) {
		only_keys(n, "notification", notk);
		check_message(need(n, "message", "notification"), "notification.message");
		check_level(n, "notification");
		for (const cJSON *l = cJSON_GetObjectItem(n, "locations"); l && (l = l->child);
		     l = l->next)
			check_location(l, false);
	}
	assert_int_equal(sarif_errors, 0);
}

static void test_sarif_structure(void **state)
{
	struct tk_run r;
	cJSON *doc;

	(void)state;
	r = run("--format sarif %s/constraint-missing-not-valid/bad.sql "
		"%s/renaming-column/bad.sql %s/syntax-error/bad.sql",
		DG_FIXTURES, DG_FIXTURES, DG_FIXTURES);
	assert_int_equal(r.status, 1);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	check_sarif(doc,
		    (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(
			cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0), "results")),
		    true);
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(
			cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0), "results")) >= 6);
	cJSON_Delete(doc);
	free(r.out);

	/* an odd path must still be a URI reference; an unreadable file is a notification */
	tk_write_file("a b:c#d.sql", "CREATE INDEX i ON t (a);\n");
	r = run("--format sarif '%s/a b:c#d.sql' %s/nonexistent.sql 2>/dev/null", tk_tmpdir,
		tk_tmpdir);
	assert_int_equal(r.status, 2);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	check_sarif(doc, 1, false);
	assert_non_null(strstr(r.out, "a%20b%3Ac%23d.sql\""));
	assert_non_null(strstr(r.out, "nonexistent.sql"));
	cJSON_Delete(doc);
	free(r.out);

	/* no findings: still a complete log */
	r = run("--format sarif %s/clean.sql", tk_tmpdir);
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	check_sarif(doc, 0, true);
	cJSON_Delete(doc);
	free(r.out);
}

static void test_github_escaping(void **state)
{
	struct tk_run r;
	char *line;

	(void)state;
	tk_write_file("x,y:100%.sql",
		      "CREATE INDEX i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;\n");
	r = run("--format github '%s/x,y:100%%.sql'", tk_tmpdir);
	assert_int_equal(r.status, 1);
	/* property values: ',' ':' '%' encoded; the message keeps ':' and encodes newlines */
	assert_non_null(strstr(r.out, "/x%2Cy%3A100%25.sql,line=1,col=1,endLine=1,endColumn=24,"
				      "title=ddlguard require-concurrent-index-creation::"));
	assert_non_null(strstr(r.out, "::warning file="));
	assert_non_null(strstr(r.out, "%0A%0Ahelp: "));
	/* one command per line, nothing else */
	for (line = r.out; *line; line = strchr(line, '\n') + 1) {
		assert_memory_equal(line, "::", 2);
		assert_non_null(strchr(line, '\n'));
	}
	free(r.out);
}

static void test_gitlab_fingerprints(void **state)
{
	struct tk_run r;
	cJSON *doc;
	char first[2][64];

	(void)state;
	tk_write_file("fp.sql", "CREATE INDEX i ON t (a);\nCREATE INDEX i ON t (a);\n"
				"ALTER TABLE t RENAME COLUMN a TO b;\n");
	r = run("--format gitlab %s/fp.sql", tk_tmpdir);
	doc = cJSON_Parse(r.out);
	assert_int_equal(cJSON_GetArraySize(doc), 3);
	for (int i = 0; i < 3; i++) {
		cJSON *o = cJSON_GetArrayItem(doc, i);
		assert_string_equal(cJSON_GetObjectItem(o, "severity")->valuestring, "major");
		assert_non_null(cJSON_GetObjectItem(o, "check_name"));
		assert_non_null(cJSON_GetObjectItem(o, "description"));
		assert_int_equal(strlen(cJSON_GetObjectItem(o, "fingerprint")->valuestring), 16);
		if (i < 2)
			snprintf(first[i], sizeof(first[i]), "%s",
				 cJSON_GetObjectItem(o, "fingerprint")->valuestring);
	}
	/* identical statements still get distinct fingerprints */
	assert_string_not_equal(first[0], first[1]);
	cJSON_Delete(doc);
	free(r.out);

	/* lines added above and whitespace changed: same fingerprints, new line numbers */
	tk_write_file("fp.sql", "-- a comment\n\nSELECT 1;\nCREATE   INDEX i ON t\n  (a);\n"
				"CREATE INDEX i ON t (a);\nALTER TABLE t RENAME COLUMN a TO b;\n");
	r = run("--format gitlab %s/fp.sql", tk_tmpdir);
	doc = cJSON_Parse(r.out);
	assert_int_equal(cJSON_GetArraySize(doc), 3);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "fingerprint")->valuestring, first[0]);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 1), "fingerprint")->valuestring, first[1]);
	assert_int_equal(
	    cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "location"),
				    "lines"),
		"begin")
		->valueint,
	    4);
	cJSON_Delete(doc);
	free(r.out);

	/* a different statement is a different finding */
	tk_write_file("fp.sql", "CREATE INDEX i ON t (b);\n");
	r = run("--format gitlab %s/fp.sql", tk_tmpdir);
	doc = cJSON_Parse(r.out);
	assert_string_not_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "fingerprint")->valuestring, first[0]);
	cJSON_Delete(doc);
	free(r.out);

	r = run("--format gitlab %s/clean.sql", tk_tmpdir);
	assert_int_equal(r.status, 0);
	doc = cJSON_Parse(r.out);
	assert_true(cJSON_IsArray(doc));
	assert_int_equal(cJSON_GetArraySize(doc), 0);
	cJSON_Delete(doc);
	free(r.out);
}

static void test_junit_xml(void **state)
{
	struct tk_run r;

	(void)state;
	tk_write_file("a&b<c>.sql", "CREATE INDEX i ON t (a);\n");
	r = run("--format junit '%s/a&b<c>.sql' %s/clean.sql", tk_tmpdir, tk_tmpdir);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
	assert_non_null(strstr(
	    r.out,
	    "<testsuites name=\"ddlguard\" tests=\"2\" failures=\"1\" errors=\"0\" time=\""));
	assert_non_null(strstr(r.out, "a&amp;b&lt;c&gt;.sql\" tests=\"1\" failures=\"1\""));
	assert_non_null(
	    strstr(r.out, "<failure type=\"require-concurrent-index-creation\" message=\""));
	assert_non_null(strstr(r.out, "clean.sql\" tests=\"1\" failures=\"0\""));
	assert_null(strstr(r.out, "a&b"));
	free(r.out);
	/* well-formed, when xmllint is there to say so */
	if (system("command -v xmllint >/dev/null 2>&1") == 0) {
		r = run("--format junit '%s/a&b<c>.sql' %s/renaming-column/bad.sql "
			"%s/nonexistent.sql 2>/dev/null | xmllint --noout - && echo WELL-FORMED",
			tk_tmpdir, DG_FIXTURES, tk_tmpdir);
		assert_non_null(strstr(r.out, "WELL-FORMED"));
		free(r.out);
	}
}

/* --column-unit: one line with a tab, a two-byte and a wide (three-byte, two-cell) character before
 * the finding. CREATE starts at character 15, byte 18, display column 23 (the tab fills 8 cells,
 * 漢 2); the span is 23 characters of ASCII. Each unit, in each format that shows columns. */
static void test_column_units(void **state)
{
	static const struct {
		const char *flags, *unit;
		int column;
	} cases[] = {
	    {"", "char", 15},
	    {"--column-unit char", "char", 15},
	    {"--column-unit byte", "byte", 18},
	    {"--column-unit display", "display", 23},
	};
	struct tk_run r;
	char want[128];

	(void)state;
	tk_write_file("units.sql", "\tSELECT 'é漢'; CREATE INDEX i ON t (a);\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *doc, *f;

		r = run("--format json %s %s/units.sql", cases[i].flags, tk_tmpdir);
		doc = cJSON_Parse(r.out);
		assert_non_null(doc);
		assert_string_equal(cJSON_GetObjectItem(doc, "column_unit")->valuestring,
				    cases[i].unit);
		f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
		assert_int_equal(cJSON_GetObjectItem(f, "column")->valueint, cases[i].column);
		assert_int_equal(cJSON_GetObjectItem(f, "end_column")->valueint,
				 cases[i].column + 23);
		cJSON_Delete(doc);
		free(r.out);

		r = run("--format text -q %s %s/units.sql", cases[i].flags, tk_tmpdir);
		snprintf(want, sizeof(want), "units.sql:1:%d: warning[", cases[i].column);
		assert_non_null(strstr(r.out, want));
		free(r.out);

		r = run("--format github %s %s/units.sql", cases[i].flags, tk_tmpdir);
		snprintf(want, sizeof(want), ",line=1,col=%d,endLine=1,endColumn=%d,",
			 cases[i].column, cases[i].column + 23);
		assert_non_null(strstr(r.out, want));
		free(r.out);

		r = run("--format markdown %s %s/units.sql", cases[i].flags, tk_tmpdir);
		snprintf(want, sizeof(want), "| 1:%d | warning |", cases[i].column);
		assert_non_null(strstr(r.out, want));
		free(r.out);
	}
	/* gcc: GNU display columns unless told otherwise (GCC's default; Emacs reads them) */
	static const struct {
		const char *flags;
		int column;
	} gcc[] = {{"", 23},
		   {"--column-unit display", 23},
		   {"--column-unit char", 15},
		   {"--column-unit byte", 18}};
	for (size_t i = 0; i < sizeof(gcc) / sizeof(gcc[0]); i++) {
		r = run("--format gcc %s %s/units.sql", gcc[i].flags, tk_tmpdir);
		snprintf(want, sizeof(want), "units.sql:1:%d: warning: CREATE INDEX",
			 gcc[i].column);
		assert_non_null(strstr(r.out, want));
		free(r.out);
	}
	/* a tab after a wide character still advances to the next multiple of 8 */
	tk_write_file("tabs.sql", "/*漢*/\t\tCREATE INDEX i ON t (a);\n");
	r = run("--format gcc %s/tabs.sql", tk_tmpdir);
	assert_non_null(strstr(r.out, "tabs.sql:1:17: warning:"));
	free(r.out);
	/* SARIF says unicodeCodePoints in run.columnKind: another unit is a usage error */
	r = run("--format sarif --column-unit byte %s/units.sql 2>&1", tk_tmpdir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "characters only"));
	free(r.out);
	r = run("--format sarif --column-unit char %s/units.sql >/dev/null", tk_tmpdir);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run("--column-unit bytes %s/units.sql 2>&1", tk_tmpdir);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "display, char or byte"));
	free(r.out);
}

/* SARIF, GitLab, JUnit, GitHub and Markdown name files from the repository root whatever the
 * working directory; SARIF through uriBaseId %SRCROOT% and originalUriBaseIds. Outside a git work
 * tree the working directory is the root. */
static void test_repository_relative_paths(void **state)
{
	struct tk_run r = {0};
	cJSON *doc, *res0, *art, *base;
	char want[4200], real[4096];

	(void)state;
	tk_mkdir("repo");
	tk_mkdir("repo/db");
	tk_mkdir("repo/db/migrations");
	tk_write_file("repo/db/migrations/1.2_x.sql", "CREATE INDEX i ON t (a);\n");
	tk_sh(&r, "git init -q repo && echo ok");
	assert_non_null(strstr(r.out, "ok"));
	assert_non_null(realpath(tk_tmpdir, real));

	tk_sh(&r, "cd repo/db && %s --format sarif migrations/1.2_x.sql", DG_BINARY);
	doc = cJSON_Parse(r.out);
	assert_non_null(doc);
	res0 = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0), "results"),
	    0);
	art = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(res0, "locations"), 0),
				"physicalLocation"),
	    "artifactLocation");
	assert_string_equal(cJSON_GetObjectItem(art, "uri")->valuestring,
			    "db/migrations/1.2_x.sql");
	assert_string_equal(cJSON_GetObjectItem(art, "uriBaseId")->valuestring, "%SRCROOT%");
	base = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0),
				    "originalUriBaseIds"),
		"%SRCROOT%"),
	    "uri");
	snprintf(want, sizeof(want), "file://%s/repo/", real);
	assert_string_equal(base->valuestring, want);
	cJSON_Delete(doc);

	tk_sh(&r, "cd repo/db/migrations && %s --format gitlab 1.2_x.sql", DG_BINARY);
	assert_non_null(strstr(r.out, "\"path\":\t\"db/migrations/1.2_x.sql\""));
	tk_sh(&r, "cd repo/db && %s --format github ./migrations/../migrations/1.2_x.sql",
	      DG_BINARY);
	assert_non_null(strstr(r.out, "file=db/migrations/1.2_x.sql,line=1"));
	tk_sh(&r, "cd repo/db && %s --format markdown %s/repo/db/migrations/1.2_x.sql", DG_BINARY,
	      real);
	assert_non_null(strstr(r.out, "### db/migrations/1.2\\_x.sql\n"));
	tk_sh(&r, "cd repo/db && %s --format junit migrations/1.2_x.sql", DG_BINARY);
	assert_non_null(strstr(r.out, "<testsuite name=\"db/migrations/1.2_x.sql\""));
	/* Jenkins splits a classname at its dots: the file name's are not package separators */
	assert_non_null(strstr(r.out, "classname=\"db/migrations/1_2_x_sql\" "
				      "file=\"db/migrations/1.2_x.sql\" line=\"1\" time=\""));

	/* no git work tree: relative to the working directory */
	tk_sh(&r, "cd repo && rm -rf .git && cd db && %s --format gitlab migrations/1.2_x.sql",
	      DG_BINARY);
	assert_non_null(strstr(r.out, "\"path\":\t\"migrations/1.2_x.sql\""));
	free(r.out);
}

/* JUnit: a case per finding named by rule and statement fingerprint (stable when lines move);
 * only findings at or above --fail-on fail, the others pass with their text in system-out. */
static void test_junit_cases(void **state)
{
	struct tk_run r = {0};
	char *first, *name;

	(void)state;
	tk_write_file("j.sql", "CREATE INDEX i ON t (a);\nALTER TABLE t ADD COLUMN n int;\n");
	tk_sh(&r,
	      "%s " TK_TIMEOUT_FLAGS " --disable prefer-robust-stmts "
	      "--disable combined-expand-contract --format junit --fail-on warning j.sql",
	      DG_BINARY);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "tests=\"2\" failures=\"1\" errors=\"0\" time=\""));
	assert_non_null(strstr(r.out, "<failure type=\"require-concurrent-index-creation\""));
	assert_non_null(strstr(r.out, "<system-out>j.sql:2:"));
	assert_null(strstr(r.out, "<failure type=\"prefer-bigint-over-int\""));
	name = strstr(r.out, "<testcase name=\"require-concurrent-index-creation ");
	assert_non_null(name);
	name += strlen("<testcase name=\"");
	first = strndup(name, strcspn(name, "\""));
	/* the case keeps its name when lines move above it */
	tk_write_file("j.sql", "\n\n-- a comment\nCREATE INDEX i ON t (a);\n");
	tk_sh(&r, "%s " TK_TIMEOUT_FLAGS " --format junit --fail-on error j.sql", DG_BINARY);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "failures=\"0\""));
	name = strstr(r.out, "<testcase name=\"require-concurrent-index-creation ");
	assert_non_null(name);
	name += strlen("<testcase name=\"");
	assert_memory_equal(name, first, strlen(first));
	assert_int_equal(name[strlen(first)], '"');
	assert_null(strstr(r.out, "<failure"));
	free(first);
	free(r.out);
}

static void test_unknown_format_lists_them(void **state)
{
	struct tk_run r;

	(void)state;
	r = run("--format yaml x.sql 2>&1");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "text, json, gcc, sarif, github, gitlab, junit, markdown"));
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_positions_everywhere),
	    cmocka_unit_test(test_sarif_structure),
	    cmocka_unit_test(test_github_escaping),
	    cmocka_unit_test(test_gitlab_fingerprints),
	    cmocka_unit_test(test_junit_xml),
	    cmocka_unit_test(test_column_units),
	    cmocka_unit_test(test_repository_relative_paths),
	    cmocka_unit_test(test_junit_cases),
	    cmocka_unit_test(test_unknown_format_lists_them),
	};
	return cmocka_run_group_tests_name("formats", tests, setup, teardown);
}
