/* fuzz_template.c — libFuzzer target for the DynamoDB front half: the input is a base version
 * and a new version of a template (split at the first NUL byte, or none), read under a name the
 * second byte picks; reading, comparing and suppressing must not crash, leak or trip a
 * sanitizer. Build: cmake -DDDLGUARD_FUZZ=ON with CC=clang. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddlguard/ddlguard.h"
#include "dynamodb/dynamodb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct base {
	const uint8_t *data;
	size_t len;
	bool present;
};

static char *base_reader(void *user, const char *path, size_t *len)
{
	const struct base *b = user;
	char *buf;

	(void)path;
	if (!b->present)
		return NULL;
	buf = malloc(b->len + 1);
	if (!buf)
		return NULL;
	memcpy(buf, b->data, b->len);
	buf[b->len] = '\0';
	*len = b->len;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dg_config *cfg;
	static const char *const names[] = {"template.yaml", "serverless.yml", "main.tf.json",
					    "plan.json", "cdk.out/S.template.json"};
	static struct base base;
	const uint8_t *nul;
	const char *name;
	struct dg_result res;

	if (!cfg) {
		cfg = dg_config_new();
		dg_config_set_base_reader(cfg, base_reader, &base);
	}
	name = names[size ? data[0] % (sizeof(names) / sizeof(names[0])) : 0];
	nul = size ? memchr(data, '\0', size) : NULL;
	base.present = nul != NULL;
	base.data = data;
	base.len = nul ? (size_t)(nul - data) : 0;
	if (nul) {
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	dg_ddb_lint(cfg, name, (const char *)data, size, &res);
	dg_result_clear(&res);
	if (base.present) {
		dg_ddb_lint_deleted(cfg, name, (const char *)base.data, base.len, &res);
		dg_result_clear(&res);
	}
	return 0;
}
