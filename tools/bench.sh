#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: the cost of a step under both designs, side by side, on the
# emulated reference board.  Runs the suite on each kernel, writes every
# report and the comparisons under results/bench/<time>/, and prints them.
#
#   tools/bench.sh [--steps N] [--kernels "K1 K2 ..."] [--matrix "SPEC ..."]
#
# A kernel is a tools/fetch-kernel.sh name (Debian's prebuilt images) or
# build:VARIANT for tools/build-kernel.sh (the minimal config, stock or
# with kernel/early-exit-*.patch).  Stock and early-exit builds share one
# config, so their difference is the design alone; Debian's images are
# compared across generations.  --matrix runs core kinds x KVM modes
# (KERNEL[@MODE][/CPU] as tools/lib.sh matrix_args takes them; default:
# every emulated core kind in every mode it has, on Debian's 6.1), each run
# finding its board file, and prints their figures side by side: they are
# different configurations, not a comparison.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
suite_mix_load
cd "$root"

O=${O:-build}
steps=$SUITE_STEPS
matrix=
for cpu in max neoverse-n1 cortex-a76 cortex-a72; do
	for mode in vhe nvhe protected; do
		[ "$cpu/$mode" != cortex-a72/vhe ] || continue	# ARMv8.0: no VHE
		matrix="$matrix debian-6.1@$mode/$cpu"
	done
done
kernels="debian-6.1 build:6.1 build:6.1-early-exit build:6.12 build:6.12-early-exit build:7.3 build:7.3-early-exit debian-6.12 debian-7"
while [ $# -gt 0 ]; do
	case $1 in
	--steps) steps=${2:?--steps needs a number}; shift 2 ;;
	--kernels) kernels=${2?--kernels needs a list}; shift 2 ;;
	--matrix) matrix=${2?--matrix needs a list}; shift 2 ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[[ $steps =~ ^[1-9][0-9]*$ ]] || die "--steps wants a positive number, not '$steps'"

steplab=$O/$(host_arch)/steplab
out=results/bench/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
log "writing under $out"

image_of() {
	case $1 in
	build:*) "$here/build-kernel.sh" "${1#build:}" ;;
	*) echo "$1" ;;
	esac
}

failed=0
for k in $kernels; do
	name=${k#build:}
	[ "$k" = "$name" ] || name=build-$name
	image=$(image_of "$k") || { log "$k: no kernel image; skipped"; failed=1; continue; }
	mapfile -t args < <(suite_args /boards/qemu-virt.json)
	for i in "${!args[@]}"; do
		[ "${args[$i]}" = --steps ] && args[$((i + 1))]=$steps
	done
	log "$k: $steps-step suite with the overhead measurement"
	tmp=$(mktemp -d "$out/.run.XXXXXX")
	if "$here/qemu-board" --kernel "$image" --out "$tmp" -- /bin/steplab "${args[@]}" \
		--overhead --quiet --output report.json >"$out/$name.log" 2>&1; then
		:
	else
		log "$k: the suite did not pass (see $out/$name.log)"
		failed=1
	fi
	[ -f "$tmp/report.json" ] && mv "$tmp/report.json" "$out/$name.json"
	rm -rf "$tmp"
done

# core kinds x modes: each configuration once, its board file found
for spec in $matrix; do
	mapfile -t qargs < <(matrix_args "$spec")
	name=matrix-${spec//[\/@]/_}
	log "$spec: $steps-step mix"
	tmp=$(mktemp -d "$out/.run.XXXXXX")
	"$here/qemu-board" "${qargs[@]}" --out "$tmp" -- /bin/steplab run --mix "$SUITE_MIX" \
		--seed "$SUITE_SEED" --steps "$steps" --quiet --output report.json \
		>"$out/$name.log" 2>&1 || { log "$spec: the run did not pass (see $out/$name.log)"; failed=1; }
	[ -f "$tmp/report.json" ] && mv "$tmp/report.json" "$out/$name.json"
	rm -rf "$tmp"
done
if [ -n "$matrix" ]; then
	echo "== core kinds x KVM modes: host instructions per step (mode), side by side"
	for f in "$out"/matrix-*.json; do
		[ -f "$f" ] || continue
		python3 - "$f" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
c, m = d['context'], {x['class']: x['metrics']['host_instructions']['mode'] for x in d['classes']}
print('%-14s %-10s %-9s untrapped %6s  sysreg %6s  mmio_read %6s  %s, %d non-conforming' % (
    c['board'], c['kvm_mode'], c.get('counting', {}).get('host_instructions', {}).get('levels', '?'),
    m.get('untrapped', '-'), m.get('sysreg', '-'), m.get('mmio_read', '-'),
    d['design']['verdict'], d['summary']['nonconforming']))
EOF_PY
	done | tee "$out/matrix.txt"
fi

# compare REF OTHER... : the table to stdout and a .txt, the JSON beside it
compare() {
	local tag=$1 files=() f
	shift
	for f in "$@"; do
		[ -f "$out/$f.json" ] && files+=("$out/$f.json")
	done
	[ ${#files[@]} -ge 2 ] || return 0
	"$steplab" compare --metric host_instructions --metric entries --metric time_ns \
		"${files[@]}" | tee "$out/compare-$tag.txt"
	"$steplab" compare --json "${files[@]}" > "$out/compare-$tag.json"
}

echo
for g in 6.1 6.12 7.3; do
	echo "== design: build-$g (flag-based) against build-$g-early-exit, same config"
	compare "design-$g" "build-$g" "build-$g-early-exit"
done
echo "== generations: Debian's images"
compare generations debian-6.1 debian-6.12 debian-7

echo "== overhead: host instructions per step of the suite's mix, bare stepper against steplab"
echo "   (steplab on the plain path, the bare stepper's; all paths: the run's own; ratio: plain / bare)"
for f in "$out"/*.json; do
	case $f in */compare-*) continue ;; esac
	python3 - "$f" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[1]))
reads = d['context'].get('counter_reads', {}).get('hardware', '?')
for p in d['programs']:
    o = p.get('overhead')
    if o and p['name'] == 'mix':
        print('%-20s bare %6.0f  +reads %6.0f  steplab %6.0f  all paths %6.0f  ratio %.3f  %6.0f steps/s  reads: %s' % (
            sys.argv[1].rsplit('/', 1)[-1], o['bare_host_instructions_per_step'],
            o['bare_with_counter_reads_host_instructions_per_step'],
            o['steplab_host_instructions_per_step'],
            o.get('all_paths_host_instructions_per_step', o['steplab_host_instructions_per_step']),
            o['ratio'], p.get('steps_per_second', 0), reads))
EOF_PY
done | tee "$out/overhead.txt"
log "reports and comparisons: $out"
exit $failed
