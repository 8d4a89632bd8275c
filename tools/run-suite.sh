#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: the suite, natively on an arm64 host with /dev/kvm, otherwise
# on the emulated reference board.  Writes results/runs/<board>-<time>.json
# and prints its summary.
#
#   BOARD=boards/rock5b.json make run     a physical board's file
#   KERNEL=debian-6.12 make run           another kernel on the emulated board
#   KNOWN= make run                       without the known divergences: every
#                                         non-conforming step makes it fail
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
suite_mix_load

O=${O:-build}
cd "$root"
mkdir -p results/runs
stamp=$(date -u +%Y%m%dT%H%M%SZ)

if [ "$(host_arch)" = arm64 ] && [ -c /dev/kvm ]; then
	board=${BOARD:-}
	name=$(basename "${board:-native}" .json)
	report=results/runs/$name-$stamp.json
	mapfile -t args < <(suite_args "$board" "${KNOWN-results/known-divergences.json}")
	log "running natively on $(uname -n)"
	"$O/arm64/steplab" "${args[@]}" --output "$report" && rc=0 || rc=$?
else
	board=${BOARD:-boards/qemu-virt.json}
	name=$(basename "$board" .json)
	[ "$name" = qemu-virt ] || die "$board: only the emulated reference board runs on a $(host_arch) host"
	report=results/runs/$name-$stamp.json
	known=
	[ "${KNOWN-x}" = "" ] || known=/known-divergences.json
	mapfile -t args < <(suite_args /boards/qemu-virt.json "$known")
	log "no arm64 KVM here: running on the emulated reference board (QEMU, kernel ${KERNEL:-debian-6.1})"
	tmp=$(mktemp -d results/runs/.run.XXXXXX)
	trap 'rm -rf "$tmp"' EXIT
	"$here/qemu-board" --kernel "${KERNEL:-debian-6.1}" --out "$tmp" -- \
		/bin/steplab "${args[@]}" --output report.json && rc=0 || rc=$?
	[ -f "$tmp/report.json" ] && mv "$tmp/report.json" "$report"
fi
[ -f "$report" ] || die "no report was written (exit status $rc)"
log "report: $report"
exit "$rc"
