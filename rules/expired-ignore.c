/* expired-ignore.c — a ddlguard-ignore comment whose `until:` date has passed (or is no date).
 * Reported by the engine's suppression pass (src/suppress.c). */
#include "rule.h"

const struct dg_rule dg_rule_expired_ignore = {
    .name = "expired-ignore",
    .summary = "A ddlguard-ignore comment past its until: date no longer silences anything",
    .help = "Fix what the suppression was hiding, or, if it is still safe, move the until: date "
	    "forward with a reason.",
    .severity = DG_INFO,
};
