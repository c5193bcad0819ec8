#!/bin/sh
# quickstart.sh — installs what is missing, builds ddlguard, and lints the demo migrations.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
status=0
./build/ddlguard fixtures/demo || status=$?
echo
echo "ddlguard exited with $status (1 = findings at or above --fail-on: the demo has unsafe migrations on purpose)."
[ "$status" -le 1 ]
