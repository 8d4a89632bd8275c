#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's arm64 valgrind for the emulated board (tools/qemu-board
# --valgrind), with a private apt state like tools/fetch-kernel.sh: nothing
# is installed on the host.
#
#   tools/fetch-valgrind.sh     print the extracted root: ROOT/usr/bin/valgrind.bin
#                               (the launcher), ROOT/usr/libexec/valgrind/
#
# Memcheck on arm64 must redirect strlen and strcmp inside ld.so from its
# start, and refuses to run when it cannot find them; Debian strips ld.so,
# so the symbols come from libc6-dbg, of exactly the libc6:arm64 build the
# board packs (the host's), found by build-id under ROOT/usr/lib/debug/.
# Cached under $STEPLAB_CACHE/valgrind/, keyed by both versions; the
# package lists are refreshed at most once a day.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/lib.sh
. "$here/lib.sh"

libc_ver=$(dpkg-query -W -f='${Version}' libc6:arm64 2>/dev/null) ||
	die "libc6:arm64 is not installed (tools/deps.sh installs it)"

# A cached root for this libc serves without asking the network.
cached=$(find "$STEPLAB_CACHE/valgrind" -maxdepth 2 -name .done \
	      -path "*+libc_$libc_ver/.done" 2>/dev/null | LC_ALL=C sort | tail -1) || true
if [ -n "$cached" ]; then
	echo "${cached%/.done}"
	exit 0
fi

private_apt bookworm "bookworm bookworm-updates" bookworm-security
# awk reads to the end: an early exit would kill apt-cache with SIGPIPE,
# and pipefail would end this script without a word
vg_ver=$(apt-cache "${apt_opts[@]}" show valgrind:arm64 2>/dev/null |
	 awk '/^Version:/ && !v {v = $2} END {print v}')
[ -n "$vg_ver" ] || die "valgrind:arm64 not found in bookworm"
apt-cache "${apt_opts[@]}" show "libc6-dbg:arm64=$libc_ver" >/dev/null 2>&1 ||
	die "libc6-dbg:arm64 $libc_ver (the host's libc6:arm64) is not in the archive: upgrade libc6:arm64"

out=$STEPLAB_CACHE/valgrind/valgrind_${vg_ver#*:}+libc_$libc_ver
log "downloading valgrind $vg_ver and libc6-dbg $libc_ver (arm64)"
tmp=$(mktemp -d "$STEPLAB_CACHE/valgrind-fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get "${apt_opts[@]}" download -qq \
	"valgrind:arm64=$vg_ver" "libc6-dbg:arm64=$libc_ver" >/dev/null) ||
	die "apt-get download failed"
mkdir -p "$tmp/root"
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$tmp/root" || die "cannot extract ${deb##*/}"
done
[ -x "$tmp/root/usr/bin/valgrind" ] || die "valgrind $vg_ver holds no usr/bin/valgrind"
rm -rf "$out"; mkdir -p "${out%/*}"; mv "$tmp/root" "$out"; touch "$out/.done"
echo "$out"
