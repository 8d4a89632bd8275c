# SPDX-License-Identifier: GPL-2.0
# Shared helpers for steplab's shell tools.

STEPLAB_CACHE=${STEPLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/steplab}

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

host_arch() { uname -m | sed -e 's/aarch64/arm64/'; }

# steplab as built for this host ($O, default build/, under the top of the
# tree), or $STEPLAB_HOST.
steplab_host() {
	local o=${O:-build}
	[[ $o == /* ]] || o=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/$o
	printf '%s\n' "${STEPLAB_HOST:-$o/$(host_arch)/steplab}"
}

# The suite `make run` and `make check` run on the emulated board: every
# fixed program and a seeded 100,000-step mix that reaches every class.
# The mix is the one steplab itself holds (`steplab run --print-suite`):
# suite_mix_load asks the built steplab once and sets SUITE_MIX, or stops
# the script saying what to build.  Scripts that do not run the suite never
# start steplab.
suite_mix_load() {
	[ -z "${SUITE_MIX:-}" ] || return 0
	SUITE_MIX=$("$(steplab_host)" run --print-suite 2>/dev/null) && [ -n "$SUITE_MIX" ] ||
		die "the suite's mix comes from $(steplab_host) run --print-suite: build it first (make all)"
}
SUITE_SEED=7
SUITE_STEPS=100000
# Every re-entry path steplab can take is in it (the default of `steplab
# run`): plain, immediate-exit, signal and, on Linux 6.4+, smccc-user.
suite_args() {	# after suite_mix_load
	# $1: the board file as the program that runs the suite sees it, or ''
	# $2: the known-divergences file as it sees it, or '' (none)
	printf '%s\n' run
	[ -z "${1:-}" ] || printf '%s\n' --board "$1"
	[ -z "${2:-}" ] || printf '%s\n' --known "$2"
	printf '%s\n' --guest every --guest trapped --guest untrapped \
		--mix "$SUITE_MIX" --seed "$SUITE_SEED" --steps "$SUITE_STEPS"
}

# private_apt NAME SUITES [SECURITY-SUITES]: an apt state of steplab's own
# under $STEPLAB_CACHE/apt/NAME, arm64 only, lists refreshed at most once a
# day; sets apt_opts for apt-get/apt-cache.  The host's sources stay as
# they are.
private_apt() {
	local name=$1 suites=$2 sec=${3:-} state=$STEPLAB_CACHE/apt/$1 uri s

	mkdir -p "$state/sources" "$state/lists/partial" "$state/archives/partial"
	: > "$state/sources/steplab.sources"
	for uri in debian debian-security; do
		s=$suites
		[ $uri = debian ] || s=$sec
		[ -n "$s" ] || continue
		cat >> "$state/sources/steplab.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/$uri
Suites: $s
Components: main
Architectures: arm64
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

SRC
	done
	apt_opts=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$state/sources"
		  -o Dir::State::Lists="$state/lists" -o Dir::Cache::Archives="$state/archives"
		  -o Dir::Cache::pkgcache="$state/pkgcache.bin"
		  -o Dir::Cache::srcpkgcache="$state/srcpkgcache.bin"
		  -o APT::Architectures::=arm64 -o APT::Sandbox::User=root)
	if [ -z "$(find "$state/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
		log "refreshing package lists for $name"
		# One retry; then lists a day old still name what the caches
		# hold, so a mirror's hiccup is a warning, not a failed build.
		apt-get "${apt_opts[@]}" update -qq >/dev/null 2>"$state/update.err" ||
		{ sleep 5; apt-get "${apt_opts[@]}" update -qq >/dev/null 2>"$state/update.err"; } ||
		if [ -n "$(find "$state/lists" -maxdepth 1 -name '*Packages*' 2>/dev/null)" ]; then
			log "warning: apt-get update failed for $name ($(tail -n 1 "$state/update.err")): using the lists from before"
		else
			cat "$state/update.err" >&2
			die "apt-get update failed for $name"
		fi
	fi
}

# baseline_path REPORT: where results/baselines/ keeps the baseline of the
# report's configuration: BOARD/RELEASE.json for the mode the board file
# names (the board file names the core kind too), BOARD/RELEASE.MODE.json
# for another KVM mode.
baseline_path() {
	python3 - "$1" <<'EOF_PY'
import json, os, sys
c = json.load(open(sys.argv[1]))['context']
board, rel, mode = c['board'], c['kernel_release'], c['kvm_mode']
try:
    own = json.load(open(os.path.join('boards', board + '.json'))).get('kvm_mode')
except OSError:
    own = None
print('results/baselines/%s/%s%s.json' % (board, rel, '' if mode == own else '.' + mode))
EOF_PY
}

# The configurations of `make check`'s modes test and `make baseline`'s
# mode and core-kind baselines: KERNEL[@MODE][/CPU], MODE a kvm-arm.mode
# (vhe: the default, none given), CPU a tools/qemu-board --cpu model.
MODE_MATRIX="debian-6.1 debian-6.1@nvhe debian-6.1@protected
	debian-6.12 debian-6.12@nvhe debian-6.12@protected
	debian-7 debian-7@nvhe debian-7@protected
	debian-6.1/neoverse-n1 debian-6.1/cortex-a76 debian-6.1/cortex-a72"
MODE_STEPS=3000

# matrix_args SPEC: the tools/qemu-board options of one configuration, one a
# line (nokaslr on the newer images: see tests/board/kernels.sh).
matrix_args() {
	local spec=$1 k=${1%%[@/]*} mode= cpu= append=
	[[ $spec != *@* ]] || { mode=${spec#*@}; mode=${mode%%/*}; }
	[[ $spec != */* ]] || cpu=${spec#*/}
	[ "$mode" != vhe ] || mode=	# the default where the CPU has VHE
	printf '%s\n' --kernel "$k"
	[ -z "$cpu" ] || printf '%s\n' --cpu "$cpu"
	[ "$k" = debian-6.1 ] || append=nokaslr
	[ -z "$mode" ] || append="${append:+$append }kvm-arm.mode=$mode"
	# 6.12 and later alias protected to hVHE, which QEMU 7.2's CPUs leave
	# in VHE (protected refused, guest counting dead): ask for nVHE too
	[ "$mode" != protected ] || [ "$k" = debian-6.1 ] ||
		append="$append arm64_sw.hvhe=0 id_aa64mmfr1.vh=0"
	[ -z "$append" ] || printf '%s\n' --append "$append"
}
