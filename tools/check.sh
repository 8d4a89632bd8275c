#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: the suites of tests/suites.cfg in its order: the unit tests
# (host, ASan/UBSan), the command-line tests, the parser fuzzers for a
# bounded time (FUZZ_SECONDS each, 60 by default), the suite on the
# emulated reference board (or natively on arm64), a short run of it under
# valgrind's memcheck, and the LAVA jobs under LAVA's own dispatcher.
# Every part prints TAP; the last line adds them up.  See --help.
set -uo pipefail
# A make that started this passes nothing on to the builds the tests start.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
export O=${O:-build}
cfg=tests/suites.cfg

usage() {
	cat <<EOF
usage: tools/check.sh [--list] [NAME...]

Run the suites of $cfg in the order it lists them, each a
part that prints TAP and ends with "N passed, N failed, N skipped"; a
part that ends without that line counts as one failure.  The last line
adds the parts up; the exit status is 0 when nothing failed.

  NAME       a group (unit, cli, fuzz, board) runs its suites; any other
             name runs that one suite (a unit test by its file name,
             test-stats), or the suite whose file it is (tests/cli/cli.sh:
             cli alone, where the name is also a group's)
  --list     the suites NAME would run, one a line: name, group, file,
             what it proves; nothing is run
  -h, --help this text

  O=DIR            the build directory (build)
  FUZZ_SECONDS=N   per fuzzer (60)

With no NAME, every suite: what \`make check\` runs.
EOF
}

# The parts, in order: parallel arrays of name, group, file, description.
# A section whose file is a pattern gives a part per file it matches, or
# one that stands for the missing files.
names=() groups=() files=() descs=()
add_section() {	# add_section NAME GROUP FILE DESC
	local f matched=0
	if [ -z "$2" ] || [ -z "$3" ]; then
		echo "$cfg: [$1] wants a file and a group" >&2
		exit 2
	fi
	if [[ $3 == *[*?[]* ]]; then
		for f in $3; do
			[ -x "$f" ] && [[ $f != *.d ]] || continue
			names+=("$(basename "$f")") groups+=("$2") files+=("$f") descs+=("$4")
			matched=1
		done
		[ $matched = 1 ] && return
	fi
	names+=("$1") groups+=("$2") files+=("$3") descs+=("$4")
}
read_cfg() {
	local line key value name= group= file= desc=
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%$'\r'}
		case $line in
		''|'#'*) continue ;;
		'['*']')
			[ -z "$name" ] || add_section "$name" "$group" "$file" "$desc"
			name=${line:1:-1} group= file= desc=
			;;
		*=*)
			key=${line%%=*} value=${line#*=}
			key=${key// /} value=${value# }
			case $key in
			file)	file=${value//\$O/$O} ;;
			group)	group=$value ;;
			desc)	desc=$value ;;
			*)	echo "$cfg: [$name]: unknown key '$key'" >&2; exit 2 ;;
			esac
			;;
		*)	echo "$cfg: not a section nor key = value: $line" >&2; exit 2 ;;
		esac
	done < "$cfg"
	[ -z "$name" ] || add_section "$name" "$group" "$file" "$desc"
}

list=0 want=()
for a; do
	case $a in
	-h|--help) usage; exit 0 ;;
	--list) list=1 ;;
	-*) echo "tools/check.sh: unknown option '$a'" >&2; usage >&2; exit 2 ;;
	*) want+=("$a") ;;
	esac
done
read_cfg

# chosen[i] is 1 for every part the command line names (all without names).
chosen=()
for i in "${!names[@]}"; do chosen[i]=$(( ${#want[@]} == 0 )); done
for w in "${want[@]}"; do
	hit=0
	for i in "${!names[@]}"; do
		[ "${groups[i]}" = "$w" ] && { chosen[i]=1; hit=1; }
	done
	[ $hit = 1 ] && continue
	for i in "${!names[@]}"; do
		if [ "${names[i]}" = "$w" ] || [ "${files[i]}" = "$w" ]; then
			chosen[i]=1 hit=1
		fi
	done
	[ $hit = 1 ] || { echo "tools/check.sh: no group or suite '$w' in $cfg (--list shows them)" >&2; exit 2; }
done

if [ $list = 1 ]; then
	for i in "${!names[@]}"; do
		[ "${chosen[i]}" = 1 ] || continue
		printf '%-16s %-6s %-36s %s\n' "${names[i]}" "${groups[i]}" "${files[i]}" "${descs[i]}"
	done
	exit 0
fi

pass=0 fail=0 skipped=0 times=() started=$(date +%s)
part() {	# part NAME COMMAND...
	local name=$1 log line p f s t0=$(date +%s)
	shift
	echo "# --- $name"
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	line=$(tail -n 1 "$log")
	rm -f "$log"
	times+=("$(printf '%-16s %5d s' "$name" $(( $(date +%s) - t0 )))")
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
	else
		echo "# $name ended without its count: counted as one failure"
		p=0 f=1 s=0
	fi
	pass=$((pass + p)) fail=$((fail + f)) skipped=$((skipped + s))
}

for i in "${!names[@]}"; do
	[ "${chosen[i]}" = 1 ] || continue
	if [[ ${files[i]} == *[*?[]* ]]; then
		echo "# --- ${names[i]}"
		echo "# nothing matches ${files[i]} (${descs[i]}): counted as one failure"
		fail=$((fail + 1))
		continue
	fi
	part "${names[i]}" "${files[i]}"
done

echo "# --- all parts"
# where the time went: what keeps make check inside CI's limit
printf '# %s\n' "${times[@]}"
printf '# %-16s %5d s\n' total $(( $(date +%s) - started ))
echo "$pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
