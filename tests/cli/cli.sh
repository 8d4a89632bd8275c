#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The command line on this host: what needs no KVM works, bad input gets
# one line naming the file, field and reason, a non-zero exit, and no
# output file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

EXPECT_ABSENT="$tmp/out.json" EXPECT_STDOUT_EMPTY=0

check "--version names the version" -- bash -c "$steplab --version | grep -q '^steplab [0-9]'"
check "--help exits 0" -- "$steplab" --help
expect_fail "no command: one line, exit 2" 2 "no command given" -- "$steplab"
expect_fail "unknown command" 2 "'frob' is not a command" -- "$steplab" frob
expect_fail "run: unknown option" 2 "unknown option '--frob'" -- "$steplab" run --frob
expect_fail "run: option without its value" 2 "needs a value" -- "$steplab" run --mix
check "catalog lists every class" -- bash -c "out=\$($steplab catalog); for c in untrapped mem branch mmio_read mmio_write sysreg hvc smc exception eret; do grep -q \" \$c \" <<<\"\$out\" || exit 1; done"

# Mix specs: each bad one is refused before anything runs.
while IFS='|' read -r spec pat; do
	expect_fail "mix '$spec' refused" 2 "$pat" -- "$steplab" run --mix "$spec" -o "$tmp/out.json"
done <<'EOF_MIX'
frob:1|no class or catalog row named 'frob'
untrapped:0|weight must be an integer from 1 to 1000000
untrapped|want CLASS:WEIGHT
untrapped:1,,smc:1|empty term
untrapped:x|weight must be an integer
untrapped:-3|weight must be an integer
untrapped:1,untrapped:2|'untrapped' given twice
eret:1|no class or catalog row named 'eret'
:5|want CLASS:WEIGHT
untrapped:1,|empty term
EOF_MIX
expect_fail "steps 0 refused" 2 "at least 1" -- "$steplab" run --mix smc:1 --steps 0 -o "$tmp/out.json"
expect_fail "steps not a number" 2 "--steps '1e3'" -- "$steplab" run --mix smc:1 --steps 1e3 -o "$tmp/out.json"
expect_fail "unknown guest program" 2 "--guest 'nope': no such program" -- "$steplab" run --guest nope -o "$tmp/out.json"
expect_fail "unwritable output directory" 2 "directory not writable" -- "$steplab" run --guest every -o /proc/nope/out.json

# Board files: one line "file:field: reason".
for f in tests/data/boards/*.json; do
	pat=$(sed -n 's/^.*"_expect_error": "\([^"]*\)".*$/\1/p' "$f")
	expect_fail "board $(basename "$f" .json) refused" 2 "$f:$pat" -- "$steplab" run -b "$f" --guest every -o "$tmp/out.json"
done
expect_fail "missing board file" 2 "tests/data/nope.json.*(No such file|unable to open)" -- "$steplab" run -b tests/data/nope.json -o "$tmp/out.json"

# steplab board validate: the same one line for each malformed file, exit 2,
# and nothing written, neither in the working directory (an empty one,
# which must stay empty) nor beside the file.
validate_from_scratch() {	# validate_from_scratch FILE...
	local top=$PWD st f
	local -a files=()

	for f; do files+=("$top/$f"); done
	rm -rf "$tmp/cwd" && mkdir "$tmp/cwd"
	(cd "$tmp/cwd" && exec "$top/$steplab" board validate "${files[@]}"); st=$?
	if [ -n "$(ls -A "$tmp/cwd")" ]; then
		echo "board validate wrote $(ls -A "$tmp/cwd")" >&2
		return 99
	fi
	return $st
}
listing=$(ls -l --full-time tests/data/boards)
for f in tests/data/boards/*.json; do
	pat=$(sed -n 's/^.*"_expect_error": "\([^"]*\)".*$/\1/p' "$f")
	expect_fail "board validate $(basename "$f" .json) refused" 2 "/$f:$pat" -- validate_from_scratch "$f"
done
ok $([ "$listing" = "$(ls -l --full-time tests/data/boards)" ]; echo $?) \
	"board validate left tests/data/boards as it was"
for f in boards/*.json; do
	check "board validate $(basename "$f" .json): valid" -- bash -c \
		"set -o pipefail; $steplab board validate $f | grep -q '^$f: valid board [a-z0-9-]* ([0-9]* core kinds\?, [0-9]* gpio lines\?)$'"
done
check "boards validate with python-jsonschema too" -- python3 -c "
import glob, json, jsonschema
s = json.load(open('results/schema/board.schema.json'))
for f in glob.glob('boards/*.json'):
    jsonschema.validate(json.load(open(f)), s)"
check "python-jsonschema agrees on every malformed board that is JSON" -- python3 -c "
import glob, json, jsonschema, sys
def pairs(p):
    if len({k for k, _ in p}) != len(p):
        raise ValueError('duplicate key')
    return dict(p)
v = jsonschema.Draft202012Validator(json.load(open('results/schema/board.schema.json')))
for f in glob.glob('tests/data/boards/*.json'):
    try:
        d = json.load(open(f), object_pairs_hook=pairs)
    except ValueError:
        continue
    if v.is_valid(d) != bool(isinstance(d, dict) and d.get('_beyond_schema')):
        sys.exit(f)"
check "board --help exits 0" -- "$steplab" board --help
check "board schema prints results/schema/board.schema.json" -- bash -c \
	"$steplab board schema | cmp -s - results/schema/board.schema.json"
expect_fail "board: no subcommand" 2 "steplab board: no subcommand given" -- "$steplab" board
expect_fail "board: unknown subcommand" 2 "'frob' is not a board subcommand" -- "$steplab" board frob
expect_fail "board validate: no files" 2 "give one or more board files" -- "$steplab" board validate
expect_fail "board validate: a missing file" 2 "tests/data/nope.json: unable to open" -- \
	"$steplab" board validate tests/data/nope.json
check "board validate: one good and one bad file, one line each, exit 2" -- bash -c "
$steplab board validate boards/qemu-virt.json tests/data/boards/cores-empty.json >$tmp/o 2>$tmp/e
[ \$? = 2 ] && [ \$(wc -l <$tmp/o) = 1 ] && [ \$(wc -l <$tmp/e) = 1 ] &&
grep -q '^boards/qemu-virt.json: valid board qemu-virt (1 core kind, 3 gpio lines)$' $tmp/o &&
grep -q '^tests/data/boards/cores-empty.json:cores: ' $tmp/e"

if [ "$(host_arch)" != arm64 ]; then
	expect_fail "run without arm64 KVM points at the emulated board" 4 "needs an arm64 host.*tools/qemu-board" -- \
		"$steplab" run -b boards/qemu-virt.json -o "$tmp/out.json"
else
	skip "run without arm64 KVM: this host is arm64"
fi

# Reports: the checked-in examples validate, damaged copies do not.
for r in results/examples/*.json; do
	check "$(basename "$r") validates" -- "$steplab" report validate "$r"
	check "$(basename "$r") validates with python-jsonschema too" -- python3 -c "
import json, sys, jsonschema
jsonschema.validate(json.load(open('$r')), json.load(open('results/schema/report.schema.json')))"
done
ex=$(ls results/examples/*.json | head -1)
damage() {	# damage NAME PYTHON-EXPR PATTERN
	python3 - "$ex" "$tmp/bad.json" "$2" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], 'w'))
EOF_PY
	expect_fail "report: $1" 2 "$3" -- "$steplab" report validate "$tmp/bad.json"
}
damage "steps as a string" "d['classes'][0]['steps'] = 'x'" "bad.json:/classes/0/steps: expected integer"
damage "missing context.board" "del d['context']['board']" "bad.json:/context: missing required property \"board\""
damage "next major version" "d['schema_version'] = '2.0'" "schema_version: '2.0'"
damage "not a steplab report" "d['schema'] = 'other'" "schema: 'other' is not 'steplab-report'"
damage "unknown verdict" "d['design']['verdict'] = 'maybe'" "/design/verdict"
damage "negative count" "d['summary']['steps'] = -1" "/summary/steps"
check "report: unknown keys are ignored" -- bash -c "python3 -c \"
import json; d=json.load(open('$ex')); d['future_key']={'x':1}; d['context']['new']=2
json.dump(d, open('$tmp/extra.json','w'))\" && $steplab report validate $tmp/extra.json"
expect_fail "report: not JSON" 2 "bad.txt:1:" -- bash -c "echo '{nope' > $tmp/bad.txt; exec $steplab report validate $tmp/bad.txt"

# Baselines: a report checks against its own baseline; a changed mode fails
# and names class and metric; another kernel is a skip.
"$steplab" baseline make "$ex" "$tmp/base.json" >/dev/null 2>&1
check "baseline made from a conforming report matches it" -- "$steplab" baseline check "$tmp/base.json" "$ex"
python3 - "$tmp/base.json" <<'EOF_PY'
import json, sys
b = json.load(open(sys.argv[1]))
b['classes']['sysreg']['host_instructions'] += 1
json.dump(b, open(sys.argv[1] + '.mode', 'w'))
b['classes']['sysreg']['host_instructions'] -= 1
b['kernel_version'] = '#1 SMP other'
json.dump(b, open(sys.argv[1] + '.kernel', 'w'))
EOF_PY
check "a changed mode fails, naming class and metric" -- bash -c "
$steplab baseline check $tmp/base.json.mode $ex > $tmp/o; [ \$? = 1 ] && grep -q '^sysreg.host_instructions: mode' $tmp/o"
check "--min-share 1 asks every step on the mode: the example fails, naming the share" -- bash -c "
$steplab baseline check --min-share 1 $tmp/base.json $ex > $tmp/o; [ \$? = 1 ] && grep -q 'of uninterrupted steps on the mode' $tmp/o"
expect_fail "--min-share out of range" 2 "--min-share '2'" -- "$steplab" baseline check --min-share 2 "$tmp/base.json" "$ex"
check "a baseline of another kernel build is a skip" -- bash -c "
$steplab baseline check $tmp/base.json.kernel $ex > $tmp/o; [ \$? = 4 ] && grep -q 'skip: kernel_version' $tmp/o"
python3 - "$tmp/base.json" <<'EOF_PY'
import json, sys
b = json.load(open(sys.argv[1]))
b['kernel_version'] = '#1 SMP Debian 6.1.192-1 (2026-10-01)'
b['classes']['hvc']['entries'] = 1
json.dump(b, open(sys.argv[1] + '.moved', 'w'))
del b['classes']['smc']
b['kernel_version'] = json.load(open(sys.argv[1]))['kernel_version']
b['classes']['hvc']['entries'] = 2
json.dump(b, open(sys.argv[1] + '.nosmc', 'w'))
b['classes'] = {}
json.dump(b, open(sys.argv[1] + '.empty', 'w'))
EOF_PY
expect_fail "a baseline with \"classes\": {} checks nothing: refused" 2 \
	"base.json.empty:classes: the baseline names no class" -- "$steplab" baseline check "$tmp/base.json.empty" "$ex"
check "a report class the baseline lacks is a mismatch naming it" -- bash -c "
$steplab baseline check $tmp/base.json.nosmc $ex > $tmp/o; [ \$? = 1 ] &&
grep -qx 'smc: in the report, not in the baseline' $tmp/o && grep -q ': 1 mismatch\$' $tmp/o"
check "--other-build: names what moved, checks the modes no build moves" -- bash -c "
$steplab baseline check --other-build $tmp/base.json.moved $ex > $tmp/o; [ \$? = 1 ] &&
grep -q \"^kernel_version: baseline is for '#1 SMP Debian 6.1.192-1\" $tmp/o &&
grep -qx 'hvc.entries: mode 2, baseline 1' $tmp/o && ! grep -q '^[a-z_]*.host_instructions' $tmp/o"
check "--ignore entries: that mode is left unchecked and the line says so" -- bash -c "
$steplab baseline check --other-build --ignore entries $tmp/base.json.moved $ex > $tmp/o &&
grep -q '1.192-1.*\$' $tmp/o && grep -q ': 0 mismatches (another build: host_instructions not checked) (not checked: entries)\$' $tmp/o"

# The board tests' baseline helper (tests/board/baseline.sh), on baselines that
# Debian moved the kernel under: it names the move and asserts what no
# build changes; with no baseline of the kernel line it fails.
mkdir -p "$tmp/bl"
python3 - "$tmp/base.json" "$tmp/bl" <<'EOF_PY'
import json, sys
b = json.load(open(sys.argv[1]))
b['kernel_version'] = '#1 SMP Debian 6.1.192-1 (2026-10-01)'
for c in b['classes'].values():
    c['host_instructions'] += 7
json.dump(b, open(sys.argv[2] + '/' + b['kernel_release'] + '.json', 'w'))
EOF_PY
(
	. tests/board/baseline.sh
	tap_n=0 tap_pass=0 tap_fail=0
	BASELINES=$tmp/bl assert_baseline moved debian-6.1 "$ex" > "$tmp/helper.out"
	BASELINES=$tmp/none assert_baseline none debian-6.1 "$ex" >> "$tmp/helper.out"
)
check "helper: Debian moved the image: says which version moved, asserts the rest" -- bash -c "
grep -q '^# moved: linux-image-6.1.0-56-arm64-unsigned moved under the baseline: recorded on 6.1.192-1 (6.1.0-56-arm64), this run booted 6.1.192-2 (6.1.0-56-arm64)' $tmp/helper.out &&
grep -q '^ok 1 - moved: .*moved (6.1.192-1 -> 6.1.192-2): entries, exits, KVM_RUNs and guest instructions match' $tmp/helper.out"
check "helper: no baseline for the kernel line: a failure, not a skip" -- grep -q '^not ok 2 - none: a baseline for kernel 6.1.0-56-arm64' "$tmp/helper.out"

# common_shift: one shift of every class's host-instruction mode (Debian
# 7.3's boot-to-boot state), or one per group of classes (those that read
# a register and those that read the PC alone), is named; anything else is
# refused.
python3 - "$tmp/base.json" "$tmp" <<'EOF_PY'
import json, sys
for name, host, extra in (('same', {}, None), ('all8', {'*': 8}, None),
                          ('one', {'*': 8, 'sysreg': 5}, None), ('big', {'*': 40}, None),
                          ('entries', {'*': 8}, 'entries'),
                          ('groups', {'*': 8, 'branch': 4, 'mmio_write': 4, 'exception': 4,
                                      'eret': 4}, None),
                          ('half', {'branch': 4, 'mmio_write': 4}, None)):
    b = json.load(open(sys.argv[1]))
    for cls, c in b['classes'].items():
        c['host_instructions'] += host.get(cls, host.get('*', 0))
        if extra:
            c[extra] += 1
    json.dump(b, open('%s/shift-%s.json' % (sys.argv[2], name), 'w'))
EOF_PY
shifts=
for v in same all8 one big entries groups half; do
	"$steplab" baseline check --min-share 0 "$tmp/shift-$v.json" "$ex" > "$tmp/shift-$v.out" 2>&1
	shifts="$shifts $v=$(. tests/board/baseline.sh; common_shift "$tmp/shift-$v.out" "$ex" || echo no)"
done
ok $([ "$shifts" = " same=0 all8=-8 one=no big=no entries=no groups=-8/-4 half=no" ]; echo $?) \
	"helper: common_shift names one shift of every class or of each group, at most 16, and refuses the rest ($shifts)"

# The checklist: bad input is exit 2; on this host the KVM items fail.
expect_fail "checklist without --board" 2 "--board FILE is required" -- "$steplab" checklist
expect_fail "checklist with a bad board file" 2 "tests/data/boards/no-name.json:name" -- \
	"$steplab" checklist --board tests/data/boards/no-name.json
if [ "$(host_arch)" != arm64 ]; then
	"$steplab" checklist --board boards/qemu-virt.json --json > "$tmp/ck.json" 2>/dev/null
	st=$?
	ok $([ $st = 1 ]; echo $?) "checklist on a host without arm64 KVM: exit 1 (status $st)"
	check "its JSON names every item with status and reason, kvm failing" -- python3 -c "
import json
d = json.load(open('$tmp/ck.json'))
assert d['schema'] == 'steplab-checklist' and d['ready'] is False
items = {i['item']: i for i in d['items']}
assert items['kvm']['status'] == 'fail' and 'arm64' in items['kvm']['reason']
assert all(i['status'] in ('pass', 'fail', 'skip') and i['reason'] for i in d['items'])
assert len(items) >= 11
assert items['isolation']['status'] == 'skip' and 'emulated board' in items['isolation']['reason']"
	"$steplab" checklist --board boards/ampere-altra.json --json > "$tmp/ck2.json" 2>/dev/null
	check "on a real board's file, a measured CPU that is not isolated fails, naming the fix" -- python3 -c "
import json
i = {i['item']: i for i in json.load(open('$tmp/ck2.json'))['items']}['isolation']
isolated = open('/sys/devices/system/cpu/isolated').read().strip()
assert isolated or (i['status'] == 'fail' and 'isolcpus=' in i['reason'] and 'nohz_full=' in i['reason']), i"
fi

# make install with PREFIX and DESTDIR, and the manual made from --help.
make --no-print-directory install DESTDIR="$tmp/inst" PREFIX=/usr >/dev/null 2>&1
ok $? "make install DESTDIR=... PREFIX=/usr"
check "it installs the binary, the manual, boards and schemas" -- test -x "$tmp/inst/usr/bin/steplab" -a \
	-f "$tmp/inst/usr/share/man/man1/steplab.1" -a -f "$tmp/inst/usr/share/steplab/boards/qemu-virt.json" -a \
	-f "$tmp/inst/usr/share/steplab/schema/report.schema.json"
check "the manual has a section for every command" -- bash -c "
for c in \$($steplab --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print \$1}'); do
	grep -q \"^.SS \$c\$\" $tmp/inst/usr/share/man/man1/steplab.1 || exit 1
done"
check "the manual renders" -- bash -c "groff -man -Tascii -P-cbou $tmp/inst/usr/share/man/man1/steplab.1 | grep -q 'EXIT STATUS'"

# The LAVA nightly script: every line it hands lava-test-case is well formed;
# a board that is not ready (this host: no arm64 KVM) reports each checklist
# item, a failed checklist and a skipped run; a ready board's run is
# exported, and its verdict follows the run's status (a stand-in steplab
# passes the checklist and hands back the example report).
mkdir -p "$tmp/lava-bin"
printf '#!/bin/sh\necho "$*" >> "$LAVA_LINES"\n' > "$tmp/lava-bin/lava-test-case"
cat > "$tmp/lava-bin/steplab-ready" <<EOF_SH
#!/bin/sh
out=
for a; do [ "\$prev" = --output ] && out=\$a; prev=\$a; done
case \$1 in
checklist) echo '{"items": [{"item": "kvm", "status": "pass", "reason": "stand-in"}]}' > "\$out"; exit 0 ;;
run) cp $PWD/$ex "\$out"; exit \$RUN_STATUS ;;
*) exec $PWD/$steplab "\$@" ;;
esac
EOF_SH
chmod +x "$tmp/lava-bin/lava-test-case" "$tmp/lava-bin/steplab-ready"
nightly() {	# nightly LINES-FILE STEPLAB [RUN-STATUS]
	: > "$1"
	LAVA_LINES=$1 RUN_STATUS=${3:-0} PATH="$tmp/lava-bin:$PATH" STEPLAB=$2 \
		tools/lava/nightly.sh boards/qemu-virt.json 100 7 > "$tmp/lava.out" 2>&1
}
lava_re='^[A-Za-z0-9_.-]+ --result (pass|fail|skip|unknown)( --measurement [0-9.e+-]+ --units [A-Za-z0-9_./-]+)?$'
nightly "$tmp/lava-lines" "$steplab"
check "not ready: each lava-test-case line is NAME --result pass|fail|skip|unknown" -- bash -c "
test -s $tmp/lava-lines && ! grep -Ev '$lava_re' $tmp/lava-lines"
check "not ready: every checklist item is a test case, kvm failing" -- bash -c "
test \$(grep -c '^steplab.checklist\\.' $tmp/lava-lines) -ge 11 && grep -qx 'steplab.checklist.kvm --result fail' $tmp/lava-lines"
check "not ready: the checklist fails and the run is a skip" -- bash -c "
grep -qx 'steplab.checklist --result fail' $tmp/lava-lines && grep -qx 'steplab.run --result skip' $tmp/lava-lines"
nightly "$tmp/lava-ready" "$tmp/lava-bin/steplab-ready" 0
check "ready: the checklist passes, the report is exported, the run passes" -- bash -c "
! grep -Ev '$lava_re' $tmp/lava-ready && grep -qx 'steplab.checklist --result pass' $tmp/lava-ready &&
grep -q -- '--measurement' $tmp/lava-ready && grep -qx 'steplab.run --result pass' $tmp/lava-ready"
nightly "$tmp/lava-failed" "$tmp/lava-bin/steplab-ready" 1
check "ready, the run exits 1: the run fails, its results still exported" -- bash -c "
grep -qx 'steplab.run --result fail' $tmp/lava-failed && grep -q -- '--measurement' $tmp/lava-failed"
rm -rf results/runs/qemu-virt-*[0-9]Z

# The suite's mix: one constant, printed by run --print-suite, read from
# there by tools/lib.sh, the one the example report's suite ran, and a mix
# run takes.
suite=$("$steplab" run --print-suite 2>"$tmp/err"); st=$?
ok $([ $st = 0 ] && [ -n "$suite" ] && [ "$(printf '%s\n' "$suite" | wc -l)" = 1 ] && [ ! -s "$tmp/err" ]; echo $?) \
	"run --print-suite: one line, exit 0 ($suite)"
ok $(bash -c '. tools/lib.sh; suite_mix_load; suite_args "" ""' | grep -qxF -- "$suite"; echo $?) \
	"the suite tools/lib.sh's scripts run (suite_args) takes run --print-suite's mix"
STEPLAB_HOST=/nonexistent/steplab bash -c '. tools/lib.sh; suite_mix_load; echo ran' \
	> "$tmp/out" 2> "$tmp/err" </dev/null
ok $([ ! -s "$tmp/out" ] && grep -q 'build it first' "$tmp/err"; echo $?) \
	"without a built steplab, suite_mix_load stops the script and says what to build ($(cat "$tmp/err"))"
ok $([ "$suite" = "$(python3 -c "import json, sys; print([p['mix'] for p in json.load(open(sys.argv[1]))['programs'] if 'mix' in p][0])" "$ex")" ]; echo $?) \
	"the example report's suite ran that mix"
expect_fail "run takes the suite's mix (the next check is the output's directory)" 2 "directory not writable" -- \
	"$steplab" run --mix "$suite" -o /proc/nope/out.json
check "run --help names --print-suite, and so does the manual" -- bash -c "
$steplab run --help | grep -q -- --print-suite && grep -q 'print-suite' $tmp/inst/usr/share/man/man1/steplab.1"
check "stress --help says its default mix is the suite's" -- bash -c "$steplab stress --help | grep -q -- '--print-suite'"

# Numbers are decimal, checked, and named when wrong; every command says a
# bad option the same way.  (--marker-every without --marker is refused
# once every option has been read: a number that reaches it was taken.)
expect_fail "--seed 010 is a number (not octal)" 2 "--marker-every needs --marker" -- \
	"$steplab" run --seed 010 --marker-every 1
expect_fail "--steps 08 is a number (not bad octal)" 2 "--marker-every needs --marker" -- \
	"$steplab" run --steps 08 --marker-every 1
expect_fail "--seed 0x10 refused: decimal only" 2 "^steplab run: --seed '0x10' is not a number: decimal only$" -- \
	"$steplab" run --seed 0x10
expect_fail "--steps 12x refused" 2 "^steplab run: --steps '12x' is not a number$" -- "$steplab" run --steps 12x
expect_fail "--steps -1 refused" 2 "--steps '-1' is not a number" -- "$steplab" run --steps -1
expect_fail "--steps above its range" 2 "^steplab run: --steps must be at most 100000000, not '100000001'$" -- \
	"$steplab" run --steps 100000001
expect_fail "--cpu past UINT64_MAX" 2 "--cpu must be at most 4095" -- "$steplab" run --cpu 99999999999999999999999
expect_fail "--timeout 0" 2 "--timeout must be at least 1, not '0'" -- "$steplab" run --timeout 0
expect_fail "--observe-every 0" 2 "^steplab run: --observe-every must be at least 1, not '0'$" -- \
	"$steplab" run --observe-every 0
expect_fail "--counter-reads takes user or syscall" 2 \
	"^steplab run: --counter-reads 'rdpmc': want user or syscall$" -- "$steplab" run --counter-reads rdpmc
check "run --help says how counters are read and when the tracepoints are on" -- bash -c "
$steplab run --help | grep -q -- '--counter-reads user|syscall' && $steplab run --help | grep -q -- '--observe-every N'"
expect_fail "stress --chunk 0" 2 "^steplab stress: --chunk must be at least 1, not '0'$" -- "$steplab" stress --chunk 0
expect_fail "stress --storm 0x10" 2 "--storm '0x10' is not a number: decimal only" -- "$steplab" stress --storm 0x10
expect_fail "board power --off-ms 1e3" 2 "--off-ms '1e3' is not a number" -- \
	"$steplab" board power cycle --off-ms 1e3 --board boards/qemu-virt.json
for c in run stress checklist compare dashboard export topology; do
	expect_fail "$c: unknown option" 2 "^steplab $c: unknown option '--frob' \(see 'steplab $c --help'\)$" -- \
		"$steplab" $c --frob
done
expect_fail "an unknown short option in a cluster is named alone" 2 "unknown option '-z'" -- "$steplab" run -qz
for c in "run --mix" "stress --mix" "checklist --board" "compare --metric" "dashboard -o" "export --format" "topology --sysfs"; do
	expect_fail "${c%% *}: ${c#* } without its value" 2 "^steplab ${c%% *}: ${c#* } needs a value \(see 'steplab ${c%% *} --help'\)$" -- \
		"$steplab" $c
done

tap_done
