# SPDX-License-Identifier: GPL-2.0
# TAP for steplab's shell tests: ok/not ok lines, skips, the closing count.

tap_n=0 tap_pass=0 tap_fail=0 tap_skip=0

ok() {	# ok COND-STATUS NAME...
	local st=$1; shift
	tap_n=$((tap_n + 1))
	if [ "$st" = 0 ]; then
		echo "ok $tap_n - $*"; tap_pass=$((tap_pass + 1))
	else
		echo "not ok $tap_n - $*"; tap_fail=$((tap_fail + 1))
	fi
}

check() {	# check NAME -- COMMAND...: ok when COMMAND succeeds
	local name=$1; shift; [ "$1" = -- ] && shift
	"$@" >/dev/null 2>&1
	ok $? "$name"
}

skip() {
	tap_n=$((tap_n + 1)); tap_skip=$((tap_skip + 1))
	echo "ok $tap_n # SKIP $*"
}

diag() { printf '# %s\n' "$@"; }

tap_done() {
	echo "1..$tap_n"
	if [ $tap_skip -gt 0 ]; then
		echo "$tap_pass passed, $tap_fail failed, $tap_skip skipped"
	else
		echo "$tap_pass passed, $tap_fail failed"
	fi
	[ $tap_fail = 0 ]
}
