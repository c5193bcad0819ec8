#!/bin/sh
# deps.sh — installs the Debian packages ddlguard needs to build and test, if any is missing
# (debhelper, dpkg-dev and lintian build and check the .deb; pre-commit runs the hook as users do;
# python3-jsonschema validates the JSON documents against docs/*.schema.json; neovim drives the
# language server as an editor does; libtsan2 is the ThreadSanitizer runtime of the build-tsan
# variant).
set -eu
PACKAGES="cmake make gcc libc6-dev pkg-config libpg-query-dev libprotobuf-c-dev libcjson-dev
libcmocka-dev libyaml-dev git libpq-dev postgresql-15 libxml2-utils libxml2-dev
debhelper dpkg-dev lintian pre-commit python3-jsonschema neovim libtsan2"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
