# SPDX-License-Identifier: GPL-2.0
# The check of a board report against results/baselines/, shared by the
# board and kernels tests (sourced after tests/lib.sh).
#
# The baseline of a kernel line (tools/kernel-pins names the Debian image
# each was recorded on; a minimal build's is that of its source series) is
# asserted whole when the run booted the very build it was recorded on.
# When Debian moved the image or linux-source under it, the test says what
# moved, and asserts every mode that does not depend on the exact build
# (guest entries, exits, KVM_RUNs, guest instructions); `make baseline`
# re-records.  A missing baseline is a failure, not a skip.

BASELINES=${BASELINES:-results/baselines/qemu-virt}

# debian_version KERNEL-VERSION: the Debian version in a kernel's version line
debian_version() {
	sed -n 's/.*\(Debian\|linux-source\) \([^ ]*\).*/\2/p' <<<"$1"
}

# assert_baseline LABEL SPEC REPORT [CHECK-ARGS...]: SPEC as
# tests/board/kernels.sh names kernels (debian-6.1, build:6.1-early-exit) or
# an image path.
assert_baseline() {
	local label=$1 spec=$2 r=$3 release version base bver what st tmp_base
	shift 3
	tmp_base=$(mktemp)
	release=$(q "$r" "d['context']['kernel_release']")
	version=$(q "$r" "d['context']['kernel_version']")
	base=$BASELINES/$release.json
	if [ ! -f "$base" ] || [ "$(q "$base" "d['kernel_version']")" != "$version" ]; then
		base=$(baseline_of "$spec" 2>/dev/null) || base=$BASELINES/$release.json
	fi
	if [ ! -f "$base" ]; then
		ok 1 "$label: a baseline for kernel $release ($version): none in $BASELINES (record one: make baseline)"
		rm -f "$tmp_base"
		return
	fi
	bver=$(q "$base" "d['kernel_version']")
	if [ "$bver" = "$version" ]; then
		"$steplab" baseline check "$@" "$base" "$r" > "$tmp_base" 2>&1
		st=$?
		sed 's/^/# /' "$tmp_base"
		ok $st "$label: per-class modes match $base${*:+ ($*)}"
		rm -f "$tmp_base"
		return
	fi
	what=$(kernel_source_of "$spec")
	diag "$label: $what moved under the baseline: recorded on $(debian_version "$bver") ($(q "$base" "d['kernel_release']")), this run booted $(debian_version "$version") ($release)" \
	     "$label: modes that depend on the exact build (host instructions) are not asserted; re-record with 'make baseline'"
	"$steplab" baseline check --other-build "$@" "$base" "$r" > "$tmp_base" 2>&1
	st=$?
	sed 's/^/# /' "$tmp_base"
	ok $st "$label: $what moved ($(debian_version "$bver") -> $(debian_version "$version")): entries, exits, KVM_RUNs and guest instructions match $base"
	rm -f "$tmp_base"
}

# baseline_of SPEC: the baseline recorded for SPEC's kernel line
baseline_of() {
	local spec=$1 name pkg ver variant f
	case $spec in
	debian-*)
		pkg=$(awk -v n="$spec" '$1 == n {print $2}' tools/kernel-pins)
		[ -n "$pkg" ] || return 1
		pkg=${pkg#linux-image-}
		pkg=${pkg#linux-binary-unsigned-}
		echo "$BASELINES/${pkg%-unsigned}.json"
		;;
	build:*)
		name=${spec#build:}
		ver=${name%%-*}
		variant=${name#"$ver"}
		for f in "$BASELINES/$ver".[0-9]*-steplab"$variant".json; do
			[ -f "$f" ] && { echo "$f"; return 0; }
		done
		return 1
		;;
	*) return 1 ;;
	esac
}

# kernel_source_of SPEC: the Debian package a kernel comes from
kernel_source_of() {
	local spec=$1 name
	case $spec in
	debian-*) awk -v n="$spec" '$1 == n {print $2; f=1} END {if (!f) print "the kernel image"}' tools/kernel-pins ;;
	build:*) name=${spec#build:}; echo "linux-source-${name%%-*}" ;;
	*) echo "the kernel image" ;;
	esac
}

# common_shift CHECK-OUTPUT REPORT: Debian's 7.3 image moves the cost of a
# step by a few host instructions from one boot to another (0, -3 and -8
# against its baseline seen, with the EL0 share unchanged: it is the host
# kernel's), and by as much again per KVM_GET_ONE_REG: the classes whose
# rows write no register (branch, mmio_write, exception, eret), which read
# the PC alone, moved by half as much as the others (-4 and -8).  Prints
# the shift when every mismatch `steplab baseline check` printed is a
# host-instruction mode and each of the two groups of classes moved as a
# whole, by one number of at most 16 (the two numbers, register classes
# first, when they differ); fails otherwise.  The differences between the
# classes of a group stay exact.
common_shift() {
	python3 - "$1" "$2" <<'EOF_PY'
import json, re, sys
pc_only = {'branch', 'mmio_write', 'exception', 'eret'}
classes = {c['class'] for c in json.load(open(sys.argv[2]))['classes']}
moved = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if not line or re.search(r': \d+ mismatch(es)?( \(.*\))?$', line):
        continue			# the closing count
    m = re.match(r'^(\w+)\.host_instructions: mode (\d+), baseline (\d+)$', line)
    if not m:
        sys.exit(1)			# any other mismatch
    moved[m.group(1)] = int(m.group(2)) - int(m.group(3))
shifts = []
for group in (classes - pc_only, classes & pc_only):
    d = {moved[c] for c in group if c in moved}
    if not d:
        shifts.append(0)
    elif len(d) == 1 and group <= set(moved) and abs(next(iter(d))) <= 16:
        shifts.append(next(iter(d)))
    else:
        sys.exit(1)
print(shifts[0] if shifts[0] == shifts[1] else '%d/%d' % tuple(shifts))
EOF_PY
}
