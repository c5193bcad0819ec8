#!/bin/sh
# precommit.sh SOURCE_DIR BINARY — the README's .pre-commit-config.yaml, exactly as written except
# for `repo:` (this checkout) and `rev:` (its HEAD commit), run by the real pre-commit framework in
# a temporary git repository with `pre-commit install` and `git commit`: a bad staged migration is
# blocked (no commit made), a good one is committed. BINARY's directory comes first on the PATH:
# the hook is language: system.
set -eu
src=$1 bin=$2
command -v pre-commit >/dev/null || { echo "precommit: pre-commit is not installed (tools/deps.sh)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "precommit: $*"; exit 1; }
rev=$(git -C "$src" rev-parse HEAD) || fail "$src is not a git checkout"
git -C "$src" cat-file -e "HEAD:.pre-commit-hooks.yaml" || fail "HEAD has no .pre-commit-hooks.yaml"

# the README's block, from "# .pre-commit-config.yaml" to the closing fence
awk '/^```yaml$/ { inblock = 1; n = 0; next }
     inblock && /^```$/ { if (found) exit; inblock = 0; next }
     inblock { n++; if (n == 1 && $0 == "# .pre-commit-config.yaml") found = 1; if (found) print }' \
	"$src/README.md" >"$tmp/readme.yaml"
[ -s "$tmp/readme.yaml" ] || fail "README.md has no '# .pre-commit-config.yaml' block"
grep -q '^  - repo: ' "$tmp/readme.yaml" && grep -q '^    rev: ' "$tmp/readme.yaml" ||
	fail "the README's block has no repo:/rev: lines"
mkdir "$tmp/work"
sed -e "s|^\\(  - repo: \\)[^ ]*|\\1$src|" -e "s|^\\(    rev: \\)[^ ]*|\\1$rev|" \
	"$tmp/readme.yaml" >"$tmp/work/.pre-commit-config.yaml"

export PRE_COMMIT_HOME="$tmp/cache" PATH="$(dirname "$bin"):$PATH" HOME="$tmp"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
cd "$tmp/work"
git init -q .
git add .pre-commit-config.yaml
git commit -q -m config --no-verify
pre-commit install >/dev/null

mkdir -p db/migrations
printf 'CREATE INDEX accounts_name_idx ON accounts (name);\n' >db/migrations/20240102_index.sql
git add db/migrations/20240102_index.sql
if git commit -m "bad migration" >"$tmp/bad.log" 2>&1; then
	cat "$tmp/bad.log"
	fail "a migration with a CREATE INDEX without CONCURRENTLY was committed"
fi
grep -q "20240102_index.sql:1:1: warning\[require-concurrent-index-creation\]" "$tmp/bad.log" ||
	{ cat "$tmp/bad.log"; fail "the hook did not say why it blocked the commit"; }
[ "$(git rev-list --count HEAD)" = 1 ] || fail "a commit was made"
git reset -q

printf 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\n' >db/migrations/20240101_accounts.sql
git add db/migrations/20240101_accounts.sql
git commit -m "good migration" >"$tmp/good.log" 2>&1 || { cat "$tmp/good.log"; fail "a clean migration was blocked"; }
grep -q "^ddlguard\\.*Passed" "$tmp/good.log" || { cat "$tmp/good.log"; fail "the hook did not run on the clean migration"; }
[ "$(git rev-list --count HEAD)" = 2 ] || fail "the clean migration was not committed"
echo "precommit: README config at $rev: bad migration blocked, good one committed"
