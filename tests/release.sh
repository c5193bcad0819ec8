#!/bin/sh
# release.sh BINARY SOURCE_DIR BUILD_DIR VERSION — one version number everywhere: CMake's
# project(VERSION) (passed in as VERSION) is what --version, the man page, SARIF, the JSON
# documents, debian/changelog and CHANGELOG.md say; the licence is there.
set -eu
bin=$1 src=$2 build=$3 version=$4
fail() { echo "release: $*"; exit 1; }

[ "$("$bin" --version)" = "ddlguard $version" ] || fail "--version says '$("$bin" --version)'"
grep -q "^\.TH DDLGUARD 1 .*\"ddlguard $version\"" "$build/ddlguard.1" || fail "the man page's .TH lacks $version"
echo 'CREATE INDEX i ON t (a);' >"$build/release-check.sql"
"$bin" --format sarif "$build/release-check.sql" | python3 -c '
import json, sys
d = json.load(sys.stdin)["runs"][0]["tool"]["driver"]
assert d["version"] == sys.argv[1] and d["semanticVersion"] == sys.argv[1], d["version"]' "$version" ||
	fail "SARIF tool.driver.version"
for args in "--format json $build/release-check.sql" "--locks --format json $build/release-check.sql" \
	"--list-rules --format json"; do
	# shellcheck disable=SC2086
	"$bin" $args | python3 -c '
import json, sys
assert json.load(sys.stdin)["ddlguard_version"] == sys.argv[1]' "$version" || fail "ddlguard_version of $args"
done
rm -f "$build/release-check.sql"
[ "$(sed -n '1s/^ddlguard (\([^)]*\)).*/\1/p' "$src/debian/changelog")" = "$version" ] ||
	fail "debian/changelog's newest entry is not $version"
grep -q "^## \[$version\] - [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$" "$src/CHANGELOG.md" ||
	fail "CHANGELOG.md has no '## [$version] - DATE' entry"
head -1 "$src/LICENSE" | grep -qx "MIT License" || fail "LICENSE is not the MIT licence"
grep -q "^License: Expat" "$src/debian/copyright" || fail "debian/copyright does not say Expat (MIT)"
echo "release: $version in --version, the man page, SARIF, JSON, debian/changelog and CHANGELOG.md"
