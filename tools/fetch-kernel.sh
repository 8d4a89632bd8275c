#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch one of Debian's arm64 kernel images for the emulated board, with a
# private apt state: the host's own sources are never touched, so newer
# suites (trixie, trixie-backports) can be used without mixing them in.
#
#   tools/fetch-kernel.sh NAME     print the path of the kernel image
#
# NAME: debian-6.1 (bookworm), debian-6.12 (bookworm-backports), debian-7
# (trixie-backports: the newest generation).
# The image is cached under $STEPLAB_CACHE/kernels/, keyed by package and
# version; the package lists are refreshed at most once a day.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

name=${1:?usage: fetch-kernel.sh debian-6.1|debian-6.12|debian-7}
case $name in
debian-6.1)  suites="bookworm bookworm-updates"; sec=bookworm-security ;;
debian-6.12) suites="bookworm-backports"; sec= ;;
debian-7)    suites="trixie-backports"; sec= ;;
*) die "unknown kernel '$name' (known: debian-6.1 debian-6.12 debian-7)" ;;
esac

private_apt "$name" "$suites" "$sec"

# The pinned build (tools/kernel-pins: the one results/baselines/ was made
# on) while it is cached or still in the archive; else the current one.
read -r pkg ver < <(awk -v n="$name" '$1 == n {print $2, $3}' "$here/kernel-pins") || true
if [ -n "${pkg:-}" ]; then
	if [ -e "$STEPLAB_CACHE/kernels/${pkg}_$ver/.done" ] ||
	   apt-cache "${apt_opts[@]}" show "$pkg:arm64=$ver" >/dev/null 2>&1; then
		dep=${pkg%-unsigned}
	else
		log "warning: pinned $pkg $ver is gone from the archive; taking the current build (its baseline may be missing)"
		pkg=
	fi
fi
if [ -z "${pkg:-}" ]; then
# The metapackage names the current ABI's image; take its unsigned build.
dep=$(apt-cache "${apt_opts[@]}" depends linux-image-arm64:arm64 2>/dev/null |
      awk '/Depends: linux-image-[0-9]/ && !d {d = $2} END {print d}')
dep=${dep%:arm64}
[ -n "$dep" ] || die "cannot resolve linux-image-arm64 for $name"
# 6.x: linux-image-REL-unsigned carries boot/vmlinuz-REL.  7.x: the image
# package is a metapackage; linux-binary-unsigned-REL carries the kernel.
case $dep in
linux-image-[0-6].*) pkg=$dep-unsigned ;;
*) pkg=linux-binary-unsigned-${dep#linux-image-} ;;
esac
ver=$(apt-cache "${apt_opts[@]}" show "$pkg:arm64" 2>/dev/null |
      awk '/^Version:/ && !v {v = $2} END {print v}')
[ -n "$ver" ] || die "package $pkg not found for $name"
fi

out=$STEPLAB_CACHE/kernels/${pkg}_$ver
if [ ! -e "$out/.done" ]; then
	log "downloading $pkg $ver"
	tmp=$(mktemp -d "$STEPLAB_CACHE/kernel-fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get "${apt_opts[@]}" download -qq "$pkg:arm64=$ver" >/dev/null) ||
		die "apt-get download $pkg failed"
	dpkg-deb --fsys-tarfile "$tmp"/*.deb |
		tar -C "$tmp" -x --wildcards --no-anchored 'vmlinuz*'
	image=$(find "$tmp" -name 'vmlinuz*' -type f | head -1)
	[ -n "$image" ] || die "$pkg $ver holds no vmlinuz"
	mkdir -p "$out.tmp"
	mv "$image" "$out.tmp/vmlinuz"
	echo "$ver" > "$out.tmp/version"
	echo "${dep#linux-image-}" > "$out.tmp/release"
	rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
fi
echo "$out/vmlinuz"
