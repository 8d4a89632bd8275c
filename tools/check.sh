#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: the unit tests (host, ASan/UBSan), the command-line tests,
# the parser fuzzers for a bounded time (FUZZ_SECONDS each, 60 by default),
# the suite on the emulated reference board (or natively on arm64), a
# short run of it under valgrind's memcheck, and the LAVA jobs under
# LAVA's own dispatcher.
# Every part prints TAP; the last line adds them up.
set -uo pipefail
# A make that started this passes nothing on to the builds the tests start.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
export O=${O:-build}

pass=0 fail=0 skipped=0
part() {	# part NAME COMMAND...
	local name=$1 log line p f s
	shift
	echo "# --- $name"
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	line=$(tail -n 1 "$log")
	rm -f "$log"
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
	else
		echo "# $name ended without its count: counted as one failure"
		p=0 f=1 s=0
	fi
	pass=$((pass + p)) fail=$((fail + f)) skipped=$((skipped + s))
}

units=0
for t in "$O"/host-san/tests/test-*; do
	[ -x "$t" ] && [[ $t != *.d ]] || continue
	part "$(basename "$t")" "$t"
	units=$((units + 1))
done
if [ $units = 0 ]; then
	echo "# no unit tests under $O/host-san/tests ('make unit-tests' builds them): counted as one failure"
	fail=$((fail + 1))
fi
part cli tests/cli/cli.sh
part fresh tests/cli/fresh.sh
part dashboard tests/cli/dashboard.sh
part export tests/cli/export.sh
part topology tests/cli/topology.sh
part compare tests/cli/compare.sh
part fuzz tools/fuzz.sh
part board tests/board/board.sh
part proof tests/board/proof.sh
part valgrind tests/board/valgrind.sh
part kernels tests/board/kernels.sh
part mutants tests/board/mutants.sh
part lava tests/board/lava.sh
part modes tests/board/modes.sh
part faults tests/board/faults.sh
part gpio tests/board/gpio.sh

echo "# --- all parts"
echo "$pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
