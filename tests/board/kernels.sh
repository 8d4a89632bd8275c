#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kernel the emulated board runs, both designs: Debian's prebuilt
# 6.12 and 7.x images, and minimal builds of 6.1 and 6.12 stock, with
# kernel/early-exit-*.patch and with kernel/fix-ss-reentry-*.patch.  On
# each, with every re-entry path and the known divergences: every plain
# step conforms, the design verdict of plain steps names the design, an
# emulated step takes 2 guest entries on the flag design and 1 on
# early-exit (1 per untrapped step on both), the re-entry paths are buggy
# or clean as the kernel is (tests/board/reentry.sh), and the exact
# per-class modes are those of results/baselines/ for that build
# (tests/board/baseline.sh: when Debian moved the build under a baseline,
# the modes that do not depend on the build).
#
#   CHECK_KERNELS="build:6.1:flag-based:buggy ..."  CHECK_STEPS=20000
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
suite_mix_load
. tests/board/reentry.sh
. tests/board/baseline.sh

steps=${CHECK_STEPS:-20000}
# The minimal 7.3 builds run in make bench, not here: on them about 2% of
# steps land off their class's mode even without a host interrupt, so the
# exact-mode assertion would not hold (Debian's 7.3 image is checked).
kernels=${CHECK_KERNELS:-"build:6.1:flag-based:buggy build:6.1-early-exit:early-exit:immediate-exit
	build:6.1-fix:flag-based:clean
	build:6.12:flag-based:buggy build:6.12-early-exit:early-exit:immediate-exit,smccc-user
	build:6.12-fix:flag-based:clean
	debian-6.12:flag-based:buggy debian-7:flag-based:clean"}

emulated_only "kernel generations run on the emulated board only (this host runs its own kernel)"

mapfile -t args < <(suite_args /boards/qemu-virt.json /known-divergences.json)
for i in "${!args[@]}"; do
	[ "${args[$i]}" = --steps ] && args[$((i + 1))]=$steps
done

for spec in $kernels; do
	k=${spec%%:*} rest=${spec#*:}
	[ "$k" = build ] && { k=build:${rest%%:*}; rest=${rest#*:}; }
	design=${rest%%:*} reentry=${rest#*:}
	name=${k#build:}
	if [ "$k" != "$name" ]; then
		start=$(date +%s)
		image=$(tools/build-kernel.sh "$name" 2>"$tmp/build.log")
		st=$?
		ok $st "$k: kernel image ($(( $(date +%s) - start )) s)"
		[ $st = 0 ] || { sed 's/^/# /' "$tmp/build.log" | tail -5; continue; }
	else
		image=$k
	fi
	dir=$tmp/$name
	mkdir -p "$dir"
	start=$(date +%s)
	# nokaslr: with a randomized kernel base, Debian's 6.12 and 7.x images
	# shift every KVM_RUN by a few instructions from boot to boot
	tools/qemu-board --kernel "$image" --append nokaslr --out "$dir" -- /bin/steplab "${args[@]}" \
		--quiet --output r.json > "$dir/log" 2>&1
	st=$?
	r=$dir/r.json
	ok $st "$k: the suite exits 0 (status $st, $(( $(date +%s) - start )) s)"
	if [ ! -f "$r" ]; then
		sed 's/^/# /' "$dir/log" | tail -5
		continue
	fi
	release=$(q "$r" "d['context']['kernel_release']")
	diag "$k: kernel $release, $(q "$r" "d['context']['kernel_version']")"
	reentry_assert "$k" "$r" "$reentry"
	# a kernel clean on every path is named by its design; a buggy one
	# is "buggy" (above), its design shown by the guest entries (below)
	if [ "$reentry" = clean ]; then
		ok $([ "$(q "$r" "d['design']['verdict']")" = "$design" ]; echo $?) \
			"$k: design verdict $design ($(q "$r" "d['design']['verdict']"))"
	fi
	want=2
	[ "$design" = early-exit ] && want=1
	ok $(q "$r" "int(not all(c['metrics']['entries']['mode'] == ($want if c['emulated'] else 1) for c in d['classes']))") \
		"$k: guest entries per step: $want per emulated step, 1 per untrapped ($(q "$r" "' '.join('%s=%d' % (c['class'], c['metrics']['entries']['mode']) for c in d['classes'])"))"
	ok $(q "$r" "int(not all(v['isv_set'] == 0 for c, v in d['reentry']['plain']['classes'].items() if c in ('mmio_read', 'mmio_write', 'sysreg', 'hvc', 'smc')))") \
		"$k: every plain emulated step's debug exit is EC 0x32 with ISV=0"
	diag "$k: share of uninterrupted steps on the host-instruction mode: $(q "$r" "' '.join('%s=%.4f' % (c['class'], c['metrics']['host_instructions']['quiet']['mode_fraction']) for c in d['classes'])")"
	# exact modes; the share of steps on them moves with the host's load on
	# these kernels (reported above), so it is not what is asserted here
	if [ "$k" = debian-7 ]; then
		# Debian's 7.3 image moves the cost of every step by a few
		# host instructions from one boot to the next, even with nokaslr:
		# every other mode is asserted exactly, the host-instruction modes
		# up to one shift common to every class (tests/board/baseline.sh)
		assert_baseline "$k" "$k" "$r" --min-share 0 --ignore host_instructions
		base=$(baseline_of "$k")
		# (when Debian moved the image under it, assert_baseline says so
		# and host instructions are another build's)
		if [ "$(q "$base" "d['kernel_version']")" = "$(q "$r" "d['context']['kernel_version']")" ]; then
			"$steplab" baseline check --min-share 0 "$base" "$r" > "$dir/host.txt" 2>&1
			sed 's/^/# /' "$dir/host.txt" | grep host_instructions
			d=$(common_shift "$dir/host.txt" "$r")
			ok $? "$k: host-instruction modes match $base up to one shift of every class, or of each group (${d:-not one})"
		fi
	else
		assert_baseline "$k" "$k" "$r" --min-share 0
	fi
done
tap_done
