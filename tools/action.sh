#!/bin/sh
# action.sh — the steps of the GitHub Action (action.yml), run from the environment GitHub sets:
# GITHUB_WORKSPACE (the checkout), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_BASE_REF (pull
# requests), RUNNER_TEMP; inputs as INPUT_PATH, INPUT_FORMAT, INPUT_FAIL_ON, INPUT_DIFF_BASE,
# INPUT_CONFIG. It uses the ddlguard on the PATH, or builds this checkout of ddlguard once
# (Debian/Ubuntu build dependencies through apt-get). It writes:
#   - the SARIF report to $RUNNER_TEMP/ddlguard.sarif (output sarif-file), for code scanning;
#   - a Markdown job summary listing every finding with the total (GitHub shows only 10
#     annotations per level and step, the summary has them all);
#   - the INPUT_FORMAT report (default: github annotations) to the log; its exit status is the
#     step's: 1 for findings at or above INPUT_FAIL_ON, 2 for trouble.
set -eu
: "${GITHUB_WORKSPACE:?not set: run inside GitHub Actions}" "${GITHUB_OUTPUT:?}" "${GITHUB_STEP_SUMMARY:?}"
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
format=${INPUT_FORMAT:-github} fail_on=${INPUT_FAIL_ON:-warning}
diff_base=${INPUT_DIFF_BASE:-}
[ -n "$diff_base" ] || [ -z "${GITHUB_BASE_REF:-}" ] || diff_base="origin/$GITHUB_BASE_REF"

bin=$(command -v ddlguard || true)
if [ -z "$bin" ]; then
	echo "::group::Building ddlguard"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
		--no-install-recommends cmake make gcc libc6-dev pkg-config libpg-query-dev \
		libprotobuf-c-dev libcjson-dev libyaml-dev git
	cmake -S "$here" -B "$tmp/ddlguard-build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDDLGUARD_TESTS=OFF
	cmake --build "$tmp/ddlguard-build" -j"$(nproc)"
	bin="$tmp/ddlguard-build/ddlguard"
	echo "::endgroup::"
fi

set --
[ -z "$diff_base" ] || set -- "$@" --diff-base "$diff_base"
[ -z "${INPUT_CONFIG:-}" ] || set -- "$@" --config "$INPUT_CONFIG"
cd "$GITHUB_WORKSPACE"
# shellcheck disable=SC2086 # INPUT_PATH is a space-separated list of paths
set -- "$@" -- ${INPUT_PATH:-.}

sarif="$tmp/ddlguard.sarif"
status=0
"$bin" --format sarif --fail-on never "$@" >"$sarif" || status=$?
[ "$status" -eq 0 ] || { echo "::error title=ddlguard::ddlguard failed (exit $status): see the log"; }
findings=$(grep -c '"ruleId":' "$sarif" || true)

{
	"$bin" --format markdown --fail-on never "$@" || true
	if [ "$findings" -gt 10 ]; then
		echo
		echo "GitHub shows at most 10 annotations of each level per step: all $findings findings are listed above."
	fi
} >>"$GITHUB_STEP_SUMMARY"

status=0
"$bin" --format "$format" --fail-on "$fail_on" "$@" || status=$?
{
	echo "sarif-file=$sarif"
	echo "findings=$findings"
	echo "exit-code=$status"
} >>"$GITHUB_OUTPUT"
exit "$status"
