/* fuzz_locks.c — `ddlguard --locks`: the lock model over any input (the first byte picks the
 * PostgreSQL version and --assume-in-transaction), through both lock reporters; the JSON must
 * parse and be UTF-8, the text must be UTF-8 without a raw control character. */
#include <stdio.h>
#include <stdlib.h>

#include "ddlguard/ddlguard.h"
#include "fuzzkit.h"
#include "report/report.h"

static void report(const struct dg_lock_reporter *lr, const struct dg_lock_report *rep)
{
	struct dg_report_options opts = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	void *st;

	if (!m || !(st = lr->begin(m, &opts)))
		abort();
	lr->file(st, rep);
	if (lr->end(st) != 0 || fclose(m) != 0)
		abort();
	if (lr == &dg_lock_reporter_json) {
		fk_check_json("locks json", buf, len);
	} else {
		fk_check_utf8("locks text", buf, len);
		fk_check_no_controls("locks text", buf, len);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_config *cfg;
	struct dg_catalog *cat;
	struct dg_lock_report rep;

	if (!size)
		return 0;
	cfg = dg_config_new();
	cat = dg_catalog_new();
	if (!cfg || !cat || dg_config_set_pg_version(cfg, 11 + (data[0] & 7)) != DG_OK)
		abort();
	dg_config_set_assume_in_transaction(cfg, data[0] & 8);
	/* twice with one schema memory: the second run sees what the first created */
	for (int round = 0; round < 2; round++) {
		dg_locks_buffer_with(cfg, cat, round ? "db/2_b.sql" : "db/1_a.sql",
				     (const char *)data + 1, size - 1, &rep);
		report(&dg_lock_reporter_text, &rep);
		report(&dg_lock_reporter_json, &rep);
		dg_lock_report_clear(&rep);
	}
	dg_catalog_free(cat);
	dg_config_free(cfg);
	return 0;
}
