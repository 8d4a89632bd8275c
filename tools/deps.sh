#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what steplab needs on Debian 12 (bookworm), host and arm64.
# Idempotent: installs only what is missing, builds libperf only when
# its cache entry is absent.  Safe to run on every `make run`.
#
#   tools/deps.sh            everything
#   tools/deps.sh --check    report what is missing, install nothing
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

host_pkgs=(build-essential pkg-config libjansson-dev libhwloc-dev
	   gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	   linux-source-6.1 linux-source-6.12 bc cpio gzip xz-utils python3 python3-jsonschema
	   libxml2-utils bison flex hwloc-nox clang libclang-rt-14-dev groff-base python3-yaml valgrind)
# chromium only renders the dashboard headless in tests/cli/dashboard.sh
host_pkgs+=(chromium)
# LAVA's dispatcher: tests/board/lava.sh runs the jobs of tools/lava/ with
# lava-run
host_pkgs+=(lava-dispatcher)
arm64_pkgs=(libjansson-dev:arm64 libhwloc-dev:arm64)
# libgpiod v2 exists only in bookworm-backports: take just that package
# from there, never the whole suite.
bpo_pkgs=(libgpiod-dev libgpiod-dev:arm64)

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "${p%%/*}" 2>/dev/null |
			grep -q '^install ok installed' || echo "$p"
	done
}

gpiod_v2() {
	# libgpiod v2 ships gpiod.pc with version 2.x
	local v
	v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) || return 1
	dpkg --compare-versions "$v" ge 2.0
}

ensure_sources() {
	local changed=0
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64
		changed=1
	fi
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		cat > /etc/apt/sources.list.d/steplab-bookworm-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		changed=1
	fi
	if [ $changed = 1 ] || [ ! -e "$STEPLAB_CACHE/.apt-updated" ]; then
		log "apt-get update"
		apt-get update -qq || die "apt-get update failed"
		mkdir -p "$STEPLAB_CACHE" && touch "$STEPLAB_CACHE/.apt-updated"
	fi
}

install_pkgs() {
	local need=() p
	mapfile -t need < <(missing "${host_pkgs[@]}" "${arm64_pkgs[@]}")
	for p in libgpiod-dev libgpiod-dev:arm64; do
		gpiod_v2 "$p" || need+=("$p/bookworm-backports")
	done
	[ ${#need[@]} -eq 0 ] && return 0
	if [ $check_only = 1 ]; then
		printf 'missing: %s\n' "${need[@]}"
		return 1
	fi
	log "installing: ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${need[@]}" >/dev/null || die "apt-get install failed: ${need[*]}"
	# Only lava-run is used: the worker service the package enables would
	# poll a server that is not there.  Left alone where a lab installed it.
	if [[ " ${need[*]} " == *" lava-dispatcher "* ]] && [ -d /run/systemd/system ]; then
		systemctl disable --now lava-worker.service >/dev/null 2>&1 || true
	fi
}

if [ $check_only = 1 ]; then
	st=0
	install_pkgs || st=1
	for a in x86_64 arm64; do
		[ -e "$("$here/build-libperf.sh" --print $a)/.done" ] ||
			{ echo "missing: libperf for $a"; st=1; }
	done
	exit $st
fi
[ "$(id -u)" = 0 ] || die "must run as root to install packages (or install them yourself: tools/deps.sh --check)"
ensure_sources
install_pkgs
"$here/build-libperf.sh" x86_64
"$here/build-libperf.sh" arm64
"$here/fetch-kernel.sh" debian-6.1 >/dev/null
"$here/lava/device-types.sh" >/dev/null
log "dependencies ready"
