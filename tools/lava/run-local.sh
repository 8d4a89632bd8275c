#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one of tools/lava/jobs/ on this machine with lava-run, LAVA's own
# dispatcher, without a server: what a lab's worker would do with it.
#
#   tools/lava/run-local.sh JOB DEVICE-DICTIONARY OUT-DIR [FIELD=VALUE ...]
#
# Fills the job's @FIELD@ marks (render.py job: every mark must be given,
# the job must pass LAVA's job schema), renders the device dictionary with
# lava-server's device-type templates (device-types.sh) and the job's
# context, and runs lava-run.  OUT-DIR gets job.yaml, device.yaml,
# job.log (lava-run's log: one YAML mapping a line, the results among
# them as lvl "results"), result.yaml (the job's own result) and lava-run's
# working files under run/.  Exit status: lava-run's (0 the job completed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/../lib.sh"

[ $# -ge 3 ] || die "usage: run-local.sh JOB DEVICE-DICTIONARY OUT-DIR [FIELD=VALUE ...]"
job=$1 dict=$2 out=$3
shift 3
command -v lava-run >/dev/null || die "lava-run not found (make deps installs lava-dispatcher)"
[ "$(id -u)" = 0 ] || die "lava-run must run as root"
DEVICE_TYPES=$("$here/device-types.sh")
export DEVICE_TYPES

mkdir -p "$out"
rm -rf "$out/run"
"$here/render.py" job "$job" "$out/job.yaml" "$@"
"$here/render.py" device "$dict" "$out/job.yaml" "$out/device.yaml"
st=0
lava-run --job-id "$(date +%s)$$" --output-dir "$out/run" --device "$out/device.yaml" \
	"$out/job.yaml" > "$out/job.log" 2>&1 || st=$?
cp "$out/run/result.yaml" "$out/result.yaml" 2>/dev/null || true
exit $st
