# SPDX-License-Identifier: GPL-2.0
# What every shell suite starts with, sourced first by its own path
# (`. "$(dirname "$0")/../lib.sh"`): nounset, the repository root as the
# working directory, TAP (tests/tap.sh), tools/lib.sh, and
#   O        the build directory (build unless set)
#   steplab  this host's steplab in it
#   tmp      a scratch directory, removed on exit after $on_exit is run
#            (a suite that mounts something there sets on_exit to undo it)
#   native   1 on an arm64 host with /dev/kvm, which runs the suite on its
#            own kernel instead of the emulated board; 0 otherwise
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit
. tests/tap.sh
. tools/lib.sh

O=${O:-build}
steplab=$O/$(host_arch)/steplab
tmp=$(mktemp -d)
on_exit=
trap 'eval "$on_exit"; rm -rf "$tmp"' EXIT

native=0
[ "$(host_arch)" = arm64 ] && [ -c /dev/kvm ] && native=1

# q FILE EXPR: a Python expression over the JSON document d, printed
q() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# emulated_only WHY: on a native host, one skip saying WHY and the count;
# the suite ends there
emulated_only() {
	[ $native = 1 ] || return 0
	skip "$1"
	tap_done
	exit
}
