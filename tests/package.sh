#!/bin/sh
# package.sh SOURCE_DIR VERSION BUILT_BINARY — the Debian package, as a user gets it: builds it
# with `dpkg-buildpackage -us -uc -b` from a copy of this tree, checks its contents, runs lintian
# (no errors allowed), installs it with `apt-get install ./ddlguard_VERSION_ARCH.deb`, and runs
# the demo with the installed /usr/bin/ddlguard (the same report as the built binary's). The
# package is removed again at the end unless it was installed before. Skips (77) without root
# or sudo.
set -eu
src=$1 version=$2 built=$3
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	sudo -n true 2>/dev/null || { echo "package: needs root or sudo to install; skipped"; exit 77; }
	SUDO="sudo -n"
fi
tmp=$(mktemp -d)
was_installed=$(dpkg-query -W -f='${Status}' ddlguard 2>/dev/null | grep -c "install ok installed" || true)
cleanup() {
	[ -n "${KEEP:-}" ] && { echo "kept $tmp"; return; }
	if [ "$was_installed" = 0 ] && dpkg-query -W -f='${Status}' ddlguard 2>/dev/null | grep -q "install ok installed"; then
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 remove -y -qq ddlguard >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "package: $*"; exit 1; }

# a copy of the tree without build directories, so the .deb lands in $tmp (dpkg-buildpackage
# writes to the parent directory)
mkdir "$tmp/ddlguard-$version"
(cd "$src" && tar --exclude='./build*' --exclude=./.git --exclude=./debian/.debhelper \
	--exclude=./obj-* -cf - .) | (cd "$tmp/ddlguard-$version" && tar -xf -)
cd "$tmp/ddlguard-$version"
DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b >"$tmp/build.log" 2>&1 ||
	{ tail -40 "$tmp/build.log"; fail "dpkg-buildpackage failed"; }
arch=$(dpkg --print-architecture)
deb="$tmp/ddlguard_${version}_${arch}.deb"
[ -f "$deb" ] || { ls "$tmp"; fail "no $deb"; }

# what it holds: the binary, the man page, the completion, the schemas; no library or header
dpkg-deb -c "$deb" | awk '{print $6}' >"$tmp/contents"
for f in ./usr/bin/ddlguard ./usr/share/man/man1/ddlguard.1.gz \
	./usr/share/bash-completion/completions/ddlguard ./usr/share/doc/ddlguard/copyright \
	./usr/share/ddlguard/schemas/report.schema.json ./usr/share/ddlguard/schemas/locks.schema.json \
	./usr/share/ddlguard/schemas/rules.schema.json ./usr/share/ddlguard/schemas/baseline.schema.json; do
	grep -qx "$f" "$tmp/contents" || fail "the package lacks $f"
done
! grep -E '^\./usr/(include|lib)/' "$tmp/contents" || fail "the package ships a library or header"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version is not $version"

# lintian: no errors (warnings are printed for the record)
lintian --fail-on error --tag-display-limit 0 "$deb" >"$tmp/lintian.log" 2>&1 ||
	{ cat "$tmp/lintian.log"; fail "lintian reports errors"; }
cat "$tmp/lintian.log"

# installed as a user would
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
	--no-install-recommends "$deb" >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; fail "apt-get install failed"; }
[ "$(/usr/bin/ddlguard --version)" = "ddlguard $version" ] || fail "installed --version: $(/usr/bin/ddlguard --version)"
zcat /usr/share/man/man1/ddlguard.1.gz | grep -q "ddlguard $version" || fail "the man page lacks the version"
bash -c '. /usr/share/bash-completion/completions/ddlguard && complete -p ddlguard' >/dev/null ||
	fail "the bash completion does not load"

# the demo with the installed binary: findings (exit 1), the same report as the built binary's
cd "$src"
status=0
/usr/bin/ddlguard --color never fixtures/demo >"$tmp/installed.txt" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$tmp/installed.txt"; fail "the demo exited $status, not 1"; }
grep -q "^[0-9]* findings (" "$tmp/installed.txt" || fail "no totals line in the demo's report"
"$built" --color never fixtures/demo >"$tmp/built.txt" 2>&1 || true
diff -u "$tmp/built.txt" "$tmp/installed.txt" || fail "the installed binary reports otherwise"
echo "package: $(basename "$deb") built, lintian clean of errors, installed, demo: $(tail -1 "$tmp/installed.txt")"
