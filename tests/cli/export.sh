#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# steplab export on the command line: each format, on the example report
# and on a failing copy of it, passes its format's check (JSON Schema for
# KCIDB v5 and BMF, xmllint and ElementTree for JUnit, a pattern per line
# for LAVA); bad input gets exit 2, one line on stderr, and no output file.
# STEPLAB_EXAMPLE=REPORT runs the same checks on another report.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

formats=tests/data/formats
ex=${STEPLAB_EXAMPLE:-$(ls results/examples/*.json | head -1)}

EXPECT_ABSENT="$tmp/out"

# json_check SCHEMA FILE KIND: the JSON Schema, then what a schema cannot say.
json_check() {
	python3 - "$@" <<'EOF_PY'
import json, re, sys
import jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema, format_checker=jsonschema.FormatChecker()).iter_errors(doc),
                key=lambda e: list(e.absolute_path))
for e in errors:
    print('# %s: %s' % ('/'.join(map(str, e.absolute_path)), e.message))
if errors:
    sys.exit(1)
if sys.argv[3] == 'kcidb':
    rfc3339 = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$')
    ids = [t['id'] for t in doc['tests']]
    assert doc['tests'], 'no tests'
    assert len(ids) == len(set(ids)), 'test ids repeat'
    for t in doc['tests']:
        assert t['id'].startswith(t['origin'] + ':'), t['id']
        assert 'start_time' not in t or rfc3339.match(t['start_time']), t['start_time']
        assert ('number' in t) == (t['status'] == 'DONE'), t['path']
else:
    for bench, measures in doc.items():
        for name, m in measures.items():
            assert m['lower_value'] <= m['value'] <= m['upper_value'], (bench, name)
EOF_PY
}

# junit_check FILE: the counts each suite states are the testcases it holds.
junit_check() {
	python3 - "$1" <<'EOF_PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'testsuites', root.tag
total = {'tests': 0, 'failures': 0, 'errors': 0, 'skipped': 0}
for s in root.findall('testsuite'):
    cases = s.findall('testcase')
    got = {'tests': len(cases),
           'failures': sum(c.find('failure') is not None for c in cases),
           'errors': sum(c.find('error') is not None for c in cases),
           'skipped': sum(c.find('skipped') is not None for c in cases)}
    for k, v in got.items():
        assert int(s.get(k)) == v, (s.get('name'), k, s.get(k), v)
        total[k] += v
    names = [(c.get('classname'), c.get('name')) for c in cases]
    assert len(names) == len(set(names)), 'testcases repeat'
for k, v in total.items():
    assert int(root.get(k)) == v, ('testsuites', k)
EOF_PY
}

# lava_check FILE: every line is one lava-test-case call.
lava_check() {
	local re='^lava-test-case [A-Za-z0-9_.-]+ --result (pass|fail|skip|unknown)( --measurement -?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)? --units [A-Za-z0-9_./-]+)?$'
	[ -s "$1" ] && ! grep -Evq -- "$re" "$1"
}

# formats_check NAME REPORT...: every format of REPORT... passes its check.
formats_check() {
	local name=$1; shift
	"$steplab" export --format lava -o "$tmp/$name.sh" "$@" 2>"$tmp/stderr" &&
		lava_check "$tmp/$name.sh"
	ok $? "$name: lava lines are lava-test-case NAME --result R [--measurement V --units U]"
	"$steplab" export --format kcidb -o "$tmp/$name.kcidb.json" "$@" 2>"$tmp/stderr" &&
		json_check $formats/kcidb-v5.schema.json "$tmp/$name.kcidb.json" kcidb
	ok $? "$name: kcidb passes the KCIDB v5 schema (jsonschema)"
	"$steplab" export --format bmf -o "$tmp/$name.bmf.json" "$@" 2>"$tmp/stderr" &&
		json_check $formats/bmf.schema.json "$tmp/$name.bmf.json" bmf
	ok $? "$name: bmf passes the BMF schema (jsonschema)"
	"$steplab" export --format junit -o "$tmp/$name.xml" "$@" 2>"$tmp/stderr" &&
		xmllint --noout --schema $formats/junit.xsd "$tmp/$name.xml" 2>"$tmp/xmllint"
	ok $? "$name: junit passes the JUnit XSD (xmllint --schema)"
	[ -s "$tmp/xmllint" ] && grep -v validates "$tmp/xmllint" | sed 's/^/# /'
	junit_check "$tmp/$name.xml"
	ok $? "$name: junit parses (ElementTree), its counts add up"
}

if ! python3 -c 'import jsonschema' 2>/dev/null || ! command -v xmllint >/dev/null; then
	ok 1 "python3-jsonschema and xmllint (libxml2-utils) are installed (make deps installs them)"
	tap_done
	exit
fi

check "--help exits 0 and shows the usage" -- bash -c "$steplab export --help | grep -q '^usage: steplab export --format'"
check "the KCIDB and BMF schemas are themselves valid JSON Schemas" -- python3 -c "
import json, jsonschema
for f in ('kcidb-v5', 'bmf'):
    s = json.load(open('$formats/%s.schema.json' % f))
    jsonschema.validators.validator_for(s).check_schema(s)"

if ! err=$("$steplab" report validate "$ex" 2>&1 >/dev/null); then
	diag "$err"
	ok 1 "formats: $(basename "$ex") validates against this schema"
	tap_done
	exit
fi

formats_check example "$ex"

# A failing copy: a class with bad steps, a buggy design, a counter missing.
python3 - "$ex" "$tmp/bad.json" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['context']['board'] = 'lab board/7 <x> & "y"'
d['context']['counters']['cycles'] = {'available': False, 'reason': 'no <cycles> & such'}
for c in d['classes']:
    c['metrics'].pop('cycles', None)
    c.get('completion_run', {}).pop('cycles', None)
    if c['class'] == 'sysreg':
        c['conforming'] = c['steps'] - 2
    if c['class'] == 'hvc':
        c['design'] = {'verdict': 'buggy', 'evidence': 'PC + 8 <twice> & "more"'}
d['design']['verdict'] = 'buggy'
d['summary'].update(conforming=False, nonconforming=2)
d['nonconforming']['count'] = 2
json.dump(d, open(sys.argv[2], 'w'))
EOF_PY
formats_check failing "$tmp/bad.json"
formats_check "two reports" "$ex" "$tmp/bad.json"

"$steplab" export --format lava "$tmp/bad.json" >"$tmp/bad.sh" 2>"$tmp/stderr"
ok $? "lava to standard output: exit 0"
grep -q '^lava-test-case steplab.lab_board_7__x_____y_.sysreg.conformance --result fail$' "$tmp/bad.sh" &&
	grep -q '^lava-test-case steplab.lab_board_7__x_____y_.hvc.cycles.median --result skip$' "$tmp/bad.sh"
ok $? "lava: the board name made safe, the failing class fails, the missing counter skips"
cmp -s "$tmp/bad.sh" "$tmp/failing.sh"
ok $? "standard output and -o write the same bytes"
python3 - "$tmp/failing.kcidb.json" <<'EOF_PY'
import json, sys
t = {t['path']: t for t in json.load(open(sys.argv[1]))['tests']}
assert t['steplab.sysreg.conformance']['status'] == 'FAIL'
assert t['steplab.hvc.design']['status'] == 'FAIL'
assert t['steplab.hvc.cycles.median']['status'] == 'SKIP'
assert t['steplab.hvc.host_instructions.median']['status'] == 'DONE'
EOF_PY
ok $? "kcidb: FAIL, SKIP and DONE where they belong"
# the lava script runs: each line calls lava-test-case, here a stand-in
mkdir -p "$tmp/bin"
printf '#!/bin/sh\necho "$@" >> "%s"\n' "$tmp/calls" > "$tmp/bin/lava-test-case"
chmod +x "$tmp/bin/lava-test-case"
PATH="$tmp/bin:$PATH" sh -e "$tmp/example.sh" &&
	[ "$(wc -l < "$tmp/calls")" = "$(wc -l < "$tmp/example.sh")" ]
ok $? "lava: the output runs as a shell script, one call per line"

echo '{nope' > "$tmp/notjson.json"
python3 -c "
import json, sys
d = json.load(open('$ex')); d['schema_version'] = '2.0'
json.dump(d, open('$tmp/major2.json', 'w'))"
python3 -c "
import json, sys
d = json.load(open('$ex')); del d['summary']
json.dump(d, open('$tmp/nosummary.json', 'w'))"
expect_fail "missing file: named, exit 2" 2 "tests/data/nope.json" -- \
	"$steplab" export --format kcidb -o "$tmp/out" tests/data/nope.json
expect_fail "not JSON: file and line" 2 "notjson.json:1:" -- \
	"$steplab" export --format junit -o "$tmp/out" "$tmp/notjson.json"
expect_fail "invalid report: file and field" 2 "nosummary.json:.*summary" -- \
	"$steplab" export --format bmf -o "$tmp/out" "$tmp/nosummary.json"
expect_fail "schema major 2: refused" 2 "major2.json:schema_version: '2.0'" -- \
	"$steplab" export --format lava -o "$tmp/out" "$ex" "$tmp/major2.json"
expect_fail "unknown format" 2 "--format 'xml'" -- \
	"$steplab" export --format xml -o "$tmp/out" "$ex"
expect_fail "no format" 2 "--format is required" -- "$steplab" export -o "$tmp/out" "$ex"
expect_fail "no report" 2 "give one or more reports" -- "$steplab" export --format lava -o "$tmp/out"
expect_fail "unknown option" 2 "unknown option '--frob'" -- \
	"$steplab" export --format lava --frob -o "$tmp/out" "$ex"
expect_fail "-o without its file" 2 "needs a value" -- "$steplab" export --format lava "$ex" -o
expect_fail "bad --origin" 2 "--origin 'My-Lab'" -- \
	"$steplab" export --format kcidb --origin My-Lab -o "$tmp/out" "$ex"
expect_fail "bad --build-id" 2 "--build-id 'abc'" -- \
	"$steplab" export --format kcidb --build-id abc -o "$tmp/out" "$ex"
expect_fail "output directory missing: exit 3" 3 "no/such/dir/out" -- \
	"$steplab" export --format lava -o "$tmp/no/such/dir/out" "$ex"
echo keep > "$tmp/out"
"$steplab" export --format kcidb -o "$tmp/out" "$tmp/nosummary.json" 2>/dev/null
[ "$(cat "$tmp/out")" = keep ]
ok $? "a failed export leaves an existing output file as it was"

tap_done
