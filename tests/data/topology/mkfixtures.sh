#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Rebuilds the topology fixtures: hwloc XML made by hwloc itself from a
# synthetic description (lstopo), CPU kinds, cache and memory sizes added
# with hwloc-annotate, and the fake sysfs trees beside them.  Needs
# hwloc-nox (lstopo-no-graphics, hwloc-annotate).
#
#   rock5b.xml         Radxa ROCK 5B (RK3588): 4x Cortex-A55 (CPUs 0-3),
#                      4x Cortex-A76 (CPUs 4-7); two kinds ranked by
#                      capacity, as hwloc 2.9 reports them from sysfs
#   rock5b-3kinds.xml  the same board where hwloc splits the A76s into two
#                      kinds (4-5 and 6-7 binned to different maximum
#                      frequencies): three hwloc kinds, two MIDR kinds
#   altra80.xml        Ampere Altra Q80-30: 80 Neoverse N1 cores, one kind
#   *-sysfs/           midr_el1 per CPU and the CPU PMUs (name, type, cpus)
#   rock5b-nomidr-sysfs/  the PMUs of rock5b without any midr_el1
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# annotate OUT ANNOTATION...: applies each 'LOCATION ANNOTATION' in turn
annotate() {
	local out=$1 in=$tmp/in.xml; shift
	for a in "$@"; do
		# shellcheck disable=SC2086
		hwloc-annotate "$in" "$tmp/next.xml" $a
		mv "$tmp/next.xml" "$in"
	done
	sed -e '/name="ProcessName"/d' "$in" > "$out"
}

synth() { lstopo-no-graphics --input "$1" -f --of xml "$tmp/in.xml" 2>/dev/null; }

rock5b_common=("NUMANode:0 size 16GiB" "L2Cache:4-7 size 512KiB"
	       "root info PlatformModel Radxa-ROCK-5B")
synth "pack:1 l3:1(size=3145728) l2:8(size=131072) core:1 pu:1"
annotate rock5b.xml "${rock5b_common[@]}" \
	"-- none -- cpukind 0x0f 405 0 FrequencyMaxMHz 1800" \
	"-- none -- cpukind 0x0f 405 0 LinuxCapacity 405" \
	"-- none -- cpukind 0xf0 1024 0 FrequencyMaxMHz 2352" \
	"-- none -- cpukind 0xf0 1024 0 LinuxCapacity 1024"

synth "pack:1 l3:1(size=3145728) l2:8(size=131072) core:1 pu:1"
annotate rock5b-3kinds.xml "${rock5b_common[@]}" \
	"-- none -- cpukind 0x0f 405 0 FrequencyMaxMHz 1800" \
	"-- none -- cpukind 0x0f 405 0 LinuxCapacity 405" \
	"-- none -- cpukind 0x30 982 0 FrequencyMaxMHz 2256" \
	"-- none -- cpukind 0x30 982 0 LinuxCapacity 982" \
	"-- none -- cpukind 0xc0 1024 0 FrequencyMaxMHz 2352" \
	"-- none -- cpukind 0xc0 1024 0 LinuxCapacity 1024"

synth "pack:1 core:80 pu:1"
annotate altra80.xml "NUMANode:0 size 256GiB" \
	"root info DMIProductName Altra-Q80-30" \
	"-- none -- cpukind 0xffff,0xffffffff,0xffffffff 1024 0 FrequencyMaxMHz 3000" \
	"-- none -- cpukind 0xffff,0xffffffff,0xffffffff 1024 0 LinuxCapacity 1024"

# sysfs ROOT FIRST LAST MIDR: midr_el1 for CPUs FIRST..LAST
midrs() {
	local cpu d
	for ((cpu = $2; cpu <= $3; cpu++)); do
		d=$1/sys/devices/system/cpu/cpu$cpu/regs/identification
		mkdir -p "$d"
		printf '0x%016x\n' "$4" > "$d/midr_el1"
	done
}

# pmu ROOT NAME TYPE [CPUS [MASKFILE]]: an event_source device; CPU PMUs
# have 'cpus', uncore ones 'cpumask', the software ones neither
pmu() {
	local d=$1/sys/bus/event_source/devices/$2
	mkdir -p "$d"
	echo "$3" > "$d/type"
	[ $# -lt 4 ] || echo "$4" > "$d/${5:-cpus}"
}

rm -rf rock5b-sysfs rock5b-nomidr-sysfs altra80-sysfs
midrs rock5b-sysfs 0 3 0x412fd050	# Cortex-A55 r2p0
midrs rock5b-sysfs 4 7 0x414fd0b0	# Cortex-A76 r4p0
for r in rock5b-sysfs rock5b-nomidr-sysfs; do
	pmu $r armv8_cortex_a55 10 0-3
	pmu $r armv8_cortex_a76 11 4-7
	pmu $r software 1
	pmu $r tracepoint 2
done
midrs altra80-sysfs 0 79 0x413fd0c1	# Neoverse N1 r3p1
pmu altra80-sysfs armv8_pmuv3_0 8 0-79
pmu altra80-sysfs arm_cmn_0 9 0 cpumask
pmu altra80-sysfs software 1
