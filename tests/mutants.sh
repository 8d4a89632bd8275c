#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation kernels: the minimal 6.1 build stock and with each patch of
# kernel/mutants/, each breaking one step path on purpose.  steplab must
# flag every mutant, naming the instruction classes and the evidence (PC
# +8, two instructions), and pass the stock kernel.  The kernel's own KVM
# selftest debug-exceptions, built from the same linux-source-6.1
# (tools/build-selftest.sh), runs on the same kernels.  The output closes
# with the kill matrix: kernel x {steplab run, steplab stress, selftest}.
#
# On each kernel, one boot each: `steplab run` (the fixed programs and a
# 20,000-step mix, no storm), `steplab stress --storm 200` (timer signals
# at the vCPU thread: asynchronous exits between a stepped instruction and
# its step exception) and the selftest.  Asserted: stock is clean on run
# and passes the selftest; each mutant fails run with the design verdict
# buggy on the classes its path reaches (SPEC below).  The stress runs and
# the selftest on mutants are recorded, not asserted: under a storm the
# stock 6.1 can double-step too (a signal after KVM skipped an instruction:
# the out: path commits the skip, clearing PSTATE.SS, and the next entry
# sets it again), so a stress failure alone does not tell the mutant from
# the stock race.
#
#   MUTANTS_JOBS=2  boards run at once
set -u
cd "$(dirname "$0")/.."
. tests/tap.sh
. tools/lib.sh

jobs=${MUTANTS_JOBS:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# KERNEL:SPEC.  SPEC names the emulated classes whose design verdict must
# be buggy: =a,b exactly these (every other emulated class conforms on
# every step), +a,b at least these.
#  skip-no-ss: every instruction KVM skips (sysreg, SMC, MMIO); HVC is not
#    skipped (it has executed when it traps) and conforms.
#  ignore-active-pending: HVC exits with the step complete and pending on
#    every step; the rest only when an exit lands between a step and its
#    exception (a page crossing, an interrupt, a signal).
#  mmio-no-ss: MMIO completion only.
kernels="6.1:=
	6.1-mutant-skip-no-ss:=mmio_read,mmio_write,smc,sysreg
	6.1-mutant-ignore-active-pending:+hvc
	6.1-mutant-mmio-no-ss:=mmio_read,mmio_write"
board=/boards/qemu-virt.json
run_args=(run --board "$board" --guest every --guest trapped --guest untrapped
	  --mix untrapped:45,mem:5,branch:5,mmio:10,sysreg:10,hvc:10,smc:10,exception:5
	  --steps 20000 --quiet --output r.json)
stress_args=(stress -b "$board" --steps 20000 --chunk 8000 --storm 200 -o s.json)

if [ "$(host_arch)" = arm64 ] && [ -c /dev/kvm ]; then
	skip "mutation kernels run on the emulated board only (this host runs its own kernel)"
	tap_done
	exit
fi

# --- builds: kernels one by one (they share a source tree), the selftest --
declare -A image
for spec in $kernels; do
	k=${spec%%:*}
	start=$(date +%s)
	image[$k]=$(tools/build-kernel.sh "$k" 2>"$out/build.log")
	st=$?
	ok $st "$k: kernel image ($(( $(date +%s) - start )) s)"
	[ $st = 0 ] || { sed 's/^/# /' "$out/build.log" | tail -5; unset "image[$k]"; }
done
start=$(date +%s)
selftest=$(tools/build-selftest.sh 6.1 2>"$out/build.log")
st=$?
ok $st "selftest debug-exceptions from linux-source-6.1 ($(( $(date +%s) - start )) s)"
[ $st = 0 ] || { sed 's/^/# /' "$out/build.log" | tail -5; selftest=; }

# --- the boards: every (kernel, check) pair, $jobs at a time ----------------
# board KERNEL CHECK: boots the kernel once, leaves status and log in
# $out/KERNEL/CHECK.{status,log} and the report in $out/KERNEL/CHECK/.
board() {
	local k=$1 c=$2 d=$out/$1/$2 st start
	local -a prog=(-- /bin/steplab)
	mkdir -p "$d"
	case $c in
	run)	prog+=("${run_args[@]}") ;;
	stress)	prog+=("${stress_args[@]}") ;;
	selftest) prog=(--steplab "$selftest" -- /bin/steplab) ;;
	esac
	start=$(date +%s)
	tools/qemu-board --kernel "${image[$k]}" --timeout 600 --out "$d" "${prog[@]}" \
		> "$out/$k/$c.log" 2>&1
	st=$?
	echo "$st $(( $(date +%s) - start ))" > "$out/$k/$c.status"
}
start=$(date +%s)
for spec in $kernels; do
	k=${spec%%:*}
	[ -n "${image[$k]:-}" ] || continue
	for c in run stress selftest; do
		[ $c != selftest ] || [ -n "$selftest" ] || continue
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		board "$k" $c &
	done
done
wait
diag "boards: $(( $(date +%s) - start )) s, $jobs at a time"

# --- judging ----------------------------------------------------------------
# judge REPORT: facts of a report, one "key value" line each
judge() {
	python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
cls = [c for c in d['classes'] if c['emulated'] and c['steps']]
buggy = sorted(c['class'] for c in cls if c['design']['verdict'] == 'buggy')
bad = sorted(c['class'] for c in cls if c['conforming'] != c['steps'])
print('verdict', d['design']['verdict'])
print('nonconforming', d['summary']['nonconforming'])
print('steps', d['summary']['steps'])
print('async', d['summary'].get('async_exits', 0))
print('buggy', ','.join(buggy))
print('bad', ','.join(bad))
steps = d['nonconforming']['steps']
print('pc8', ','.join(sorted({s['class'] for s in steps
                              if 'two instructions' in s['evidence']})))
other = sorted({c['class'] for c in d['classes']
                if not c['emulated'] and c['conforming'] != c['steps']})
print('collateral', ','.join(other))
for c in cls:
    if c['design']['verdict'] == 'buggy':
        print('class', '%s: %s' % (c['class'], c['design']['evidence']))
for name in buggy:
    mine = [s for s in steps if s['class'] == name]
    two = [s for s in mine if 'two instructions' in s['evidence']]
    for s in (two or mine)[:1]:
        print('step', '%s %s (%s): %s' % (s['class'], s['row'], s['program'], s['evidence']))
EOF
}
fact() { sed -n "s/^$2 //p" "$1"; }	# fact FACTS KEY

declare -A m_run m_stress m_self
for spec in $kernels; do
	k=${spec%%:*} want=${spec#*:}
	[ -n "${image[$k]:-}" ] || continue
	stock=0
	[[ $k == *-mutant-* ]] || stock=1

	# steplab run
	read -r st secs < "$out/$k/run.status"
	r=$out/$k/run/r.json
	if [ ! -f "$r" ]; then
		ok 1 "$k: steplab run wrote a report (status $st)"
		sed 's/^/# /' "$out/$k/run.log" | tail -5
		m_run[$k]="error $st"
	else
		judge "$r" > "$out/$k/run.facts"
		f=$out/$k/run.facts
		nc=$(fact "$f" nonconforming) buggy=$(fact "$f" buggy) bad=$(fact "$f" bad)
		diag "$k: steplab run: status $st, $secs s, $nc of $(fact "$f" steps) steps non-conforming, design $(fact "$f" verdict)"
		if [ $stock = 1 ]; then
			ok $st "$k: steplab run exits 0"
			ok $([ "$nc" = 0 ]; echo $?) "$k: 0 non-conforming steps ($nc)"
			ok $([ "$(fact "$f" verdict)" = flag-based ]; echo $?) \
				"$k: design verdict flag-based ($(fact "$f" verdict))"
			m_run[$k]=$([ "$st" = 0 ] && echo clean || echo "flagged")
		else
			ok $([ "$st" = 1 ]; echo $?) "$k: steplab run exits 1 (status $st)"
			ok $([ "$(fact "$f" verdict)" = buggy ]; echo $?) \
				"$k: design verdict buggy ($(fact "$f" verdict))"
			if [ "${want:0:1}" = = ]; then
				ok $([ "$buggy" = "${want:1}" ] && [ "$bad" = "${want:1}" ]; echo $?) \
					"$k: buggy classes are exactly ${want:1}, every other emulated class conforms (buggy: $buggy; with faults: $bad)"
			else
				miss='' w=${want:1}
				for c in ${w//,/ }; do
					[[ ,$buggy, == *,$c,* ]] || miss+=" $c"
				done
				ok $([ -z "$miss" ]; echo $?) "$k: buggy classes include ${want:1} ($buggy)"
			fi
			miss='' w=${want:1} pc8=$(fact "$f" pc8)
			for c in ${w//,/ }; do
				[[ ,$pc8, == *,$c,* ]] || miss+=" $c"
			done
			ok $([ -z "$miss" ]; echo $?) \
				"$k: steps of ${want:1} listed with the evidence PC +8, two instructions (listed: $pc8)"
			[ -z "$(fact "$f" collateral)" ] ||
				diag "$k: also non-conforming, in classes KVM does not emulate: $(fact "$f" collateral)"
			m_run[$k]=$([ "$st" = 1 ] && echo killed || echo survived)
		fi
		fact "$f" class | sed "s/^/# $k: run: /"
		fact "$f" step | sed "s/^/# $k: run: /"
	fi

	# steplab stress --storm: recorded
	read -r st secs < "$out/$k/stress.status"
	r=$out/$k/stress/s.json
	if [ ! -f "$r" ]; then
		ok 1 "$k: steplab stress wrote a report (status $st)"
		sed 's/^/# /' "$out/$k/stress.log" | tail -5
		m_stress[$k]="error $st"
	else
		judge "$r" > "$out/$k/stress.facts"
		f=$out/$k/stress.facts
		nc=$(fact "$f" nonconforming)
		ok $([ "$st" = 0 ] || [ "$st" = 1 ]; echo $?) \
			"$k: steplab stress --storm 200 ran: status $st, $secs s, $nc of $(fact "$f" steps) steps non-conforming, $(fact "$f" async) asynchronous exits, design $(fact "$f" verdict), buggy classes: $(fact "$f" buggy)"
		fact "$f" class | sed "s/^/# $k: stress: /"
		fact "$f" step | sed "s/^/# $k: stress: /"
		if [ $stock = 1 ]; then
			m_stress[$k]=$([ "$st" = 0 ] && echo clean || echo "flagged")
		else
			m_stress[$k]=$([ "$st" = 1 ] && echo killed || echo survived)
		fi
	fi

	# the selftest: asserted on stock, recorded on mutants
	if [ -z "$selftest" ]; then
		m_self[$k]="not built"
		continue
	fi
	read -r st secs < "$out/$k/selftest.status"
	what=$(case $st in 0) echo pass ;; 4) echo skip ;; 124|125) echo "board error $st" ;;
	       *) echo "fail (status $st)" ;; esac)
	diag "$k: selftest debug-exceptions: $what, $secs s; its output:"
	if grep -qv '^@@' "$out/$k/selftest.log"; then
		grep -v '^@@' "$out/$k/selftest.log" | sed -n '1,8s/^/#   /p'
	else
		diag "  (none: it prints only when an assertion fails or it skips)"
	fi
	if [ $stock = 1 ]; then
		ok $st "$k: the selftest passes ($what)"
		m_self[$k]=$([ "$st" = 0 ] && echo pass || echo "$what")
	else
		case $st in
		0)	m_self[$k]=survived ;;
		4|124|125) m_self[$k]=$what ;;
		*)	m_self[$k]=killed ;;
		esac
	fi
done

# --- the kill matrix ----------------------------------------------------------
diag "" "kill matrix (mutants: killed = the check failed on it; stock: its own result)"
diag "$(printf '%-34s %-12s %-16s %s' kernel 'steplab run' 'steplab stress' 'selftest 6.1')"
for spec in $kernels; do
	k=${spec%%:*}
	[ -n "${image[$k]:-}" ] || continue
	diag "$(printf '%-34s %-12s %-16s %s' "$k" "${m_run[$k]:--}" "${m_stress[$k]:--}" "${m_self[$k]:--}")"
done
diag "classes with double steps (design verdict buggy), run / stress:"
for spec in $kernels; do
	k=${spec%%:*}
	r=$(fact "$out/$k/run.facts" buggy 2>/dev/null)
	s=$(fact "$out/$k/stress.facts" buggy 2>/dev/null)
	diag "$(printf '  %-32s %s / %s' "$k" "${r:-none}" "${s:-none}")"
done
tap_done
