#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# KVM's three modes (VHE, nVHE, protected) on Debian's 6.1, 6.12 and 7.3
# images, and the emulated core kinds (Neoverse N1, Cortex-A76, Cortex-A72)
# on 6.1: one short boot each (tools/lib.sh MODE_MATRIX).  Each run is
# started without --board: steplab must find the board file of the core
# kind itself.  Asserted per boot: the mode the report names, the board
# file it found, every step conforming, the flag-based verdict, the counting
# domain of the mode, a trusted clock, and the exact per-class modes of
# results/baselines/ for that configuration (within the boot-to-boot spread
# the baseline records, for the images whose counts move between boots).  On the N1 and A76 boots the
# checklists of ampere-altra.json and rpi5.json run too: nothing fails,
# and only what needs the real hardware is skipped.
#
#   CHECK_MODES="debian-6.1@nvhe ..."  STEPLAB_KEEP_REPORTS=DIR (a copy of each report)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
suite_mix_load
. tests/board/baseline.sh

matrix=${CHECK_MODES:-$MODE_MATRIX}

emulated_only "KVM modes and emulated core kinds run on the emulated board only"

# within_spread BASELINE CHECK-OUTPUT: every mismatch a host-instruction
# mode no further from the baseline's than the boot_spread it records
within_spread() {
	python3 - "$1" "$2" <<'EOF_PY'
import json, re, sys
spread = json.load(open(sys.argv[1])).get('boot_spread')
bad = [l for l in open(sys.argv[2]) if not l.startswith(sys.argv[1])]
if not spread or not bad:
    sys.exit(1)
for l in bad:
    m = re.match(r'^(\w+)\.host_instructions: mode (\d+), baseline (.*)$', l.strip())
    if not m or m.group(1) not in spread:
        sys.exit(1)
    got = int(m.group(2))
    near = min(abs(got - int(v)) for v in m.group(3).split(' or '))
    if near > spread[m.group(1)]:
        sys.exit(1)
EOF_PY
}

declare -A board_of=([max]=qemu-virt [neoverse-n1]=qemu-virt-n1 [cortex-a76]=qemu-virt-a76
		     [cortex-a72]=qemu-virt-a72)
declare -A checklist_of=([neoverse-n1]=ampere-altra [cortex-a76]=rpi5)
declare -A host_levels=([vhe]="EL0 EL2" [nvhe]="EL0 EL1 EL2" [protected]="EL0 EL1 EL2")

for spec in $matrix; do
	mapfile -t qargs < <(matrix_args "$spec")
	mode=vhe cpu=max
	[[ $spec != *@* ]] || { mode=${spec#*@}; mode=${mode%%/*}; }
	[[ $spec != */* ]] || cpu=${spec#*/}
	# ARMv8.0 has no VHE: KVM falls back to nVHE
	[ "$cpu" != cortex-a72 ] || [ "$mode" != vhe ] || mode=nvhe
	board=${board_of[$cpu]}
	# plain re-entry: the modes and kinds are what is compared here; the
	# re-entry paths are tests/board/kernels.sh's (6.1 and 6.12 step twice there)
	cmd=(/bin/steplab run --reentry plain --mix "$SUITE_MIX" --seed "$SUITE_SEED" --steps "$MODE_STEPS"
	     --quiet --output r.json)
	ck=${checklist_of[$cpu]:-}
	[ -z "$ck" ] || cmd+=(+++ /bin/steplab checklist --board "/boards/$ck.json"
			      --json --output checklist.json)
	dir=$tmp/${spec//[\/@]/_}
	mkdir -p "$dir"
	start=$(date +%s)
	tools/qemu-board "${qargs[@]}" --out "$dir" -- "${cmd[@]}" > "$dir/log" 2>&1
	st=$?
	r=$dir/r.json
	# protected KVM of 6.12 and later: the guest-only counter counts nothing
	# there, so no step can be proven (exit 5, unproven), only judged
	want_st=0
	case $spec in debian-6.12@protected* | debian-7@protected*) want_st=5 ;; esac
	ok $([ $st = $want_st ]; echo $?) "$spec: exits $want_st (status $st, $(( $(date +%s) - start )) s)"
	if [ $want_st = 5 ] && [ -f "$r" ]; then
		ok $([ "$(q "$r" "d['summary'].get('verdict')")" = unproven ] &&
		     [ "$(q "$r" "d['summary'].get('unproven_why', {}).get('guest_instructions not counted', 0) == d['summary']['steps'] > 0")" = True ]; echo $?) \
			"$spec: unproven, every step for want of a guest-instruction count ($(q "$r" "d['context']['counters']['guest_instructions'].get('reason', '')"))"
	fi
	if [ ! -f "$r" ]; then
		sed 's/^/# /' "$dir/log" | tail -5
		continue
	fi
	[ -z "${STEPLAB_KEEP_REPORTS:-}" ] || cp "$r" "$STEPLAB_KEEP_REPORTS/${spec//[\/@]/_}.json"
	release=$(q "$r" "d['context']['kernel_release']")
	got=$(q "$r" "d['context']['kvm_mode']")
	diag "$spec: kernel $release, $got, $(q "$r" "d['context']['kvm_mode_from']")"
	diag "$spec: host instructions per step (mode): $(q "$r" "' '.join('%s=%d' % (c['class'], c['metrics']['host_instructions']['mode']) for c in d['classes'] if c['class'] in ('untrapped', 'sysreg', 'mmio_read', 'hvc'))")"
	ok $([ "$got" = "$mode" ]; echo $?) "$spec: KVM mode $mode ($got)"
	ok $([ "$(q "$r" "d['context']['board']")" = "$board" ]; echo $?) \
		"$spec: found board $board without --board ($(q "$r" "d['context'].get('board_from', '')"))"
	ok $([ "$(q "$r" "d['summary']['nonconforming']")" = 0 ]; echo $?) "$spec: 0 non-conforming steps"
	ok $([ "$(q "$r" "d['design']['verdict']")" = flag-based ]; echo $?) \
		"$spec: design verdict flag-based ($(q "$r" "d['design']['verdict']"))"
	levels=$(q "$r" "d['context']['counting']['host_instructions']['levels']")
	ok $([ "$levels" = "${host_levels[$mode]}" ]; echo $?) \
		"$spec: host instructions count ${host_levels[$mode]} in $mode ($levels)"
	ok $([ "$(q "$r" "d['context']['clock']['trusted']")" = True ]; echo $?) \
		"$spec: the clock is trusted ($(q "$r" "d['context']['date'] + ', ' + d['context']['clock']['why']"))"
	check "$spec: the report validates" -- "$steplab" report validate "$r"
	base=$(baseline_path "$r")
	if [ ! -f "$base" ]; then
		ok 1 "$spec: a baseline $base (record it: KERNELS=$spec make baseline)"
	else
		"$steplab" baseline check --min-share 0 "$base" "$r" > "$dir/base.txt"
		st=$?
		sed 's/^/# /' "$dir/base.txt"
		if [ $st = 1 ] && within_spread "$base" "$dir/base.txt"; then
			# some images (Debian's 7.3) move every KVM_RUN by a few
			# instructions from one boot to the next: the baseline
			# records by how much, and that much is this kernel's noise
			ok 0 "$spec: per-class modes match $base within its recorded boot-to-boot spread"
		elif [[ $spec == debian-7* ]] && [ $st = 1 ]; then
			# beyond the recorded spread, this image's cost of a step
			# still moves only as a whole (tests/board/baseline.sh)
			d=$(common_shift "$dir/base.txt" "$r")
			ok $? "$spec: per-class modes match $base up to one shift of every class, or of each group (${d:-not one})"
		else
			ok $st "$spec: per-class modes match $base"
		fi
	fi
	if [ -n "$ck" ]; then
		c=$dir/checklist.json
		ok $([ -f "$c" ] && [ "$(q "$c" "d['ready']")" = True ]; echo $?) \
			"$spec: checklist of $ck.json on the emulated kind: nothing fails"
		[ ! -f "$c" ] || q "$c" "'\n'.join('%-18s %-5s %s' % (i['item'], i['status'], i['reason']) for i in d['items'])" |
			sed 's/^/# /'
		ok $([ -f "$c" ] && q "$c" "'x' if all(i['status'] == 'pass' or 'needs the real hardware' in i['reason'] for i in d['items']) else ''" | grep -q x; echo $?) \
			"$spec: every item passes or names why it needs the real hardware"
	fi
done

# --- the ten-report experiment ---------------------------------------------
# Debian 6.1 in its three modes, the three emulated core kinds, and minimal
# 6.1 builds stock and with each mutant: one dashboard, each configuration
# its own series, nothing marked; then a real shift put into one series
# must be marked, and one inside the boot-to-boot spread must not.
ten=$tmp/ten
mkdir -p "$ten"
six="debian-6.1 debian-6.1@nvhe debian-6.1@protected debian-6.1/neoverse-n1 debian-6.1/cortex-a76 debian-6.1/cortex-a72"
for spec in $six; do
	[[ " $(echo $matrix) " == *" $spec "* ]] || { tap_done; exit; }	# CHECK_MODES left some out
done
for spec in $six; do
	f=$tmp/${spec//[\/@]/_}/r.json
	[ ! -f "$f" ] || cp "$f" "$ten/${spec//[\/@]/_}.json"
done
variants=6.1
for p in kernel/mutants/6.1-*.patch; do
	n=${p##*/}; n=${n%.patch}
	variants="$variants 6.1-mutant-${n#6.1-}"
done
for v in $variants; do
	image=$(tools/build-kernel.sh "$v" 2>>"$tmp/kbuild.log")
	st=$?
	ok $st "build:$v: kernel image"
	[ $st = 0 ] || continue
	mkdir -p "$tmp/$v"
	tools/qemu-board --kernel "$image" --out "$tmp/$v" -- /bin/steplab run --reentry plain --mix "$SUITE_MIX" \
		--seed "$SUITE_SEED" --steps "$MODE_STEPS" --quiet --output r.json > "$tmp/$v/log" 2>&1
	[ -f "$tmp/$v/r.json" ] && cp "$tmp/$v/r.json" "$ten/build-$v.json"
	ok $([ -f "$tmp/$v/r.json" ]; echo $?) "build:$v: a report ($(q "$tmp/$v/r.json" "d['context']['kernel_release'] + ', ' + d['design']['verdict'] + ', ' + str(d['summary']['nonconforming']) + ' non-conforming'" 2>/dev/null))"
	want_patch=none
	[ "$v" = 6.1 ] || want_patch=6.1-${v#6.1-mutant-}.patch
	ok $(q "$tmp/$v/r.json" "int(not (len(d['context']['kernel_build'].get('config_sha256', '')) == 64 and d['context']['kernel_build'].get('patch') == '$want_patch' and d['context']['kernel_build']['source'].startswith('linux-source-6.1 ') and 'config_sha256' in d['identity']['kernel']))" 2>/dev/null || echo 1) \
		"build:$v: the report names its source, config digest and patch ($want_patch)"
done
n=$(find "$ten" -name '*.json' | wc -l)
# six configurations, the stock minimal build and one per mutant (ten with
# the issue's three mutants; lose-result made it eleven)
want_n=$(( 6 + $(echo $variants | wc -w) ))
ok $([ "$n" = $want_n ]; echo $?) "the ten-report experiment: $n reports (of $want_n)"
"$steplab" dashboard "$ten" -o "$tmp/ten.html" --baselines results/baselines > "$tmp/dash.txt" 2>&1
st=$?
diag "$(cat "$tmp/dash.txt")"
ok $st "dashboard of the ten reports: exit 0"
ok $(grep -q ": $n reports, 4 boards, $n kernels; 0 regressions, 0 improvements" "$tmp/dash.txt"; echo $?) \
	"each configuration its own series, 0 regressions, 0 improvements"
check "the page names each configuration's series" -- python3 - "$tmp/ten.html" <<'EOF_PY'
import sys
page = open(sys.argv[1]).read()
for want in ('kvm nvhe', 'kvm protected', 'kvm vhe', 'qemu-virt-n1', 'qemu-virt-a76', 'qemu-virt-a72',
             '6.1.192-steplab'):
    assert want in page, want
EOF_PY

# shift_copy SRC DST N DAYS: SRC one day later per DAYS, sysreg's host
# instructions moved by N (every value of its histogram, and the summary)
shift_copy() {
	python3 - "$@" <<'EOF_PY'
import json, sys
src, dst, n, days = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
d = json.load(open(src))
d['context']['date'] = '2099-01-%02dT00:00:00Z' % days
for c in d['classes']:
    if c['class'] != 'sysreg':
        continue
    m = c['metrics']['host_instructions']
    m['histogram']['pairs'] = [[v + n, k] for v, k in m['histogram']['pairs']]
    for key in ('min', 'p10', 'median', 'p90', 'p99', 'max', 'mode'):
        m[key] += n
    m['mean'] += n
    if 'quiet' in m:
        m['quiet']['median'] += n
        m['quiet']['mode'] += n
json.dump(d, open(dst, 'w'), indent=1)
EOF_PY
}
nv=$ten/debian-6.1_nvhe.json
if [ -f "$nv" ]; then
	cp -r "$ten" "$tmp/shifted"
	shift_copy "$nv" "$tmp/shifted/later.json" 40 1
	"$steplab" dashboard "$tmp/shifted" -o "$tmp/shifted.html" --baselines results/baselines > "$tmp/dash2.txt" 2>&1
	diag "$(cat "$tmp/dash2.txt")"
	ok $(grep -q "; 1 regression, 0 improvements" "$tmp/dash2.txt"; echo $?) \
		"a +40 shift of sysreg in the 6.1 nVHE series: marked, 1 regression"
	check "the marked change names its series and the threshold it used" -- python3 - "$tmp/shifted.html" <<'EOF_PY'
import re, sys
page = open(sys.argv[1]).read()
items = re.findall(r'<li class="change up">(.*?)</li>', page, re.S)
assert len(items) == 1 and 'kvm nvhe' in items[0] and 'sysreg' in items[0], items
assert 'threshold: the interval and the boot-to-boot spread' in items[0], items[0]
EOF_PY
	# the same shift inside a recorded boot-to-boot spread of 60: not marked
	cp -r results/baselines "$tmp/wide"
	python3 - "$tmp/wide/qemu-virt/$(q "$nv" "d['context']['kernel_release']").nvhe.json" <<'EOF_PY'
import json, sys
b = json.load(open(sys.argv[1]))
b['boot_spread'] = {c: 60 for c in b['classes']}
json.dump(b, open(sys.argv[1], 'w'))
EOF_PY
	"$steplab" dashboard "$tmp/shifted" -o "$tmp/wide.html" --baselines "$tmp/wide" > "$tmp/dash3.txt" 2>&1
	ok $(grep -q "; 0 regressions, 0 improvements" "$tmp/dash3.txt"; echo $?) \
		"the same +40 within a boot-to-boot spread of 60: not marked"
else
	ok 1 "the 6.1 nVHE report for the shift test"
fi
tap_done
