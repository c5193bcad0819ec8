#!/bin/sh
# action.sh SOURCE_DIR BINARY — the GitHub Action's script (tools/action.sh) with the environment
# GitHub sets for a pull request: GITHUB_WORKSPACE a clone whose branch adds migrations over
# origin/main, GITHUB_BASE_REF=main, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP. Checks the
# annotations, the SARIF file (only the changed migrations, paths from the repository root), the
# job summary (every finding listed, with the total and the 10-annotations note), the outputs
# and exit statuses; then fail-on never, a config input, and a push (no base ref: everything).
set -eu
src=$1 bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "action: $*"; exit 1; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
export PATH="$(dirname "$bin"):$PATH" HOME="$tmp"

# origin with one applied migration on main; the pull request's branch adds unsafe ones
git init -q --bare "$tmp/origin.git"
git clone -q "$tmp/origin.git" "$tmp/ws" 2>/dev/null
cd "$tmp/ws"
git checkout -q -b main
mkdir -p db/migrations
printf 'CREATE INDEX old_idx ON old (a);\n' >db/migrations/20240101_old.sql
git add . && git commit -q -m base && git push -q origin main 2>/dev/null
git checkout -q -b feature
i=0
while [ $i -lt 12 ]; do # 12 CREATE INDEX warnings: more than GitHub's 10 annotations
	printf 'CREATE INDEX i%s ON t%s (a);\n' $i $i >>db/migrations/20240202_new.sql
	i=$((i + 1))
done
printf 'ALTER TABLE users ADD COLUMN status text NOT NULL;\n' >db/migrations/20240203_status.sql
git add . && git commit -q -m feature

run_action() { # env assignments as arguments; sets $status
	rm -rf "$tmp/runner" && mkdir "$tmp/runner"
	: >"$tmp/runner/output"
	: >"$tmp/runner/summary"
	status=0
	env GITHUB_WORKSPACE="$tmp/ws" GITHUB_OUTPUT="$tmp/runner/output" \
		GITHUB_STEP_SUMMARY="$tmp/runner/summary" RUNNER_TEMP="$tmp/runner" \
		INPUT_PATH=db/migrations INPUT_FORMAT=github INPUT_FAIL_ON=warning "$@" \
		"$src/tools/action.sh" >"$tmp/runner/log" 2>&1 || status=$?
}
output() { sed -n "s/^$1=//p" "$tmp/runner/output"; }

cd "$tmp"
run_action GITHUB_BASE_REF=main
[ "$status" -eq 1 ] || { cat "$tmp/runner/log"; fail "exit $status with findings, not 1"; }
sarif=$(output sarif-file)
[ "$sarif" = "$tmp/runner/ddlguard.sarif" ] || fail "sarif-file output: '$sarif'"
[ "$(output exit-code)" = 1 ] || fail "exit-code output: $(output exit-code)"
n=$(output findings)
python3 - "$sarif" "$n" <<'PY' || fail "the SARIF file"
import json, sys
doc = json.load(open(sys.argv[1]))
results = doc["runs"][0]["results"]
assert len(results) == int(sys.argv[2]), (len(results), sys.argv[2])
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
assert uris == {"db/migrations/20240202_new.sql", "db/migrations/20240203_status.sql"}, uris
assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
           for r in results)
PY
[ "$n" -ge 13 ] || fail "only $n findings"
# annotations in the log, for the changed migrations only
grep -q '^::warning file=db/migrations/20240202_new.sql,line=12,col=1,' "$tmp/runner/log" ||
	{ cat "$tmp/runner/log"; fail "no annotation for the last CREATE INDEX"; }
grep -q '^::error file=db/migrations/20240203_status.sql,line=1,' "$tmp/runner/log" || fail "no error annotation"
! grep -q '20240101_old.sql' "$tmp/runner/log" || fail "the unchanged migration was linted"
# the summary: the total, every finding as a table row, the note about the 10 annotations
summary="$tmp/runner/summary"
grep -q "^\*\*$n findings\*\* " "$summary" || { cat "$summary"; fail "the summary lacks the total"; }
rows=$(grep -c '^| [0-9]*:[0-9]* | ' "$summary")
[ "$rows" -eq "$n" ] || fail "the summary lists $rows findings of $n"
grep -q "^### db/migrations/20240202\\\\_new.sql$" "$summary" || fail "no table for 20240202_new.sql"
grep -q "at most 10 annotations of each level per step: all $n findings are listed above" "$summary" ||
	fail "the summary does not say it lists more than the annotations"

# fail-on never: the same report, exit 0
run_action GITHUB_BASE_REF=main INPUT_FAIL_ON=never
[ "$status" -eq 0 ] && [ "$(output exit-code)" = 0 ] || fail "fail-on never exited $status"
# the config input: a file elsewhere turning the index rule off
printf 'rules:\n  require-concurrent-index-creation: off\n' >"$tmp/cfg.yaml"
run_action GITHUB_BASE_REF=main INPUT_CONFIG="$tmp/cfg.yaml" INPUT_FAIL_ON=error
[ "$status" -eq 1 ] || fail "config + fail-on error exited $status (the NOT NULL error remains)"
! grep -q 'require-concurrent-index-creation' "$tmp/runner/log" || fail "the config input was ignored"
# a push: no GITHUB_BASE_REF, every migration is linted, format text
run_action INPUT_FORMAT=gcc
[ "$status" -eq 1 ] || fail "push exited $status"
grep -q '^db/migrations/20240101_old.sql:1:1: warning: ' "$tmp/runner/log" ||
	{ cat "$tmp/runner/log"; fail "a push did not lint every migration in the gcc format"; }
# an unknown diff-base: trouble, exit 2
run_action INPUT_DIFF_BASE=no-such-ref
[ "$status" -eq 2 ] && [ "$(output exit-code)" = 2 ] || fail "a bad diff-base exited $status"
echo "action: pull request ($n findings: annotations, SARIF, summary), fail-on, config, push, bad ref"
