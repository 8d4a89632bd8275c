#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make baseline`: run the suite on the emulated board and record its exact
# per-class modes as results/baselines/qemu-virt/<kernel release>.json.
# Host instructions count the stepper's own loop, so a baseline belongs to
# one kernel build and one build of steplab's step loop: rerun this after
# changing either, and review the diff like any other result.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
cd "$root"

O=${O:-build}
kernel=${KERNEL:-debian-6.1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t args < <(suite_args /boards/qemu-virt.json)
"$here/qemu-board" --kernel "$kernel" --out "$tmp" -- /bin/steplab "${args[@]}" \
	--output report.json --quiet || die "the suite did not pass: no baseline"
release=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['context']['kernel_release'])" "$tmp/report.json")
mkdir -p results/baselines/qemu-virt
"$O/$(host_arch)/steplab" baseline make "$tmp/report.json" "results/baselines/qemu-virt/$release.json"
if [ "$kernel" = debian-6.1 ]; then
	cp "$tmp/report.json" results/examples/qemu-virt-debian-6.1.json
	log "example report: results/examples/qemu-virt-debian-6.1.json"
fi
log "baseline: results/baselines/qemu-virt/$release.json"
