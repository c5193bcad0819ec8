#!/bin/sh
# schemas.sh BINARY SOURCE_DIR [CORPUS] — every JSON document ddlguard writes validates against its
# published JSON Schema in docs/ (python3-jsonschema, Draft 2020-12): the findings report over
# every fixture (every rule's findings, every migration format, skipped files, an unreadable
# path, each column unit), the demo and the corpus when present; --locks over the same; the
# rules list; a written baseline. The schemas are strict (no undeclared keys), so a key added to
# an output without its schema fails here.
set -eu
bin=$1 src=$2 corpus=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"

doc=0
run() { # NAME SCHEMA ARGS...: the output of ddlguard ARGS (exit 0 or 1; 2 allowed with a missing path)
	name=$1 schema=$2
	shift 2
	doc=$((doc + 1))
	"$bin" "$@" >"$tmp/$doc.json" 2>/dev/null || [ $? -le 2 ]
	echo "$schema $tmp/$doc.json $name" >>"$tmp/list"
}
run "report, fixtures" report --format json --fail-on never fixtures
run "report, fixtures, byte columns" report --format json --column-unit byte fixtures
run "report, fixtures, display columns" report --format json --column-unit display fixtures
run "report, demo, a missing path" report --format json fixtures/demo "$tmp/missing.sql"
run "report, pg 11, assumed transactions" report --format json --pg-version 11 --assume-in-transaction fixtures
run "locks, fixtures" locks --locks --format json fixtures
run "locks, pg 18, a missing path" locks --locks --format json --pg-version 18 fixtures "$tmp/missing.sql"
run "rules" rules --list-rules --format json
"$bin" --write-baseline "$tmp/baseline.json" fixtures >/dev/null 2>&1 || true
echo "baseline $tmp/baseline.json baseline" >>"$tmp/list"
if [ -n "$corpus" ] && [ -d "$corpus" ]; then
	run "report, corpus" report --format json --fail-on never "$corpus"
	run "locks, corpus" locks --locks --format json "$corpus"
fi

python3 - "$src/docs" "$tmp/list" <<'PY'
import json, sys
from jsonschema import Draft202012Validator

docs, listing = sys.argv[1], sys.argv[2]
bad = 0
checked = 0
for line in open(listing):
    schema_name, path, name = line.rstrip("\n").split(" ", 2)
    schema = json.load(open(f"{docs}/{schema_name}.schema.json"))
    Draft202012Validator.check_schema(schema)
    with open(path) as f:
        doc = json.load(f)
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:5]:
        print(f"{name}: {'/'.join(map(str, e.path))}: {e.message[:300]}")
    bad += bool(errors)
    checked += 1
    # a schema that accepts anything proves nothing: the document must be non-trivial
    if schema_name == "report" and not doc["findings"]:
        print(f"{name}: no findings to validate"); bad += 1
# and the schemas do reject: a report with an undeclared key, a missing one, a bad severity
first = json.load(open(open(listing).readline().split(" ")[1]))
schema = json.load(open(f"{docs}/report.schema.json"))
for mutate in (lambda d: d["findings"][0].update(extra=1), lambda d: d.pop("column_unit"),
               lambda d: d["findings"][0].update(severity="fatal")):
    d = json.loads(json.dumps(first))
    mutate(d)
    if Draft202012Validator(schema).is_valid(d):
        print("report.schema.json accepts a broken document"); bad += 1
print(f"{checked} documents checked against docs/*.schema.json, {bad} invalid")
sys.exit(1 if bad else 0)
PY
