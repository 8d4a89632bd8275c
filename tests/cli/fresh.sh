#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The fresh-machine path.  First, what a make hands the scripts its goals
# run: a copy of the tree whose tools/deps.sh and tools/check.sh only
# record their environment, driven by `make -j2 ... V=1 ARCH=...`: no
# MAKEFLAGS, MAKELEVEL or command-line build variable reaches them (the
# kernel, libperf and selftest builds they start would take them), and O
# does.  Second, a cold cache: with STEPLAB_CACHE pointing at an empty
# directory, libperf builds for both architectures, steplab cross-builds
# against it, and the emulated board builds its /init and initramfs and
# runs the fixed program `every` to a valid, conforming report.  Not
# covered here (slow or network-bound, each exercised warm elsewhere): the
# kernel downloads and builds, the private apt lists, the valgrind fetch;
# the board boots the Debian 6.1 image from the usual cache.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

# --- what make passes on -----------------------------------------------------
tree=$tmp/tree
mkdir -p "$tree"
git ls-files -co --exclude-standard -z | xargs -0 cp -p --parents -t "$tree" 2>/dev/null
for s in deps check; do
	cat > "$tree/tools/$s.sh" <<EOF_SH
#!/bin/sh
[ "\$1" = --check ] && exit 0
env > "$tmp/env.$s"
echo "1 passed, 0 failed, 0 skipped"
EOF_SH
	chmod +x "$tree/tools/$s.sh"
done
leaks() {	# leaks ENV-FILE: the make state and build variables found in it
	grep -E '^(MAKEFLAGS|MFLAGS|MAKELEVEL|MAKEOVERRIDES|GNUMAKEFLAGS|ARCH|CROSS_COMPILE|CC|CFLAGS|V|WERROR)=' "$1" |
		cut -d= -f1 | tr '\n' ' '
}
# passes_on SCRIPT O ARGS...: `make -j2 ARGS O=O` in the copy runs
# tools/SCRIPT.sh, which sees no make state nor build variable, and sees O
passes_on() {
	local s=$1 o=$2 l
	shift 2
	make -C "$tree" -j2 --no-print-directory "$@" O="$o" > "$tmp/make.log" 2>&1
	ok $? "make -j2 $* O=DIR runs tools/$s.sh"
	if [ -f "$tmp/env.$s" ]; then
		l=$(leaks "$tmp/env.$s")
		ok $([ -z "$l" ]; echo $?) "tools/$s.sh sees no make state nor build variable${l:+: $l}"
		ok $(grep -qx "O=$o" "$tmp/env.$s"; echo $?) "tools/$s.sh sees O"
	else
		sed 's/^/# /' "$tmp/make.log" | tail -5
		ok 1 "tools/$s.sh ran and recorded its environment"
	fi
}
passes_on deps "$tmp/o" deps V=1 ARCH=arm64 CFLAGS=-O0
# check builds first: O is this tree's build, already up to date
passes_on check "$PWD/$O" check V=1 WERROR=1

# --- a cold cache ----------------------------------------------------------------
cold=$tmp/cache
mkdir -p "$cold"
# the kernel image comes from the usual cache (or Debian's archive)
kimage=$(tools/fetch-kernel.sh debian-6.1 2>"$tmp/fetch.log")
st=$?
ok $st "the Debian 6.1 image is at hand"
[ $st = 0 ] || sed "s/^/# /" "$tmp/fetch.log"
for a in x86_64 arm64; do
	start=$SECONDS
	STEPLAB_CACHE=$cold tools/build-libperf.sh "$a" > "$tmp/libperf.log" 2>&1
	st=$?
	ok $st "empty cache: libperf builds for $a ($((SECONDS - start)) s)"
	[ $st = 0 ] || sed 's/^/# /' "$tmp/libperf.log" | tail -5
done
start=$SECONDS
STEPLAB_CACHE=$cold make --no-print-directory ARCH=arm64 O="$tmp/build" > "$tmp/build.log" 2>&1
st=$?
ok $st "empty cache: steplab cross-builds against that libperf ($((SECONDS - start)) s)"
[ $st = 0 ] || sed 's/^/# /' "$tmp/build.log" | tail -5
start=$SECONDS
STEPLAB_CACHE=$cold tools/qemu-board --kernel "$kimage" --steplab "$tmp/build/arm64/steplab" \
	--out "$tmp/board" -- /bin/steplab run --board /boards/qemu-virt.json --guest every \
	--quiet --output r.json > "$tmp/board.log" 2>&1
st=$?
ok $st "empty cache: the board builds /init and its initramfs, boots and runs 'every' (status $st, $((SECONDS - start)) s)"
[ $st = 0 ] || sed 's/^/# /' "$tmp/board.log" | tail -5
check "the report validates" -- "$steplab" report validate "$tmp/board/r.json"
ok $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d['summary']['nonconforming'] != 0 or d['summary']['steps'] == 0)" \
	"$tmp/board/r.json" 2>/dev/null; echo $?) "its steps all conform"
check "the cache now holds what was built: libperf, /init, the initramfs" -- bash -c "
ls $cold/libperf/x86_64-*/.done $cold/libperf/arm64-*/.done $cold/board-init/*/init $cold/initramfs/*.cpio.gz"
tap_done
