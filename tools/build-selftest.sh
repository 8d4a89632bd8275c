#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build an arm64 KVM selftest from Debian's linux-source-X package, as a
# static arm64 binary: the kernel's own debug-exceptions
# (tools/testing/selftests/kvm/{aarch64,arm64}/debug-exceptions), or
# single-step-reentry, which kernel/upstream/selftest-X.patch adds.
#
#   tools/build-selftest.sh [--test NAME] [VERSION]   print the binary's path
#
# See --help.  The binary is cached by the hash of its inputs, like the
# kernels of tools/build-kernel.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=$(cd "$here/.." && pwd)

# Nothing of an outer make may reach the selftests' build: under `make
# check` MAKELEVEL=1 is inherited, and the selftests' lib.mk sets its
# default OUTPUT only at MAKELEVEL 0 (so no rule makes the test);
# MAKEFLAGS/MFLAGS would bring the outer -j, -k, -s, jobserver fds and
# command-line variables.
unset MAKELEVEL MAKEFLAGS MFLAGS MAKEOVERRIDES GNUMAKEFLAGS MAKEFILES \
	MAKE_TERMOUT MAKE_TERMERR MAKECMDGOALS

usage() {
	cat <<EOF
usage: $0 [--test NAME] [VERSION]

Build a KVM selftest for arm64 from Debian's linux-source-VERSION with
aarch64-linux-gnu-gcc, linked statically, and print its path on stdout.
Progress goes to stderr.

NAME:
  debug-exceptions     the kernel's own (breakpoints, watchpoints,
                       single-step from userspace); the default
  single-step-reentry  single-step over instructions KVM skips, with an
                       exit to userspace before the guest runs again
                       (MMIO completed with immediate_exit set; a signal
                       after a system register read; on 6.12, an SMC
                       forwarded to userspace): the debug exit must come
                       at PC + 4.  Added to the source by
                       kernel/upstream/selftest-VERSION.patch (6.1, 6.12)

VERSION: 6.1 (default) or 6.12, host packages (tools/deps.sh installs
them); or 7.3 (debug-exceptions only), once tools/build-kernel.sh 7.3 has
fetched its source into \$STEPLAB_CACHE/src/.

Only what the build needs is unpacked (top Makefile, scripts/, the uapi
headers, arch/arm64/, tools/), into a scratch tree removed afterwards: the
uapi headers are made with 'make headers', then the selftests' own
Makefile builds the test.  The binary lands in
\$STEPLAB_CACHE/selftests/NAME-VERSION-KEY/NAME, KEY being a hash of the
source package version, the patch and this script; with the same inputs a
second call prints it at once.  Build logs:
\$STEPLAB_CACHE/selftests/logs/.  STEPLAB_CACHE is $STEPLAB_CACHE here.

Run it on the emulated board:
  tools/qemu-board --kernel IMAGE --steplab "\$($0 6.1)" -- /bin/steplab
It exits 0 when it passes, 4 when it skips (kselftest), another status
when an assertion fails.  A selftest needs a kernel at least as new as
its source: 6.12's skips on 6.1 (it wants KVM_SET_USER_MEMORY_REGION2).
EOF
}

name=debug-exceptions
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	-t|--test) [ $# -ge 2 ] || { usage >&2; exit 2; }; name=$2; shift 2 ;;
	--test=*) name=${1#--test=}; shift ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -le 1 ] || { usage >&2; exit 2; }
base=${1:-6.1}
cross=aarch64-linux-gnu-
patch=
case $name in
debug-exceptions) ;;
single-step-reentry)
	patch=$top/kernel/upstream/selftest-$base.patch
	[ -f "$patch" ] || die "no ${patch#"$top"/}: $name is there for 6.1 and 6.12" ;;
*) usage >&2; die "unknown test '$name' (known: debug-exceptions single-step-reentry)" ;;
esac

case $base in
6.1|6.12)
	tarball=/usr/src/linux-source-$base.tar.xz
	pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$base" 2>/dev/null) ||
		die "linux-source-$base is not installed (tools/deps.sh installs it)"
	[ -f "$tarball" ] || die "$tarball not found (reinstall linux-source-$base)"
	;;
7.3)
	tarball=$(find "$STEPLAB_CACHE/src" -maxdepth 1 -name "linux-source-${base}_*.tar.xz" 2>/dev/null |
		  sort -V | tail -n 1)
	[ -n "$tarball" ] || die "no linux-source-$base in $STEPLAB_CACHE/src/ (tools/build-kernel.sh $base fetches it)"
	pkgver=${tarball##*/linux-source-"${base}"_}
	pkgver=${pkgver%.tar.xz}
	;;
*) usage >&2; die "unknown version '$base' (known: 6.1 6.12 7.3)" ;;
esac
for tool in ${cross}gcc gcc make flock xz sha256sum patch; do
	command -v "$tool" >/dev/null || die "$tool not found (tools/deps.sh installs it)"
done

key=$({ echo "linux-source-$base $pkgver"; echo "--- patch"; [ -z "$patch" ] || cat "$patch"
	echo "--- script"; cat "$0"; } | sha256sum | cut -c1-16)
cache=$STEPLAB_CACHE/selftests
dest=$cache/$name-$base-$key
if [ -e "$dest/.done" ]; then
	echo "$dest/$name"
	exit 0
fi
mkdir -p "$cache/logs"
exec 9>"$cache/.build-$base.lock"
if ! flock -n 9; then
	log "waiting for another build of a $base selftest"
	flock 9
fi
if [ -e "$dest/.done" ]; then
	echo "$dest/$name"
	exit 0
fi

start=$SECONDS
buildlog=$cache/logs/$name-$base-$key.log
: > "$buildlog"
src=$cache/src-$base.$$
trap 'rm -rf "$src"' EXIT
rm -rf "$src"
mkdir -p "$src"
log "unpacking what the selftest needs from $tarball"
tar -xJf "$tarball" -C "$src" --strip-components=1 --wildcards \
	"linux-source-$base/Makefile" "linux-source-$base/Kbuild" "linux-source-$base/Kconfig" \
	"linux-source-$base/scripts/*" "linux-source-$base/include/uapi/*" \
	"linux-source-$base/arch/arm64/*" "linux-source-$base/usr/*" \
	"linux-source-$base/tools/*" >> "$buildlog" 2>&1 ||
	die "cannot unpack $tarball; log: $buildlog"

if [ -n "$patch" ]; then
	(cd "$src" && patch -p1 -s -f --no-backup-if-mismatch < "$patch") >> "$buildlog" 2>&1 ||
		die "${patch#"$top"/} does not apply to linux-source-$base $pkgver; log: $buildlog"
fi

kvm=$src/tools/testing/selftests/kvm
test=
for dir in aarch64 arm64; do
	[ -f "$kvm/$dir/$name.c" ] && test=$kvm/$dir/$name
done
[ -n "$test" ] || die "no $name.c under $kvm in linux-source-$base"

# The selftests include the uapi headers from usr/include of the tree.
log "building ${test#"$src"/} (linux-source-$base $pkgver); log: $buildlog"
make -C "$src" ARCH=arm64 CROSS_COMPILE="$cross" headers >> "$buildlog" 2>&1 ||
	die "make headers failed; log: $buildlog"
# The target by its full path: the Makefile's rules name $(OUTPUT)/...
make -C "$kvm" ARCH=arm64 CROSS_COMPILE="$cross" LDFLAGS=-static -j"$(nproc)" \
	"$test" >> "$buildlog" 2>&1 || die "build of the selftest failed; log: $buildlog"

mkdir -p "$dest.tmp"
cp "$test" "$dest.tmp/$name"
echo "linux-source-$base $pkgver ${test#"$src"/}${patch:+ with ${patch#"$top"/}}" > "$dest.tmp/source"
touch "$dest.tmp/.done"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
log "built $name from $base in $((SECONDS - start)) s: $(stat -c %s "$dest/$name") bytes"
# Keep the three newest builds and logs per test and version.
# shellcheck disable=SC2012 # names are ours: no newlines
ls -dt "$cache/$name-$base-"???????????????? 2>/dev/null | tail -n +4 | xargs -r rm -rf
# shellcheck disable=SC2012
ls -t "$cache/logs/$name-$base-"????????????????.log 2>/dev/null | tail -n +4 | xargs -r rm -f
echo "$dest/$name"
