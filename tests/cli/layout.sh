#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What README says of the project's shape, held to the tree: bench/'s rooms
# and layers (tools/layout-check.py, on the objects `make` built), the
# layout table naming each room there is, and the sample summary being what
# steplab prints for the example report it names.
. "$(dirname "$0")/../lib.sh"

# the layers, circles, declarations and sizes, as tools/layout-check.py's
# own TAP lines, renumbered into this suite
python3 tools/layout-check.py "$PWD" "$O/$(host_arch)" > "$tmp/layout" 2>&1
while IFS= read -r line; do
	case $line in
	"ok "*) ok 0 "${line#ok [0-9]* - }" ;;
	"not ok "*) ok 1 "${line#not ok [0-9]* - }" ;;
	"#"*) echo "$line" ;;
	esac
done < "$tmp/layout"
# it ran to its own count line (a crash has none), and that count is the
# lines above
n=$(grep -c '^\(not \)\{0,1\}ok ' "$tmp/layout")
grep -qx "$(( n - $(grep -c '^not ok ' "$tmp/layout") )) passed, $(grep -c '^not ok ' "$tmp/layout") failed, 0 skipped" "$tmp/layout" &&
	[ "$n" -gt 0 ]
ok $? "tools/layout-check.py ran to its count ($n checks)"

# every room in bench/ is in README's layout table, and the table names no
# room that is gone
bad=
for d in bench/*/; do
	d=${d%/}
	grep -q "^| .*\`$d/\`" README.md || bad="$bad $d (not in the table)"
done
for d in $(grep '^| `bench/' README.md | grep -o '`bench/[a-z]*/`' | tr -d '`'); do
	[ -d "$d" ] || bad="$bad $d (in the table, not in the tree)"
done
[ -z "$bad" ]
ok $? "README's layout table names each room of bench/, and only those${bad:+ (not:$bad)}"

# the sample summary
example=results/examples/qemu-virt-debian-6.1.json
grep -q "steplab report summary $example" README.md
ok $? "README names the report its sample summary comes from ($example)"
"$steplab" report summary "$example" > "$tmp/summary" 2>&1
awk '/^```/ {inb = !inb; if (!inb && blk ~ /^board /) {printf "%s", blk; exit} blk = ""; next}
     inb {blk = blk $0 "\n"}' README.md > "$tmp/readme"
diff -u "$tmp/readme" "$tmp/summary" > "$tmp/diff"
ok $? "README's sample summary is what 'steplab report summary' prints for it"
sed 's/^/# /' "$tmp/diff" | head -20

tap_done
