/* registry.h — the list of rules (rules/rules.def expanded): their ids and definitions. */
#ifndef DG_REGISTRY_H
#define DG_REGISTRY_H

#include "rule.h"

enum dg_rule_id {
#define DG_RULE(id) DG_RULE_ID_##id,
#include "rules.def"
#undef DG_RULE
	DG_N_RULES
};

extern const struct dg_rule *const dg_rules[DG_N_RULES];

#endif
