#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The ramdisk of the emulated board's LAVA job (tools/lava/jobs/qemu-virt.yaml):
# Debian's busybox-static (arm64) as the shell LAVA's test shell drives on
# the serial console, busybox's init mounting what steplab reads and starting
# that shell, steplab with the shared libraries it needs, boards/*.json.
#
#   tools/lava/ramdisk.sh [--steplab BIN]    print the path of ramdisk.cpio.gz
#
# busybox comes with the private apt state of the Debian 6.1 kernel
# (tools/fetch-kernel.sh): the host's apt sources are not touched.  The
# ramdisk is cached under $STEPLAB_CACHE/lava/ by the hash of its inputs
# (this script, the busybox package, every file that goes in).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tools/lib.sh
. "$root/tools/lib.sh"

steplab=$root/build/arm64/steplab
case ${1:-} in
--steplab) steplab=${2:?--steplab needs a file}; shift 2 ;;
-h|--help) sed -n '4,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
'') ;;
*) die "unknown argument '$1' (try --help)" ;;
esac
[ $# = 0 ] || die "unexpected argument '$1'"
[ -f "$steplab" ] || die "$steplab not found: build it with 'make ARCH=arm64' or pass --steplab"
cross=aarch64-linux-gnu-
${cross}readelf -h "$steplab" 2>/dev/null | grep -q 'Machine:.*AArch64' ||
	die "$steplab is not an arm64 ELF binary"

# --- busybox, from Debian (arm64) ------------------------------------------
private_apt debian-6.1 "bookworm bookworm-updates" bookworm-security
bb_ver=$(apt-cache "${apt_opts[@]}" show busybox-static:arm64 2>/dev/null |
	 awk '/^Version:/ {print $2; exit}')
[ -n "$bb_ver" ] || die "busybox-static:arm64 not found in bookworm"
bb_dir=$STEPLAB_CACHE/lava/busybox-static_$bb_ver
if [ ! -e "$bb_dir/.done" ]; then
	log "downloading busybox-static $bb_ver (arm64)"
	rm -rf "$bb_dir.tmp" && mkdir -p "$bb_dir.tmp"
	(cd "$bb_dir.tmp" && apt-get "${apt_opts[@]}" download -qq "busybox-static:arm64=$bb_ver" >/dev/null) ||
		die "apt-get download busybox-static failed"
	dpkg-deb -x "$bb_dir.tmp"/*.deb "$bb_dir.tmp/x"
	[ -x "$bb_dir.tmp/x/bin/busybox" ] || die "busybox-static $bb_ver holds no bin/busybox"
	rm -rf "$bb_dir" && mv "$bb_dir.tmp/x" "$bb_dir" && rm -rf "$bb_dir.tmp"
	touch "$bb_dir/.done"
fi

# --- what goes in: DEST<tab>SOURCE ------------------------------------------
t=$'\t'
files=("bin/busybox$t$bb_dir/bin/busybox" "bin/steplab$t$steplab")
libdirs=(/lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/aarch64-linux-gnu/lib)
declare -A have=()
queue=("$steplab")
while [ ${#queue[@]} -gt 0 ]; do
	elf=${queue[0]}
	queue=("${queue[@]:1}")
	for so in $(${cross}readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		[ -z "${have[$so]:-}" ] || continue
		path=
		for d in "${libdirs[@]}"; do
			[ -e "$d/$so" ] && { path=$(readlink -f "$d/$so"); break; }
		done
		[ -n "$path" ] || die "$so (needed by ${elf##*/}) not found in ${libdirs[*]}"
		have[$so]=1
		files+=("lib/aarch64-linux-gnu/$so$t$path")
		queue+=("$path")
	done
done
interp=$(${cross}readelf -l "$steplab" |
	 sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
if [ -n "$interp" ]; then
	[ -e "$interp" ] || die "dynamic loader $interp not found (libc6:arm64)"
	files+=("${interp#/}$t$(readlink -f "$interp")")
fi
for board in "$root"/boards/*.json; do
	files+=("boards/${board##*/}$t$board")
done

# /init is busybox's init (a kernel without BINFMT_SCRIPT, such as the
# minimal builds of tools/build-kernel.sh, cannot start a script as PID 1):
# rcS mounts what steplab reads and lets the counters be read from user
# space (kernel.perf_user_access=1), then a login shell on the console, its
# controlling terminal taken by cttyhack.  LAVA's prompts wait for "/ # ".
# The environment is the one tools/board-init.c gives steplab.
rcs_text='/bin/busybox --install -s
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t configfs configfs /sys/kernel/config 2>/dev/null
echo 1 > /proc/sys/kernel/perf_user_access 2>/dev/null
echo "steplab board: $(uname -r), shell on the console"'
inittab_text='::sysinit:/bin/busybox sh /etc/init.d/rcS
::respawn:/bin/cttyhack /bin/sh -l
::shutdown:/bin/umount -a -r'
profile_text='export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
export STEPLAB_BOARD_DIR=/boards STEPLAB_EMULATED=1
cd /'

key=$({
	sha256sum < "$0"
	echo "busybox-static $bb_ver"
	for f in "${files[@]}"; do
		printf '%s %s\n' "${f%%"$t"*}" "$(sha256sum < "${f#*"$t"}" | cut -c1-64)"
	done
} | sha256sum | cut -c1-24)
out=$STEPLAB_CACHE/lava/ramdisk-$key.cpio.gz
if [ ! -e "$out" ]; then
	stage=$(mktemp -d "${TMPDIR:-/tmp}/lava-ramdisk.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage"/{dev,proc,sys,tmp,root,sbin,usr/bin,usr/sbin,etc/init.d}
	for f in "${files[@]}"; do
		install -D -m 0755 "${f#*"$t"}" "$stage/${f%%"$t"*}"
	done
	chmod 0644 "$stage"/boards/*
	ln -s bin/busybox "$stage/init"
	printf '%s\n' "$rcs_text" > "$stage/etc/init.d/rcS"
	printf '%s\n' "$inittab_text" > "$stage/etc/inittab"
	printf '%s\n' "$profile_text" > "$stage/etc/profile"
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	 cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -6 > "$out.$$" ||
		die "cannot build the ramdisk"
	mv -f "$out.$$" "$out"
	find "${out%/*}" -maxdepth 1 -name 'ramdisk-*.cpio.gz' -printf '%T@ %p\n' | sort -rn |
		tail -n +6 | cut -d' ' -f2- | xargs -r -d '\n' rm -f
else
	touch "$out"
fi
echo "$out"
