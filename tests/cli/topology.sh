#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# steplab topology on the command line: the big.LITTLE and server fixtures
# (hwloc XML and a fake sysfs tree) give the kinds, PMUs and plan; bad
# input gets one line on stderr and exit 2.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

data=tests/data/topology

# has NAME FILE REGEX: FILE has a line matching REGEX
has() { grep -Eq -- "$3" "$2"; ok $? "$1"; }

rock=(--xml $data/rock5b.xml --sysfs $data/rock5b-sysfs)
"$steplab" topology "${rock[@]}" > "$tmp/rock" 2> "$tmp/rock.err"
ok $? "rock5b: exit 0"
check "rock5b: nothing on stderr" -- test ! -s "$tmp/rock.err"
has "rock5b: kinds from MIDR, heterogeneous" "$tmp/rock" \
	'kinds from midr; heterogeneous'
has "rock5b: kind 0 is cortex-a55 on 0-3, PMU armv8_cortex_a55 type 10" "$tmp/rock" \
	'^0 +cortex-a55 +0x412fd050 r2p0 +0-3 +4 +0 +armv8_cortex_a55 +10$'
has "rock5b: kind 1 is cortex-a76 on 4-7, PMU armv8_cortex_a76 type 11" "$tmp/rock" \
	'^1 +cortex-a76 +0x414fd0b0 r4p0 +4-7 +4 +1 +armv8_cortex_a76 +11$'
has "rock5b plan: 2 runs" "$tmp/rock" '^plan \(one per kind\): 2 runs$'
has "rock5b plan: the A76 run pinned to CPU 4, attr.type 11" "$tmp/rock" \
	'^1 +1 +cortex-a76 +4 +4 +armv8_cortex_a76 +11$'
check "rock5b: no notes (hwloc agrees)" -- bash -c "! grep -q '^note:' $tmp/rock"

"$steplab" topology "${rock[@]}" --all-cores > "$tmp/all"
has "rock5b --all-cores: 8 runs" "$tmp/all" '^plan \(every core\): 8 runs$'
has "rock5b --all-cores: CPU 7 on the A76 PMU" "$tmp/all" \
	'^7 +1 +cortex-a76 +7 +7 +armv8_cortex_a76 +11$'

"$steplab" topology "${rock[@]}" --json > "$tmp/rock.json"
check "rock5b --json: two kinds, right PMU per kind, two runs" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
k = d["kinds"]
assert d["heterogeneous"] and d["kinds_from"] == "midr"
assert [(x["label"], x["cpus"], x["pmu"], x["pmu_type"]) for x in k] == \
	[("cortex-a55", "0-3", "armv8_cortex_a55", 10), ("cortex-a76", "4-7", "armv8_cortex_a76", 11)]
assert k[1]["midr"]["part"] == 0xd0b and k[1]["midr"]["variant"] == 4
assert [(r["cpu"], r["event_type"]) for r in d["plan"]["runs"]] == [(0, 10), (4, 11)]
assert d["events"] == {"INST_RETIRED": 8, "CPU_CYCLES": 17}
' "$tmp/rock.json"

"$steplab" topology --xml $data/rock5b-3kinds.xml --sysfs $data/rock5b-sysfs > "$tmp/3k"
has "rock5b-3kinds: the disagreement is a note" "$tmp/3k" \
	'^note: hwloc has 3 kinds \(0-3; 4-5; 6-7\), the MIDRs 2 \(0-3; 4-7\): MIDR kinds used$'

"$steplab" topology --xml $data/rock5b.xml --sysfs $data/rock5b-nomidr-sysfs > "$tmp/nomidr"
has "no MIDRs: hwloc's kinds, with the reason" "$tmp/nomidr" '^note: no MIDR for CPU 0 .*kinds from hwloc$'

"$steplab" topology --xml $data/altra80.xml --sysfs $data/altra80-sysfs --all-cores --json > "$tmp/altra.json"
check "altra80: one neoverse-n1 kind on armv8_pmuv3_0, 80 runs with --all-cores" -- python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["heterogeneous"] and d["cores"] == 80
assert [(x["label"], x["nr_cpus"], x["pmu"]) for x in d["kinds"]] == [("neoverse-n1", 80, "armv8_pmuv3_0")]
assert len(d["plan"]["runs"]) == 80 and d["plan"]["runs"][79]["cpu"] == 79
' "$tmp/altra.json"

check "this machine: exit 0" -- "$steplab" topology
check "--help exits 0 and shows the usage" -- \
	bash -c "$steplab topology --help | grep -q '^usage: steplab topology'"
expect_fail "missing --xml file: named, exit 2" 2 "$data/nope.xml" -- \
	"$steplab" topology --xml $data/nope.xml
expect_fail "not XML: named, exit 2" 2 "mkfixtures.sh: cannot load" -- \
	"$steplab" topology --xml $data/mkfixtures.sh
expect_fail "--sysfs not a directory: exit 2" 2 "nope-sysfs: not a directory" -- \
	"$steplab" topology --sysfs $data/nope-sysfs
expect_fail "--xml without its file" 2 "--xml needs a value" -- \
	"$steplab" topology --xml
expect_fail "unknown option" 2 "unknown option '--frob'" -- "$steplab" topology --frob

tap_done
