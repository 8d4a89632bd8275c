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
	echo "$tap_pass passed, $tap_fail failed, $tap_skip skipped"
	[ $tap_fail = 0 ]
}

# expect_fail NAME STATUS REGEX -- COMMAND...: COMMAND exits STATUS with
# exactly one line on stderr matching REGEX and leaves nothing behind: no
# temp file in $tmp, none of $EXPECT_ABSENT, an empty $EXPECT_EMPTY_DIR,
# and nothing on stdout unless EXPECT_STDOUT_EMPTY=0.  Needs $tmp.
expect_fail() {
	local name=$1 want=$2 pat=$3 st lines p bad=0
	shift 3; [ "$1" = -- ] && shift
	for p in ${EXPECT_ABSENT:-}; do rm -rf "$p"; done
	if [ -n "${EXPECT_EMPTY_DIR:-}" ]; then
		rm -rf "$EXPECT_EMPTY_DIR" && mkdir -p "$EXPECT_EMPTY_DIR"
	fi
	"$@" >"$tmp/stdout" 2>"$tmp/stderr"; st=$?
	lines=$(wc -l < "$tmp/stderr")
	{ [ "$st" = "$want" ] && [ "$lines" = 1 ] && grep -Eq -- "$pat" "$tmp/stderr"; } || bad=1
	[ "${EXPECT_STDOUT_EMPTY:-1}" = 0 ] || [ ! -s "$tmp/stdout" ] || bad=1
	for p in ${EXPECT_ABSENT:-}; do [ ! -e "$p" ] || bad=1; done
	[ -z "${EXPECT_EMPTY_DIR:-}" ] || [ -z "$(ls -A "$EXPECT_EMPTY_DIR")" ] || bad=1
	[ -z "$(ls "$tmp" | grep '\.tmp\.')" ] || bad=1
	ok $bad "$name"
	[ $bad = 0 ] || diag "status $st (want $want), $lines stderr lines:" "$(cat "$tmp/stderr")"
}
