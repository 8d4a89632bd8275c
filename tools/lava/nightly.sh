#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A board's nightly run under LAVA: checklist, suite, export, artifact.
# Each checklist item and every exported result becomes a lava-test-case;
# the script exits 0 so LAVA records the results rather than a crash.
#
#   tools/lava/nightly.sh BOARD-FILE [STEPS] [SEED] [ARTIFACT-URL]
set -uo pipefail

cd "$(dirname "$0")/../.."
board=${1:?usage: nightly.sh BOARD-FILE [STEPS] [SEED] [ARTIFACT-URL]}
steps=${2:-100000}
seed=${3:-7}
url=${4:-}
steplab=${STEPLAB:-build/$(uname -m | sed -e 's/aarch64/arm64/')/steplab}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=results/runs/$(basename "$board" .json)-$stamp
mkdir -p "$out"

# lava-test-case exists inside a LAVA job; elsewhere the lines are printed.
command -v lava-test-case >/dev/null || lava-test-case() { echo "lava-test-case $*"; }

# 1. the checklist: one test case per item
"$steplab" checklist --board "$board" --output "$out/checklist.json" > "$out/checklist.txt" 2>&1
ck=$?
cat "$out/checklist.txt"
if [ -f "$out/checklist.json" ]; then
	python3 - "$out/checklist.json" <<'EOF_PY' | while read -r name result; do lava-test-case "$name" --result "$result"; done
import json, sys
for i in json.load(open(sys.argv[1]))['items']:
    print('steplab.checklist.' + i['item'], i['status'])
EOF_PY
fi
lava-test-case steplab.checklist --result "$([ $ck = 0 ] && echo pass || echo fail)"

# 2. the suite, only on a ready board
if [ $ck = 0 ]; then
	# the suite's mix is the one steplab holds
	mix=$("$steplab" run --print-suite)
	"$steplab" run --board "$board" --guest every --guest trapped --guest untrapped \
		--mix "$mix" --seed "$seed" --steps "$steps" --quiet --output "$out/report.json"
	st=$?
	if [ -f "$out/report.json" ]; then
		# 3. every result as a test case, measurements with their units
		"$steplab" export --format lava "$out/report.json" -o "$out/results.sh" &&
			. "$out/results.sh"
	fi
	lava-test-case steplab.run --result "$([ $st = 0 ] && echo pass || echo fail)"
else
	lava-test-case steplab.run --result skip
fi

# 4. the report as an artifact
if [ -n "$url" ] && [ -f "$out/report.json" ]; then
	if curl -fsS -T "$out/report.json" "$url/$(basename "$out").json"; then
		command -v lava-test-reference >/dev/null &&
			lava-test-reference steplab.report --result pass --reference "$url/$(basename "$out").json"
	else
		lava-test-case steplab.artifact --result fail
	fi
fi
echo "steplab nightly: results in $out"
exit 0
