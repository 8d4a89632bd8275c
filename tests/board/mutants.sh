#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kill matrix: kernels x checks.  Kernels: the minimal 6.1 and 6.12
# builds stock, the same with the single-step re-entry fix
# (kernel/fix-ss-reentry-*.patch), Debian's 7.3 image, and the minimal 6.1
# build with each patch of kernel/mutants/, each breaking one step path on
# purpose.  Checks, one boot each: `steplab run` with the default suite
# (suite_args of tools/lib.sh: the fixed programs and the seeded
# 100,000-step mix), `steplab stress --storm 200` (timer signals at the
# vCPU thread: asynchronous exits between a stepped instruction and its
# step exception), the KVM selftest single-step-reentry
# (kernel/upstream/selftest-*.patch) and the kernel's own debug-exceptions
# (tools/build-selftest.sh; each built from the source of the kernel's
# generation: 6.1 for the 6.1 builds, 6.12 for 6.12 and 7.3).  The board's
# initramfs has no shell, so one boot runs one program.
#
# Asserted, per kind of kernel (KIND in the list below):
#  stock   the minimal builds as Debian ships the source: KVM_RUN that
#          returns to userspace after KVM skipped an instruction under
#          single-step loses the step state (the out: path of
#          kvm_arch_vcpu_ioctl_run commits the skip), the next step ends
#          at PC + 8.  `steplab run` flags it (exit 1, re-entry paths
#          with steps at PC + 8, every plain step of an emulated class
#          conforming), single-step-reentry fails, debug-exceptions passes
#          (it never leaves KVM_RUN between a skip and its step).
#  fixed   the same builds with the fix, and
#  debian  Debian's 7.3 image (mainline moved the step state to vcpu
#          load/put in v6.14): everything clean: `steplab
#          run` exits 0 with 0 non-conforming steps and the design verdict
#          flag-based, `steplab stress` too, both selftests pass.
#  mutant  `steplab run` exits 1 and names the classes of SPEC below with
#          its evidence, judged on the plain re-entry path (the others
#          double-step on the stock base already).  stress and the selftests are recorded, not
#          asserted: a mutant is built on stock 6.1, which fails them
#          already.
# A kernel whose patch is not in this tree (the fix and the lose-result
# mutant come with the kernel-fix branch) is a skip with its reason.
#
#   MUTANTS_JOBS=2  boards run at once
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
suite_mix_load

jobs=${MUTANTS_JOBS:-2}

# KERNEL:KIND[:SPEC].  KERNEL is a tools/build-kernel.sh variant or a
# tools/fetch-kernel.sh name (debian-*).  SPEC, for mutants, names the
# emulated classes: =a,b design verdict buggy on exactly these (every
# other emulated class conforms on every step), +a,b buggy on at least
# these, ~a,b at least one of these with steps that lost their effect
# (the register after the step is not what the instruction gives).
#  skip-no-ss: every instruction KVM skips (sysreg, SMC, MMIO); HVC is not
#    skipped (it has executed when it traps) and conforms.
#  ignore-active-pending: HVC exits with the step complete and pending on
#    every step; the rest only when an exit lands between a step and its
#    exception (a page crossing, an interrupt, a signal).
#  mmio-no-ss: MMIO completion only.
#  lose-result: every third emulated read (sysreg, MMIO load) does not
#    write its destination register; PC and step stay right.
kernels="6.1:stock
	6.12:stock
	6.1-fix:fixed
	6.12-fix:fixed
	debian-7:debian
	6.1-mutant-skip-no-ss:mutant:=mmio_read,mmio_write,smc,sysreg
	6.1-mutant-ignore-active-pending:mutant:+hvc
	6.1-mutant-mmio-no-ss:mutant:=mmio_read,mmio_write
	6.1-mutant-lose-result:mutant:~mmio_read,sysreg"
board=/boards/qemu-virt.json
mapfile -t run_args < <(suite_args "$board")
run_args+=(--quiet --output r.json)
stress_args=(stress -b "$board" --steps 20000 --chunk 8000 --storm 200 -o s.json)
selftests="single-step-reentry debug-exceptions"

emulated_only "mutation kernels run on the emulated board only (this host runs its own kernel)"

kind_of() { local s=${1#*:}; echo "${s%%:*}"; }
spec_of() { local s=${1#*:}; s=${s#*:}; [ "$s" = "$(kind_of "$1")" ] && s=; echo "$s"; }
# The source generation a kernel's selftests are built from.
gen_of() { case $1 in 6.1|6.1-*) echo 6.1 ;; *) echo 6.12 ;; esac; }

# --- builds: kernels one by one (they share a source tree), the selftests ----
declare -A image
for spec in $kernels; do
	k=${spec%%:*}
	case $k in
	6.1-fix|6.12-fix)
		p=kernel/fix-ss-reentry-${k%-fix}.patch ;;
	*-mutant-*)
		p=kernel/mutants/${k%%-mutant-*}-${k#*-mutant-}.patch ;;
	*)	p= ;;
	esac
	if [ -n "$p" ] && [ ! -f "$p" ]; then
		skip "$k: $p is not in this tree"
		continue
	fi
	start=$(date +%s)
	case $k in
	debian-*) image[$k]=$(tools/fetch-kernel.sh "$k" 2>"$tmp/build.log") ;;
	*)	  image[$k]=$(tools/build-kernel.sh "$k" 2>"$tmp/build.log") ;;
	esac
	st=$?
	ok $st "$k: kernel image ($(( $(date +%s) - start )) s)"
	[ $st = 0 ] || { sed 's/^/# /' "$tmp/build.log" | tail -5; unset "image[$k]"; }
done
declare -A selftest
for t in $selftests; do
	for g in 6.1 6.12; do
		start=$(date +%s)
		selftest[$t-$g]=$(tools/build-selftest.sh --test "$t" $g 2>"$tmp/build.log")
		st=$?
		ok $st "selftest $t from linux-source-$g ($(( $(date +%s) - start )) s)"
		[ $st = 0 ] || { sed 's/^/# /' "$tmp/build.log" | tail -5; selftest[$t-$g]=; }
	done
done

# --- the boards: every (kernel, check) pair, $jobs at a time ----------------
# board KERNEL CHECK: boots the kernel once, leaves status and log in
# $tmp/KERNEL/CHECK.{status,log} and the report in $tmp/KERNEL/CHECK/.
board() {
	local k=$1 c=$2 d=$tmp/$1/$2 st start
	local -a prog=(-- /bin/steplab)
	mkdir -p "$d"
	case $c in
	run)	prog+=("${run_args[@]}") ;;
	stress)	prog+=("${stress_args[@]}") ;;
	*)	prog=(--steplab "${selftest[$c-$(gen_of "$k")]}" -- /bin/steplab) ;;
	esac
	start=$(date +%s)
	tools/qemu-board --kernel "${image[$k]}" --timeout 900 --out "$d" "${prog[@]}" \
		> "$tmp/$k/$c.log" 2>&1
	st=$?
	echo "$st $(( $(date +%s) - start ))" > "$tmp/$k/$c.status"
}
start=$(date +%s)
for spec in $kernels; do
	k=${spec%%:*}
	[ -n "${image[$k]:-}" ] || continue
	for c in run stress $selftests; do
		case $c in
		run|stress) ;;
		*) [ -n "${selftest[$c-$(gen_of "$k")]}" ] || continue ;;
		esac
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		board "$k" "$c" &
	done
done
wait
diag "boards: $(( $(date +%s) - start )) s, $jobs at a time"

# --- judging ----------------------------------------------------------------
# judge REPORT run|stress: facts of a report, one "key value" line each.
# For a run whose report has re-entry paths, buggy, bad and pc8 are of the
# plain path (a mutant's own breakage; its stock 6.1 base double-steps on
# the others) and reentry names the other paths' classes with steps at
# PC +8.
judge() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
cls = [c for c in d['classes'] if c['emulated'] and c['steps']]
paths = d.get('reentry', {})
steps = d['nonconforming']['steps']
if 'plain' in paths and sys.argv[2] == 'run':
    emulated = {c['class'] for c in cls}
    plain = {k: v for k, v in paths['plain']['classes'].items() if k in emulated}
    buggy = sorted(k for k, v in plain.items() if v['double_steps'])
    bad = sorted(k for k, v in plain.items() if v['conforming'] != v['steps'])
else:
    buggy = sorted(c['class'] for c in cls if c['design']['verdict'] == 'buggy')
    bad = sorted(c['class'] for c in cls if c['conforming'] != c['steps'])
def on_plain(s):
    return sys.argv[2] != 'run' or s.get('reentry', 'plain') == 'plain'
print('verdict', d['design']['verdict'])
print('nonconforming', d['summary']['nonconforming'])
print('steps', d['summary']['steps'])
print('async', d['summary'].get('async_exits', 0))
print('buggy', ','.join(buggy))
print('bad', ','.join(bad))
print('pc8', ','.join(sorted({s['class'] for s in steps
                              if 'two instructions' in s['evidence'] and on_plain(s)})))
print('reentry', ' '.join('%s:%s' % (p, ','.join(sorted(k for k, v in paths[p]['classes'].items()
                                                         if v['double_steps'])))
                          for p in sorted(paths) if p != 'plain'
                          and any(v['double_steps'] for v in paths[p]['classes'].values())))
for p in sorted(paths):
    if not paths[p].get('taken', True):
        print('untaken', '%s: %s' % (p, paths[p].get('reason', '')))
print('effect', ','.join(sorted({s['class'] for s in steps
                                 if 'effect got' in s['evidence']})))
other = sorted({c['class'] for c in d['classes']
                if not c['emulated'] and c['conforming'] != c['steps']})
print('collateral', ','.join(other))
for c in cls:
    if c['design']['verdict'] == 'buggy':
        print('class', '%s: %s' % (c['class'], c['design']['evidence']))
for name in bad:
    mine = [s for s in steps if s['class'] == name and on_plain(s)]
    two = [s for s in mine if 'two instructions' in s['evidence']]
    for s in (two or mine)[:1]:
        print('step', '%s %s (%s): %s' % (s['class'], s['row'], s['program'], s['evidence']))
EOF
}
fact() { sed -n "s/^$2 //p" "$1"; }	# fact FACTS KEY
has_all() {	# has_all LIST WANTED: every class of WANTED is in LIST
	local c
	for c in ${2//,/ }; do
		[[ ,$1, == *,$c,* ]] || return 1
	done
}
has_any() {	# has_any LIST WANTED: some class of WANTED is in LIST
	local c
	for c in ${2//,/ }; do
		[[ ,$1, == *,$c,* ]] && return 0
	done
	return 1
}

# facts_of KERNEL CHECK REPORT MATRIX: the facts of CHECK's report (its
# file name REPORT) in $tmp/KERNEL/CHECK.facts, and its column of the kill
# matrix (the associative array named MATRIX); st and secs are the boot's.
# Without the report, that failure and status 1.
facts_of() {
	local k=$1 c=$2 r=$tmp/$1/$2/$3
	local -n column=$4
	read -r st secs < "$tmp/$k/$c.status"
	if [ ! -f "$r" ]; then
		ok 1 "$k: steplab $c wrote a report (status $st)"
		sed 's/^/# /' "$tmp/$k/$c.log" | tail -5
		column[$k]="error $st"
		return 1
	fi
	judge "$r" "$c" > "$tmp/$k/$c.facts"
	case $st in
	0) column[$k]=clean ;;
	1) column[$k]=killed ;;
	*) column[$k]="error $st" ;;
	esac
}

# judge_run KERNEL KIND SPEC: the steplab run column
judge_run() {
	local k=$1 kind=$2 want=$3 st secs f nc buggy bad pc8 eff
	facts_of "$k" run r.json m_run || return
	f=$tmp/$k/run.facts
	nc=$(fact "$f" nonconforming) buggy=$(fact "$f" buggy) bad=$(fact "$f" bad)
	pc8=$(fact "$f" pc8) eff=$(fact "$f" effect)
	diag "$k: steplab run: status $st, $secs s, $nc of $(fact "$f" steps) steps non-conforming, design $(fact "$f" verdict)"
	case $kind in
	fixed|debian)
		ok $st "$k: steplab run exits 0"
		ok $([ "$nc" = 0 ]; echo $?) "$k: 0 non-conforming steps ($nc)"
		ok $([ "$(fact "$f" verdict)" = flag-based ]; echo $?) \
			"$k: design verdict flag-based ($(fact "$f" verdict))"
		;;
	stock)
		ok $([ "$st" = 1 ]; echo $?) \
			"$k: steplab run exits 1: steps of the suite's re-entry paths end at PC + 8 (status $st)"
		ok $([ -n "$(fact "$f" reentry)" ]; echo $?) \
			"$k: re-entry paths with steps at PC + 8: $(fact "$f" reentry | sed 's/^$/none/')"
		ok $([ -z "$bad" ]; echo $?) "$k: every plain step of an emulated class conforms (faults: ${bad:-none})"
		;;
	mutant)
		ok $([ "$st" = 1 ]; echo $?) "$k: steplab run exits 1 (status $st)"
		case ${want:0:1} in
		=)	ok $([ "$(fact "$f" verdict)" = buggy ]; echo $?) \
				"$k: design verdict buggy ($(fact "$f" verdict))"
			ok $([ "$buggy" = "${want:1}" ] && [ "$bad" = "${want:1}" ]; echo $?) \
				"$k: buggy classes are exactly ${want:1}, every other emulated class conforms (buggy: $buggy; with faults: $bad)"
			ok $(has_all "$pc8" "${want:1}"; echo $?) \
				"$k: steps of ${want:1} listed with the evidence PC +8, two instructions (listed: $pc8)"
			;;
		+)	ok $([ "$(fact "$f" verdict)" = buggy ]; echo $?) \
				"$k: design verdict buggy ($(fact "$f" verdict))"
			ok $(has_all "$buggy" "${want:1}"; echo $?) "$k: buggy classes include ${want:1} ($buggy)"
			ok $(has_all "$pc8" "${want:1}"; echo $?) \
				"$k: steps of ${want:1} listed with the evidence PC +8, two instructions (listed: $pc8)"
			;;
		\~)	ok $(has_any "$eff" "${want:1}"; echo $?) \
				"$k: steps of ${want:1} listed with a lost effect, 'effect got ... want' (listed: ${eff:-none})"
			;;
		esac
		[ -z "$(fact "$f" collateral)" ] ||
			diag "$k: also non-conforming, in classes KVM does not emulate: $(fact "$f" collateral)"
		;;
	esac
	[ "$kind" = stock ] || [ -z "$(fact "$f" reentry)" ] ||
		diag "$k: run: re-entry paths with steps at PC + 8: $(fact "$f" reentry)"
	fact "$f" untaken | sed "s/^/# $k: run: path not taken: /"
	fact "$f" class | sed "s/^/# $k: run: /"
	fact "$f" step | sed "s/^/# $k: run: /"
}

# judge_stress KERNEL KIND: asserted on fixed kernels and 7.3, recorded on
# the rest
judge_stress() {
	local k=$1 kind=$2 st secs f nc what
	facts_of "$k" stress s.json m_stress || return
	f=$tmp/$k/stress.facts
	nc=$(fact "$f" nonconforming)
	what="status $st, $secs s, $nc of $(fact "$f" steps) steps non-conforming, $(fact "$f" async) asynchronous exits, design $(fact "$f" verdict), buggy classes: $(fact "$f" buggy)"
	if [ "$kind" = fixed ] || [ "$kind" = debian ]; then
		ok $([ "$st" = 0 ] && [ "$nc" = 0 ]; echo $?) \
			"$k: steplab stress --storm 200 is clean ($what)"
	else
		ok $([ "$st" = 0 ] || [ "$st" = 1 ]; echo $?) \
			"$k: steplab stress --storm 200 ran: $what"
	fi
	fact "$f" class | sed "s/^/# $k: stress: /"
	fact "$f" step | sed "s/^/# $k: stress: /"
}

# judge_selftest KERNEL KIND TEST
judge_selftest() {
	local k=$1 kind=$2 t=$3 st secs what want
	if [ -z "${selftest[$t-$(gen_of "$k")]}" ]; then
		m_self[$k-$t]="not built"
		return
	fi
	read -r st secs < "$tmp/$k/$t.status"
	case $st in
	0) what=pass ;;
	4) what=skip ;;
	124|125) what="board error $st" ;;
	*) what=killed ;;
	esac
	m_self[$k-$t]=$what
	diag "$k: selftest $t ($(gen_of "$k")): $what (status $st), $secs s; its output:"
	if grep -qv '^@@' "$tmp/$k/$t.log"; then
		grep -v '^@@' "$tmp/$k/$t.log" | grep -v '^ok \|^TAP\|^1\.\.' | sed -n '1,8s/^/#   /p'
	else
		diag "  (none: it prints only when an assertion fails or it skips)"
	fi
	want=
	case $kind-$t in
	fixed-*|debian-*|stock-debug-exceptions) want=pass ;;
	stock-single-step-reentry) want=killed ;;
	esac
	[ -z "$want" ] || ok $([ "$what" = "$want" ]; echo $?) \
		"$k: selftest $t: $what (want $want)"
}

declare -A m_run m_stress m_self
for spec in $kernels; do
	k=${spec%%:*} kind=$(kind_of "$spec") want=$(spec_of "$spec")
	[ -n "${image[$k]:-}" ] || continue
	judge_run "$k" "$kind" "$want"
	judge_stress "$k" "$kind"
	for t in $selftests; do
		judge_selftest "$k" "$kind" "$t"
	done
done

# --- the kill matrix ----------------------------------------------------------
row() { printf '%-34s %-8s %-12s %-14s %-20s %s' "$@"; }
diag "" "kill matrix: killed = the check failed on this kernel (selftests built from the kernel's generation)"
diag "$(row kernel kind 'steplab run' 'steplab stress' single-step-reentry debug-exceptions)"
for spec in $kernels; do
	k=${spec%%:*}
	[ -n "${image[$k]:-}" ] || { diag "$(row "$k" "$(kind_of "$spec")" - - - '- (not in this tree)')"; continue; }
	diag "$(row "$k" "$(kind_of "$spec")" "${m_run[$k]:--}" "${m_stress[$k]:--}" \
		"${m_self[$k-single-step-reentry]:--}" "${m_self[$k-debug-exceptions]:--}")"
done
diag "classes with double steps: run on the plain path (a report without re-entry paths: by design verdict) / stress:"
for spec in $kernels; do
	k=${spec%%:*}
	[ -n "${image[$k]:-}" ] || continue
	r=$(fact "$tmp/$k/run.facts" buggy 2>/dev/null)
	s=$(fact "$tmp/$k/stress.facts" buggy 2>/dev/null)
	diag "$(printf '  %-32s %s / %s' "$k" "${r:-none}" "${s:-none}")"
done
tap_done
