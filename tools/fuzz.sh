#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The libFuzzer targets of tests/fuzz/, each for a bounded time on a
# scratch copy of its checked-in corpus (tests/fuzz/corpus/<target>/ is
# never written to), with its dictionary.  One TAP line per target; a
# crashing input is kept under $O/fuzz/crashes/.  Where clang cannot link
# a fuzzer, every target fails with the reason (make deps installs clang).
#
#   tools/fuzz.sh [TARGET...]     board report mix (all by default)
#   FUZZ_SECONDS=60               per target
#   FUZZ_BUILT=1                  the fuzzers are built already (make fuzz)
set -u
cd "$(dirname "$0")/.."
. tests/tap.sh

O=${O:-build}
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(board report mix)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Why this host cannot build a fuzzer with ASan and UBSan; nothing if it can.
no_fuzzer() {
	if ! command -v "$FUZZ_CC" >/dev/null; then
		echo "no $FUZZ_CC (Debian: clang libclang-rt-14-dev; make deps)"
		return
	fi
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return !d && n; }' \
		> "$scratch/probe.c"
	"$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$scratch/probe" \
		"$scratch/probe.c" > "$scratch/probe.log" 2>&1 ||
		echo "$FUZZ_CC cannot link -fsanitize=fuzzer,address,undefined" \
		     "($(grep -m1 -i error "$scratch/probe.log"); Debian: libclang-rt-14-dev)"
}

stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

fuzz_one() {
	local t=$1 dir=$scratch/$t bin=$O/fuzz/fuzz-$t seeds n runs rate st
	mkdir -p "$dir/corpus" "$dir/artifacts"
	cp tests/fuzz/corpus/"$t"/* "$dir/corpus/"
	seeds=$(find "$dir/corpus" -type f | wc -l)
	"$bin" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=10 \
		-dict=tests/fuzz/"$t".dict -artifact_prefix="$dir/artifacts/" \
		-print_final_stats=1 "$dir/corpus" > "$dir/log" 2>&1
	st=$?
	runs=$(stat_of number_of_executed_units "$dir/log")
	rate=$(stat_of average_exec_per_sec "$dir/log")
	n=$(find "$dir/corpus" -type f | wc -l)
	if [ $st = 0 ] && [ -z "$(ls -A "$dir/artifacts")" ]; then
		ok 0 "fuzz-$t: ${runs:-?} runs in ${FUZZ_SECONDS}s (${rate:-?}/s)," \
		     "corpus $seeds -> $n, no crash"
		return
	fi
	mkdir -p "$O/fuzz/crashes/$t"
	cp "$dir/artifacts/"* "$O/fuzz/crashes/$t/" 2>/dev/null
	cp "$dir/log" "$O/fuzz/crashes/$t/log"
	grep -m 8 -E 'ERROR|invariant broken|runtime error|SUMMARY|#[0-9]+ 0x.* in [a-z_]+ /' \
		"$dir/log" | sed 's/^/# /'
	ok 1 "fuzz-$t: exit $st after ${runs:-?} runs; input and log in $O/fuzz/crashes/$t/"
}

why=$(no_fuzzer)
if [ -n "$why" ]; then
	for t in "${targets[@]}"; do
		ok 1 "fuzz-$t: a fuzzer builds with ASan and UBSan: $why"
	done
	tap_done
	exit
fi
if [ "${FUZZ_BUILT:-0}" != 1 ] &&
   ! make --no-print-directory O="$O" FUZZ_CC="$FUZZ_CC" fuzzers > "$scratch/build.log" 2>&1; then
	tail -n 20 "$scratch/build.log" | sed 's/^/# /'
	for t in "${targets[@]}"; do
		ok 1 "fuzz-$t: the fuzzers do not build"
	done
	tap_done
	exit
fi
diag "each target for ${FUZZ_SECONDS}s on a scratch copy of tests/fuzz/corpus/"
for t in "${targets[@]}"; do
	fuzz_one "$t"
done
tap_done
