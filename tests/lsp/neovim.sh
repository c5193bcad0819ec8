#!/bin/sh
# neovim.sh BINARY SOURCE_DIR — Neovim (headless, no user configuration) as the language
# server's client: tests/lsp/neovim.lua over a temporary copy of tests/lsp/project/.
# Exit 77 (skipped) only when nvim is not installed.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
command -v nvim >/dev/null 2>&1 || { echo "nvim is not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/work" "$tmp/home"
cp -R "$src/tests/lsp/project/." "$tmp/work/"
mkdir "$tmp/work/.git" # the configuration lookup stops at the repository's root
HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home" XDG_DATA_HOME="$tmp/home" \
	XDG_STATE_HOME="$tmp/home" XDG_CACHE_HOME="$tmp/home" \
	DDLGUARD="$bin" WORK="$tmp/work" \
	timeout 120 nvim --headless -n -i NONE -u NONE --noplugin \
	-c "luafile $src/tests/lsp/neovim.lua" </dev/null
