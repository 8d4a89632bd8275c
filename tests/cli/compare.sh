#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# steplab compare on the command line: the example against itself and
# against altered copies; bad input gets one line on stderr and exit 2.
# STEPLAB_EXAMPLE=REPORT runs the same checks on another report.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

ex=${STEPLAB_EXAMPLE:-$(ls results/examples/*.json | head -1)}

# alter OUT PYTHON: a copy of the example, changed by PYTHON acting on d.
# Reports from before histograms get the one their summary implies (min,
# mode, max), so that intervals are exercised either way.
alter() {
	python3 - "$ex" "$1" "$2" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d['classes']:
    for m in c['metrics'].values():
        if 'histogram' in m:
            continue
        n, lo, mode, hi = m['n'], m['min'], m['mode'], m['max']
        rest = n - (lo < mode) - (hi > mode)
        pairs = ([[lo, 1]] if lo < mode else []) + [[mode, rest]] + ([[hi, 1]] if hi > mode else [])
        m['histogram'] = {'pairs': pairs, 'truncated': False}
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], 'w'), indent=1)
EOF_PY
}

check "--help exits 0 and shows the usage" -- bash -c "$steplab compare --help | grep -q '^usage: steplab compare A.json B.json'"
expect_fail "no report: usage error" 2 "give two or more reports" -- "$steplab" compare
expect_fail "one report: usage error" 2 "give two or more reports" -- "$steplab" compare "$ex"
expect_fail "unknown option" 2 "unknown option '--frob'" -- "$steplab" compare --frob "$ex" "$ex"
expect_fail "--metric without its name" 2 "needs a value" -- "$steplab" compare "$ex" "$ex" --metric
expect_fail "missing file: named" 2 "tests/data/nope.json" -- "$steplab" compare tests/data/nope.json "$ex"
echo '{nope' > "$tmp/bad.txt"
expect_fail "not JSON: named with its line" 2 "bad.txt:1:" -- "$steplab" compare "$tmp/bad.txt" "$ex"
alter "$tmp/major2.json" "d['schema_version'] = '2.0'"
expect_fail "schema major 2: refused, naming the file" 2 "major2.json:schema_version: '2.0'" -- \
	"$steplab" compare "$tmp/major2.json" "$ex"

if ! err=$("$steplab" report validate "$ex" 2>&1 >/dev/null); then
	diag "$err"
	for t in "same report twice" "unknown metric" "different boards" "--force" "--json" \
		 "--metric" "three reports" "shifted copy" "120 columns" "bad histogram"; do
		ok 1 "$t: $(basename "$ex") validates against this schema"
	done
	tap_done
	exit
fi

# the example with a histogram on every metric: the reference from here on
alter "$tmp/ref.json" "pass"
ref=$tmp/ref.json

"$steplab" compare "$ex" "$ex" >"$tmp/self.txt" 2>"$tmp/stderr"
ok $? "same report twice: exit 0"
check "same report twice: every diff 0, every ratio 1 or -" -- awk '
	/^class / { table = 1; next }
	NF == 0 { table = 0 }
	table && NF >= 7 { rows++; if ($5 != "0" || ($6 != "1.000" && $6 != "-")) bad = 1 }
	END { exit bad || !rows }' "$tmp/self.txt"
check "same report twice: nothing on stderr" -- test ! -s "$tmp/stderr"

expect_fail "unknown --metric: refused" 2 "--metric 'frob': no such metric" -- \
	"$steplab" compare "$ex" "$ex" --metric frob

alter "$tmp/other-board.json" "d['context']['board'] = 'other-board'"
expect_fail "different boards: refused, naming both" 2 "'qemu-virt' vs 'other-board'.*--force" -- \
	"$steplab" compare "$ex" "$tmp/other-board.json"
check "different boards with --force: exit 0, marked" -- bash -c "
$steplab compare --force $ex $tmp/other-board.json | grep -q '^FORCED: context.board'"

"$steplab" compare --json "$ref" "$tmp/other-board.json" --force >"$tmp/out.json"
ok $? "--json: exit 0"
check "--json: parses and has the documented keys" -- python3 - "$tmp/out.json" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['schema'] == 'steplab-compare' and d['schema_version'] == '1.0'
src = {'file', 'board', 'kernel_release', 'kernel_version', 'measured_on'}
assert src <= set(d['reference'])
row = {'class', 'metric', 'median_a', 'median_b', 'diff', 'ratio', 'hl_shift',
       'ci_low', 'ci_high', 'method', 'n_a', 'n_b'}
assert len(d['comparisons']) == 1
for c in d['comparisons']:
    assert src | {'forced', 'rows'} <= set(c) and c['forced'] is True
    assert c['board'] == 'other-board' and c['rows']
    for r in c['rows']:
        assert row <= set(r), set(r) ^ row
        assert r['diff'] == 0 and r['hl_shift'] == 0 and r['ci_low'] <= 0 <= r['ci_high']
        assert r['method'] == 'hodges-lehmann'
EOF_PY

check "--metric twice: only those metrics" -- bash -c "
$steplab compare --json --metric cycles $ex $ex --metric entries | python3 -c '
import json, sys
rows = json.load(sys.stdin)[\"comparisons\"][0][\"rows\"]
assert rows and {r[\"metric\"] for r in rows} == {\"cycles\", \"entries\"}'"
check "three reports: two comparisons against the first" -- bash -c "
$steplab compare --json $ex $ex $ex | python3 -c '
import json, sys; assert len(json.load(sys.stdin)[\"comparisons\"]) == 2'"

alter "$tmp/shifted.json" "
m = [c for c in d['classes'] if c['class'] == 'sysreg'][0]['metrics']['host_instructions']
for k in ('min', 'p10', 'median', 'p90', 'p99', 'max', 'mode'):
    m[k] += 100
for p in m['histogram']['pairs']:
    p[0] += 100"
check "shifted copy: sysreg host_instructions diff 100, shift 100 [100, 100]" -- bash -c "
$steplab compare --json $ref $tmp/shifted.json | python3 -c '
import json, sys
for r in json.load(sys.stdin)[\"comparisons\"][0][\"rows\"]:
    hit = (r[\"class\"], r[\"metric\"]) == (\"sysreg\", \"host_instructions\")
    want = 100 if hit else 0
    assert r[\"diff\"] == want and r[\"hl_shift\"] == want, r
    assert not hit or (r[\"ci_low\"], r[\"ci_high\"]) == (100, 100), r'"
"$steplab" compare "$ref" "$tmp/shifted.json" >"$tmp/shifted.txt"
check "the table fits in 120 columns" -- awk 'length($0) > 120 { exit 1 }' "$tmp/shifted.txt"

alter "$tmp/badhist.json" "d['classes'][2]['metrics']['cycles']['histogram']['pairs'] = [[9, 1], [5, 1]]"
expect_fail "descending histogram: refused, naming file and field" 2 \
	"badhist.json:/classes/2/metrics/cycles/histogram/pairs" -- "$steplab" compare "$ex" "$tmp/badhist.json"

# like with like: another kernel compares on the kernel; another kernel in
# another KVM mode stands side by side, medians only
alter "$tmp/kernel.json" "d['context']['kernel_release'] = '6.12.95+deb12-arm64'"
check "another kernel: compared, naming the kernel" -- bash -c "
$steplab compare $ex $tmp/kernel.json | grep -q '^comparing  kernel$'"
alter "$tmp/mode.json" "d['context']['kernel_release'] = '6.12.95+deb12-arm64'; d['context']['kvm_mode'] = 'nvhe'"
"$steplab" compare --json "$ex" "$tmp/mode.json" > "$tmp/mode.out"
ok $? "another kernel in another mode: exit 0"
check "it stands side by side: no diff, no shift, the reason names both" -- python3 -c "
import json
c = json.load(open('$tmp/mode.out'))['comparisons'][0]
assert c['compared'] == 'nothing: side by side' and 'kvm_mode' in c['side_by_side_because']
assert c['rows'] and all('diff' not in r and 'hl_shift' not in r and r['method'] == 'side-by-side' for r in c['rows'])"

tap_done
