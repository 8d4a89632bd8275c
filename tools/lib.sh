# SPDX-License-Identifier: GPL-2.0
# Shared helpers for steplab's shell tools.

STEPLAB_CACHE=${STEPLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/steplab}

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# The suite `make run` and `make check` run on the emulated board: every
# fixed program and a seeded 100,000-step mix that reaches every class.
SUITE_MIX=untrapped:45,mem:5,branch:5,mmio:10,sysreg:10,hvc:10,smc:10,exception:5
SUITE_SEED=7
SUITE_STEPS=100000
suite_args() {
	# $1: the board file as the program that runs the suite sees it, or ''
	printf '%s\n' run
	[ -z "${1:-}" ] || printf '%s\n' --board "$1"
	printf '%s\n' --guest every --guest trapped --guest untrapped \
		--mix "$SUITE_MIX" --seed "$SUITE_SEED" --steps "$SUITE_STEPS"
}

host_arch() { uname -m | sed -e 's/aarch64/arm64/'; }
