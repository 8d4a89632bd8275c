#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a small arm64 kernel for the emulated board from Debian's
# linux-source-X package, stock or with one of kernel/*.patch or
# kernel/mutants/*.patch applied.
#
#   tools/build-kernel.sh VARIANT     print the path of the built Image
#
# See --help.  The Image is cached by the hash of its inputs; the source
# tree is extracted once per source package version and kept, so a patch
# change recompiles only the files it touches.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=$(cd "$here/.." && pwd)

usage() {
	cat <<EOF
usage: $0 VARIANT

Build arch/arm64/boot/Image from Debian's linux-source package with the
config fragment kernel/config/minimal.config (allnoconfig plus the
fragment), and print the Image's path on stdout.  Progress goes to stderr.

VARIANT:
  6.1               linux-source-6.1, unpatched
  6.1-early-exit    the same with kernel/early-exit-6.1.patch
  6.12              linux-source-6.12, unpatched
  6.12-early-exit   the same with kernel/early-exit-6.12.patch
  6.1-fix           6.1 with kernel/fix-ss-reentry-6.1.patch: a step over an
                    emulated instruction stays right when KVM_RUN returns
                    to userspace before entering the guest again
  6.12-fix          the same for 6.12 (kernel/fix-ss-reentry-6.12.patch)
  7.3               linux-source-7.3 from trixie-backports, unpatched
  7.3-early-exit    the same with kernel/early-exit-7.3.patch
  BASE-mutant-NAME  linux-source-BASE with kernel/mutants/BASE-NAME.patch, a
                    kernel that breaks one step path on purpose; here:
$(for p in "$top"/kernel/mutants/*.patch; do
	[ -e "$p" ] || continue; n=${p##*/}; n=${n%.patch}
	echo "                      ${n%%-*}-mutant-${n#*-}"; done)

linux-source-6.1 and -6.12 are host packages (tools/deps.sh installs
them).  linux-source-7.3 is fetched once with a private apt state (the
host's apt sources are not touched) and kept, as a tarball named by its
version, in \$STEPLAB_CACHE/src/; delete it there to take a newer one.

The Image lands in \$STEPLAB_CACHE/kernels/build-VARIANT-KEY/Image, KEY
being a hash of the source package version, the config fragment, the patch
and this script; with the same inputs a second call prints it at once.
Sources are unpacked once per package version under
\$STEPLAB_CACHE/kbuild/src-VERSION/ and reused by every variant (the
applied patch is swapped in place); a lock keeps two builds of one tree
apart.  Build logs: \$STEPLAB_CACHE/kbuild/logs/.
STEPLAB_CACHE is $STEPLAB_CACHE here.

Boot one with: tools/qemu-board --kernel "\$($0 6.1)" ...
EOF
}

case ${1:-} in
-h|--help) usage; exit 0 ;;
'') usage >&2; exit 2 ;;
esac
[ $# -eq 1 ] || { usage >&2; exit 2; }
variant=$1

localversion=-steplab
case $variant in
6.1|6.12|7.3)	base=$variant; patch= ;;
6.1-early-exit|6.12-early-exit|7.3-early-exit)
		base=${variant%%-*}; patch=$top/kernel/early-exit-$base.patch
		localversion=-steplab-early-exit ;;
6.1-fix|6.12-fix)
		base=${variant%%-*}; patch=$top/kernel/fix-ss-reentry-$base.patch
		localversion=-steplab-fix ;;
6.1-mutant-?*|6.12-mutant-?*|7.3-mutant-?*)
		base=${variant%%-*}; patch=$top/kernel/mutants/$base-${variant#*-mutant-}.patch
		localversion=-steplab-mutant-${variant#*-mutant-}
		[[ ${variant#*-mutant-} =~ ^[a-z0-9-]+$ ]] || die "bad mutant name in '$variant'" ;;
*) die "unknown variant '$variant' (known: 6.1 6.1-early-exit 6.1-fix 6.12 6.12-early-exit 6.12-fix 7.3 7.3-early-exit BASE-mutant-NAME)" ;;
esac
fragment=$top/kernel/config/minimal.config
cross=aarch64-linux-gnu-

[ -f "$fragment" ] || die "config fragment not found: $fragment"
[ -z "$patch" ] || [ -f "$patch" ] || die "patch not found: $patch"
for tool in ${cross}gcc make bc flex bison patch flock xz sha256sum; do
	command -v "$tool" >/dev/null || die "$tool not found (tools/deps.sh installs it)"
done

# Sets tarball and pkgver for linux-source-$base from Debian suite $1,
# fetched once into $STEPLAB_CACHE/src/ through a private apt state.
fetch_source() {
	local suite=$1 dir=$STEPLAB_CACHE/src state deb
	local -a opts
	mkdir -p "$dir"
	exec 8>"$dir/.fetch.lock"
	flock 8
	tarball=$(find "$dir" -maxdepth 1 -name "linux-source-${base}_*.tar.xz" | sort -V | tail -n 1)
	if [ -z "$tarball" ]; then
		state=$STEPLAB_CACHE/apt/src-$suite
		mkdir -p "$state/sources" "$state/lists/partial" "$state/archives/partial"
		cat > "$state/sources/steplab.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Architectures: arm64
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		opts=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$state/sources"
		      -o Dir::State::Lists="$state/lists" -o Dir::Cache::Archives="$state/archives"
		      -o Dir::Cache::pkgcache="$state/pkgcache.bin"
		      -o Dir::Cache::srcpkgcache="$state/srcpkgcache.bin"
		      -o APT::Architectures::=arm64 -o APT::Sandbox::User=root)
		log "fetching linux-source-$base from $suite"
		apt-get "${opts[@]}" update -qq >/dev/null 2>"$state/update.err" ||
			die "apt-get update failed for $suite; log: $state/update.err"
		(cd "$state/archives" && rm -f ./*.deb &&
		 apt-get "${opts[@]}" download -qq "linux-source-$base") >/dev/null 2>"$state/download.err" ||
			die "cannot download linux-source-$base from $suite; log: $state/download.err"
		deb=$(find "$state/archives" -maxdepth 1 -name "linux-source-${base}_*_all.deb" | head -n 1)
		pkgver=${deb##*/linux-source-"${base}"_}
		pkgver=${pkgver%_all.deb}
		tarball=$dir/linux-source-${base}_$pkgver.tar.xz
		dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$base.tar.xz" > "$tarball.tmp" ||
			die "no usr/src/linux-source-$base.tar.xz in $deb"
		mv "$tarball.tmp" "$tarball"
		rm -f "$deb"
	fi
	exec 8>&-
	pkgver=${tarball##*/linux-source-"${base}"_}
	pkgver=${pkgver%.tar.xz}
}

case $base in
7.3)
	fetch_source trixie-backports
	;;
*)
	tarball=/usr/src/linux-source-$base.tar.xz
	pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$base" 2>/dev/null) ||
		die "linux-source-$base is not installed (tools/deps.sh installs it)"
	[ -f "$tarball" ] || die "$tarball not found (reinstall linux-source-$base)"
	;;
esac

key=$({ echo "linux-source-$base $pkgver"; echo "--- fragment"; cat "$fragment"
	echo "--- patch"; [ -z "$patch" ] || cat "$patch"
	echo "--- script"; cat "$0"; } | sha256sum | cut -c1-16)
dest=$STEPLAB_CACHE/kernels/build-$variant-$key
if [ -e "$dest/.done" ]; then
	echo "$dest/Image"
	exit 0
fi

kbuild=$STEPLAB_CACHE/kbuild
src=$kbuild/src-$pkgver
logdir=$kbuild/logs
buildlog=$logdir/build-$variant-$key.log
mkdir -p "$kbuild" "$logdir" "$STEPLAB_CACHE/kernels"

# One build per source tree at a time; the lock lives beside the tree.
exec 9>"$src.lock"
if ! flock -n 9; then
	log "waiting for another build of $src"
	flock 9
fi
# The build that held the lock may have made this very Image.
if [ -e "$dest/.done" ]; then
	echo "$dest/Image"
	exit 0
fi

start=$SECONDS
: > "$buildlog"

# --- source tree, once per package version ----------------------------------
if [ ! -e "$src/.steplab-extracted" ]; then
	log "unpacking $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1 ||
		die "cannot unpack $tarball"
	touch "$src.tmp/.steplab-extracted"
	mv "$src.tmp" "$src"
fi

# --- the variant's patch, swapped in place ------------------------------------
# .steplab-patch holds the patch now applied to the tree (empty: none).
applied=$src/.steplab-patch
touch "$applied"
want=$(mktemp)
trap 'rm -f "$want"' EXIT
[ -z "$patch" ] || cat "$patch" > "$want"
if ! cmp -s "$applied" "$want"; then
	if [ -s "$applied" ]; then
		log "reverting the patch applied before"
		if ! (cd "$src" && patch -p1 -R -s -f --no-backup-if-mismatch < "$applied") >> "$buildlog" 2>&1; then
			rm -f "$src/.steplab-extracted"
			die "cannot revert the previous patch in $src (tree removed from use; run again to unpack it afresh); log: $buildlog"
		fi
		: > "$applied"
	fi
	if [ -s "$want" ]; then
		log "applying ${patch#"$top"/}"
		if (cd "$src" && patch -p1 -s -f --dry-run < "$want") >> "$buildlog" 2>&1; then
			(cd "$src" && patch -p1 -s -f --no-backup-if-mismatch < "$want") >> "$buildlog" 2>&1 ||
				die "applying ${patch#"$top"/} failed; log: $buildlog"
		elif ! (cd "$src" && patch -p1 -s -f -R --dry-run < "$want") >/dev/null 2>&1; then
			die "${patch#"$top"/} does not apply to linux-source-$base $pkgver; log: $buildlog"
		fi
		# (else a build cut short after applying it: it is in already)
		cp "$want" "$applied"
	fi
fi

# --- config: allnoconfig plus the fragment ---------------------------------
# A fixed build number and time: the same inputs give the same uname -v,
# which is what results/baselines/ keys a kernel build by.
# The kernel's make gets an environment of its own.  Under an outer make
# (`make check`, `make bench`) MAKELEVEL, MAKEFLAGS and MFLAGS are exported,
# and MAKEFLAGS carries the outer jobserver and every variable given on
# its command line (O=, V=, CC=), which the kernel's make would take as
# its own; a caller's shell may set kbuild's own inputs (KBUILD_OUTPUT,
# KCFLAGS, KCONFIG_CONFIG, HOSTCFLAGS, LLVM) or the host compiler's
# (LIBRARY_PATH, CPATH).  None of that is in KEY, so none of it goes in.
kmake=(env -i PATH="$PATH" HOME="$HOME" ${TMPDIR:+TMPDIR="$TMPDIR"}
       make -C "$src" ARCH=arm64 CROSS_COMPILE="$cross"
       KBUILD_BUILD_USER=steplab KBUILD_BUILD_HOST=steplab
       KBUILD_BUILD_VERSION=1 KBUILD_BUILD_TIMESTAMP="linux-source $pkgver"
       LOCALVERSION="$localversion")
# Write the new config aside and replace .config only when it changed, so
# an unchanged config costs no rebuild.
"${kmake[@]}" KCONFIG_CONFIG=.config.steplab KCONFIG_ALLCONFIG="$fragment" \
	allnoconfig >> "$buildlog" 2>&1 || die "allnoconfig failed; log: $buildlog"
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)  sym=${line%%=*}; val=${line#*=} ;;
	'# CONFIG_'*' is not set') sym=${line#\# }; sym=${sym%% *}; val=n ;;
	*) continue ;;
	esac
	if [ "$val" = n ]; then
		grep -qx "$sym=.*" "$src/.config.steplab" || continue
	else
		grep -qxF "$line" "$src/.config.steplab" && continue
	fi
	# A symbol this version does not know is fine (the fragment serves
	# every source version); a known one that did not take is not.
	if ! grep -rqsE "^[[:space:]]*(menu)?config[[:space:]]+${sym#CONFIG_}[[:space:]]*$" \
			--include='Kconfig*' "$src"; then
		log "note: $sym is not in linux-source-$base; ignored"
		continue
	fi
	echo "config: wanted '$line', got '$(grep -E "^(# )?${sym}[= ]" "$src/.config.steplab" || echo unset)'" >> "$buildlog"
	missing=1
done < "$fragment"
[ $missing = 0 ] || die "config fragment did not take on linux-source-$base (a dependency is missing); log: $buildlog"
cmp -s "$src/.config.steplab" "$src/.config" || cp "$src/.config.steplab" "$src/.config"

# --- build ------------------------------------------------------------------
log "building $variant (linux-source-$base $pkgver); log: $buildlog"
"${kmake[@]}" -j"$(nproc)" Image >> "$buildlog" 2>&1 ||
	die "build of $variant failed; log: $buildlog"

mkdir -p "$dest.tmp"
cp "$src/arch/arm64/boot/Image" "$src/.config" "$dest.tmp/"
[ -z "$patch" ] || cp "$patch" "$dest.tmp/"
echo "linux-source-$base $pkgver $(cat "$src/include/config/kernel.release")" > "$dest.tmp/source"
touch "$dest.tmp/.done"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
log "built $variant in $((SECONDS - start)) s: $(stat -c %s "$dest/Image") bytes"
# Keep the five newest Images and logs of this variant.
# shellcheck disable=SC2012 # names are ours: no newlines
ls -dt "$STEPLAB_CACHE/kernels/build-$variant-"???????????????? 2>/dev/null | tail -n +6 | xargs -r rm -rf
# shellcheck disable=SC2012
ls -t "$logdir/build-$variant-"????????????????.log 2>/dev/null | tail -n +6 | xargs -r rm -f
echo "$dest/Image"
