#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build libperf (tools/lib/perf) from Debian's linux-source-6.1 for one
# architecture, into a cache outside the tree keyed by the source version,
# the architecture and this script.  libperf is not packaged by Debian.
#
#   tools/build-libperf.sh ARCH          build if absent; print the prefix
#   tools/build-libperf.sh --print ARCH  print the prefix, build nothing
#
# ARCH is x86_64 or arm64.  The prefix holds lib/libperf.a, lib/libapi.a,
# include/perf/ and lib/pkgconfig/libperf.pc (static: Libs has -lapi).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

print_only=0
if [ "${1:-}" = "--print" ]; then print_only=1; shift; fi
arch=${1:?usage: build-libperf.sh [--print] x86_64|arm64}
case $arch in
x86_64) cross= ; karch=x86 ;;
arm64|aarch64) arch=arm64; cross=aarch64-linux-gnu- ; karch=arm64 ;;
*) die "unknown architecture '$arch' (want x86_64 or arm64)" ;;
esac

tarball=/usr/src/linux-source-6.1.tar.xz
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo none)
key=$(printf '%s %s %s' "$srcver" "$arch" "$(sha256sum "$0" | cut -c1-16)" |
      sha256sum | cut -c1-12)
prefix=$STEPLAB_CACHE/libperf/$arch-$key

if [ $print_only = 1 ] || [ -e "$prefix/.done" ]; then
	echo "$prefix"
	exit 0
fi
[ -r "$tarball" ] || die "$tarball missing: install linux-source-6.1 (tools/deps.sh)"
command -v "${cross}gcc" >/dev/null || die "${cross}gcc not found (tools/deps.sh)"

work=$(mktemp -d "$STEPLAB_CACHE/libperf-build.XXXXXX" 2>/dev/null ||
       { mkdir -p "$STEPLAB_CACHE"; mktemp -d "$STEPLAB_CACHE/libperf-build.XXXXXX"; })
trap 'rm -rf "$work"' EXIT
log "building libperf for $arch from linux-source $srcver"
tar -C "$work" -xf "$tarball" --wildcards 'linux-source-6.1/tools/*'
src=$work/linux-source-6.1/tools/lib/perf
tmp_prefix=$work/prefix
make -s -C "$src" ARCH=$karch CROSS_COMPILE=$cross prefix="$tmp_prefix" \
	libdir="$tmp_prefix/lib" V=0 EXTRA_CFLAGS="-fPIC -O2" \
	install_lib install_headers install_pkgconfig >"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log" >&2; die "libperf build failed for $arch"; }
cp "$work/linux-source-6.1/tools/lib/api/libapi.a" "$tmp_prefix/lib/"
# Static only: the emulated board's initramfs then needs no libperf.so.
rm -f "$tmp_prefix"/lib/libperf.so*
sed -i -e "s|^prefix=.*|prefix=$prefix|" -e 's|^libdir=.*|libdir=${prefix}/lib|' -e 's|-lperf|-lperf -lapi|' \
	"$tmp_prefix/lib/pkgconfig/libperf.pc"
rm -rf "$prefix"
mkdir -p "$(dirname "$prefix")"
mv "$tmp_prefix" "$prefix"
touch "$prefix/.done"
echo "$prefix"
