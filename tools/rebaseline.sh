#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make baseline`: run the suite on the emulated board under each kernel and
# record its exact per-class modes as results/baselines/qemu-virt/<kernel
# release>.json.  Host instructions count the stepper's own loop, so a
# baseline belongs to one kernel build and one build of steplab's step
# loop: rerun this after changing either, and review the diff like any
# other result.  When Debian moved an image or linux-source under a
# baseline, this one command re-records it: tools/kernel-pins is updated to
# the image that ran, and a baseline the new one replaces (another release
# of the same kernel line) is removed.
#
#   KERNELS="debian-6.1 build:6.1-early-exit ..." make baseline
#
# A KERNELS entry KERNEL@MODE or KERNEL/CPU (tools/lib.sh MODE_MATRIX; e.g.
# debian-6.12@protected, debian-6.1/cortex-a72) boots that KVM mode or
# emulated core kind, runs as tests/board/modes.sh does (no --board: the board
# file of the core kind is found) and records the baseline where
# baseline_path keys it, with the spread of its modes over BOOTS boots (2
# by default; steplab baseline spread).  KERNELS=modes records the matrix.
# SPREAD_ONLY=1 keeps an existing baseline's modes and only records the
# spread over BOOTS more boots (KERNEL@vhe names a kernel's default mode).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
suite_mix_load
cd "$root"

O=${O:-build}
kernels=${KERNELS:-"debian-6.1 build:6.1 build:6.1-early-exit build:6.1-fix build:6.12
	build:6.12-early-exit build:6.12-fix debian-6.12 debian-7"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p results/baselines/qemu-virt

# replaced KERNEL IMAGE NEW-BASELINE: the pin follows the Debian image that
# ran; an older baseline of the same kernel line goes.
replaced() {
	local k=$1 image=$2 new=$3 dir pkg ver old f
	case $k in
	debian-*)
		dir=$(dirname "$image")
		pkg=${dir##*/}
		pkg=${pkg%_*}
		ver=$(cat "$dir/version")
		old=$(awk -v n="$k" '$1 == n {print $2}' "$here/kernel-pins")
		if [ -n "$old" ] && [ "$old $ver" != "$(awk -v n="$k" '$1 == n {print $2, $3}' "$here/kernel-pins")" ]; then
			old=${old#linux-image-}
			old=${old#linux-binary-unsigned-}
			f=results/baselines/qemu-virt/${old%-unsigned}.json
			[ "$f" = "$new" ] || [ ! -f "$f" ] || { rm -f "$f"; log "$k: removed $f (replaced by $new)"; }
		fi
		awk -v n="$k" -v line="$k $pkg $ver" '$1 == n {print line; done = 1; next} {print}
			END {if (!done) print line}' "$here/kernel-pins" > "$tmp/pins"
		if ! cmp -s "$tmp/pins" "$here/kernel-pins"; then
			cat "$tmp/pins" > "$here/kernel-pins"
			log "$k: tools/kernel-pins now pins $pkg $ver"
		fi
		;;
	build:*)
		local name=${k#build:} series variant
		series=${name%%-*}
		variant=${name#"$series"}
		for f in results/baselines/qemu-virt/"$series".[0-9]*-steplab"$variant".json; do
			[ "$f" = "$new" ] || [ ! -f "$f" ] || { rm -f "$f"; log "$k: removed $f (replaced by $new)"; }
		done
		;;
	esac
}

[ "$kernels" != modes ] || kernels=$MODE_MATRIX
for k in $kernels; do
	if [[ $k == *[@/]* ]]; then
		mapfile -t qargs < <(matrix_args "$k")
		rm -f "$tmp/report.json"
		"$here/qemu-board" "${qargs[@]}" --out "$tmp" -- /bin/steplab run --reentry plain --mix "$SUITE_MIX" \
			--seed "$SUITE_SEED" --steps "$MODE_STEPS" --output report.json --quiet &&
			st=0 || st=$?
		# 5: unproven, where the guest counter counts nothing (protected KVM, 6.12+)
		[ $st = 0 ] || [ $st = 5 ] || die "$k: the run did not pass (status $st): no baseline"
		base=$(baseline_path "$tmp/report.json")
		mkdir -p "$(dirname "$base")"
		if [ "${SPREAD_ONLY:-0}" = 1 ] && [ -f "$base" ]; then
			mv "$tmp/report.json" "$tmp/boot1.json"
		else
			"$O/$(host_arch)/steplab" baseline make "$tmp/report.json" "$base"
		fi
		# more boots of the same kernel: how far its modes move from boot
		# to boot (boot_spread), the noise the dashboard looks past
		for ((b = 2; b <= ${BOOTS:-2}; b++)); do
			rm -f "$tmp/again.json"
			"$here/qemu-board" "${qargs[@]}" --out "$tmp" -- /bin/steplab run --reentry plain --mix "$SUITE_MIX" \
				--seed "$SUITE_SEED" --steps "$MODE_STEPS" --output again.json --quiet &&
				st=0 || st=$?
			[ $st = 0 ] || [ $st = 5 ] || die "$k: boot $b did not pass (status $st)"
			mv "$tmp/again.json" "$tmp/boot$b.json"
		done
		[ "${BOOTS:-2}" -lt 2 ] ||
			"$O/$(host_arch)/steplab" baseline spread "$base" "$tmp"/boot*.json ||
			die "$k: cannot record the boot-to-boot spread"
		rm -f "$tmp"/boot*.json
		log "$k: $base"
		continue
	fi
	case $k in
	build:*) image=$("$here/build-kernel.sh" "${k#build:}") ;;
	debian-*) image=$("$here/fetch-kernel.sh" "$k") ;;
	*) image=$k ;;
	esac
	mapfile -t args < <(suite_args /boards/qemu-virt.json /known-divergences.json)
	# the reference kernel runs the whole suite on plain re-entry (it is
	# also the example report, a conforming one: its re-entry divergence is
	# tests/board/board.sh's); the others a shorter mix with every path: modes
	# come from plain steps and do not depend on the mix's length
	[ "$k" != debian-6.1 ] || args+=(--reentry plain)
	if [ "$k" != debian-6.1 ]; then
		for i in "${!args[@]}"; do
			[ "${args[$i]}" = --steps ] && args[$((i + 1))]=20000
		done
	fi
	rm -f "$tmp/report.json"
	# as tests/board/kernels.sh boots them: without KASLR, whose randomized base
	# moves Debian's newer images by a few instructions per KVM_RUN
	append=nokaslr
	[ "$k" != debian-6.1 ] || append=
	"$here/qemu-board" --kernel "$image" ${append:+--append "$append"} --out "$tmp" -- /bin/steplab "${args[@]}" \
		--output report.json --quiet || die "$k: the suite did not pass (or only with new divergences): no baseline"
	release=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['context']['kernel_release'])" "$tmp/report.json")
	new=results/baselines/qemu-virt/$release.json
	"$O/$(host_arch)/steplab" baseline make "$tmp/report.json" "$new"
	log "$k: $new"
	replaced "$k" "$image" "$new"
	if [ "$k" = debian-6.1 ]; then
		cp "$tmp/report.json" results/examples/qemu-virt-debian-6.1.json
		log "example report: results/examples/qemu-virt-debian-6.1.json"
	fi
done
