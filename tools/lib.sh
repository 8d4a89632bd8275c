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
# Every re-entry path steplab can take is in it (the default of `steplab
# run`): plain, immediate-exit, signal and, on Linux 6.4+, smccc-user.
suite_args() {
	# $1: the board file as the program that runs the suite sees it, or ''
	# $2: the known-divergences file as it sees it, or '' (none)
	printf '%s\n' run
	[ -z "${1:-}" ] || printf '%s\n' --board "$1"
	[ -z "${2:-}" ] || printf '%s\n' --known "$2"
	printf '%s\n' --guest every --guest trapped --guest untrapped \
		--mix "$SUITE_MIX" --seed "$SUITE_SEED" --steps "$SUITE_STEPS"
}

host_arch() { uname -m | sed -e 's/aarch64/arm64/'; }

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
		apt-get "${apt_opts[@]}" update -qq >/dev/null 2>"$state/update.err" ||
			{ cat "$state/update.err" >&2; die "apt-get update failed for $name"; }
	fi
}
