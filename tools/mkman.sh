#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Writes steplab(1) from steplab's own help texts, so the manual and
# `--help` never disagree: one source, the code.
#
#   tools/mkman.sh STEPLAB-BINARY > steplab.1
set -euo pipefail

bin=${1:?usage: mkman.sh STEPLAB-BINARY}
version=$("$bin" --version | awk '{print $2}')

esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }

cat <<EOF_MAN
.TH STEPLAB 1 "" "steplab $version" "User Commands"
.SH NAME
steplab \- single-step a KVM guest on arm64, judge and count every step
.SH SYNOPSIS
.B steplab
.RB [ \-\-version ]
.RB [ \-\-help ]
.I COMMAND
.RI [ ARGS ]
.SH DESCRIPTION
steplab drives a tiny KVM guest through /dev/kvm and single-steps it over
mixes of trapped and untrapped instructions. Every step is judged (PC,
effect, exits, guest instructions retired); its cost is counted with the
PMU; the kernel's single-step design (flag-based, early-exit, buggy) is
named from the steps' signatures. Results are versioned JSON reports.
.SH COMMANDS
EOF_MAN
"$bin" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1}' |
while read -r cmd; do
	printf '.SS %s\n.nf\n' "$cmd"
	"$bin" "$cmd" --help 2>&1 | esc
	printf '.fi\n'
done
cat <<'EOF_MAN'
.SH EXIT STATUS
0 success (every step conformed; every checklist item passed or was
skipped); 1 a step did not conform, a run was stopped, a checklist item
failed, or a comparison found a difference where one was asked about;
2 bad input (command line, board file, report, mix); 3 the run failed;
4 this host cannot do it (no arm64 KVM), or a baseline is for another
kernel.
.SH FILES
.TP
.I share/steplab/boards/*.json
board files: cores, PMUs, GPIO lines, per-class expectations
.TP
.I share/steplab/schema/*.json
JSON Schemas of reports and board files
.SH SEE ALSO
.BR perf (1),
.BR qemu-system-aarch64 (1)
EOF_MAN
