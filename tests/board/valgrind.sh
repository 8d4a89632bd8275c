#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Memcheck over a short run: every fixed program and a seeded mix through
# every class, on the emulated board (tools/qemu-board --valgrind) or
# natively on an arm64 host with /dev/kvm; then the host's own commands
# over the reports.  Clean means status 0 (memcheck's is 99), an
# ERROR SUMMARY of 0 errors, no invalid access, uninitialised value or
# definitely lost block, and a report that validates.
#
# Memcheck 3.19 wraps no KVM ioctl that moves memory but s390's
# KVM_S390_MEM_OP: the others go by their _IOC direction and size.
# KVM_GET_ONE_REG is _IOW, so the register it stores through
# kvm_one_reg.addr keeps the definedness its target had before (steplab
# zeroes it first): no false error.  One suppression (tools/valgrind.supp):
# KVM_SET_SIGNAL_MASK's NULL argument, which memcheck takes for a pointer.
#
#   KERNEL=debian-6.1 (default) | debian-6.12 | build:6.1 | PATH
#   VALGRIND_STEPS=2000
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
suite_mix_load

KERNEL=${KERNEL:-debian-6.1}
steps=${VALGRIND_STEPS:-2000}

vg_opts=(--tool=memcheck --error-exitcode=99 --suppressions="$PWD/tools/valgrind.supp" --leak-check=full
	 --errors-for-leak-kinds=definite --track-origins=yes --track-fds=no
	 --vgdb=no)
# Lines memcheck writes only when something is wrong.
bad_re='Invalid (read|write|free)|uninitialised|definitely lost in loss record|definitely lost: [1-9]'

# clean NAME STATUS LOG: the three assertions on one memcheck run
clean() {
	local bad
	ok $([ "$2" = 0 ]; echo $?) "$1: exit 0 under memcheck (status $2)"
	ok $(grep -q 'ERROR SUMMARY: 0 errors' "$3"; echo $?) "$1: memcheck ran and says 0 errors"
	bad=$(grep -E "$bad_re" "$3" | head -1)
	ok $([ -z "$bad" ]; echo $?) "$1: no invalid access, uninitialised value or definite leak${bad:+: $bad}"
	if [ "$2" != 0 ] || [ -n "$bad" ]; then
		sed 's/^/# /' "$3" | grep '==[0-9]*==' | head -40
	fi
}

# every re-entry path, judged with the known divergences (the reference
# kernel steps twice on some: exit 0 means nothing new)
args=(run --board /boards/qemu-virt.json --guest every --mix "$SUITE_MIX"
      --seed "$SUITE_SEED" --steps "$steps" --quiet --output r.json
      --known /known-divergences.json)
mkdir -p "$tmp/board"
start=$(date +%s)
if [ $native = 1 ]; then
	if command -v valgrind >/dev/null; then
		args[2]=$PWD/boards/qemu-virt.json
		args[${#args[@]} - 1]=$PWD/results/known-divergences.json
		(cd "$tmp/board" && timeout -k 10 240 valgrind "${vg_opts[@]}" \
			"$OLDPWD/$O/arm64/steplab" "${args[@]}") > "$tmp/board.log" 2>&1
		st=$?
	else
		st=skip
	fi
else
	kernel=$KERNEL
	if [[ $kernel == build:* ]]; then
		kernel=$(tools/build-kernel.sh "${kernel#build:}" 2>"$tmp/build.log") ||
			{ sed 's/^/# /' "$tmp/build.log" | tail -5; kernel=; }
	fi
	if [ -n "$kernel" ]; then
		tools/qemu-board --valgrind --kernel "$kernel" --timeout 240 \
			--out "$tmp/board" -- /bin/steplab "${args[@]}" > "$tmp/board.log" 2>&1
		st=$?
	else
		st=125
	fi
fi
diag "run of $steps mix steps under memcheck took $(( $(date +%s) - start )) s (boot included)"
if [ "$st" = skip ]; then
	ok 1 "run under memcheck: valgrind is on this arm64 host (make deps installs it)"
else
	clean "run --steps $steps" "$st" "$tmp/board.log"
	[ "$st" = 125 ] && sed 's/^/# /' "$tmp/board.log" | tail -5
	r=$tmp/board/r.json
	check "the report came back and validates" -- "$steplab" report validate "$r"
	[ -f "$r" ] && diag "$("$steplab" report summary "$r" 2>&1 | head -1)"
fi

# The host's commands that read reports and board files, on the checked-in
# example and the report just made.
if ! command -v valgrind >/dev/null; then
	ok 1 "host commands under memcheck: valgrind is on this host (make deps installs it)"
	tap_done
	exit
fi
reports=(results/examples/*.json)
[ -f "$tmp/board/r.json" ] && reports+=("$tmp/board/r.json")
host() {	# host NAME ARGS...
	local name=$1
	shift
	timeout -k 10 60 valgrind "${vg_opts[@]}" "$steplab" "$@" \
		> "$tmp/host.log" 2>&1
	clean "$name" $? "$tmp/host.log"
}
host "report validate" report validate "${reports[@]}"
host "report summary" report summary "${reports[-1]}"
host "compare" compare "${reports[@]}" "${reports[@]:0:1}"
host "board validate" board validate boards/*.json
host "catalog" catalog
tap_done
